"""The engine: one batch equals one-by-one, dates per row, and refusals naming field and row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paritrana.rules import InvalidInput, ParameterNotInForce, compute_one, compute_records, get_rule, prepare
from paritrana.rules.engine import file_totals, read_file, write_file
from paritrana.rules.parameters import load_parameters

RULE = "pu_contributions"
FIRST = dt.date(2015, 7, 1)
LAST = dt.date(2026, 12, 31)
PU_PARAMETERS = (
    "jkk.pu.rate",
    "jkm.pu.rate",
    "jht.pu.employer_rate",
    "jht.pu.worker_rate",
    "jp.wage_cap",
    "jp.employer_rate",
    "jp.worker_rate",
    "jkp.wage_cap",
    "jkp.government_rate",
    "jkp.recomposed_from_jkk_rate",
    "jkp.recomposed_from_jkm_rate",
    "relief.covid.jkk_jkm_payable_share",
    "relief.covid.jp_payable_share",
    "relief.labour_intensive.jkk_payable_share",
)


def _change_dates() -> list[dt.date]:
    """Every day a parameter of the rule changes, and the day before it (the edges of the law)."""
    params = load_parameters()
    days: set[dt.date] = set()
    for name in PU_PARAMETERS:
        for v in params[name].values:
            for day in (v.effective, v.effective - dt.timedelta(days=1)):
                if FIRST <= day <= LAST:
                    days.add(day)
    return sorted(days)


DATES = st.one_of(st.dates(min_value=FIRST, max_value=LAST), st.sampled_from(_change_dates()))
WAGES = st.one_of(
    st.integers(min_value=0, max_value=60_000_000),
    st.sampled_from([0, 1, 499, 500, 4_999_999, 5_000_000, 5_000_001, 10_042_300, 10_042_301]),
)
PU_RECORD = st.fixed_dictionaries(
    {
        "date": DATES,
        "wage": WAGES,
        "risk_group": st.integers(min_value=1, max_value=5),
    },
    optional={
        "in_jp": st.booleans(),
        "in_jkp": st.booleans(),
        "employer_in_arrears": st.booleans(),
        "labour_intensive_relief": st.booleans(),
    },
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(PU_RECORD, min_size=1, max_size=5))
def test_one_batch_with_a_date_column_equals_one_by_one(records: list[dict[str, Any]]) -> None:
    rule = get_rule(RULE)
    batch = compute_records(RULE, records)
    assert len(batch) == len(records)
    for record, row in zip(records, batch, strict=True):
        inputs = {k: v for k, v in record.items() if k != "date"}
        one = compute_one(RULE, record["date"], inputs)
        got = {f.name: row[f.name] for f in rule.outputs}
        want = {**one.outputs, **one.explanation.intermediate}
        assert got == want, f"record {record}"
        assert row["date"] == record["date"]


def test_each_row_gets_the_parameter_in_force_on_its_date() -> None:
    cap = load_parameters()["jp.wage_cap"]
    feb, mar = dt.date(2024, 2, 29), dt.date(2024, 3, 1)
    assert cap.at(feb).value != cap.at(mar).value, "the JP cap changes on 1 March 2024"
    records = [
        {"date": feb, "wage": 20_000_000, "risk_group": 1},
        {"date": mar, "wage": 20_000_000, "risk_group": 1},
        {"date": feb, "wage": 20_000_000, "risk_group": 1},
    ]
    rows = compute_records(RULE, records)
    assert [r["jp_wage_basis"] for r in rows] == [cap.at(feb).value, cap.at(mar).value, cap.at(feb).value]
    for record, row in zip(records, rows, strict=True):
        inputs = {k: v for k, v in record.items() if k != "date"}
        assert row["jp_worker"] == compute_one(RULE, record["date"], inputs).outputs["jp_worker"]


def test_a_csv_date_column_gives_each_row_its_law(tmp_path: Path) -> None:
    cap = load_parameters()["jp.wage_cap"]
    path = _csv(
        tmp_path,
        "date,wage,risk_group",
        ["2024-02-01,20000000,1", "2024-03-01,20000000,1", "2023-12-31,20000000,1"],
    )
    run = prepare(get_rule(RULE), read_file(path))
    assert run.rows == 3
    assert run.first_date == dt.date(2023, 12, 31)
    assert run.last_date == dt.date(2024, 3, 1)
    out = tmp_path / "out.parquet"
    write_file(run, out)
    table = pq.read_table(out)
    assert table.column("jp_wage_basis").to_pylist() == [
        cap.at(dt.date(2024, 2, 1)).value,
        cap.at(dt.date(2024, 3, 1)).value,
        cap.at(dt.date(2023, 12, 31)).value,
    ]
    used = {(p["name"], p["effective"]) for p in run.parameters_used()}
    assert ("jp.wage_cap", cap.at(dt.date(2024, 3, 1)).effective.isoformat()) in used
    assert ("jp.wage_cap", cap.at(dt.date(2024, 2, 1)).effective.isoformat()) in used


def _csv(tmp_path: Path, header: str, rows: list[str], name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


GOOD_ROWS = ["5000000,1,true", "6000000,2,false"]


@pytest.mark.parametrize(
    ("bad_row", "field", "words"),
    [
        ("-5,1,true", "wage", "at least 0"),
        ("5000000,9,true", "risk_group", "not one of"),
        ("five million,1,true", "wage", "whole number"),
        (",1,true", "wage", "missing"),
        ("5000000,1,maybe", "in_jp", "true or false"),
    ],
)
def test_a_bad_value_in_row_3_names_field_and_row(tmp_path: Path, bad_row: str, field: str, words: str) -> None:
    path = _csv(tmp_path, "wage,risk_group,in_jp", [*GOOD_ROWS, bad_row, "7000000,3,true"])
    with pytest.raises(InvalidInput) as caught:
        prepare(get_rule(RULE), read_file(path, get_rule(RULE)), on=dt.date(2024, 5, 1))
    assert caught.value.field == field
    assert caught.value.row == 3
    assert "row 3" in str(caught.value)
    assert words in str(caught.value)


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "wage,in_jp", ["5000000,true", "6000000,false"])
    with pytest.raises(InvalidInput) as caught:
        prepare(get_rule(RULE), read_file(path), on=dt.date(2024, 5, 1))
    assert caught.value.field == "risk_group"
    assert "no column" in str(caught.value)


def test_a_table_without_date_or_date_column_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path, "wage,risk_group", ["5000000,1"])
    with pytest.raises(InvalidInput) as caught:
        prepare(get_rule(RULE), read_file(path))
    assert caught.value.field == "date"


def test_a_date_before_the_law_in_a_date_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,wage,risk_group", ["2024-05-01,5000000,1", "2014-12-01,5000000,1"])
    with pytest.raises(ParameterNotInForce) as caught:
        prepare(get_rule(RULE), read_file(path))
    assert caught.value.on == dt.date(2014, 12, 1)
    assert caught.value.first == dt.date(2015, 7, 1)


def test_a_bad_date_in_a_date_column_names_the_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,wage,risk_group", ["2024-05-01,5000000,1", "2024-06-01,1,1", "not a date,5000000,1"])
    with pytest.raises(InvalidInput) as caught:
        prepare(get_rule(RULE), read_file(path, get_rule(RULE)))
    assert (caught.value.field, caught.value.row) == ("date", 3)


def test_write_file_reports_progress_and_totals(tmp_path: Path) -> None:
    rows = [f"{3_000_000 + i * 1000},{1 + i % 5},{'true' if i % 3 else 'false'}" for i in range(2000)]
    path = _csv(tmp_path, "wage,risk_group,in_jp", rows)
    run = prepare(get_rule(RULE), read_file(path), on=dt.date(2024, 5, 1))
    seen: list[float] = []
    for name in ("out.parquet", "out.csv"):
        out = tmp_path / name
        write_file(run, out, seen.append)
        assert seen and seen[-1] == 1.0
        totals = file_totals(out, ["total", "jkk"])
        want = compute_records(
            RULE, [dict(zip(("wage", "risk_group", "in_jp"), r.split(","), strict=True)) for r in rows], on="2024-05-01"
        )
        assert totals == {"total": sum(r["total"] for r in want), "jkk": sum(r["jkk"] for r in want)}
    assert pq.read_table(tmp_path / "out.parquet").num_rows == 2000


def test_write_file_refuses_an_unknown_format(tmp_path: Path) -> None:
    run = prepare(get_rule(RULE), read_file(_csv(tmp_path, "wage,risk_group", ["1,1"])), on=dt.date(2024, 5, 1))
    with pytest.raises(InvalidInput):
        write_file(run, tmp_path / "out.xlsx")


def test_explanation_of_a_period_paid_in_advance_covers_the_law_of_its_later_months() -> None:
    """PP 50/2025 halves BPU JKK+JKM from April 2026: a year paid in February 2026 rests on it."""

    def relief_dates(months: int) -> set[str]:
        result = compute_one("bpu_contributions", "2026-02-01", {"declared_income": 1_000_000, "months": months})
        return {
            p["effective"]
            for p in result.explanation.parameters
            if p["name"] == "relief.bpu_other_sectors.jkk_jkm_payable_share"
        }

    assert "2026-04-01" in relief_dates(12)
