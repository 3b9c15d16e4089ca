"""The figures each role's home page answers its first question with (selectors; the home page shows them).
One function per figure, each counted once, from the records (never the rules: a home must be quick).

- worker: its memberships today and earlier, and its JHT balance;
- employer HR: its unpaid bills, what they come to, how many are overdue and the next due date;
- branch officer: the claims waiting for it (to verify, to approve), by how long they have waited;
- regional officer: its region's coverage today; its programmes' budgets, payments and lists, and for a
  province the regencies' programmes it co-funds;
- everyone listing employers: how many it may open (an award assessor: the employers of the candidates it
  scores, not the register it does not see).

Every figure is counted within the user's scope by the apps' own scopes; nothing here widens them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.utils.formats import number_format

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of, visible_employers
from paritrana.award.scopes import visible_candidates
from paritrana.claims.models import Status
from paritrana.claims.scopes import visible_claims
from paritrana.contributions.models import Bill, Payment
from paritrana.contributions.scopes import visible_bills
from paritrana.contributions.services import ledger
from paritrana.contributions.workflow import BillStatus
from paritrana.programmes.models import Beneficiary, BeneficiaryList, Programme
from paritrana.programmes.scopes import visible_lists, visible_programmes
from paritrana.registry.models import Employer, Membership, Region, Worker
from paritrana.web import access

# how long a claim has waited, in days since its claim date: (first day, last day or None for "and more")
CLAIM_AGES = ((0, 7), (8, 14), (15, 30), (31, None))
WAITING = (Status.SUBMITTED, Status.VERIFIED)  # waiting for an officer's decision (approved waits for the payment)
HOME_PROGRAMMES = 5  # the home shows the latest few; the programmes page lists them all


@dataclass(frozen=True)
class WorkerStatus:
    worker: Worker
    active: list[str]  # the programmes the worker is a member of today
    ended: list[str]  # those it was a member of
    jht_balance: int | None  # None: never a JHT member


def worker_status(worker: Worker, today: dt.date) -> WorkerStatus:
    active: list[str] = []
    ended: list[str] = []
    for programme, start, end in Membership.objects.filter(worker=worker).values_list("programme", "start", "end"):
        if start <= today and (end is None or end >= today):
            active.append(programme)
        else:
            ended.append(programme)
    ended = sorted(set(ended) - set(active))
    has_jht = "JHT" in active or "JHT" in ended
    return WorkerStatus(worker, sorted(set(active)), ended, ledger.balance(worker.pk, today) if has_jht else None)


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
        .with_status(BillStatus.OPEN, today)
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
    spent: int  # the payments its sponsor made
    outstanding: int  # billed to its sponsor, not yet paid
    enrolled: int
    last_list: BeneficiaryList | None  # the latest list uploaded, with its status


def programme_figures(
    user: AnyUser | None, since_year: int | None = None, limit: int | None = None
) -> list[ProgrammeFigure]:
    """A regional officer's programmes (its own, and for a province those of its regencies it co-funds), each
    with its budget, payments and latest list; other roles get their visible programmes the same way. Counted
    from the records only: the budget page's use (``budget_use``) prices every month of the year through the
    rules and runs a query per month, too slow for a home."""
    profile = profile_of(user)
    region = profile.region if profile is not None and role_of(user) == Role.REGIONAL_OFFICER else None
    programmes = visible_programmes(user).order_by("-budget_year", "name", "pk")
    if since_year is not None:
        programmes = programmes.filter(budget_year__gte=since_year)
    lists = visible_lists(user)  # its scope read once, not per programme
    out = []
    for programme in programmes[:limit] if limit is not None else programmes:
        share = None
        if region is not None:
            is_province = region.level == Region.Level.PROVINCE
            share = (programme.province_share_bp if is_province else programme.regency_share_bp) / 100
        sponsor_bills = Bill.objects.filter(payer__sponsor_id=programme.sponsor_id)
        bills = sponsor_bills.aggregate(billed=Sum("amount"), paid=Sum("paid"))
        spent = Payment.objects.filter(payer__sponsor_id=programme.sponsor_id).aggregate(s=Sum("amount"))["s"]
        out.append(
            ProgrammeFigure(
                programme=programme,
                own=region is None or programme.region_id == region.pk,
                share_percent=share,
                budget=programme.budget_amount,
                spent=spent or 0,
                outstanding=(bills["billed"] or 0) - (bills["paid"] or 0),
                enrolled=Beneficiary.objects.filter(programme=programme).count(),
                last_list=lists.filter(programme=programme).order_by("-uploaded_at", "-pk").first(),
            )
        )
    return out


@dataclass(frozen=True)
class RegionalFigures:
    workers: int  # registered in the region
    covered: int  # of which protected today
    share: float | None  # covered / workers, percent
    programmes: list[ProgrammeFigure]

    @property
    def share_text(self) -> str:
        return f"{number_format(self.share, 1, use_l10n=True)} %" if self.share is not None else "—"


def regional_figures(user: AnyUser | None, today: dt.date) -> RegionalFigures:
    """The workers of the region and those protected today; its latest programmes' figures."""
    workers = access.visible_workers(user)
    protected = workers.filter(
        Q(memberships__end__isnull=True) | Q(memberships__end__gte=today), memberships__start__lte=today
    )
    total = workers.count()
    covered = protected.distinct().count()
    share = round(100 * covered / total, 1) if total else None
    programmes = programme_figures(user, since_year=today.year - 1, limit=HOME_PROGRAMMES)
    return RegionalFigures(total, covered, share, programmes)


def employers_in_view(user: AnyUser | None) -> QuerySet[Employer]:
    """The employers the user works on: an award assessor's are the employers of the candidates it scores
    (it sees no register), everyone else's the employers in its scope."""
    if role_of(user) == Role.ASSESSOR:
        ids = visible_candidates(user).filter(employer__isnull=False).values("employer_id")
        return Employer.objects.filter(pk__in=ids)
    return visible_employers(user)


def employer_count(user: AnyUser | None) -> int:
    return employers_in_view(user).count()
