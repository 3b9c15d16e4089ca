"""Crediting paid JHT lines to the workers' accounts (decision 0018 gives the reading of "paid in").

A bill's lines are paid in group by group (the lines one billing run put on the bill), in the order
they were billed; each JHT line paid in and not yet credited becomes one ``contribution`` entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from paritrana.contributions.models import Allocation, Bill, BillLine, JhtEntry
from paritrana.core.bulk import chunks
from paritrana.registry.models import Programme

JHT = Programme.JHT.value
CREDITED_KINDS = (BillLine.Kind.CONTRIBUTION.value, BillLine.Kind.ADJUSTMENT.value)
REFERENCE_LENGTH = JhtEntry._meta.get_field("reference").max_length or 200


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _db_date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


@dataclass(frozen=True)
class PaidLines:
    """The JHT lines paid in, as the two parts of one query and their parameters: ``with_clause``
    (the groups of lines and what each needs paid) and ``rest`` (``FROM … WHERE``: ``l`` the line,
    ``b`` its bill, ``e`` its JHT entry, null when the line is not credited)."""

    with_clause: str
    with_params: list[Any]
    rest: str
    rest_params: list[Any]


def paid_lines(bill_filter: str, filter_params: Sequence[Any]) -> PaidLines:
    """The JHT lines (contribution, adjustment) paid in, of the bills ``bill_filter`` selects.

    ``bill_filter`` names the bill column ``{bill}``, with its values as ``%s`` marks; it filters
    both parts (a few bills must not read every line of the table). Only table names are written
    into the text; every value is a parameter.

    A bill's lines are grouped by billing run (a line without a run is a group of its own),
    groups ordered by their first line; a group is paid in when ``paid`` reaches the smallest
    running total of the groups from it on.
    """
    line, bill, entry = _table(BillLine), _table(Bill), _table(JhtEntry)
    key = "COALESCE(billing_run_id, -id)"
    kinds = ", ".join(["%s"] * len(CREDITED_KINDS))
    with_clause = f"""
        WITH grp AS (
            SELECT bill_id, {key} AS g, MIN(id) AS first_id, SUM(amount) AS total
            FROM {line} WHERE {bill_filter.format(bill="bill_id")}
            GROUP BY bill_id, {key}
        ), running AS (
            SELECT bill_id, g, first_id,
                SUM(total) OVER (PARTITION BY bill_id ORDER BY first_id ROWS UNBOUNDED PRECEDING) AS upto
            FROM grp
        ), needed AS (
            SELECT bill_id, g,
                MIN(upto) OVER (PARTITION BY bill_id ORDER BY first_id DESC ROWS UNBOUNDED PRECEDING) AS needs
            FROM running
        )"""
    rest = f"""
        FROM {line} l
        JOIN needed n ON n.bill_id = l.bill_id AND n.g = COALESCE(l.billing_run_id, -l.id)
        JOIN {bill} b ON b.id = l.bill_id
        LEFT JOIN {entry} e ON e.bill_line_id = l.id
        WHERE l.programme = %s AND l.kind IN ({kinds}) AND l.worker_id IS NOT NULL AND b.paid >= n.needs
            AND {bill_filter.format(bill="l.bill_id")}"""
    return PaidLines(with_clause, list(filter_params), rest, [JHT, *CREDITED_KINDS, *filter_params])


def _credit_sql(lines: PaidLines, today: Any, now: Any) -> tuple[str, list[Any]]:
    """One ``INSERT … SELECT``: a ``contribution`` entry for each paid JHT line not yet credited, and its parameters.

    The value date is the latest value date of the bill's allocations, else its ``paid_at``, else
    today; a negative amount not before today. A zero line moves nothing and is not written (the
    table refuses a zero entry). A line credited meanwhile by another transaction is skipped (the
    one-to-one link, ``ON CONFLICT DO NOTHING`` / ``OR IGNORE``).
    """
    entry, allocation = _table(JhtEntry), _table(Allocation)
    reference = (
        "SUBSTR(SUBSTR(CAST(b.period AS TEXT), 1, 7) || ' ' || l.kind"
        f" || CASE WHEN l.note <> '' THEN ': ' || l.note ELSE '' END, 1, {int(REFERENCE_LENGTH)})"
    )
    arrived = f"COALESCE((SELECT MAX(a.allocated_on) FROM {allocation} a WHERE a.bill_id = b.id), b.paid_at, %s)"
    insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    suffix = connection.ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    # INSERT first (a statement that begins with WITH gets no row count from Python's sqlite3)
    sql = f"""{insert} {entry} (worker_id, kind, value_date, amount, bill_line_id, reference, created_at)
        {lines.with_clause}
        SELECT p.worker_id, %s,
            CASE WHEN p.amount < 0 AND p.arrived < %s THEN %s ELSE p.arrived END,
            p.amount, p.line_id, p.reference, %s
        FROM (SELECT l.id AS line_id, l.worker_id AS worker_id, l.amount AS amount,
                {reference} AS reference, {arrived} AS arrived
            {lines.rest} AND e.id IS NULL AND l.amount <> 0) p
        ORDER BY p.line_id {suffix}"""
    params = [*lines.with_params, JhtEntry.Kind.CONTRIBUTION.value, today, today, now, today, *lines.rest_params]
    return sql, params


def credit_paid_bills(bill_ids: Iterable[int]) -> int:
    """Credit the JHT lines of ``bill_ids`` that are paid in and not yet credited; the number credited.

    Set-based: one ``INSERT … SELECT`` per 2,000 bills finds the lines and writes the entries.
    Idempotent: a line already credited is left alone (and a concurrent crediting of the
    same line is ignored by the one-to-one link). Called by the payments module after money
    is allocated and after a billing run is settled.
    """
    ids = sorted({int(i) for i in bill_ids})
    if not ids:
        return 0
    today = _db_date(timezone.localdate())
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    credited = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in chunks(ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(*_credit_sql(paid_lines(f"{{bill}} IN ({marks})", chunk), today, now))
            credited += max(cursor.rowcount, 0)
    return credited


def paid_in(on: dt.date) -> int:
    """The JHT paid in at the end of day ``on``, from bills, lines and allocations alone: a paid line not
    yet credited counts on every date; a credited one from its entry's value date."""
    lines = paid_lines("1 = 1", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"{lines.with_clause} SELECT COALESCE(SUM(l.amount), 0) {lines.rest} "
            "AND (e.id IS NULL OR e.value_date <= %s)",
            [*lines.with_params, *lines.rest_params, _db_date(on)],
        )
        return int(cursor.fetchone()[0])
