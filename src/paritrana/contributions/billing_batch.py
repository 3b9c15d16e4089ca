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
3. **load** (``billing_load``): the missing payers and bills are inserted (``INSERT … ON CONFLICT DO
   NOTHING`` in batches, then read back), the lines are streamed from DuckDB in Arrow
   batches (PostgreSQL: ``COPY … FROM STDIN``; SQLite: ``executemany``), and the bills'
   amounts are set by one ``UPDATE``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyarrow as pa
from django.db import connection

from paritrana.contributions.billing_extract import (
    BILLED_SCHEMA,
    BPU_SCHEMA,
    PU_SCHEMA,
    TRANSPORT_OCCUPATIONS,
    _date,
    _table,
    billed_extract_sql,
    bpu_extract_sql,
    count_workers,
    fetch_arrow,
    paid_from,
    pu_extract_sql,
)
from paritrana.contributions.billing_lines import lines_to_add
from paritrana.contributions.billing_load import ensure_bills, ensure_payers, load_lines, update_bill_amounts
from paritrana.contributions.duck_tables import DuckTables
from paritrana.contributions.models import Bill, BillLine, Payer
from paritrana.contributions.periods import month_end
from paritrana.core.bulk import advisory_lock
from paritrana.rules import engines
from paritrana.rules.engines import DEFAULT_ENGINE

Progress = Callable[[str, int, int], None]

__all__ = ["BILLED_SCHEMA", "BPU_SCHEMA", "PU_SCHEMA", "TRANSPORT_OCCUPATIONS", "bill_month", "lock_month", "paid_from"]

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
    result brought back for the load. The note of an adjustment (language-neutral, ``line_notes``: the
    wage before and after, ``wage_corrected 2845000 4750000``) is written here, on DuckDB, whichever engine computed the amounts.
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

    def digits(x: str) -> str:
        return f"CAST(CAST({x} AS BIGINT) AS VARCHAR)"

    def key(change: str) -> str:  # wage_corrected, income_basis_recomputed … (contributions/line_notes.py)
        return f"replace(c.basis, ' ', '_') || '_{change}'"

    lines = duck.create(
        "lines",
        f"""
        SELECT c.worker_id, c.payer_kind, c.party_id, c.payer_id, c.programme, c.rule, c.wage, c.amount,
            c.worker_share, c.kind,
            CASE WHEN c.kind = '{BillLine.Kind.CONTRIBUTION.value}' THEN ''
                 WHEN c.billed_wage <> c.wage
                 THEN {key("corrected")} || ' ' || {digits("c.billed_wage")} || ' ' || {digits("c.wage")}
                 ELSE {key("recomputed")} || ' ' || {digits("c.wage")} END AS note
        FROM {source} c
        """,
    )
    workers_sql = [f"SELECT count(*) FROM {pu_name} WHERE m_jkk + m_jkm + m_jht + m_jp > 0"]
    if bpu_name is not None:
        workers_sql.append(f"SELECT count(*) FROM {bpu_name} WHERE m_jkk + m_jkm + m_jht > 0")
    workers = sum(int(duck.rows(sql)[0][0]) for sql in workers_sql)
    return lines, workers


BILLING_LOCK = 0x6B1C  # the advisory-lock class of billing runs


def lock_month(period: dt.date) -> None:
    """Serialise the billing runs of one month: the core's advisory lock, held until the outer transaction ends."""
    with advisory_lock(BILLING_LOCK, period.year * 100 + period.month):
        pass


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
