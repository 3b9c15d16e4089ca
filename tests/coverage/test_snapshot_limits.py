"""A snapshot's coverage tables are read on the engine's DuckDB connection, with its configured limits."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest
from ibis.backends.sql.datatypes import DuckDBType

from paritrana.coverage.analytics import TABLES
from paritrana.coverage.sources import snapshot_tables
from paritrana.rules import duck


@pytest.fixture
def empty_snapshot(tmp_path: Path) -> Path:
    con = ibis.duckdb.connect()
    for key, (_, schema) in TABLES.items():
        columns = ", ".join(f'CAST(NULL AS {DuckDBType.to_string(ibis.dtype(t))}) AS "{c}"' for c, t in schema.items())
        con.con.execute(f"COPY (SELECT {columns} WHERE false) TO '{tmp_path / f'{key}.parquet'}' (FORMAT parquet)")
    return tmp_path


def test_the_snapshot_tables_run_under_the_engines_memory_limit(
    empty_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITRANA_DUCKDB_MEMORY_LIMIT", "777MB")
    monkeypatch.setenv("PARITRANA_DUCKDB_TEMP_DIRECTORY", str(tmp_path / "spill"))
    duck.reset()  # the connection takes the environment's settings on its next use
    try:
        tables = snapshot_tables(empty_snapshot)
        backend = next(iter(tables.values()))._find_backend()
        assert backend is duck.connection()
        limit = backend.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        assert limit.replace(" ", "") in {"777.0MB", "741.0MiB"}, limit
        assert duck.current_setting("temp_directory") == str(tmp_path / "spill")
        assert all(t.count().execute() == 0 for t in tables.values())  # each table reads its file
    finally:
        monkeypatch.delenv("PARITRANA_DUCKDB_MEMORY_LIMIT")
        monkeypatch.delenv("PARITRANA_DUCKDB_TEMP_DIRECTORY")
        duck.reset()
