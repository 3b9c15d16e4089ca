"""``--engine spark`` on the command line: ``calc --file`` writes the same results as DuckDB, a bad engine
name or output is refused naming the option."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.rules.engines import column_checksums


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_calc_file_on_spark_writes_what_duckdb_writes(tmp_path: Path, spark: Any) -> None:
    wages = tmp_path / "wages.parquet"
    n = 500
    pq.write_table(
        pa.table({"wage": [1_000_000 + i * 37_003 for i in range(n)], "risk_group": [1 + i % 5 for i in range(n)]}),
        wages,
    )
    common = ["calc", "pu_contributions", "--date", "2025-06-01", "--file", str(wages), "--json", "--totals"]
    on_duckdb = run(*common, "--out", str(tmp_path / "duck.parquet"))
    on_spark = run(*common, "--out", str(tmp_path / "spark.parquet"), "--engine", "spark")
    assert on_duckdb.exit_code == 0, on_duckdb.output
    assert on_spark.exit_code == 0, on_spark.output
    duck_summary, spark_summary = json.loads(on_duckdb.stdout), json.loads(on_spark.stdout)
    assert spark_summary["engine"] == "spark" and spark_summary["rows"] == n
    assert spark_summary["totals"] == duck_summary["totals"] and duck_summary["totals"]["total"] > 0
    written = pq.read_table(tmp_path / "duck.parquet")
    parts = pq.read_table(tmp_path / "spark.parquet")  # Spark's folder of part files
    assert column_checksums(parts.select(written.column_names)) == column_checksums(written)


def test_engine_refusals_name_the_option(tmp_path: Path) -> None:
    wages = tmp_path / "wages.csv"
    wages.write_text("wage,risk_group\n5000000,1\n")
    unknown = run("calc", "pu_contributions", "--date", "2025-06-01", "--file", str(wages), "--out",
                  str(tmp_path / "o.parquet"), "--engine", "flink")  # fmt: skip
    assert unknown.exit_code == 2 and "engine" in unknown.output and "flink" in unknown.output
    as_csv = run("calc", "pu_contributions", "--date", "2025-06-01", "--file", str(wages), "--out",
                 str(tmp_path / "o.csv"), "--engine", "spark")  # fmt: skip
    assert as_csv.exit_code == 2 and "out" in as_csv.output and ".parquet folder" in " ".join(as_csv.output.split())
    assert not (tmp_path / "o.csv").exists()
