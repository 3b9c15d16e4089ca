"""The figures each role's home page answers its first question with (selectors; the home pages show them).

- employer HR: its unpaid bills, what they come to, how many are overdue and the next due date;
- branch officer: the claims waiting for it (to verify, to approve), by how long they have waited;
- regional officer: its programmes' budgets and lists, and for a province the regencies' programmes it
  co-funds;
- everyone listing employers: how many it may open (an award assessor: the employers of the candidates it
  scores, not the register it does not see).

Every figure is counted within the user's scope by the apps' own scopes; nothing here widens them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet, Sum

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of, visible_employers
from paritrana.award.scopes import visible_candidates
from paritrana.claims.models import Status
from paritrana.claims.scopes import visible_claims
from paritrana.contributions.scopes import visible_bills
from paritrana.programmes.models import BeneficiaryList, Programme
from paritrana.programmes.scopes import visible_programmes
from paritrana.programmes.services.budget import budget_use
from paritrana.registry.models import Employer, Region

# how long a claim has waited, in days since its claim date: (first day, last day or None for "and more")
CLAIM_AGES = ((0, 7), (8, 14), (15, 30), (31, None))
WAITING = (Status.SUBMITTED, Status.VERIFIED)


@dataclass(frozen=True)
class BillsDue:
    unpaid: int  # bills not fully paid
    owed: int  # rupiah still to pay on them
    overdue: int  # of which past their due date
    next_due: dt.date | None  # the nearest due date still ahead (today included)


def bills_due(user: AnyUser | None, today: dt.date) -> BillsDue:
    """The user's open bills (employer HR: its company's; a self-paying worker: its own)."""
    figures = (
        visible_bills(user)
        .filter(paid__lt=F("amount"))
        .aggregate(
            unpaid=Count("pk"),
            owed=Sum(F("amount") - F("paid")),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            next_due=Min("due_date", filter=Q(due_date__gte=today)),
        )
    )
    return BillsDue(figures["unpaid"], figures["owed"] or 0, figures["overdue"], figures["next_due"])


@dataclass(frozen=True)
class ClaimAge:
    first_day: int
    last_day: int | None
    count: int


@dataclass(frozen=True)
class ClaimsWaiting:
    to_verify: int
    to_approve: int
    by_age: list[ClaimAge]
    oldest: dt.date | None  # the claim date of the one waiting longest

    @property
    def total(self) -> int:
        return self.to_verify + self.to_approve


def claims_waiting(user: AnyUser | None, today: dt.date) -> ClaimsWaiting:
    """Claims in the user's scope waiting for an officer, counted by status and by days waited."""
    counts: dict[str, Count] = {
        "to_verify": Count("pk", filter=Q(status=Status.SUBMITTED)),
        "to_approve": Count("pk", filter=Q(status=Status.VERIFIED)),
    }
    for first, last in CLAIM_AGES:
        band = Q(submitted_on__lte=today - dt.timedelta(days=first))
        if last is not None:
            band &= Q(submitted_on__gte=today - dt.timedelta(days=last))
        counts[f"age_{first}"] = Count("pk", filter=band)
    waiting = visible_claims(user).filter(status__in=WAITING)
    figures = waiting.aggregate(oldest=Min("submitted_on"), **counts)
    ages = [ClaimAge(first, last, figures[f"age_{first}"]) for first, last in CLAIM_AGES]
    return ClaimsWaiting(figures["to_verify"], figures["to_approve"], ages, figures["oldest"])


@dataclass(frozen=True)
class ProgrammeFigure:
    programme: Programme
    own: bool  # the user's region runs it (else: the user's province co-funds it)
    share_percent: float | None  # the part of the contributions the user's region pays (regional officers)
    budget: int
    spent: int
    committed: int
    enrolled: int
    last_list: BeneficiaryList | None  # the latest list uploaded, with its status


def programme_figures(user: AnyUser | None) -> list[ProgrammeFigure]:
    """A regional officer's programmes (its own, and for a province those of its regencies it co-funds), each
    with its budget use and its latest list; other roles get their visible programmes the same way."""
    profile = profile_of(user)
    region = profile.region if profile is not None and role_of(user) == Role.REGIONAL_OFFICER else None
    out = []
    for programme in visible_programmes(user).order_by("-budget_year", "name", "pk"):
        use = budget_use(programme)
        share = None
        if region is not None:
            is_province = region.level == Region.Level.PROVINCE
            share = (programme.province_share_bp if is_province else programme.regency_share_bp) / 100
        out.append(
            ProgrammeFigure(
                programme=programme,
                own=region is None or programme.region_id == region.pk,
                share_percent=share,
                budget=use.budget,
                spent=use.spent,
                committed=use.committed,
                enrolled=use.enrolled,
                last_list=programme.lists.order_by("-uploaded_at", "-pk").first(),
            )
        )
    return out


def employers_in_view(user: AnyUser | None) -> QuerySet[Employer]:
    """The employers the user works on: an award assessor's are the employers of the candidates it scores
    (it sees no register), everyone else's the employers in its scope."""
    if role_of(user) == Role.ASSESSOR:
        ids = visible_candidates(user).filter(employer__isnull=False).values("employer_id")
        return Employer.objects.filter(pk__in=ids)
    return visible_employers(user)


def employer_count(user: AnyUser | None) -> int:
    return employers_in_view(user).count()
