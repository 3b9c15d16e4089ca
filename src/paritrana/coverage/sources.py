"""Where the coverage expression reads its tables: the registry database in place, or a Parquet snapshot.

- ``registry_tables()``: Ibis on Django's own connection (``ibis.sqlite`` or ``ibis.postgres``
  ``from_connection``), so the expression sees exactly what the application sees, inside its transaction;
  nothing is copied out of the database.
- ``write_snapshot(folder)``: the national snapshot (``coverage.snapshot``: Parquet partitioned by province,
  with a manifest); ``snapshot_tables(folder, con)`` opens the tables coverage reads on DuckDB or Spark
  (``rules.engines``).

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
from ibis.common.exceptions import IbisError

from paritrana.coverage.analytics import TABLES


def registry_backend() -> Any:
    """An Ibis backend on Django's default connection (opened if needed)."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        backend = ibis.sqlite.from_connection(raw)
        # Ibis turns LIKE case-sensitive on the connection it is given; on Django's connection that would make
        # every later ``icontains`` search of the application case-sensitive. Coverage compares codes (digits)
        # only, so SQLite's default is put back.
        raw.execute("PRAGMA case_sensitive_like = OFF")
        return backend
    if connection.vendor == "postgresql":
        return ibis.postgres.from_connection(raw)
    raise RuntimeError(f"coverage runs on SQLite or PostgreSQL, not {connection.vendor}")


def registry_tables() -> dict[str, ir.Table]:
    """The coverage tables of the registry database, by name and declared schema: nothing is read until an
    expression over them is run with :func:`to_arrow` (asking the database for the schemas would make Ibis's
    SQLite backend commit, which must never happen inside Django's transaction)."""
    return {key: ibis.table(dict(schema), name=name) for key, (name, schema) in TABLES.items()}


def to_arrow(expr: ir.Expr) -> Any:
    """Run ``expr`` on its backend: DuckDB for a snapshot's tables, else the registry database in place."""
    try:
        backend = expr._find_backend()
    except IbisError:  # unbound: the registry tables
        backend = registry_backend()
    return backend.to_pyarrow(expr)


def write_snapshot(folder: Path | str) -> dict[str, int]:
    """Write the national snapshot under ``folder``; returns the rows written per coverage table."""
    from paritrana.coverage.snapshot import export_snapshot

    manifest = export_snapshot(folder)
    return {key: int(manifest["tables"][key]["rows"]) for key in TABLES}


def snapshot_tables(folder: Path | str, con: Any = None) -> Mapping[str, ir.Table]:
    """The coverage tables of a snapshot, on ``con`` (an engine's backend; by default this thread's DuckDB of the
    rules engine, with its memory limit, spill folder and threads: ``PARITRANA_DUCKDB_*``, decision 0014).

    A table is the folder ``<key>`` of a national snapshot (its province partitions read as one table), or a
    single file ``<key>.parquet`` (the benchmark's generated tables); only the columns coverage reads are kept.
    """
    from paritrana.rules import engines

    backend = con if con is not None else engines.backend("duckdb")
    source = Path(folder)
    out = {}
    for key, (_, schema) in TABLES.items():
        path = source / key if (source / key).is_dir() else source / f"{key}.parquet"
        table = engines.read_parquet(backend, path, table_name=f"snapshot_{key}")
        out[key] = table.select(*[table[c].cast(t).name(c) for c, t in schema.items()])
    return out
