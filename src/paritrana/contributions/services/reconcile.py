"""The day's reconciliation (decision 0009): the statement's credits of a value date against what became
of them, to the rupiah.

The two sides are counted from different records, so a mismatch shows: the statement total is the
sum of the lines' amounts; *allocated* is the sum of the ``Payment`` rows the matched lines became;
*exceptions* are the other lines, open or resolved (the resolved split by what was done: allocated
on resolution, again counted from their payments; returned; marked duplicate). Manual payments
confirmed for the day are listed beside, not in the sum: they are not on the statement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.contributions.models import ManualPayment, StatementLine
from paritrana.contributions.scopes import can_import_statements
from paritrana.core.errors import NotAllowed, ValidationFailed


@dataclass(frozen=True)
class Part:
    """A share of the day's money: how many lines (or payments), and their rupiah summed."""

    count: int
    amount: int

    def __add__(self, other: Part) -> Part:
        return Part(self.count + other.count, self.amount + other.amount)


@dataclass(frozen=True)
class Reconciliation:
    """A value date's statement lines split by what became of them; balanced when nothing is unaccounted for."""

    day: dt.date
    statement: Part  # every credit line of the day
    allocated: Part  # matched lines, summed from their payments
    open: Part  # exceptions not yet resolved
    resolved_allocated: Part  # exceptions an officer allocated, summed from their payments
    returned: Part
    duplicate: Part
    by_problem: dict[str, Part]
    manual: Part  # confirmed manual payments of the day (not on the statement)

    @property
    def exceptions(self) -> Part:
        return self.open + self.resolved_allocated + self.returned + self.duplicate

    @property
    def difference(self) -> int:
        return self.statement.amount - self.allocated.amount - self.exceptions.amount

    @property
    def balanced(self) -> bool:
        return self.difference == 0


def _part(row: dict[str, int | None], name: str) -> Part:
    return Part(int(row[f"{name}_n"] or 0), int(row[f"{name}_sum"] or 0))


def reconcile(user: AnyUser | None, day: dt.date) -> Reconciliation:
    """The reconciliation of value date ``day``. The administrator (or the system); ``NotAllowed`` otherwise."""
    if user is not None and not can_import_statements(user):
        raise NotAllowed(_("only the agency administrator reconciles the bank statements"))
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise ValidationFailed("date", _("give the day to reconcile as YYYY-MM-DD"))
    lines = StatementLine.objects.filter(value_date=day)
    matched = Q(status=StatementLine.Status.MATCHED)
    exception = Q(status=StatementLine.Status.EXCEPTION)

    def part(name: str, where: Q, amount: str = "amount") -> dict[str, Count | Sum]:
        return {f"{name}_n": Count("pk", filter=where), f"{name}_sum": Sum(amount, filter=where)}

    row = lines.aggregate(
        **part("all", Q()),
        **part("allocated", matched, "payment__amount"),
        **part("open", exception & Q(resolution="")),
        **part("resolved", exception & Q(resolution=StatementLine.Resolution.ALLOCATED), "payment__amount"),
        **part("returned", exception & Q(resolution=StatementLine.Resolution.RETURNED)),
        **part("duplicate", exception & Q(resolution=StatementLine.Resolution.DUPLICATE)),
    )
    by_problem = {
        p: Part(n, int(total or 0))
        for p, n, total in lines.filter(exception)
        .values("problem")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .values_list("problem", "n", "total")
        .order_by("problem")
    }
    manual = ManualPayment.objects.filter(status=ManualPayment.Status.CONFIRMED, paid_on=day).aggregate(
        n=Count("pk"), total=Sum("amount")
    )
    return Reconciliation(
        day=day,
        statement=_part(row, "all"),
        allocated=_part(row, "allocated"),
        open=_part(row, "open"),
        resolved_allocated=_part(row, "resolved"),
        returned=_part(row, "returned"),
        duplicate=_part(row, "duplicate"),
        by_problem=by_problem,
        manual=Part(int(manual["n"] or 0), int(manual["total"] or 0)),
    )
