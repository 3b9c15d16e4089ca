"""Where a scenario run reads its month: the registry database, or a national snapshot (``paritrana snapshot
export``: Parquet partitioned by province, with its manifest).

Both give the same three tables (the billing extract's ``PU_SCHEMA`` and ``BPU_SCHEMA``, and
:data:`compute.PEOPLE_SCHEMA`) from the SAME queries (``billing_extract.pu_extract_sql``, ``bpu_extract_sql``,
``extract.people_sql``): on the registry the database runs them; over a snapshot DuckDB runs them on views of
the snapshot's files named as the registry's tables, in a schema of their own. Nothing is copied into Python:
on DuckDB the computation reads the views (the files stream through DuckDB under its memory limit); on Spark
DuckDB writes the three tables to Parquet files (streaming) which Spark reads.

A snapshot holds the wage reports of one month (its manifest's ``wage_month``): a run over a snapshot is for
that month, or for the year holding it (or any period when the snapshot has no wage reports: every wage is then
the registered one). Over a year, each month reads the snapshot as the registry's extract reads a month: a
worker's latest report up to the month (so the months before the snapshot's have the registered wages).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import ibis.expr.types as ir
import pyarrow as pa
from django.utils.translation import gettext as _

from paritrana.contributions.billing_extract import BPU_SCHEMA, PU_SCHEMA, bpu_extract_sql, pu_extract_sql
from paritrana.contributions.models import Payer, WageReport
from paritrana.contributions.periods import month_end
from paritrana.core.errors import ValidationFailed
from paritrana.registry.models import Employer, Membership, Region, Sponsor, Worker
from paritrana.rules import engines
from paritrana.scenarios import benefits, extract, periods, snapshot_payments
from paritrana.scenarios.compute import PEOPLE_SCHEMA

REGISTRY = "registry"
SNAPSHOT_FORMAT = "paritrana-snapshot/1"
# the snapshot's table holding each registry table the extract queries read
SNAPSHOT_TABLES = {
    Worker: "worker",
    Employer: "employer",
    Membership: "membership",
    Sponsor: "sponsor",
    Region: "region",
    Payer: "payer",
    WageReport: "wage",
}
OnRows = Callable[[int], None]


@dataclass(frozen=True)
class InputTables:
    """The month's tables as tables of the engine that computes the scenario."""

    pu: ir.Table
    bpu: ir.Table
    people: ir.Table


class Source(Protocol):
    label: str  # what a run records it ran over

    def check(self, period: dt.date, span: str) -> None:
        """Refuse a period the source cannot give (``ValidationFailed`` naming ``month`` or ``year``)."""

    def inputs(self, period: dt.date, engine: str, on_rows: OnRows | None, name: str | None = None) -> Any:
        """A context manager giving the month's :class:`InputTables` on ``engine``, under table names made of
        ``name`` (the same for every month of a run: ``compute.Months`` runs one query over each month's)."""

    def payments(self, period: dt.date, last: dt.date | None = None) -> Iterator[benefits.Chunk] | None:
        """The benefit payments due from ``period`` to ``last`` (the month's end by default), in chunks (None:
        the source holds none)."""


@contextmanager
def arrow_inputs(tables: extract.MonthTables, engine: str, name: str | None = None) -> Iterator[InputTables]:
    """Arrow tables handed to ``engine`` (a view on DuckDB, a DataFrame on Spark), named after ``name``."""
    con = engines.backend(engine)
    prefix = name or f"_scenario_in_{uuid.uuid4().hex[:8]}"
    try:
        yield InputTables(
            pu=engines.arrow_table(con, tables.pu, f"{prefix}_pu"),
            bpu=engines.arrow_table(con, tables.bpu, f"{prefix}_bpu"),
            people=engines.arrow_table(con, tables.people, f"{prefix}_people"),
        )
    finally:  # the engine lets the tables go (a year reads twelve months, one at a time)
        for name in ("pu", "bpu", "people"):
            engines.drop_arrow_table(con, f"{prefix}_{name}")


class RegistrySource:
    """The registry database: the extract's queries read through Django's connection in batches."""

    label = REGISTRY

    def check(self, period: dt.date, span: str) -> None:
        """The registry has every period."""

    @contextmanager
    def inputs(
        self, period: dt.date, engine: str, on_rows: OnRows | None, name: str | None = None
    ) -> Iterator[InputTables]:
        with arrow_inputs(extract.month_tables(period, on_rows), engine, name) as tables:
            yield tables

    def payments(self, period: dt.date, last: dt.date | None = None) -> Iterator[benefits.Chunk]:
        return benefits.registry_payments(period, last)


class SnapshotSource:
    """A national snapshot's folder, checked against its manifest when opened."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        manifest_file = self.folder / "manifest.json"
        if not manifest_file.is_file():
            raise ValidationFailed("snapshot", _("%(folder)s has no manifest.json") % {"folder": self.folder})
        raw = manifest_file.read_bytes()
        try:
            self.manifest: dict[str, Any] = json.loads(raw)
        except ValueError:
            raise ValidationFailed("snapshot", _("its manifest.json is not JSON")) from None
        if self.manifest.get("format") != SNAPSHOT_FORMAT:
            raise ValidationFailed("snapshot", _("not a snapshot of this format (%(f)s)") % {"f": SNAPSHOT_FORMAT})
        tables = self.manifest.get("tables", {})
        for name in SNAPSHOT_TABLES.values():
            files = tables.get(name, {}).get("files", [])
            if not files or any(not (self.folder / f["path"]).is_file() for f in files):
                raise ValidationFailed("snapshot", _("the table %(t)s is missing") % {"t": name})
        # the snapshot's identity: its export time and the SHA-256 of its manifest (which holds every file's)
        self.label = f"snapshot {self.manifest.get('exported_at', '?')} sha256:{hashlib.sha256(raw).hexdigest()[:16]}"

    @property
    def wage_month(self) -> dt.date | None:
        month = self.manifest.get("wage_month")
        return dt.date.fromisoformat(month) if month else None

    def check(self, period: dt.date, span: str) -> None:
        held = self.wage_month
        if held is None:
            return
        if span == periods.YEAR and held.year != period.year:
            raise ValidationFailed(
                "year",
                _("the snapshot holds the wages of %(held)s; run its year, or export a snapshot of this one")
                % {"held": held.strftime("%Y-%m")},
            )
        if span == periods.MONTH and held != period:
            raise ValidationFailed(
                "month",
                _("the snapshot holds the wages of %(held)s; run that month, or export a snapshot of this one")
                % {"held": held.strftime("%Y-%m")},
            )

    def files(self, table: str) -> list[str]:
        return [str(self.folder / f["path"]) for f in self.manifest["tables"][table]["files"]]

    def payments(self, period: dt.date, last: dt.date | None = None) -> Iterator[benefits.Chunk] | None:
        """The snapshot's benefit payments of the period (None for a snapshot exported without them)."""
        held = self.manifest.get("tables", {})
        if not all(held.get(t, {}).get("files") for t in snapshot_payments.TABLES):
            return None
        return snapshot_payments.payments({t: self.files(t) for t in snapshot_payments.TABLES}, period, last)

    @contextmanager
    def inputs(
        self, period: dt.date, engine: str, on_rows: OnRows | None, name: str | None = None
    ) -> Iterator[InputTables]:
        duck = engines.backend("duckdb")
        schema = name or f"_snapshot_{uuid.uuid4().hex[:12]}"
        duck.raw_sql(f'CREATE SCHEMA "{schema}"')
        try:
            names = self._views(duck, schema, period)
            if engine == "duckdb":
                yield InputTables(**{name: duck.table(name, database=schema) for name in names})
                return
            with tempfile.TemporaryDirectory(prefix="paritrana-scenario-") as folder:
                con = engines.backend(engine)
                handed = {}
                for name in names:  # DuckDB writes each table (streaming), the engine reads the file
                    path = Path(folder, f"{name}.parquet")
                    duck.raw_sql(f'COPY "{schema}"."{name}" TO {_literal(str(path))} (FORMAT parquet)')
                    handed[name] = engines.read_parquet(con, path, table_name=f"{schema}_{name}")
                yield InputTables(**handed)
        finally:
            duck.raw_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def _views(self, duck: Any, schema: str, period: dt.date) -> list[str]:
        """In ``schema``: a view per registry table over the snapshot's files, and the views ``pu``, ``bpu`` and
        ``people`` running the extract's queries on them."""
        for model, table in SNAPSHOT_TABLES.items():
            paths = ", ".join(_literal(p) for p in self.files(table))
            duck.raw_sql(f'CREATE VIEW "{schema}"."{model._meta.db_table}" AS SELECT * FROM read_parquet([{paths}])')
        first, last = period.replace(day=1), month_end(period)
        queries = {
            "pu": (pu_extract_sql(None), [first, last, first], PU_SCHEMA),
            "bpu": (bpu_extract_sql(), [last, first], BPU_SCHEMA),
            "people": (extract.people_sql(), [], PEOPLE_SCHEMA),
        }
        for name, (sql, params, arrow_schema) in queries.items():
            body = _on_snapshot(sql, params, schema)
            duck.raw_sql(f'CREATE VIEW "{schema}"."{name}" AS {_typed(body, arrow_schema)}')
        return list(queries)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _on_snapshot(sql: str, params: list[dt.date], schema: str) -> str:
    """A registry query (Django's quoted table names, ``%s`` placeholders) as DuckDB runs it on the snapshot's
    views: each table name qualified by the views' schema, each date written in."""
    for model in SNAPSHOT_TABLES:
        quoted = f'"{model._meta.db_table}"'
        sql = sql.replace(quoted, f'"{schema}".{quoted}')
    parts = sql.split("%s")
    if len(parts) != len(params) + 1:
        raise RuntimeError("the query's placeholders and its parameters disagree")
    out = parts[0]
    for value, rest in zip(params, parts[1:], strict=True):
        out += f"DATE '{value.isoformat()}'" + rest
    return out


def _typed(sql: str, schema: pa.Schema) -> str:
    """The query's columns named and typed as ``schema`` declares (the extract's queries select them in order)."""
    names = [f"_c{i}" for i in range(len(schema))]
    types = {pa.int64(): "BIGINT", pa.string(): "VARCHAR"}
    columns = ", ".join(f"CAST({n} AS {types[f.type]}) AS {f.name}" for n, f in zip(names, schema, strict=True))
    return f"SELECT {columns} FROM ({sql}) AS _q({', '.join(names)})"


def source_of(snapshot: Path | str | None) -> Source:
    return RegistrySource() if snapshot is None else SnapshotSource(snapshot)
