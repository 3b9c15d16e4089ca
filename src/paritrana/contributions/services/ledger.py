"""JHT individual accounts as a ledger: contributions credited when paid, yearly returns, withdrawals.

An account is the ``JhtEntry`` rows of a worker; its balance on a date is the sum of the entries value-dated
on or before it (read on the ledger's queryset, ``JhtEntry.objects``). Entries are only ever added, never
changed, and never zero. Crediting paid lines is ``jht_crediting``, the yearly return ``jht_yearly``; this
module keeps withdrawals, statements and the invariant, and is the ledger's one entry point for the other
modules. Decision 0018 gives the readings chosen where the law leaves a choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of
from paritrana.contributions.models import JhtEntry
from paritrana.contributions.periods import shown_date
from paritrana.contributions.scopes import visible_jht_accounts
from paritrana.contributions.services.jht_crediting import credit_paid_bills, paid_in
from paritrana.contributions.services.jht_yearly import (
    RATE_PARAMETER,
    RETURN_ROWS,
    _compute_returns,
    _return_rows,
    credit_yearly_returns,
    returns_credited,
)
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Worker
from paritrana.rules.money import rupiah_text

__all__ = [
    "RATE_PARAMETER",
    "RETURN_ROWS",
    "JhtTotals",
    "Statement",
    "StatementEntry",
    "_compute_returns",
    "_return_rows",
    "balance",
    "credit_paid_bills",
    "credit_yearly_returns",
    "returns_credited",
    "statement",
    "totals",
    "withdraw",
]

WITHDRAWERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER})
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
    """The two sides of the ledger's invariant at the end of day ``on`` (decision 0018)."""

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


# --- withdrawals, balances, statements ------------------------------------------------------------


def balance(worker_id: int, on: dt.date) -> int:
    """The balance of ``worker_id``'s JHT account at the end of day ``on``."""
    return JhtEntry.objects.balance(worker_id, on)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


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
        raise ValidationFailed("on", _("%(date)s is in the future") % {"date": shown_date(on)})
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
        available = JhtEntry.objects.available(worker_id, on)
        if amount > available:
            raise ValidationFailed(
                "amount",
                _("%(amount)s is more than the balance of %(balance)s available on %(date)s")
                % {"amount": rupiah_text(amount), "balance": rupiah_text(max(available, 0)), "date": shown_date(on)},
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
        entries = (
            JhtEntry.objects.filter(worker_id=worker_id)
            .with_balance_after()
            .filter(value_date__range=(start, end))
            .order_by("value_date", "id")
        )
        lines = [StatementEntry(entry, int(entry.balance_after)) for entry in entries]  # type: ignore[attr-defined]
        totals = JhtEntry.objects.filter(worker_id=worker_id, value_date__range=(start, end)).totals_by_kind()
        closing = lines[-1].balance if lines else opening
    return Statement(worker, start, end, opening, lines, closing, totals)


# --- the invariant ------------------------------------------------------------------------------


def totals(on: dt.date) -> JhtTotals:
    """Both sides of the invariant at the end of day ``on``, each computed on its own: JHT paid in
    (from bills and allocations), returns, withdrawals, and the sum of the accounts' balances."""
    with transaction.atomic():
        paid = paid_in(on)
        dated = JhtEntry.objects.up_to(on)
        by_kind = dated.totals_by_kind()
        per_account = dated.balances()
    return JhtTotals(
        on=on,
        paid_in=paid,
        returns=by_kind.get(JhtEntry.Kind.RETURN, 0),
        withdrawals=-by_kind.get(JhtEntry.Kind.WITHDRAWAL, 0),
        balances=sum(per_account.values()),
        accounts=len(per_account),
        negative_accounts=sum(1 for b in per_account.values() if b < 0),
    )
