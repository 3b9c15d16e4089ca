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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Model

from paritrana.contributions.billing_lines import BPU_PROGRAMMES, PU_PROGRAMMES, lines_to_add
from paritrana.contributions.models import Bill, BillLine, Payer, WageReport
from paritrana.contributions.periods import month_end
from paritrana.registry.models import Employer, EmployerStatus, Membership, Occupation, Scheme, Sponsor, Worker
from paritrana.rules import engines
from paritrana.rules.engine import connection as engine_connection
from paritrana.rules.engines import DEFAULT_ENGINE

Progress = Callable[[str, int, int], None]

# who pays a BPU worker's contributions, as the rule bpu_contributions reads it (PP 50/2025's relief is
# not for the APBN or an APBD): a regional programme pays from its APBD, every other payer from own funds
OWN_FUNDS, REGIONAL_BUDGET = "own_funds", "regional_budget"
PAID_FROM_BY_SPONSOR_KIND = {Sponsor.Kind.REGIONAL_PROGRAMME.value: REGIONAL_BUDGET}


def paid_from(sponsor_kind: str | None) -> str:
    """The rule input ``paid_from`` of a BPU worker whose sponsor is of ``sponsor_kind`` (None: self-paid)."""
    return PAID_FROM_BY_SPONSOR_KIND.get(sponsor_kind or "", OWN_FUNDS)


# BPU occupations in the transport sector (the PP 50/2025 relief applies to them from January 2026)
TRANSPORT_OCCUPATIONS = (Occupation.OJEK_DRIVER.value, Occupation.DRIVER.value)
FETCH_ROWS = 50_000  # rows per fetchmany from the database
LOAD_ROWS = 100_000  # lines per batch written to the database
IN_CHUNK = 2_000  # ids per "IN (…)" list (SQLite allows 32,766 parameters)
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


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _placeholders(n: int) -> str:
    return ", ".join(["%s"] * n)


def _chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


# --- extract -----------------------------------------------------------------------


PU_SCHEMA = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("party_id", pa.int64()),
        ("payer_id", pa.int64()),
        ("risk_group", pa.int64()),
        ("wage", pa.int64()),
        *[(f"m_{p.lower()}", pa.int64()) for p in PU_PROGRAMMES],
    ]
)
BPU_SCHEMA = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("payer_kind", pa.string()),
        ("party_id", pa.int64()),
        ("payer_id", pa.int64()),
        ("sponsored", pa.int64()),
        ("declared_income", pa.int64()),
        ("transport", pa.int64()),
        ("paid_from", pa.string()),
        *[(f"m_{p.lower()}", pa.int64()) for p in BPU_PROGRAMMES],
    ]
)
BILLED_SCHEMA = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("programme", pa.string()),
        ("amount", pa.int64()),
        ("worker_share", pa.int64()),
        ("wage", pa.int64()),
        ("id", pa.int64()),
    ]
)


def _memberships_sql(programmes: Sequence[str], only_employers: str) -> str:
    """Per worker, a 0/1 column per programme: a membership in force at some time in the month."""
    end = _q("end")
    flags = ",\n".join(f"MAX(CASE WHEN programme = '{p}' THEN 1 ELSE 0 END) AS m_{p.lower()}" for p in programmes)
    restrict = (
        f"AND worker_id IN (SELECT id FROM {_table(Worker)} WHERE employer_id IN ({only_employers}))"
        if only_employers
        else ""
    )
    return f"""
        SELECT worker_id, {flags}
        FROM {_table(Membership)}
        WHERE start <= %s AND ({end} IS NULL OR {end} >= %s) {restrict}
        GROUP BY worker_id"""


def pu_extract_sql(employer_count: int | None) -> str:
    """Wage earners of active employers with a membership in force in the month.

    The wage is the wage report of the month, else the latest one before it, else the
    wage recorded at registration. Parameters: the month, its last day, its first day,
    then the employer ids (twice) when the run is limited to some employers.
    """
    only = _placeholders(employer_count) if employer_count else ""
    return f"""
        SELECT w.id, w.employer_id, p.id, e.risk_group,
            COALESCE((SELECT r.wage FROM {_table(WageReport)} r
                      WHERE r.worker_id = w.id AND r.period <= %s
                      ORDER BY r.period DESC LIMIT 1), w.wage),
            {", ".join(f"m.m_{p.lower()}" for p in PU_PROGRAMMES)}
        FROM {_table(Worker)} w
        JOIN {_table(Employer)} e ON e.id = w.employer_id
        JOIN ({_memberships_sql(PU_PROGRAMMES, only)}) m ON m.worker_id = w.id
        LEFT JOIN {_table(Payer)} p ON p.employer_id = w.employer_id
        WHERE w.scheme = '{Scheme.PU.value}' AND e.status = '{EmployerStatus.ACTIVE.value}'
        {f"AND w.employer_id IN ({only})" if only else ""}"""


def _paid_from_sql(kind: str) -> str:
    whens = " ".join(f"WHEN {kind} = '{k}' THEN '{v}'" for k, v in PAID_FROM_BY_SPONSOR_KIND.items())
    return f"CASE {whens} ELSE '{OWN_FUNDS}' END"


def bpu_extract_sql() -> str:
    """Non-wage earners with a membership in force in the month, with their payer.

    Self-paid (no sponsor, or a sponsor of kind ``self``): the worker pays on its declared
    income. Sponsored: the sponsor pays; a regional-government programme pays the lowest
    band (declared income 0), a CSR or employer sponsor on the declared income. ``paid_from``:
    a regional programme pays from a regional budget (no PP 50/2025 relief), anyone else from
    own funds. Parameters: the month's last day, its first day.
    """
    self_paid = f"(s.id IS NULL OR s.kind = '{Sponsor.Kind.SELF.value}')"
    end = _q("end")
    flags = ", ".join(f"MAX(CASE WHEN m.programme = '{p}' THEN 1 ELSE 0 END)" for p in BPU_PROGRAMMES)
    return f"""
        SELECT w.id,
            CASE WHEN {self_paid} THEN '{Payer.Kind.WORKER.value}' ELSE '{Payer.Kind.SPONSOR.value}' END,
            CASE WHEN {self_paid} THEN w.id ELSE s.id END,
            CASE WHEN {self_paid} THEN pw.id ELSE ps.id END,
            CASE WHEN {self_paid} THEN 0 ELSE 1 END,
            CASE WHEN s.kind = '{Sponsor.Kind.REGIONAL_PROGRAMME.value}' THEN 0 ELSE w.wage END,
            CASE WHEN w.occupation IN ({", ".join(f"'{o}'" for o in TRANSPORT_OCCUPATIONS)}) THEN 1 ELSE 0 END,
            {_paid_from_sql("s.kind")},
            {flags}
        FROM {_table(Worker)} w
        JOIN {_table(Membership)} m ON m.worker_id = w.id AND m.start <= %s AND (m.{end} IS NULL OR m.{end} >= %s)
        LEFT JOIN {_table(Sponsor)} s ON s.id = w.sponsor_id
        LEFT JOIN {_table(Payer)} pw ON pw.worker_id = w.id
        LEFT JOIN {_table(Payer)} ps ON ps.sponsor_id = w.sponsor_id
        WHERE w.scheme = '{Scheme.BPU.value}'
        GROUP BY w.id, s.id, pw.id, ps.id"""


def billed_extract_sql(employer_count: int | None) -> str:
    """The lines already on the month's contribution bills (grouped per worker and programme on
    DuckDB: the database only reads them, through the month's bills, or through the workers of
    the employers when the run is limited to some: ``CROSS JOIN`` keeps SQLite's planner from
    starting with the whole month). Parameters: the month, then the employer ids."""
    contribution = f"b.period = %s AND b.kind = '{Bill.Kind.CONTRIBUTION.value}'"
    if employer_count:
        return f"""
        SELECT l.worker_id, l.programme, l.amount, l.worker_share, l.wage, l.id
        FROM {_table(Worker)} w CROSS JOIN {_table(BillLine)} l CROSS JOIN {_table(Bill)} b
        WHERE l.worker_id = w.id AND b.id = l.bill_id AND {contribution}
            AND w.employer_id IN ({_placeholders(employer_count)})"""
    return f"""
        SELECT l.worker_id, l.programme, l.amount, l.worker_share, l.wage, l.id
        FROM {_table(Bill)} b JOIN {_table(BillLine)} l ON l.bill_id = b.id
        WHERE {contribution} AND l.worker_id IS NOT NULL"""


def fetch_arrow(
    sql: str, params: Sequence[Any], schema: pa.Schema, on_rows: Callable[[int], None] | None = None
) -> pa.Table:
    """The result of one query as a pyarrow table, read in ``fetchmany`` batches.

    On PostgreSQL the query runs on a server-side cursor (Django's ``chunked_cursor``), so
    only one batch at a time is held in Python.
    """
    batches = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, list(params))
        while rows := cursor.fetchmany(FETCH_ROWS):
            columns = [pa.array(list(map(itemgetter(i), rows)), type=f.type) for i, f in enumerate(schema)]
            batches.append(pa.record_batch(columns, schema=schema))
            if on_rows is not None:
                on_rows(len(rows))
    return pa.Table.from_batches(batches, schema=schema)


def count_workers(employer_ids: Sequence[int] | None) -> int:
    """The workers the extract may read (a bound for the progress bar)."""
    qs = Worker.objects.all()
    if employer_ids is not None:
        qs = qs.filter(scheme=Scheme.PU, employer_id__in=employer_ids)
    return qs.count()


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
    for chunk in _chunks(ids):
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
        for chunk in _chunks(parties, LOAD_ROWS):
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
        for chunk in _chunks(missing, LOAD_ROWS):
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


def lock_month(cursor: CursorWrapper, period: dt.date) -> None:
    """Serialise the billing runs of one month (PostgreSQL: an advisory lock until the end of the
    transaction; SQLite: the write transaction already locks the database)."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [BILLING_LOCK, period.year * 100 + period.month])


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
