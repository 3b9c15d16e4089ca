"""Rules over a file give the same results on DuckDB and on Spark (a checksum per output column).

The file of each rule holds the inputs of its legal cases (``tests/rules``, the refusals left out), each with
its own date: every formula and every parameter period the cases reach runs on both engines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from paritrana.rules import all_rules, get_rule, prepare
from paritrana.rules.cases import load_cases
from paritrana.rules.engine import DATE_COLUMN, records_table
from paritrana.rules.engines import column_checksums, read_parquet, to_arrow

CASES = load_cases([Path(__file__).resolve().parents[1] / "rules"])
RULES = sorted({c.rule for c in CASES if c.error is None})


def _input_file(rule_name: str, folder: Path) -> Path:
    rule = get_rule(rule_name)
    records = [{**c.inputs, DATE_COLUMN: c.date} for c in CASES if c.rule == rule_name and c.error is None]
    table = records_table(rule, records)  # every input column present, in its type
    path = folder / f"{rule_name}.parquet"
    pq.write_table(to_arrow(table), path)
    return path


def test_every_rule_has_cases_to_compare() -> None:
    assert set(RULES) == {r.name for r in all_rules()}


@pytest.mark.parametrize("rule_name", RULES)
def test_rule_over_a_file_same_on_duckdb_and_spark(rule_name: str, tmp_path: Path, duck: Any, spark: Any) -> None:
    path = _input_file(rule_name, tmp_path)
    rule = get_rule(rule_name)
    results: dict[str, pa.Table] = {}
    for name, con in (("duckdb", duck), ("spark", spark)):
        run = prepare(rule, read_parquet(con, path))
        results[name] = to_arrow(run.table.select(*run.output_columns()))
    assert results["duckdb"].num_rows == pq.read_metadata(path).num_rows > 0
    assert results["duckdb"].schema == results["spark"].schema
    assert column_checksums(results["spark"]) == column_checksums(results["duckdb"])


def test_a_refusal_names_field_and_row_on_spark(tmp_path: Path, spark: Any) -> None:
    path = tmp_path / "wages.parquet"
    pq.write_table(pa.table({"wage": [5_000_000, -1], "risk_group": [1, 1]}), path)
    from paritrana.rules.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        prepare(get_rule("pu_contributions"), read_parquet(spark, path), on=CASES[0].date)
    assert refused.value.field == "wage"
    assert refused.value.row == 2


def test_a_wage_of_floats_is_taken_when_whole_and_refused_with_a_fraction_or_nan_on_spark(
    tmp_path: Path, spark: Any
) -> None:
    """As on DuckDB (``tests/test_file_fractional_money.py``): never rounded (Spark's cast truncates). Ibis on Spark
    takes NaN for null, so a NaN wage is refused as missing there, its row named all the same."""
    from paritrana.rules.errors import InvalidInput

    rule, on = get_rule("pu_contributions"), CASES[0].date
    for wages, row, reason in (
        ([5_000_000.0, 5_000_000.5, 5_000_001.5], 2, "is not a whole number (got '5000000.5')"),
        ([5_000_000.0, 5_000_000.0, float("nan")], 3, "is missing or not a whole number"),
    ):
        path = tmp_path / "wages.parquet"
        pq.write_table(pa.table({"wage": pa.array(wages, pa.float64()), "risk_group": [1] * len(wages)}), path)
        with pytest.raises(InvalidInput) as refused:
            prepare(rule, read_parquet(spark, path), on=on)
        assert (refused.value.field, refused.value.row, refused.value.reason) == ("wage", row, reason)
    path = tmp_path / "whole.parquet"
    pq.write_table(pa.table({"wage": pa.array([5_000_000.0], pa.float32()), "risk_group": [1]}), path)
    taken = to_arrow(prepare(rule, read_parquet(spark, path), on=on).table)
    assert taken.column("wage").to_pylist() == [5_000_000]


def test_a_wage_beyond_the_bound_or_what_a_float32_holds_is_refused_on_spark(tmp_path: Path, spark: Any) -> None:
    """As on DuckDB (``tests/test_file_whole_bounds.py``): a wage beyond 10^13 in the words of one record, a float32
    wage beyond 2^24 (20,000,001 is stored as 20,000,000) asking for integers or 64-bit floats; each at its first
    row. A wage at the bound is computed: JKK of risk group 1 is 0.24 % of it (PP 44/2015 art 16(1)(a))."""
    from paritrana.rules import compute_one
    from paritrana.rules.errors import InvalidInput

    rule, on = get_rule("pu_contributions"), CASES[0].date
    with pytest.raises(InvalidInput) as one:
        compute_one(rule.name, on, {"wage": 10**15, "risk_group": 1})
    float32 = (
        "is beyond 16,777,216, the largest whole number a 32-bit float holds exactly: "
        "write money columns as integers or 64-bit floats (got 20,000,000)"
    )
    for wages, kind, row, reason in (
        ([10**13, 5_000_000, 10**15, 10**15 + 1], pa.int64(), 3, one.value.reason),
        ([16_777_216.0, 20_000_001.0, 30_000_000.0], pa.float32(), 2, float32),
    ):
        path = tmp_path / "wages.parquet"
        pq.write_table(pa.table({"wage": pa.array(wages, kind), "risk_group": [1] * len(wages)}), path)
        with pytest.raises(InvalidInput) as refused:
            prepare(rule, read_parquet(spark, path), on=on)
        assert (refused.value.field, refused.value.row, refused.value.reason) == ("wage", row, reason)
    assert one.value.reason == "must be at most 10,000,000,000,000 (got 1,000,000,000,000,000)"
    path = tmp_path / "bound.parquet"
    pq.write_table(pa.table({"wage": [10**13], "risk_group": [1]}), path)
    taken = to_arrow(prepare(rule, read_parquet(spark, path), on=on).table)
    assert taken.column("jkk").to_pylist() == [24_000_000_000]
