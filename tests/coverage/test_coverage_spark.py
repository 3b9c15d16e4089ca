"""The coverage cube and rates give the same results on a national snapshot with DuckDB and with Spark (a
checksum per column), and the billing month and the JHT crediting run with ``engine="spark"`` on the registry
agree with DuckDB's, on demo-like data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from paritrana.contributions.models import BillLine, JhtEntry
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.ledger import _compute_returns, _return_rows
from paritrana.coverage import analytics
from paritrana.coverage.services.targets import denominator_years
from paritrana.coverage.snapshot import export_snapshot
from paritrana.coverage.sources import snapshot_tables
from paritrana.rules.engines import column_checksums, to_arrow
from tests.coverage.coveragekit import COMMITTED, DemoLike


@COMMITTED
def test_coverage_cube_and_rates_same_on_duckdb_and_spark(
    demo_like: DemoLike, tmp_path: Path, duck: Any, spark: Any
) -> None:
    export_snapshot(tmp_path / "snap")
    months = demo_like.months
    years = denominator_years(months)
    results: dict[str, dict[str, Any]] = {}
    for name, con in (("duckdb", duck), ("spark", spark)):
        tables = snapshot_tables(tmp_path / "snap", con)
        results[name] = {
            "cube": to_arrow(analytics.coverage_cube(tables, months)),
            "rates": to_arrow(analytics.coverage_rates(tables, months, years, "province", view="employer")),
        }
    for what in ("cube", "rates"):
        duckdb, on_spark = results["duckdb"][what], results["spark"][what]
        assert duckdb.num_rows > 30, what
        assert column_checksums(on_spark) == column_checksums(duckdb), what
    assert sum(results["duckdb"]["cube"].column("active").to_pylist()) > 0


def test_billing_month_on_spark_is_what_duckdb_bills(demo_like: DemoLike) -> None:
    month = dt.date(2026, 11, 1)  # the demo bills up to October
    on_spark = run_billing(month, engine="spark")
    assert on_spark.lines_added > 100 and on_spark.amount_added > 0
    assert BillLine.objects.filter(billing_run=on_spark).count() == on_spark.lines_added
    again = run_billing(month, engine="duckdb")  # DuckDB computes the same amounts: nothing left to add
    assert again.lines_added == 0 and again.workers == on_spark.workers


def test_jht_returns_on_spark_equal_duckdb(demo_like: DemoLike) -> None:
    assert JhtEntry.objects.exists()
    rows = _return_rows(2026, lambda *_: None)
    assert rows.num_rows > 50
    duckdb = _compute_returns(rows, 2026, 600, "duckdb")
    on_spark = _compute_returns(rows, 2026, 600, "spark")
    assert duckdb.num_rows > 50 and sum(duckdb.column("total").to_pylist()) > 0
    assert column_checksums(on_spark) == column_checksums(duckdb)
