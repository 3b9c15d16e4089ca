"""The claims report: per branch and claim type, the claims by status, the amount paid and the median
service time of the paid claims.

- Which claims: those the caller sees (an administrator all branches, a branch officer its own branch)
  whose claim date (``submitted_on``) is between ``start`` and ``end``, both included; either bound may
  be left open. Other roles are refused (NotAllowed): the report is the agency's management view.
- ``amount_paid``: the sum, in whole rupiah, of every payment instruction (``BenefitPayment``) of those
  claims, whenever it was made: the one-off amount, the pension months and the instalments paid so far.
- ``median_service_days``: the median of ``service_days`` (claim date to payment) over the group's paid
  claims. Not rounded: with an even number of paid claims it is the exact mean of the two middle values,
  so a whole number or a half (``Decimal("2.5")``); ``None`` when the group has no paid claim.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.claims.models import BenefitPayment, Status
from paritrana.claims.scopes import can_process, visible_claims
from paritrana.claims.types import TYPES
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.registry.models import Branch

STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.APPROVED, Status.PAID, Status.REJECTED)


@dataclass
class ReportRow:
    branch_id: int | None
    branch_code: str
    branch_name: str
    claim_type: str
    counts: dict[str, int] = field(default_factory=dict)  # status -> number of claims
    amount_paid: int = 0
    paid_claims: int = 0  # the number of paid claims the median is taken over
    median_service_days: Decimal | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def submitted(self) -> int:
        return self.counts.get(Status.SUBMITTED, 0)

    @property
    def verified(self) -> int:
        return self.counts.get(Status.VERIFIED, 0)

    @property
    def approved(self) -> int:
        return self.counts.get(Status.APPROVED, 0)

    @property
    def paid(self) -> int:
        return self.counts.get(Status.PAID, 0)

    @property
    def rejected(self) -> int:
        return self.counts.get(Status.REJECTED, 0)


def median(values: list[int]) -> Decimal | None:
    """The median of whole numbers, exact: the middle value, or the mean of the two middle values (x or x.5)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return Decimal(ordered[middle - 1] + ordered[middle]) / 2


def claims_report(user: AnyUser | None, start: dt.date | None = None, end: dt.date | None = None) -> list[ReportRow]:
    """The report's rows, by branch code then the catalogue's order of claim types; only groups with claims."""
    if not can_process(user):
        raise NotAllowed(_("the claims report is for administrators and branch officers"))
    if start is not None and end is not None and end < start:
        raise ValidationFailed("end", _("the end is before the start"))
    claims = visible_claims(user).order_by()
    if start is not None:
        claims = claims.filter(submitted_on__gte=start)
    if end is not None:
        claims = claims.filter(submitted_on__lte=end)

    rows: dict[tuple[int | None, str], ReportRow] = {}
    counts: list[dict[str, Any]] = [
        dict(c)
        for c in claims.values("branch_id", "claim_type").annotate(
            **{status.value: Count("id", filter=Q(status=status)) for status in STATUSES}
        )
    ]
    branches = {b.pk: b for b in Branch.objects.filter(pk__in={c["branch_id"] for c in counts} - {None})}
    for c in counts:
        branch = branches.get(c["branch_id"])
        rows[(c["branch_id"], c["claim_type"])] = ReportRow(
            branch_id=c["branch_id"],
            branch_code=branch.code if branch is not None else "",
            branch_name=branch.name if branch is not None else "",
            claim_type=c["claim_type"],
            counts={status.value: int(c[status.value]) for status in STATUSES},
        )
    paid = (
        BenefitPayment.objects.filter(claim__in=claims.values("id"))
        .values("claim__branch_id", "claim__claim_type")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for p in paid:
        rows[(p["claim__branch_id"], p["claim__claim_type"])].amount_paid = int(p["total"] or 0)
    days: dict[tuple[int | None, str], list[int]] = {}
    for branch_id, claim_type, service_days in claims.filter(
        status=Status.PAID, service_days__isnull=False
    ).values_list("branch_id", "claim_type", "service_days"):
        days.setdefault((branch_id, claim_type), []).append(int(service_days or 0))
    for key, values in days.items():
        rows[key].paid_claims = len(values)
        rows[key].median_service_days = median(values)
    order = {code: i for i, code in enumerate(TYPES)}
    return sorted(
        rows.values(),
        key=lambda r: (r.branch_id is None, r.branch_code, order.get(r.claim_type, len(order)), r.claim_type),
    )
