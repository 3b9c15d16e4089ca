"""The frozen snapshot a ranking is computed from: the award's tables of the registry as Parquet files, with
the SHA-256 of their contents, and the billed months of the year they hold.

Written through the registry's own connection (``coverage.sources.registry_backend``: the application's view of
the data, inside its transaction) and read with DuckDB. A ranking keeps the snapshot's folder and hash; reading
it again checks the hash first, so a changed file is refused rather than silently ranked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.award.indicators import TABLES
from paritrana.coverage.sources import registry_backend
from paritrana.rules.duck import connection


class SnapshotChanged(Exception):
    """The snapshot's files no longer have the hash recorded when it was written."""


class SnapshotRemoved(Exception):
    """The snapshot of a superseded ranking was removed by the retention rule (``services.retention``)."""


def digest(folder: Path) -> str:
    """SHA-256 over the snapshot's files, in the order of :data:`TABLES` (name, then content)."""
    h = hashlib.sha256()
    for key in TABLES:
        h.update(key.encode())
        with (folder / f"{key}.parquet").open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def write(folder: Path) -> str:
    """Write the award tables under ``folder``; returns the snapshot's hash."""
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    backend = registry_backend()
    for key, (name, schema) in TABLES.items():
        columns = ", ".join(f'"{c}"' for c in schema)
        data = backend.to_pyarrow(backend.sql(f'SELECT {columns} FROM "{name}"', schema=ibis.schema(dict(schema))))
        pq.write_table(data, folder / f"{key}.parquet")
    return digest(folder)


def open_tables(folder: Path, expected: str | None = None, con: Any = None) -> Mapping[str, ir.Table]:
    """The snapshot's tables on DuckDB; with ``expected``, refused (SnapshotChanged) unless the hash matches.
    Without ``con``, on this thread's connection of the rules engine: its memory limit, spill folder and threads
    are the installation's (``PARITRANA_DUCKDB_*``, decision 0014), not DuckDB's default of 80 % of the memory."""
    if expected is not None and digest(folder) != expected:
        raise SnapshotChanged(str(folder))
    duck = con or connection()
    return {key: duck.read_parquet(folder / f"{key}.parquet", table_name=f"award_{key}") for key in TABLES}


def billed_months(t: Mapping[str, ir.Table], year: int) -> list[dt.date]:
    """The months of ``year`` with a contribution bill in the snapshot, in order."""
    bill = t["bill"]
    months = bill.filter((bill.kind == "contribution") & (bill.period.year() == year)).period.name("p")
    rows = months.as_table().distinct().order_by("p").to_pyarrow().column("p").to_pylist()
    return list(rows)
