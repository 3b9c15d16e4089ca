"""The national snapshot: the registry's tables as Parquet, partitioned by province, with a manifest.

``export_snapshot(folder)`` reads the tables the national batch jobs use (workers, memberships, employers,
sponsors, payers, the wages of a month, bills, their lines, payments, JHT entries, regions, the workforce
figures, and the claims' benefit payments with the scholarship children's school years) from the registry
database (PostgreSQL or SQLite) and writes ``folder/<table>/province=<code>/…``
(``folder/<table>/part-0.parquet`` for the small tables that have no province), then ``manifest.json``: the
rows and SHA-256 of every file, the rows of every table, the month of the wages, the export time.

Streaming, whatever the registry's size: one query per table on a server-side cursor (PostgreSQL; SQLite
reads its file as it goes), ``fetchmany`` batches turned into Arrow at once, split by province, and written by
one ``ParquetWriter`` per province in row groups; at most :data:`PENDING_ROWS` rows wait in memory. The
export runs in one read-only transaction (PostgreSQL: ``REPEATABLE READ``), so the tables agree with each
other and the counts with the files.

Only what the jobs need leaves the database: no names, NIK, addresses or other contact data of anyone.
Decision 0016 says why each choice was made.

A layer above this one may add a table it computes in Python (:class:`ProducedTable`: the projection's JP
pensions in payment, which need the claims' rules; decision 0044): written in the same transaction, not
partitioned, in the manifest like the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.db import connection, transaction

FORMAT = "paritrana-snapshot/1"
FETCH_ROWS = 50_000  # rows per fetchmany
ROW_GROUP = 64_000  # rows a province gathers before they are written as a row group
PENDING_ROWS = 256_000  # rows waiting across all provinces before every province is written out
NO_PROVINCE = "00"  # the partition of a row whose place is not known (a payer without a region)
Progress = Callable[[str, int, int], None]

_INT, _TEXT, _DATE = pa.int64(), pa.string(), pa.date32()


def _province(alias: str) -> str:
    return f"COALESCE(SUBSTR({alias}.code, 1, 2), '{NO_PROVINCE}')"


# the province of each payer: its employer's, its worker's or its sponsor's region
_PAYER_PROVINCE = f"""(SELECT p.id AS payer_id,
        COALESCE(SUBSTR(re.code, 1, 2), SUBSTR(rw.code, 1, 2), SUBSTR(rs.code, 1, 2), '{NO_PROVINCE}') AS province
    FROM contributions_payer p
    LEFT JOIN registry_employer e ON e.id = p.employer_id LEFT JOIN registry_region re ON re.id = e.region_id
    LEFT JOIN registry_worker w ON w.id = p.worker_id LEFT JOIN registry_region rw ON rw.id = w.region_id
    LEFT JOIN registry_sponsor s ON s.id = p.sponsor_id LEFT JOIN registry_region rs ON rs.id = s.region_id)"""
_WORKER_PROVINCE = "LEFT JOIN registry_worker w ON w.id = t.worker_id LEFT JOIN registry_region r ON r.id = w.region_id"


@dataclass(frozen=True)
class SnapshotTable:
    """A table of the snapshot: its columns (read from ``source`` aliased ``t``) and how rows find a province
    (``joins`` adding the alias ``r`` of a region, or ``province_sql`` directly; neither: not partitioned)."""

    name: str
    source: str
    columns: Mapping[str, pa.DataType]
    joins: str = ""
    province_sql: str | None = None
    where: str = ""

    @property
    def partitioned(self) -> bool:
        return bool(self.joins) or self.province_sql is not None

    @property
    def schema(self) -> pa.Schema:
        return pa.schema(list(self.columns.items()))

    def sql(self) -> str:
        columns = ", ".join(f't."{c}"' for c in self.columns)
        province = self.province_sql or (_province("r") if self.joins else None)
        select = f"{columns}, {province} AS province" if province else columns
        where = f" WHERE {self.where}" if self.where else ""
        return f"SELECT {select} FROM {self.source} t {self.joins}{where}"

    def count_sql(self) -> str:
        where = f" WHERE {self.where}" if self.where else ""
        return f"SELECT COUNT(*) FROM {self.source} t{where}"


def _claim_input(vendor: str, *path: str) -> str:
    """A value of a claim's stored inputs as text, by its keys (an index: SQL in parentheses)."""
    if vendor == "postgresql":
        steps = "".join(f" -> {p if p.startswith('(') else repr(p)}" for p in path[:-1])
        return f"(c.inputs{steps} ->> '{path[-1]}')"
    json_path = "'$" + "".join(f"[' || {p} || ']" if p.startswith("(") else f".{p}" for p in path) + "'"
    return f"CAST(json_extract(c.inputs, {json_path}) AS TEXT)"


def _benefit_tables(vendor: str) -> list[SnapshotTable]:
    """The benefit payments (reform scenarios' benefits, decision 0043) and the scholarship children's school
    years. A claim's stored inputs leave as JSON text, except a scholarship's (they hold the children's names): its
    years carry the few inputs the scholarship rule reads instead."""
    payments = """(SELECT p.id, p.claim_id, p.kind, p.key, p.due_on, p.amount, c.claim_type, c.law_date, c.worker_id,
        CASE WHEN p.kind = 'scholarship' THEN NULL ELSE CAST(c.inputs AS TEXT) END AS inputs, i.child_order,
        i.school_year
        FROM claims_benefitpayment p JOIN claims_claim c ON c.id = p.claim_id
        LEFT JOIN claims_instalment i ON i.payment_id = p.id)"""
    child = ("children", "(i.child_order - 1)")
    married, working = (f"CASE WHEN {_claim_input(vendor, *child, k)} IN ('true', '1') THEN 1 ELSE 0 END"
                        for k in ("married", "working"))  # fmt: skip
    years = f"""(SELECT i.id, i.claim_id, c.worker_id, i.child_order, i.level, i.year_in_level, i.school_year,
        {_claim_input(vendor, *child, "birth_date")} AS birth_date, {married} AS married, {working} AS working,
        {_claim_input(vendor, "trigger")} AS "trigger",
        CAST({_claim_input(vendor, "contribution_months")} AS BIGINT) AS contribution_months
        FROM claims_instalment i JOIN claims_claim c ON c.id = i.claim_id WHERE i.school_year IS NOT NULL)"""
    return [
        SnapshotTable(
            "benefit_payment", payments,
            {"id": _INT, "claim_id": _INT, "kind": _TEXT, "key": _TEXT, "due_on": _DATE, "amount": _INT,
             "claim_type": _TEXT, "law_date": _DATE, "worker_id": _INT, "inputs": _TEXT, "child_order": _INT,
             "school_year": _INT},
            joins=_WORKER_PROVINCE,
        ),
        SnapshotTable(
            "school_year", years,
            {"id": _INT, "claim_id": _INT, "worker_id": _INT, "child_order": _INT, "level": _TEXT,
             "year_in_level": _INT, "school_year": _INT, "birth_date": _DATE, "married": _INT, "working": _INT,
             "trigger": _TEXT, "contribution_months": _INT},
            joins=_WORKER_PROVINCE,
        ),
    ]  # fmt: skip


def snapshot_tables_spec(month: dt.date | None) -> list[SnapshotTable]:
    """The tables of a snapshot; the wages are those reported for ``month`` (none when it is None)."""
    payer_joins = f"LEFT JOIN {_PAYER_PROVINCE} pp ON pp.payer_id = t.payer_id"
    bill_joins = f"LEFT JOIN contributions_bill b ON b.id = t.bill_id {payer_joins.replace('t.payer_id', 'b.payer_id')}"
    wages_where = f"t.period = '{month.isoformat()}'" if month is not None else "1 = 0"
    return [
        SnapshotTable("region", "registry_region", {"id": _INT, "code": _TEXT, "name": _TEXT, "level": _TEXT, "parent_id": _INT}),
        SnapshotTable("sponsor", "registry_sponsor", {"id": _INT, "kind": _TEXT, "region_id": _INT, "employer_id": _INT}),
        SnapshotTable("workforce", "coverage_workforcefigure", {"region_id": _INT, "year": _INT, "employed": _INT, "kind": _TEXT}),
        SnapshotTable(
            "employer", "registry_employer",
            {"id": _INT, "region_id": _INT, "risk_group": _INT, "status": _TEXT, "size_class": _TEXT, "sector": _TEXT},
            joins="LEFT JOIN registry_region r ON r.id = t.region_id",
        ),
        SnapshotTable(
            "worker", "registry_worker",
            {"id": _INT, "sex": _TEXT, "birth_date": _DATE, "occupation": _TEXT, "region_id": _INT, "scheme": _TEXT,
             "employer_id": _INT, "sponsor_id": _INT, "wage": _INT},
            joins="LEFT JOIN registry_region r ON r.id = t.region_id",
        ),
        SnapshotTable(
            "membership", "registry_membership",
            {"id": _INT, "worker_id": _INT, "programme": _TEXT, "start": _DATE, "end": _DATE}, joins=_WORKER_PROVINCE,
        ),
        SnapshotTable(
            "payer", "contributions_payer",
            {"id": _INT, "kind": _TEXT, "employer_id": _INT, "worker_id": _INT, "sponsor_id": _INT, "credit": _INT},
            joins=f"LEFT JOIN {_PAYER_PROVINCE} pp ON pp.payer_id = t.id", province_sql=f"COALESCE(pp.province, '{NO_PROVINCE}')",
        ),
        SnapshotTable(
            "wage", "contributions_wagereport",
            {"id": _INT, "worker_id": _INT, "employer_id": _INT, "period": _DATE, "wage": _INT},
            joins=_WORKER_PROVINCE, where=wages_where,
        ),
        SnapshotTable(
            "bill", "contributions_bill",
            {"id": _INT, "payer_id": _INT, "period": _DATE, "kind": _TEXT, "due_date": _DATE, "amount": _INT,
             "paid": _INT, "paid_at": _DATE},
            joins=payer_joins, province_sql=f"COALESCE(pp.province, '{NO_PROVINCE}')",
        ),
        SnapshotTable(
            "line", "contributions_billline",
            {"id": _INT, "bill_id": _INT, "worker_id": _INT, "programme": _TEXT, "kind": _TEXT, "wage": _INT,
             "amount": _INT, "worker_share": _INT, "rule": _TEXT, "law_date": _DATE},
            joins=bill_joins, province_sql=f"COALESCE(pp.province, '{NO_PROVINCE}')",
        ),
        SnapshotTable(
            "payment", "contributions_payment", {"id": _INT, "payer_id": _INT, "amount": _INT, "paid_on": _DATE},
            joins=payer_joins, province_sql=f"COALESCE(pp.province, '{NO_PROVINCE}')",
        ),
        SnapshotTable(
            "jht_entry", "contributions_jhtentry",
            {"id": _INT, "worker_id": _INT, "kind": _TEXT, "value_date": _DATE, "amount": _INT, "bill_line_id": _INT,
             "year": _INT, "rate_ppm": _INT},
            joins=_WORKER_PROVINCE,
        ),
        *_benefit_tables(connection.vendor),
    ]  # fmt: skip


@dataclass(frozen=True)
class ProducedTable:
    """A table of the snapshot computed in Python by a caller above this layer: its schema, how many rows it
    will have (for the progress) and its rows as Arrow tables of that schema. Not partitioned."""

    name: str
    schema: pa.Schema
    count: Callable[[], int]
    batches: Callable[[], Iterable[pa.Table]]


def latest_wage_month() -> dt.date | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(period) FROM contributions_wagereport")
        found = cursor.fetchone()[0]
    if found is None:
        return None
    return found if isinstance(found, dt.date) else dt.date.fromisoformat(str(found)[:10])


def _array(values: list[Any], kind: pa.DataType) -> pa.Array:
    if kind == _DATE and any(isinstance(v, str) for v in values):  # SQLite gives dates as ISO text
        return pa.array(values, type=pa.string()).cast(_DATE)
    return pa.array(values, type=kind)


class _ProvinceWriter:
    """A ``ParquetWriter`` per province, fed in row groups; rows wait until a province has a row group's worth
    or until :data:`PENDING_ROWS` wait in all."""

    def __init__(self, folder: Path, schema: pa.Schema) -> None:
        self.folder, self.schema = folder, schema
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.pending: dict[str, list[pa.Table]] = {}
        self.rows: dict[str, int] = {}
        self.waiting = 0

    def path(self, province: str | None) -> Path:
        return self.folder / (f"province={province}" if province is not None else "") / "part-0.parquet"

    def add(self, province: str | None, table: pa.Table) -> None:
        key = province if province is not None else ""
        self.pending.setdefault(key, []).append(table)
        self.rows[key] = self.rows.get(key, 0) + table.num_rows
        self.waiting += table.num_rows
        if sum(t.num_rows for t in self.pending[key]) >= ROW_GROUP:
            self._flush(key)
        if self.waiting >= PENDING_ROWS:
            for waiting in list(self.pending):
                self._flush(waiting)

    def _flush(self, key: str) -> None:
        tables = self.pending.pop(key, [])
        if not tables:
            return
        writer = self.writers.get(key)
        if writer is None:
            target = self.path(key or None)
            target.parent.mkdir(parents=True, exist_ok=True)
            writer = self.writers[key] = pq.ParquetWriter(target, self.schema)
        combined = pa.concat_tables(tables)
        writer.write_table(combined, row_group_size=ROW_GROUP)
        self.waiting -= combined.num_rows

    def close(self) -> dict[str, int]:
        for key in list(self.pending):
            self._flush(key)
        for writer in self.writers.values():
            writer.close()
        return dict(self.rows)


def _batches(sql: str, spec: SnapshotTable) -> Iterator[tuple[pa.Table, pa.Array | None]]:
    """The rows of ``spec`` as Arrow tables of at most :data:`FETCH_ROWS` rows, with their provinces."""
    names = list(spec.columns)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH_ROWS):
            arrays = [_array(list(map(itemgetter(i), rows)), spec.columns[n]) for i, n in enumerate(names)]
            province = pa.array(list(map(itemgetter(len(names)), rows)), pa.string()) if spec.partitioned else None
            yield pa.Table.from_arrays(arrays, schema=spec.schema), province


def _export_table(spec: SnapshotTable, folder: Path, report: Progress) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(spec.count_sql())
        total = int(cursor.fetchone()[0])
    return _write(spec.name, spec.schema, _batches(spec.sql(), spec), total, spec.partitioned, folder, report)


def _export_produced(produced: ProducedTable, folder: Path, report: Progress) -> dict[str, Any]:
    batches = ((table, None) for table in produced.batches())
    return _write(produced.name, produced.schema, batches, produced.count(), False, folder, report)


def _write(
    name: str,
    schema: pa.Schema,
    batches: Iterable[tuple[pa.Table, pa.Array | None]],
    total: int,
    partitioned: bool,
    folder: Path,
    report: Progress,
) -> dict[str, Any]:
    """Write a table's batches (each with its rows' provinces, or None) and return its manifest entry."""
    report(name, 0, total)
    writer = _ProvinceWriter(folder / name, schema)
    done = 0
    try:
        for table, provinces in batches:
            if provinces is None:
                writer.add(None, table)
            else:
                for province in pc.unique(provinces).to_pylist():
                    writer.add(province, table.filter(pc.equal(provinces, province)))
            done += table.num_rows
            report(name, done, total)
    finally:
        counts = writer.close()
    if not counts:  # an empty table still has its file, so that readers find its columns
        target = writer.path(None)
        target.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), target)
        counts = {"": 0}
    files = []
    for key in sorted(counts):
        path = writer.path(key or None)
        files.append({"path": str(path.relative_to(folder)), "rows": counts[key], "sha256": _sha256(path)})
    return {
        "rows": done,
        "partitioned_by": "province" if partitioned else None,
        "columns": {field.name: str(field.type) for field in schema},
        "files": files,
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _noop(table: str, done: int, total: int) -> None:
    return None


def export_snapshot(
    folder: Path | str,
    *,
    month: dt.date | None = None,
    progress: Progress | None = None,
    produced: Sequence[ProducedTable] = (),
) -> dict[str, Any]:
    """Write the snapshot under ``folder`` (which must be empty or new); returns the manifest it wrote.

    ``month``: the month whose wage reports are exported (its first day; by default the latest reported).
    ``progress(table, rows done, rows in all)`` follows each table. ``produced``: tables a caller above this
    layer computes, written after the registry's in the same transaction.
    """
    target = Path(folder)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty: a snapshot is written to a new folder")
    target.mkdir(parents=True, exist_ok=True)
    started, began = time.perf_counter(), dt.datetime.now(dt.UTC)
    report = progress or _noop
    tables: dict[str, Any] = {}
    outermost = not connection.in_atomic_block  # (inside a caller's transaction, its snapshot is the one read)
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        chosen = month or latest_wage_month()
        for spec in snapshot_tables_spec(chosen):
            tables[spec.name] = _export_table(spec, target, report)
        for extra in produced:
            tables[extra.name] = _export_produced(extra, target, report)
    manifest = {
        "format": FORMAT,
        "exported_at": began.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 3),
        "database": connection.vendor,
        "wage_month": chosen.isoformat() if chosen else None,
        "tables": tables,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(folder: Path | str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((Path(folder) / "manifest.json").read_text())
    return manifest
