"""The engine on its edges: an empty file, the first day of the law and the day before, nulls in a file, the
columns a run shows with and without its intermediate values; one record and the batch on the same records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from paritrana.rules import InvalidInput, ParameterNotInForce, compute_one, compute_records, get_rule, prepare
from paritrana.rules.engine import file_totals, read_file, write_file
from paritrana.rules.fetch import rows_of
from paritrana.rules.inputs import records_table

PU = "pu_contributions"
# PP 44/2015 (JKK, JKM), PP 45/2015 (JP) and PP 46/2015 (JHT) take effect on 1 July 2015
LAW_STARTS = dt.date(2015, 7, 1)
DAY_BEFORE = dt.date(2015, 6, 30)
WAGE = 5_000_000
# on 1 July 2015, a wage of Rp5,000,000 in risk group 1, worked by hand:
FIRST_DAY = {
    "jkk": 12_000,  # 0.24 % (PP 44/2015 art 16(1)(a))
    "jkm": 15_000,  # 0.30 % (PP 44/2015 art 18(1))
    "jht_employer": 185_000,  # 3.7 % (PP 46/2015 art 16(1))
    "jht_worker": 100_000,  # 2 % (PP 46/2015 art 16(1))
    "jp_employer": 100_000,  # 2 % of a wage under the 2015 cap of Rp7,000,000 (PP 45/2015 art 28)
    "jp_worker": 50_000,  # 1 % (PP 45/2015 art 28)
    "total": 462_000,
    "jkp_total": 0,  # JKP starts with PP 37/2021
}


def _parquet(path: Path, columns: dict[str, pa.Array]) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def test_an_empty_file_with_a_date_column_gives_no_rows_no_law_and_zero_totals(tmp_path: Path) -> None:
    source = _parquet(
        tmp_path / "empty.parquet",
        {
            "wage": pa.array([], pa.int64()),
            "risk_group": pa.array([], pa.int64()),
            "date": pa.array([], pa.date32()),
        },
    )
    run = prepare(get_rule(PU), read_file(source))
    assert (run.rows, run.first_date, run.last_date) == (0, None, None)
    assert run.parameters_used() == []  # no row, no date: no law to explain
    out = tmp_path / "out.parquet"
    write_file(run, out)
    assert pq.read_table(out).num_rows == 0
    assert file_totals(out, ["total", "jkk"]) == {"total": 0, "jkk": 0}


def test_the_first_day_of_the_law_computes_for_one_record_and_in_a_date_column() -> None:
    one = compute_one(PU, LAW_STARTS, {"wage": WAGE, "risk_group": 1})
    assert {k: one.outputs[k] for k in FIRST_DAY} == FIRST_DAY
    rows = compute_records(PU, [{"wage": WAGE, "risk_group": 1, "date": LAW_STARTS}] * 2)
    assert [{k: r[k] for k in FIRST_DAY} for r in rows] == [FIRST_DAY, FIRST_DAY]
    named = {p["name"] for p in one.explanation.parameters}
    assert {"jkk.pu.rate", "jht.pu.employer_rate"} <= named
    assert all(p["effective"] == "2015-07-01" for p in one.explanation.parameters if p["name"] == "jkk.pu.rate")


def test_the_day_before_the_law_is_refused_naming_the_day_and_the_first_day() -> None:
    with pytest.raises(ParameterNotInForce) as one:
        compute_one(PU, DAY_BEFORE, {"wage": WAGE, "risk_group": 1})
    assert (one.value.on, one.value.first) == (DAY_BEFORE, LAW_STARTS)
    records = [{"wage": WAGE, "risk_group": 1, "date": d} for d in (LAW_STARTS, DAY_BEFORE, LAW_STARTS)]
    with pytest.raises(ParameterNotInForce) as batch:
        compute_records(PU, records)
    assert (batch.value.on, batch.value.first) == (DAY_BEFORE, LAW_STARTS)


def test_a_null_in_a_required_parquet_column_is_refused_naming_its_row(tmp_path: Path) -> None:
    source = _parquet(
        tmp_path / "in.parquet",
        {"wage": pa.array([WAGE, WAGE, None], pa.int64()), "risk_group": pa.array([1, 1, 1], pa.int64())},
    )
    with pytest.raises(InvalidInput) as caught:
        prepare(get_rule(PU), read_file(source), on=dt.date(2025, 1, 1))
    assert (caught.value.field, caught.value.row) == ("wage", 3)


def test_a_null_in_an_optional_parquet_column_takes_the_fields_default(tmp_path: Path) -> None:
    """``in_jp`` defaults to true: a null is a worker in JP, as a record leaving it out (2 % + 1 % of the wage)."""
    source = _parquet(
        tmp_path / "in.parquet",
        {
            "wage": pa.array([WAGE, WAGE], pa.int64()),
            "risk_group": pa.array([1, 1], pa.int64()),
            "in_jp": pa.array([None, False], pa.bool_()),
        },
    )
    rows = rows_of(prepare(get_rule(PU), read_file(source), on=dt.date(2025, 1, 1)).table)
    assert [(r["in_jp"], r["jp_employer"], r["jp_worker"]) for r in rows] == [(True, 100_000, 50_000), (False, 0, 0)]


def test_a_run_shows_its_intermediate_values_unless_asked_not_to() -> None:
    rule = get_rule(PU)
    run = prepare(rule, records_table(rule, [{"wage": WAGE, "risk_group": 1}]), on=dt.date(2025, 1, 1))
    intermediate = {"jp_wage_basis", "jkp_wage_basis", "jkk_full", "jkm_full", "jp_full"}
    every = run.output_columns()
    assert intermediate <= set(every) and "total" in every
    shown = run.output_columns(intermediate=False)
    assert not intermediate & set(shown)
    assert shown == [f.name for f in rule.outputs if f.name not in intermediate]
