"""JHT individual accounts as a ledger: contributions credited when paid, yearly returns, withdrawals.

An account is the ``JhtEntry`` rows of a worker; its balance on a date is the sum of the
entries value-dated on or before it. Entries are only ever added, never changed. The
readings chosen, where the issue or the law leaves a choice:

**When a JHT line is paid in.** A bill's lines are paid in the order they were billed, the
lines one billing run put on the bill together (the month's original lines first, then
each later run's adjustments): a group of lines is paid in when the money allocated to
the bill (``Bill.paid``) covers it and every group before it, i.e. ``paid`` reaches the
smallest running total of the bill's groups from that group on (a later downward
adjustment lowers what the earlier lines need). On a fully paid bill every line is paid
in. A bill reopened by an adjustment billed after it was paid keeps its earlier lines
paid in (their money was received); the adjustment waits until the money covers it.
A part payment of a bill credits no one: it cannot be told whose contribution it is.
Once paid in, a line stays paid in: ``paid`` only falls when an adjustment leaves a bill
fully paid (the excess is released to the payer's credit), and lines are never changed.

**Crediting** (``credit_paid_bills``): each JHT line (kinds contribution and adjustment)
paid in and not yet credited becomes one ``contribution`` entry of its amount, linked to
the line (a one-to-one link: a line is credited once, however often it is asked). A
negative adjustment (a wage corrected downward after the line was paid) credits a
negative amount. The value date is the date the money arrived: the latest value date of
the allocations to the bill, else the day the bill was fully paid, else today. A
negative amount is never back-dated: it is value-dated on the day it is credited (a
debit must not change balances already stated or returns already credited). A
downward correction after a withdrawal may leave an account negative: the ledger records
it as owed rather than hiding it.

**The yearly return** (``credit_yearly_returns``, hasil pengembangan) comes from the rule
``jht_yearly_return`` at that year's declared rate (``jht.return_rate``, or the rate given),
computed for every account at once. The rule's reading is that the balance at 1 January
earns the full year and a credit in month m earns (12 − m)/12 of the rate; the ledger
knows each month's movements, so it gives the rule one row for the opening balance and
one row per month with the month's net movement (contributions, downward corrections and
withdrawals; first_month = last_month = that month), and the account's return is the sum
of the rows' returns, a debit's row counted negative (a withdrawal in March stops earning
from April). This equals the rate times the average of the twelve month-start balances.
A return below zero (possible only by rounding when the balances are near zero) is zero;
a zero return is not written. The entry is value-dated 31 December of the year and
records the rate (ppm) and the rule and parameter reference. A year is credited once per
account (a constraint): a second run credits only accounts not yet credited; a year is
credited only after it has ended. Entries later value-dated within an already credited
year (a payment recorded late with an earlier date) do not restate its return.

**Withdrawals** (``withdraw``) are negative entries. The amount may not exceed the balance
available on its date: the balance then, and at every later value date (a withdrawal
dated before another one must not overdraw the account at the later date). A withdrawal
may not be dated in the future or within a year whose return is already credited to the
account. The worker's row is locked, so two withdrawals cannot both pass the check.

**The invariant** (``totals``): the sum of all balances equals the JHT paid in plus the
returns credited less the withdrawals. "Paid in" is computed from bills, lines and the
money allocated alone (the rule above), not from the ledger; the ledger only dates each
paid line (its entry's value date), and a paid line not yet credited counts on every date,
so a missing credit, a credit of an unpaid line or a wrong amount breaks the equality.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import pyarrow as pa
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of
from paritrana.contributions.models import Allocation, Bill, BillLine, JhtEntry
from paritrana.contributions.scopes import visible_jht_accounts
from paritrana.registry.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Programme, Worker
from paritrana.rules import compute_one, get_rule, load_parameters, prepare
from paritrana.rules.duck import to_arrow
from paritrana.rules.errors import InvalidInput, ParameterNotInForce
from paritrana.rules.money import rupiah_text

Progress = Callable[[str, int, int], None]

RETURN_RULE = "jht_yearly_return"
RATE_PARAMETER = "jht.return_rate"
JHT = Programme.JHT.value
CREDITED_KINDS = (BillLine.Kind.CONTRIBUTION.value, BillLine.Kind.ADJUSTMENT.value)
WITHDRAWERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER})
RETURNS_LOCK = 0x6A47  # the advisory-lock class of yearly-return runs (PostgreSQL)
IN_CHUNK = 2_000  # ids per "IN (…)" list (SQLite allows 32,766 parameters)
FETCH_ROWS = 50_000
LOAD_ROWS = 10_000
REFERENCE_LENGTH = JhtEntry._meta.get_field("reference").max_length or 200


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementEntry:
    """One entry of a statement and the balance after it."""

    entry: JhtEntry
    balance: int

    @property
    def value_date(self) -> dt.date:
        return self.entry.value_date

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def amount(self) -> int:
        return self.entry.amount


@dataclass
class Statement:
    """A JHT account from ``start`` to ``end`` (both included)."""

    worker: Worker
    start: dt.date
    end: dt.date
    opening_balance: int
    entries: list[StatementEntry]
    closing_balance: int
    totals: dict[str, int] = field(default_factory=dict)  # by entry kind, all kinds present


@dataclass(frozen=True)
class JhtTotals:
    """The two sides of the ledger's invariant at the end of day ``on`` (see the module's docstring)."""

    on: dt.date
    paid_in: int  # JHT lines paid in (from bills and allocations, not from the ledger)
    returns: int  # yearly returns credited
    withdrawals: int  # withdrawals, as a positive sum
    balances: int  # the sum of every account's balance
    accounts: int  # accounts with at least one entry
    negative_accounts: int  # accounts whose balance is below zero

    @property
    def expected(self) -> int:
        return self.paid_in + self.returns - self.withdrawals

    @property
    def holds(self) -> bool:
        return self.balances == self.expected


# --- helpers -----------------------------------------------------------------------------


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _chunks(values: Sequence[int], size: int = IN_CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _db_date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _paid_lines_sql(bill_filter: str) -> tuple[str, str]:
    """The JHT lines (contribution, adjustment) paid in, of the bills ``bill_filter`` selects, as
    (the ``WITH`` clause, the ``FROM … WHERE`` rest of a query): ``l`` is the line, ``b`` its
    bill, ``e`` its JHT entry (columns null when the line is not credited).

    ``bill_filter`` names the bill column ``{bill}``; it filters both parts (the outer query too,
    so a few bills do not read every line of the table), and its parameters are needed twice.

    A bill's lines are grouped by billing run (a line without a run is a group of its own),
    groups ordered by their first line; a group is paid in when ``paid`` reaches the smallest
    running total of the groups from it on.
    """
    line, bill, entry = _table(BillLine), _table(Bill), _table(JhtEntry)
    key = "COALESCE(billing_run_id, -id)"
    kinds = ", ".join(f"'{k}'" for k in CREDITED_KINDS)
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
        WHERE l.programme = '{JHT}' AND l.kind IN ({kinds}) AND l.worker_id IS NOT NULL AND b.paid >= n.needs
            AND {bill_filter.format(bill="l.bill_id")}"""
    return with_clause, rest


def _credit_sql(bill_filter: str) -> str:
    """One ``INSERT … SELECT``: a ``contribution`` entry for each paid JHT line not yet credited.

    Parameters: those of ``bill_filter``, today twice, the creation time, today, those of ``bill_filter`` again. The
    value date is the latest value date of the bill's allocations, else its ``paid_at``,
    else today; a negative amount not before today. A line credited meanwhile by another
    transaction is skipped (the one-to-one link, ``ON CONFLICT DO NOTHING`` / ``OR IGNORE``).
    """
    with_clause, rest = _paid_lines_sql(bill_filter)
    entry, allocation = _table(JhtEntry), _table(Allocation)
    reference = (
        "SUBSTR(SUBSTR(CAST(b.period AS TEXT), 1, 7) || ' ' || l.kind"
        f" || CASE WHEN l.note <> '' THEN ': ' || l.note ELSE '' END, 1, {REFERENCE_LENGTH})"
    )
    arrived = f"COALESCE((SELECT MAX(a.allocated_on) FROM {allocation} a WHERE a.bill_id = b.id), b.paid_at, %s)"
    insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    suffix = connection.ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    # INSERT first (a statement that begins with WITH gets no row count from Python's sqlite3)
    return f"""{insert} {entry} (worker_id, kind, value_date, amount, bill_line_id, reference, created_at)
        {with_clause}
        SELECT p.worker_id, '{JhtEntry.Kind.CONTRIBUTION.value}',
            CASE WHEN p.amount < 0 AND p.arrived < %s THEN %s ELSE p.arrived END,
            p.amount, p.line_id, p.reference, %s
        FROM (SELECT l.id AS line_id, l.worker_id AS worker_id, l.amount AS amount,
                {reference} AS reference, {arrived} AS arrived
            {rest} AND e.id IS NULL) p
        ORDER BY p.line_id {suffix}"""


# --- crediting contributions ---------------------------------------------------------------


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
        for chunk in _chunks(ids):
            marks = ", ".join(["%s"] * len(chunk))
            # the WITH clause comes first: its bill filter's parameters lead; the outer query's close
            cursor.execute(_credit_sql(f"{{bill}} IN ({marks})"), [*chunk, today, today, now, today, *chunk])
            credited += max(cursor.rowcount, 0)
    return credited


# --- yearly returns -----------------------------------------------------------------------------


def _check_admin(user: AnyUser | None, message: str) -> None:
    if user is not None and role_of(user) != Role.ADMIN:
        raise NotAllowed(message)


def _rate_for(year: int, declared_rate_bp: int | None) -> tuple[int, str]:
    """The crediting rate of ``year`` in ppm and the reference to record, from the rule itself.

    Refuses (``ValidationFailed``) a year with no declared rate on record when none is given,
    and a year before the law.
    """
    end = dt.date(year, 12, 31)
    given = declared_rate_bp or 0
    try:
        probe = compute_one(RETURN_RULE, end, {"opening_balance": 0, "declared_rate_bp": given})
    except InvalidInput as err:
        if err.field == "declared_rate_bp" and given == 0:
            raise ValidationFailed(
                "rate",
                _(
                    "no JHT crediting rate declared for %(year)s is on record (parameter %(parameter)s): "
                    "give the rate BPJS Ketenagakerjaan declared for %(year)s, in basis points "
                    "(e.g. --rate-bp 600 for 6 %%)"
                )
                % {"year": year, "parameter": RATE_PARAMETER},
            ) from None
        raise ValidationFailed("rate", str(err)) from None
    except ParameterNotInForce as err:
        raise ValidationFailed(
            "year", _("no JHT crediting rate can apply to %(year)s: %(reason)s") % {"year": year, "reason": err}
        ) from None
    rate_ppm = int(probe.explanation.intermediate["rate_ppm"])
    if given:
        source = _("declared rate %(bp)s bp given") % {"bp": given}
    else:
        source = load_parameters()[RATE_PARAMETER].at(end).reference
    return rate_ppm, f"{RETURN_RULE} {year}, {RATE_PARAMETER}: {source}"[:REFERENCE_LENGTH]


def _lock_returns(year: int) -> None:
    """Serialise the return runs of one year (PostgreSQL: an advisory lock until the end of the
    transaction; SQLite: the write transaction already locks the database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RETURNS_LOCK, year])


RETURN_ROWS = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("sign", pa.int64()),
        ("opening_balance", pa.int64()),
        ("contributions", pa.int64()),
        ("first_month", pa.int64()),
        ("last_month", pa.int64()),
    ]
)


def _return_rows(year: int, progress: Progress) -> pa.Table:
    """The rule's input rows of every account not yet credited for ``year``: one for the balance at
    1 January, one per month with a net movement (a debit as its absolute value, ``sign`` −1).

    One query (the month from the date's ISO text, the same on SQLite and PostgreSQL), read in
    batches into Arrow columns.
    """
    entry = _table(JhtEntry)
    month = "CAST(SUBSTR(CAST(value_date AS TEXT), 6, 2) AS INTEGER)"
    fresh = (
        f"NOT EXISTS (SELECT 1 FROM {entry} r WHERE r.worker_id = {entry}.worker_id "
        f"AND r.kind = '{JhtEntry.Kind.RETURN.value}' AND r.year = %s)"
    )
    sql = f"""
        SELECT worker_id, CASE WHEN total > 0 THEN 1 ELSE -1 END,
            CASE WHEN m = 0 THEN ABS(total) ELSE 0 END, CASE WHEN m = 0 THEN 0 ELSE ABS(total) END,
            CASE WHEN m = 0 THEN 1 ELSE m END, CASE WHEN m = 0 THEN 12 ELSE m END
        FROM (
            SELECT worker_id, 0 AS m, CAST(SUM(amount) AS BIGINT) AS total FROM {entry}
            WHERE value_date < %s AND {fresh}
            GROUP BY worker_id
            UNION ALL
            SELECT worker_id, {month} AS m, CAST(SUM(amount) AS BIGINT) AS total FROM {entry}
            WHERE value_date >= %s AND value_date <= %s AND kind <> '{JhtEntry.Kind.RETURN.value}' AND {fresh}
            GROUP BY worker_id, {month}
        ) movements
        WHERE total <> 0"""
    start, end = _db_date(dt.date(year, 1, 1)), _db_date(dt.date(year, 12, 31))
    columns: list[list[int]] = [[] for _ in RETURN_ROWS.names]
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, year, start, end, year])
        while batch := cursor.fetchmany(FETCH_ROWS):
            for column, values in zip(columns, zip(*batch, strict=True), strict=True):
                column.extend(values)
            progress("extract", len(columns[0]), 0)
    progress("extract", len(columns[0]), len(columns[0]))
    return pa.table([pa.array(c, type=pa.int64()) for c in columns], schema=RETURN_ROWS)


def _compute_returns(rows: pa.Table, year: int, declared_rate_bp: int) -> pa.Table:
    """``jht_yearly_return`` on every row at once (DuckDB), summed per account: (worker_id, total)."""
    table = ibis.memtable(rows.append_column("declared_rate_bp", pa.array([declared_rate_bp] * rows.num_rows)))
    run = prepare(get_rule(RETURN_RULE), table, on=dt.date(year, 12, 31))
    t = run.table
    per_account = t.group_by("worker_id").aggregate(total=(t.sign * t.yearly_return).sum()).order_by("worker_id")
    return to_arrow(per_account)


def _insert_returns(
    credited: Sequence[tuple[int, int]], year: int, rate_ppm: int, reference: str, report: Progress
) -> None:
    """Write the ``return`` entries (worker, amount) in batches of ``executemany``."""
    end = _db_date(dt.date(year, 12, 31))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"INSERT INTO {_table(JhtEntry)} (worker_id, kind, value_date, amount, year, rate_ppm, reference, created_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    kind = JhtEntry.Kind.RETURN.value
    with connection.cursor() as cursor:
        for i in range(0, len(credited), LOAD_ROWS):
            rows = [(w, kind, end, a, year, rate_ppm, reference, now) for w, a in credited[i : i + LOAD_ROWS]]
            cursor.executemany(sql, rows)
            report("load", i + len(rows), len(credited))
    report("load", len(credited), len(credited))


def credit_yearly_returns(
    year: int,
    *,
    user: AnyUser | None = None,
    declared_rate_bp: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Credit the return of ``year`` to every account not yet credited for it; the number credited.

    ``declared_rate_bp``: the rate BPJS TK declared for the year, in basis points (None or 0:
    the parameter ``jht.return_rate``). Only an administrator (or the system, ``user=None``).
    ``progress(stage, done, total)`` is called for the stages ``extract``, ``compute``, ``load``.
    Raises ``NotAllowed`` or ``ValidationFailed`` (``year``: not ended or before the law;
    ``rate``: none declared on record and none given, or out of range); then nothing is stored.
    """
    _check_admin(user, _("only an administrator may credit the yearly JHT return"))
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationFailed("year", _("%(value)r is not a year") % {"value": year})
    if declared_rate_bp is not None and (
        isinstance(declared_rate_bp, bool) or not isinstance(declared_rate_bp, int) or declared_rate_bp < 0
    ):
        raise ValidationFailed("rate", _("the rate must be a whole number of basis points, e.g. 600 for 6 %"))
    today = timezone.localdate()
    if year >= today.year:
        raise ValidationFailed(
            "year",
            _("the return of %(year)s can be credited once the year has ended (today is %(today)s)")
            % {"year": year, "today": today.isoformat()},
        )
    rate_ppm, reference = _rate_for(year, declared_rate_bp)
    report = progress or _noop
    with transaction.atomic():
        _lock_returns(year)
        rows = _return_rows(year, report)
        report("compute", 0, rows.num_rows)
        totals = _compute_returns(rows, year, declared_rate_bp or 0) if rows.num_rows else None
        report("compute", rows.num_rows, rows.num_rows)
        if totals is None:
            return 0
        credited = [
            (worker_id, amount)
            for worker_id, amount in zip(
                totals.column("worker_id").to_pylist(), totals.column("total").to_pylist(), strict=True
            )
            if amount is not None and amount > 0
        ]
        _insert_returns(credited, year, rate_ppm, reference, report)
    return len(credited)


def returns_credited(year: int) -> tuple[int, int]:
    """The accounts credited with the return of ``year`` so far, and the total credited (rupiah)."""
    found = JhtEntry.objects.filter(kind=JhtEntry.Kind.RETURN, year=year).aggregate(
        total=Sum("amount"), accounts=Count("id")
    )
    return int(found["accounts"] or 0), int(found["total"] or 0)


# --- withdrawals, balances, statements ------------------------------------------------------------


def balance(worker_id: int, on: dt.date) -> int:
    """The balance of ``worker_id``'s JHT account at the end of day ``on``."""
    total = JhtEntry.objects.filter(worker_id=worker_id, value_date__lte=on).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def _available(worker_id: int, on: dt.date) -> int:
    """What may be withdrawn on ``on``: the lowest of the balance then and at every later value date."""
    running = balance(worker_id, on)
    lowest = running
    later = JhtEntry.objects.filter(worker_id=worker_id, value_date__gt=on).order_by("value_date", "id")
    for amount in later.values_list("amount", flat=True):
        running += amount
        lowest = min(lowest, running)
    return lowest


def withdraw(user: AnyUser | None, worker_id: int, amount: int, on: dt.date, reference: str) -> JhtEntry:
    """Debit ``amount`` (rupiah, positive) from ``worker_id``'s JHT account on ``on``; the entry.

    Administrators and branch officers (within their scope), or the system (``user=None``, for
    the claims module). Raises ``NotFound`` (unknown or out of scope), ``NotAllowed`` (a role
    that sees the account but may not pay from it) or ``ValidationFailed`` (``amount`` not
    positive or above the balance available, ``on`` in the future or in a credited year,
    ``reference`` missing).
    """
    if user is not None:
        if not visible_jht_accounts(user).filter(pk=worker_id).exists():
            raise NotFound(_("no JHT account of worker %(id)s") % {"id": worker_id})
        if role_of(user) not in WITHDRAWERS:
            raise NotAllowed(_("only an administrator or a branch officer may pay out a JHT balance"))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed("amount", _("the amount must be a whole number of rupiah above zero"))
    if not _is_date(on):
        raise ValidationFailed("on", _("give the date of the withdrawal"))
    today = timezone.localdate()
    if on > today:
        raise ValidationFailed("on", _("%(date)s is in the future") % {"date": on.isoformat()})
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed("reference", _("give the reference of the claim or payment order"))
    if len(reference) > REFERENCE_LENGTH:
        raise ValidationFailed(
            "reference", _("at most %(n)s characters, not %(got)s") % {"n": REFERENCE_LENGTH, "got": len(reference)}
        )
    with transaction.atomic():
        try:
            Worker.objects.select_for_update().get(pk=worker_id)
        except Worker.DoesNotExist:
            raise NotFound(_("no JHT account of worker %(id)s") % {"id": worker_id}) from None
        last_return = (
            JhtEntry.objects.filter(worker_id=worker_id, kind=JhtEntry.Kind.RETURN)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        if last_return is not None and on.year <= last_return:
            raise ValidationFailed(
                "on",
                _("the return of %(year)s is already credited to this account: date the withdrawal after %(year)s")
                % {"year": last_return},
            )
        available = _available(worker_id, on)
        if amount > available:
            raise ValidationFailed(
                "amount",
                _("%(amount)s is more than the balance of %(balance)s available on %(date)s")
                % {"amount": rupiah_text(amount), "balance": rupiah_text(max(available, 0)), "date": on.isoformat()},
            )
        return JhtEntry.objects.create(
            worker_id=worker_id, kind=JhtEntry.Kind.WITHDRAWAL, value_date=on, amount=-amount, reference=reference
        )


def statement(user: AnyUser | None, worker_id: int, start: dt.date, end: dt.date) -> Statement:
    """The JHT account of ``worker_id`` from ``start`` to ``end``: opening balance, each entry with the
    balance after it, closing balance, totals by kind. Within ``scopes.visible_jht_accounts``
    (the worker itself, its heir, a branch officer in scope, an administrator); else ``NotFound``."""
    if not _is_date(start) or not _is_date(end):
        raise ValidationFailed("start", _("give the first and last day of the statement"))
    if end < start:
        raise ValidationFailed("end", _("the last day is before the first day"))
    with transaction.atomic():
        worker = visible_jht_accounts(user).filter(pk=worker_id).first()
        if worker is None:
            raise NotFound(_("no JHT account of worker %(id)s") % {"id": worker_id})
        opening = balance(worker_id, start - dt.timedelta(days=1)) if start > dt.date.min else 0
        running = opening
        lines: list[StatementEntry] = []
        totals = dict.fromkeys(JhtEntry.Kind.values, 0)
        for entry in JhtEntry.objects.filter(worker_id=worker_id, value_date__range=(start, end)).order_by(
            "value_date", "id"
        ):
            running += entry.amount
            totals[entry.kind] += entry.amount
            lines.append(StatementEntry(entry, running))
    return Statement(worker, start, end, opening, lines, running, totals)


# --- the invariant ------------------------------------------------------------------------------


def totals(on: dt.date) -> JhtTotals:
    """Both sides of the invariant at the end of day ``on``, each computed on its own: JHT paid in
    (from bills and allocations), returns, withdrawals, and the sum of the accounts' balances."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            with_clause, rest = _paid_lines_sql("1 = 1")
            cursor.execute(
                f"{with_clause} SELECT COALESCE(SUM(l.amount), 0) {rest} AND (e.id IS NULL OR e.value_date <= %s)",
                [_db_date(on)],
            )
            paid_in = int(cursor.fetchone()[0])
        dated = JhtEntry.objects.filter(value_date__lte=on)
        by_kind = {
            row["kind"]: int(row["total"] or 0) for row in dated.values("kind").annotate(total=Sum("amount")).order_by()
        }
        per_account: dict[int, int] = defaultdict(int)
        for row in dated.values("worker_id").annotate(total=Sum("amount")).order_by():
            per_account[row["worker_id"]] = int(row["total"] or 0)
    return JhtTotals(
        on=on,
        paid_in=paid_in,
        returns=by_kind.get(JhtEntry.Kind.RETURN, 0),
        withdrawals=-by_kind.get(JhtEntry.Kind.WITHDRAWAL, 0),
        balances=sum(per_account.values()),
        accounts=len(per_account),
        negative_accounts=sum(1 for b in per_account.values() if b < 0),
    )
