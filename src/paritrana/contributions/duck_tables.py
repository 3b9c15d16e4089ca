"""Arrow tables registered on the rules engine's DuckDB connection for a billing run (``billing_batch`` computes
the lines in them, ``billing_load`` writes them out), dropped at the end."""

from __future__ import annotations

import uuid
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from paritrana.rules.engine import connection as engine_connection


class DuckTables:
    """Arrow tables registered on the engine's DuckDB connection (and temporary tables), dropped at the end."""

    def __init__(self) -> None:
        self.ibis = engine_connection()
        self.con = self.ibis.con
        self.prefix = f"_billing_{uuid.uuid4().hex[:12]}"
        self.views: list[str] = []
        self.tables: list[str] = []
        self.schemas: dict[str, pa.Schema] = {}

    def register(self, name: str, table: pa.Table) -> str:
        full = f"{self.prefix}_{name}"
        self.con.register(full, table)
        self.views.append(full)
        self.schemas[full] = table.schema
        return full

    def ibis_table(self, name: str) -> ir.Table:
        """An Ibis table over a registered Arrow table (its schema known: no catalogue look-up)."""
        return ibis.table(ibis.Schema.from_pyarrow(self.schemas[name]), name=name)

    def create(self, name: str, sql: str) -> str:
        full = f"{self.prefix}_{name}"
        self.con.execute(f"CREATE TEMP TABLE {full} AS {sql}")
        self.tables.append(full)
        return full

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        result: list[tuple[Any, ...]] = self.con.execute(sql).fetchall()
        return result

    def arrow(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def close(self) -> None:
        for name in self.tables:
            self.con.execute(f"DROP TABLE IF EXISTS {name}")
        for name in self.views:
            self.con.unregister(name)
