"""Where the coverage expression reads its tables: the registry database in place, or a Parquet snapshot.

- ``registry_tables()``: Ibis on Django's own connection (``ibis.sqlite`` or ``ibis.postgres``
  ``from_connection``), so the expression sees exactly what the application sees, inside its transaction;
  nothing is copied out of the database.
- ``write_snapshot(folder)``: the needed columns of the needed tables (``analytics.TABLES``) as Parquet files,
  read through the same registry connection; ``snapshot_tables(folder)`` opens them with DuckDB.

Both give the same table names and columns, so ``analytics.coverage_cube`` and ``coverage_rates`` run
unchanged on either (the test ``tests/coverage/test_coverage_engines.py`` proves the numbers agree).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
from django.db import connection

from paritrana.coverage.analytics import TABLES


def registry_backend() -> Any:
    """An Ibis backend on Django's default connection (opened if needed)."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        return ibis.sqlite.from_connection(raw)
    if connection.vendor == "postgresql":
        return ibis.postgres.from_connection(raw)
    raise RuntimeError(f"coverage runs on SQLite or PostgreSQL, not {connection.vendor}")


def _select(backend: Any) -> dict[str, ir.Table]:
    tables = {}
    for key, (name, columns) in TABLES.items():
        table = backend.table(name)
        tables[key] = table.select(*columns)
    return tables


def registry_tables() -> dict[str, ir.Table]:
    """The coverage tables, in place in the registry database."""
    return _select(registry_backend())


def write_snapshot(folder: Path | str) -> dict[str, int]:
    """Write the coverage tables as ``<key>.parquet`` under ``folder``; returns the rows written per table."""
    import pyarrow.parquet as pq

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    counts = {}
    for key, table in registry_tables().items():
        data = table.to_pyarrow()
        pq.write_table(data, target / f"{key}.parquet")
        counts[key] = data.num_rows
    return counts


def snapshot_tables(folder: Path | str, con: Any = None) -> Mapping[str, ir.Table]:
    """The coverage tables of a snapshot written by ``write_snapshot``, on DuckDB (a new in-memory one)."""
    duck = con or ibis.duckdb.connect()
    source = Path(folder)
    return {key: duck.read_parquet(source / f"{key}.parquet", table_name=f"snapshot_{key}") for key in TABLES}
