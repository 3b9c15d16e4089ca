"""The national bench's jobs on a small generated snapshot: the rules engine's billing lines and JHT
returns equal the hand-written SQL's, column by column, and the engine writes Parquet in row groups."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import national  # noqa: E402


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("snapshot")
    national.write_snapshot(folder, 20_000)
    return folder


def _sql_to(path: Path, query: str) -> None:
    con = duckdb.connect()
    con.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet)")
    con.close()


def test_billing_lines_equal_the_hand_written_query(snapshot: Path, tmp_path: Path) -> None:
    engine, sql = tmp_path / "engine.parquet", tmp_path / "sql.parquet"
    national.duckdb_billing(snapshot, engine, national.MONTH)
    _sql_to(sql, national.billing_sql(snapshot, national.MONTH))
    got = national.checksums(engine, "worker_id, programme")
    assert got == national.checksums(sql, "worker_id, programme")
    # JKK, JKM and JHT for every worker, JP for the 80 % in it
    assert 3 * 20_000 < got["_rows"][0] < 4 * 20_000
    assert got["amount"][0] > 0


def test_jht_returns_equal_the_hand_written_query(snapshot: Path, tmp_path: Path) -> None:
    engine, sql = tmp_path / "engine.parquet", tmp_path / "sql.parquet"
    national.duckdb_jht(snapshot, engine, national.MONTH)
    _sql_to(sql, national.jht_sql(snapshot, national.MONTH))
    got = national.checksums(engine, "worker_id")
    assert got == national.checksums(sql, "worker_id")
    assert got["_rows"][0] == 5_000  # four rows per account
    assert pq.read_schema(engine).field("total").type == "int64"  # not DuckDB's HUGEINT sum (a DOUBLE in Parquet)


def test_the_engine_writes_row_groups(snapshot: Path, tmp_path: Path) -> None:
    out = tmp_path / "lines.parquet"
    national.duckdb_billing(snapshot, out, national.MONTH)
    meta = pq.ParquetFile(out).metadata
    assert meta.num_row_groups >= 1
    assert max(meta.row_group(i).num_rows for i in range(meta.num_row_groups)) <= 122_880
