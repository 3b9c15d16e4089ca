"""The set-based parts of a monthly billing run: extract, compute, load.

``services/billing.py`` holds the use case (who may bill, the transaction, the run record)
and calls :func:`bill_month`, which works on whole sets, never one worker at a time:

1. **extract**: one SQL query per scheme (wage earners PU, non-wage earners BPU), read
   through Django's connection in ``fetchmany`` batches into pyarrow tables, and one
   query for what the month already carries per worker and programme;
2. **compute**: the rules engine (``prepare`` on the pyarrow tables, DuckDB underneath)
   computes ``pu_contributions`` and ``bpu_contributions`` for every worker at once;
   one DuckDB query turns the outputs into a line per worker and programme, compares it
   with what is already billed and keeps only the differences;
3. **load**: the missing payers and bills are inserted (``INSERT … ON CONFLICT DO
   NOTHING`` in batches, then read back), the lines are streamed from DuckDB in Arrow
   batches (PostgreSQL: ``COPY … FROM STDIN``; SQLite: ``executemany``), and the bills'
   amounts are set by one ``UPDATE``.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection
from django.db.backends.utils import CursorWrapper

from paritrana.contributions.billing_extract import (
    BILLED_SCHEMA,
    BPU_SCHEMA,
    PU_SCHEMA,
    TRANSPORT_OCCUPATIONS,
    _date,
    _placeholders,
    _table,
    billed_extract_sql,
    bpu_extract_sql,
    count_workers,
    fetch_arrow,
    paid_from,
    pu_extract_sql,
)
from paritrana.contributions.billing_lines import lines_to_add
from paritrana.contributions.models import Bill, BillLine, Payer
from paritrana.contributions.periods import month_end
from paritrana.core.bulk import advisory_lock, chunks
from paritrana.rules import engines
from paritrana.rules.engine import connection as engine_connection
from paritrana.rules.engines import DEFAULT_ENGINE

Progress = Callable[[str, int, int], None]

__all__ = ["BILLED_SCHEMA", "BPU_SCHEMA", "PU_SCHEMA", "TRANSPORT_OCCUPATIONS", "bill_month", "lock_month", "paid_from"]

LOAD_ROWS = 100_000  # lines per batch written to the database
STAGES = ("extract", "compute", "load")
ANALYZE_AFTER = 20_000  # lines written at once, from which PostgreSQL's statistics are refreshed


@dataclass
class BatchResult:
    workers: int = 0
    lines: int = 0
    adjustments: int = 0
    bills: int = 0
    amount: int = 0


def _noop(stage: str, done: int, total: int) -> None:
    return None


# --- compute -----------------------------------------------------------------------


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


def compute_lines(
    duck: DuckTables,
    period: dt.date,
    pu: pa.Table,
    bpu: pa.Table | None,
    billed: pa.Table,
    engine: str = DEFAULT_ENGINE,
) -> tuple[str, int]:
    """A DuckDB table of the lines to add (differences against what is billed), and the workers billed.

    The lines are ``billing_lines.lines_to_add`` (one Ibis expression) computed on ``engine``: on DuckDB in
    place over the extract's Arrow tables, on Spark over copies of them handed to the SparkSession, the
    result brought back for the load. The note of an adjustment (the wage before → after, with Indonesian
    thousands dots) is written here, on DuckDB, whichever engine computed the amounts.
    """
    pu_name = duck.register("pu", pu)
    bpu_name = duck.register("bpu", bpu) if bpu is not None else None
    billed_name = duck.register("billed", billed)
    if engine == "spark":
        spark = engines.backend("spark")
        inputs = {"pu": pu, "bpu": bpu, "billed": billed}
        t = {k: engines.arrow_table(spark, v, f"{duck.prefix}_{k}") for k, v in inputs.items() if v is not None}
        computed = engines.to_arrow(lines_to_add(t["pu"], t.get("bpu"), t["billed"], period))
        source = duck.register("computed", computed)
    else:
        expr = lines_to_add(
            duck.ibis_table(pu_name),
            duck.ibis_table(bpu_name) if bpu_name is not None else None,
            duck.ibis_table(billed_name),
            period,
        )
        source = f"({duck.ibis.compile(expr)})"

    def thousands(x: str) -> str:
        return f"format('{{:t.}}', {x})"

    lines = duck.create(
        "lines",
        f"""
        SELECT c.worker_id, c.payer_kind, c.party_id, c.payer_id, c.programme, c.rule, c.wage, c.amount,
            c.worker_share, c.kind,
            CASE WHEN c.kind = '{BillLine.Kind.CONTRIBUTION.value}' THEN ''
                 WHEN c.billed_wage <> c.wage
                 THEN c.basis || ' ' || {thousands("c.billed_wage")} || ' → ' || {thousands("c.wage")}
                 ELSE 'recomputed; ' || c.basis || ' ' || {thousands("c.wage")} || ' unchanged' END AS note
        FROM {source} c
        """,
    )
    workers_sql = [f"SELECT count(*) FROM {pu_name} WHERE m_jkk + m_jkm + m_jht + m_jp > 0"]
    if bpu_name is not None:
        workers_sql.append(f"SELECT count(*) FROM {bpu_name} WHERE m_jkk + m_jkm + m_jht > 0")
    workers = sum(int(duck.rows(sql)[0][0]) for sql in workers_sql)
    return lines, workers


# --- load --------------------------------------------------------------------------

_PARTY_COLUMN = {
    Payer.Kind.EMPLOYER.value: "employer_id",
    Payer.Kind.WORKER.value: "worker_id",
    Payer.Kind.SPONSOR.value: "sponsor_id",
}


def _select_in(cursor: CursorWrapper, sql: str, ids: Sequence[int], before: Sequence[Any] = ()) -> list[Any]:
    """Rows of ``sql`` (which ends with ``IN ({in})``) for every chunk of ``ids``."""
    out: list[Any] = []
    for chunk in chunks(ids):
        cursor.execute(sql.format(ids=_placeholders(len(chunk))), [*before, *chunk])
        out.extend(cursor.fetchall())
    return out


def ensure_payers(cursor: CursorWrapper, duck: DuckTables, lines: str) -> None:
    """Create the payers the lines need and do not have yet, and put their ids on the lines."""
    missing = duck.rows(f"SELECT DISTINCT payer_kind, party_id FROM {lines} WHERE payer_id IS NULL ORDER BY 1, 2")
    if not missing:
        return
    by_kind: dict[str, list[int]] = {}
    for kind, party in missing:
        by_kind.setdefault(kind, []).append(int(party))
    found: list[tuple[str, int, int]] = []
    for kind, parties in by_kind.items():
        column = _PARTY_COLUMN[kind]
        for chunk in chunks(parties, LOAD_ROWS):
            cursor.executemany(
                f"INSERT INTO {_table(Payer)} (kind, {column}, credit) VALUES (%s, %s, 0) ON CONFLICT DO NOTHING",
                [(kind, party) for party in chunk],
            )
        rows = _select_in(cursor, f"SELECT id, {column} FROM {_table(Payer)} WHERE {column} IN ({{ids}})", parties)
        found.extend((kind, int(party), int(pk)) for pk, party in rows)
    ids = pa.table(
        {
            "payer_kind": pa.array([f[0] for f in found], pa.string()),
            "party_id": pa.array([f[1] for f in found], pa.int64()),
            "payer_id": pa.array([f[2] for f in found], pa.int64()),
        }
    )
    name = duck.register("new_payers", ids)
    duck.con.execute(
        f"UPDATE {lines} SET payer_id = n.payer_id FROM {name} n "
        f"WHERE {lines}.payer_id IS NULL AND {lines}.payer_kind = n.payer_kind AND {lines}.party_id = n.party_id"
    )


def ensure_bills(
    cursor: CursorWrapper,
    duck: DuckTables,
    lines: str,
    period: dt.date,
    due: dict[str, dt.date],
    now: Any,
    limited: bool,
) -> str:
    """The month's contribution bill of every payer of the lines (created when missing): a DuckDB
    table ``payer_id → bill_id``. ``due`` maps a payer kind to the bill's due date."""
    payers = [(int(p), str(k)) for p, k in duck.rows(f"SELECT DISTINCT payer_id, payer_kind FROM {lines} ORDER BY 1")]
    bill = _table(Bill)
    kind = Bill.Kind.CONTRIBUTION.value
    month = _date(period)

    def existing(ids: Sequence[int]) -> dict[int, int]:
        if limited:
            sql = f"SELECT payer_id, id FROM {bill} WHERE period = %s AND kind = %s AND payer_id IN ({{ids}})"
            return {int(p): int(b) for p, b in _select_in(cursor, sql, ids, before=[month, kind])}
        cursor.execute(f"SELECT payer_id, id FROM {bill} WHERE period = %s AND kind = %s", [month, kind])
        return {int(p): int(b) for p, b in cursor.fetchall()}

    bills = existing([p for p, _ in payers])
    missing = [(p, k) for p, k in payers if p not in bills]
    if missing:
        created = connection.ops.adapt_datetimefield_value(now)
        for chunk in chunks(missing, LOAD_ROWS):
            cursor.executemany(
                f"INSERT INTO {bill} (payer_id, period, kind, due_date, amount, paid, created_at) "
                "VALUES (%s, %s, %s, %s, 0, 0, %s) ON CONFLICT DO NOTHING",
                [(p, month, kind, _date(due[k]), created) for p, k in chunk],
            )
        limited = True
        bills.update(existing([p for p, _ in missing]))
    table = pa.table(
        {"payer_id": pa.array(list(bills), pa.int64()), "bill_id": pa.array(list(bills.values()), pa.int64())}
    )
    return duck.register("bills", table)


# the columns of a line that vary from line to line; law_date, billing_run_id and created_at are the run's
LINE_COLUMNS = ("bill_id", "worker_id", "programme", "kind", "wage", "amount", "worker_share", "rule", "note")


def load_lines(
    cursor: CursorWrapper,
    duck: DuckTables,
    lines: str,
    bills: str,
    constants: dict[str, Any],
    on_rows: Callable[[int], None],
) -> None:
    """Stream the lines out of DuckDB in Arrow batches into the database: ``COPY … FROM STDIN``
    (CSV) on PostgreSQL, ``executemany`` elsewhere. ``constants`` are the columns whose value is
    the same on every line (the run, the law date, the creation time), as SQL-safe text or ints.
    """
    varying = ", ".join(f"l.{c}" if c != "bill_id" else "m.bill_id" for c in LINE_COLUMNS)
    source = f"FROM {lines} l JOIN {bills} m ON m.payer_id = l.payer_id ORDER BY l.worker_id, l.programme"
    table = _table(BillLine)
    columns = ", ".join((*LINE_COLUMNS, *constants))
    if connection.vendor == "postgresql":
        fixed = ", ".join(f"{_literal(v)} AS {k}" for k, v in constants.items())
        options = pacsv.WriteOptions(include_header=False)
        reader = duck.con.sql(f"SELECT {varying}, {fixed} {source}").to_arrow_reader(LOAD_ROWS)
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            for batch in reader:
                buffer = io.BytesIO()
                pacsv.write_csv(batch, buffer, options)
                copy.write(buffer.getvalue())
                on_rows(batch.num_rows)
        return
    values = ", ".join((*(["%s"] * len(LINE_COLUMNS)), *(_literal(v) for v in constants.values())))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"
    reader = duck.con.sql(f"SELECT {varying} {source}").to_arrow_reader(LOAD_ROWS)
    for batch in reader:
        rows = list(zip(*(batch.column(i).to_pylist() for i in range(batch.num_columns)), strict=True))
        cursor.executemany(sql, rows)
        on_rows(batch.num_rows)


def _literal(value: Any) -> str:
    """A constant of our own (an int, or text without quotes such as a date) as an SQL literal."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if "'" in text:
        raise ValueError(f"not a safe literal: {text!r}")
    return f"'{text}'"


BILLING_LOCK = 0x6B1C  # the advisory-lock class of billing runs


def lock_month(period: dt.date) -> None:
    """Serialise the billing runs of one month: the core's advisory lock, held until the outer transaction ends."""
    with advisory_lock(BILLING_LOCK, period.year * 100 + period.month):
        pass


def update_bill_amounts(cursor: CursorWrapper, run_id: int, today: dt.date) -> None:
    """One UPDATE: the amount of each bill the run added lines to becomes the sum of its lines,
    where that sum is not below what was already paid (the others are left to ``settle_run``).

    On PostgreSQL the payers of those bills are locked first, in id order, the order a
    payment takes (payer, then its bills), so a payment posted meanwhile cannot deadlock.
    """
    bill, line, payer = _table(Bill), _table(BillLine), _table(Payer)
    touched = f"SELECT bill_id FROM {line} WHERE billing_run_id = %s"
    if connection.vendor == "postgresql":
        cursor.execute(
            f"SELECT id FROM {payer} WHERE id IN (SELECT payer_id FROM {bill} WHERE id IN ({touched})) "
            "ORDER BY id FOR UPDATE",
            [run_id],
        )
    cursor.execute(
        f"""
        UPDATE {bill} SET amount = s.total,
            paid_at = CASE WHEN s.total > {bill}.paid THEN NULL
                           WHEN {bill}.paid_at IS NULL AND {bill}.paid > 0 THEN %s
                           ELSE {bill}.paid_at END
        FROM (SELECT l.bill_id, CAST(SUM(l.amount) AS BIGINT) AS total FROM {line} l
              WHERE l.bill_id IN ({touched}) GROUP BY l.bill_id) s
        WHERE {bill}.id = s.bill_id AND s.total >= {bill}.paid""",
        [_date(today), run_id],
    )


def bill_month(
    run_id: int,
    period: dt.date,
    due: dict[str, dt.date],
    *,
    employer_ids: Sequence[int] | None,
    now: dt.datetime,
    today: dt.date,
    progress: Progress | None = None,
    engine: str = DEFAULT_ENGINE,
) -> BatchResult:
    """Bill ``period`` for everyone (or the PU workers of ``employer_ids``) under the run ``run_id``.

    ``engine``: where the compute stage runs (``duckdb``, or ``spark``: ``rules.engines``).

    ``due`` gives the due date by payer kind of the rule ``late_payment_penalty``:
    ``employer``, and ``bpu`` (self-paid and sponsored BPU). Runs inside the caller's
    transaction.
    """
    report = progress or _noop
    result = BatchResult()
    first, last = _date(period), _date(month_end(period))
    ids = list(employer_ids) if employer_ids is not None else None

    total = count_workers(ids)
    done = 0
    report("extract", 0, total)

    def fetched(n: int) -> None:
        nonlocal done
        done += n
        report("extract", min(done, total), total)

    if ids == []:  # limited to no employer: nothing to bill, but the law of the month is still checked
        pu, billed = PU_SCHEMA.empty_table(), BILLED_SCHEMA.empty_table()
    else:
        limit, only = (len(ids), ids) if ids else (None, [])
        pu = fetch_arrow(pu_extract_sql(limit), [first, last, first, *only, *only], PU_SCHEMA, fetched)
        billed = fetch_arrow(billed_extract_sql(limit), [first, *only], BILLED_SCHEMA)
    bpu = None if ids is not None else fetch_arrow(bpu_extract_sql(), [last, first], BPU_SCHEMA, fetched)
    report("extract", total, total)

    duck = DuckTables()
    try:
        computed = len(pu) + (len(bpu) if bpu is not None else 0)
        report("compute", 0, computed)
        lines, result.workers = compute_lines(duck, period, pu, bpu, billed, engine)
        count, adjustments, amount, bills = duck.rows(
            f"SELECT count(*), count(*) FILTER (WHERE kind = '{BillLine.Kind.ADJUSTMENT.value}'), "
            f"coalesce(sum(amount), 0), count(DISTINCT (payer_kind, party_id)) FROM {lines}"
        )[0]
        result.lines, result.adjustments, result.amount, result.bills = (
            int(count),
            int(adjustments),
            int(amount),
            int(bills),
        )
        report("compute", computed, computed)

        report("load", 0, result.lines)
        if result.lines == 0:
            return result
        loaded = 0

        def written(n: int) -> None:
            nonlocal loaded
            loaded += n
            report("load", loaded, result.lines)

        created = (
            now.isoformat() if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
        )
        constants = {"law_date": period.isoformat(), "billing_run_id": int(run_id), "created_at": str(created)}
        with connection.cursor() as cursor:
            ensure_payers(cursor, duck, lines)
            bills_table = ensure_bills(cursor, duck, lines, period, due, now, limited=ids is not None)
            load_lines(cursor, duck, lines, bills_table, constants, written)
            if connection.vendor == "postgresql" and result.lines >= ANALYZE_AFTER:
                # the planner's statistics, for the next statements of this transaction (the bills'
                # update, settle_run): estimates from before a bulk load give nested loops over it
                cursor.execute(f"ANALYZE {_table(BillLine)}, {_table(Bill)}, {_table(Payer)}")
            update_bill_amounts(cursor, run_id, today)
        return result
    finally:
        duck.close()
