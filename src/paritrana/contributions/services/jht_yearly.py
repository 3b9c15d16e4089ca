"""The yearly JHT return (hasil pengembangan) credited to every account at once (decision 0018 gives the reading).

The rows come from the ledger's queryset (``JhtEntry.objects.opening_balances`` / ``monthly_movements``),
the returns from the rule ``jht_yearly_return`` on DuckDB or Spark, and the entries are written in batches.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import ibis
import pyarrow as pa
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of
from paritrana.contributions.jht_returns import RETURN_RULE, returns_per_account
from paritrana.contributions.models import JhtEntry
from paritrana.contributions.periods import shown_date
from paritrana.core.bulk import advisory_lock
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.rules import compute_one, engines, load_parameters
from paritrana.rules.duck import to_arrow
from paritrana.rules.engines import DEFAULT_ENGINE, check_engine
from paritrana.rules.errors import InvalidInput, ParameterNotInForce

Progress = Callable[[str, int, int], None]

RATE_PARAMETER = "jht.return_rate"
RETURNS_LOCK = 0x6A47  # the advisory-lock class of yearly-return runs (PostgreSQL)
FETCH_ROWS = 50_000
LOAD_ROWS = 10_000
REFERENCE_LENGTH = JhtEntry._meta.get_field("reference").max_length or 200

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


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _check_admin(user: AnyUser | None, message: str) -> None:
    if user is not None and role_of(user) != Role.ADMIN:
        raise NotAllowed(message)


def _rate_for(end: dt.date, declared_rate_bp: int | None) -> tuple[int, str]:
    """The crediting rate in ppm of the year ending on ``end`` (the return's value date) and the reference to
    record, from the rule itself.

    Refuses (``ValidationFailed``) a year with no declared rate on record when none is given,
    and a year before the law.
    """
    year = end.year
    given = declared_rate_bp or 0
    try:
        probe = compute_one(RETURN_RULE, end, {"opening_balance": 0, "declared_rate_bp": given})
    except InvalidInput as err:
        # the probe gives the rate only (and a valid balance): with none given, the refusal is that none is on record
        if not given:
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
    """Serialise the return runs of one year: the core's advisory lock, held until the outer transaction ends."""
    with advisory_lock(RETURNS_LOCK, year):
        pass


def _rows_of(found: Iterable[tuple[Any, ...]], columns: list[list[int]], progress: Progress) -> None:
    """Append the rule's rows for (worker_id, month, total) movements (month 0: the opening balance) to ``columns``;
    a debit as its absolute value with ``sign`` −1, a zero movement left out."""
    for count, (worker_id, month, total) in enumerate(found, start=1):
        total = int(total or 0)
        if total == 0:
            continue
        opening = month == 0
        row = (
            worker_id,
            1 if total > 0 else -1,
            abs(total) if opening else 0,
            0 if opening else abs(total),
            1 if opening else month,
            12 if opening else month,
        )
        for column, value in zip(columns, row, strict=True):
            column.append(value)
        if count % FETCH_ROWS == 0:
            progress("extract", len(columns[0]), 0)


def _return_rows(year: int, progress: Progress) -> pa.Table:
    """The rule's input rows of every account not yet credited for ``year``: one for the balance at
    1 January, one per month with a net movement (a debit as its absolute value, ``sign`` −1).

    Two grouped queries of the ledger's queryset, streamed into Arrow columns.
    """
    entries = JhtEntry.objects.not_credited_for(year)
    columns: list[list[int]] = [[] for _ in RETURN_ROWS.names]
    opening = ((w, 0, t) for w, t in entries.opening_balances(year).iterator(chunk_size=FETCH_ROWS))
    _rows_of(opening, columns, progress)
    _rows_of(entries.monthly_movements(year).iterator(chunk_size=FETCH_ROWS), columns, progress)
    table = pa.table([pa.array(c, type=pa.int64()) for c in columns], schema=RETURN_ROWS)
    progress("extract", table.num_rows, table.num_rows)
    return table.sort_by([("worker_id", "ascending"), ("first_month", "ascending"), ("last_month", "ascending")])


def _compute_returns(rows: pa.Table, year: int, declared_rate_bp: int, engine: str = DEFAULT_ENGINE) -> pa.Table:
    """``jht_yearly_return`` on every row at once, summed per account: (worker_id, total), by worker_id.

    On DuckDB in place over the Arrow rows; on Spark over a copy handed to the SparkSession."""
    if engine == "spark":
        table = engines.arrow_table(engines.backend("spark"), rows, f"jht_rows_{year}_{uuid.uuid4().hex}")
        result = engines.to_arrow(returns_per_account(table, year, declared_rate_bp))
        return result.sort_by("worker_id")
    per_account = returns_per_account(ibis.memtable(rows), year, declared_rate_bp).order_by("worker_id")
    computed: pa.Table = to_arrow(per_account)
    return computed


def _insert_returns(
    credited: Sequence[tuple[int, int]], end: dt.date, rate_ppm: int, reference: str, report: Progress
) -> None:
    """Write the ``return`` entries (worker, amount) dated ``end`` (31 December of their year) in batches."""
    for i in range(0, len(credited), LOAD_ROWS):
        batch = [
            JhtEntry(
                worker_id=w,
                kind=JhtEntry.Kind.RETURN,
                value_date=end,
                amount=a,
                year=end.year,
                rate_ppm=rate_ppm,
                reference=reference,
            )
            for w, a in credited[i : i + LOAD_ROWS]
        ]
        JhtEntry.objects.bulk_create(batch, batch_size=LOAD_ROWS)
        report("load", i + len(batch), len(credited))
    report("load", len(credited), len(credited))


def credit_yearly_returns(
    year: int,
    *,
    user: AnyUser | None = None,
    declared_rate_bp: int | None = None,
    progress: Progress | None = None,
    engine: str = DEFAULT_ENGINE,
) -> int:
    """Credit the return of ``year`` to every account not yet credited for it; the number credited.

    ``declared_rate_bp``: the rate BPJS TK declared for the year, in basis points (None or 0:
    the parameter ``jht.return_rate``). Only an administrator (or the system, ``user=None``).
    ``progress(stage, done, total)`` is called for the stages ``extract``, ``compute``, ``load``.
    ``engine``: where the rule computes the returns, ``duckdb`` or ``spark`` (decision 0016).
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
            % {"year": year, "today": shown_date(today)},
        )
    end = dt.date(year, 12, 31)  # the return's value date, and the day its rate is read
    rate_ppm, reference = _rate_for(end, declared_rate_bp)
    report = progress or _noop
    with transaction.atomic():
        _lock_returns(year)
        rows = _return_rows(year, report)
        report("compute", 0, rows.num_rows)
        totals = _compute_returns(rows, year, declared_rate_bp or 0, check_engine(engine)) if rows.num_rows else None
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
        _insert_returns(credited, end, rate_ppm, reference, report)
    return len(credited)


def returns_credited(year: int) -> tuple[int, int]:
    """The accounts credited with the return of ``year`` so far, and the total credited (rupiah)."""
    found = JhtEntry.objects.filter(kind=JhtEntry.Kind.RETURN, year=year).aggregate(
        total=Sum("amount"), accounts=Count("id")
    )
    return int(found["accounts"] or 0), int(found["total"] or 0)
