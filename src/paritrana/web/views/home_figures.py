"""The figures of each role's home page, each answering the role's first question within its scope:
a worker's status and JHT balance, HR's unpaid bills and the next due date, a branch officer's claims waiting
by their age, a regional officer's coverage, programme budget and beneficiary lists. Selectors only: they read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, Sum
from django.utils.formats import number_format

from paritrana.claims import workflow
from paritrana.claims.services import claims as claim_svc
from paritrana.contributions.models import Bill, Payment
from paritrana.contributions.scopes import visible_bills
from paritrana.contributions.services import ledger
from paritrana.contributions.workflow import BillStatus
from paritrana.programmes.models import Beneficiary, Programme
from paritrana.programmes.scopes import visible_lists, visible_programmes
from paritrana.registry.models import Membership, Worker
from paritrana.web import access

# the ages of a claim waiting, in days since it was received (the last band open-ended)
WAITING_BANDS = ((0, 7), (8, 14), (15, 30), (31, None))


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


def unpaid_bills(user: Any, today: dt.date) -> dict[str, Any]:
    """The bills not fully paid: how many, how much is left to pay, how many are overdue, the next due date."""
    open_bills = visible_bills(user).with_status(BillStatus.OPEN, today)
    figures = open_bills.aggregate(
        count=Count("pk"),
        left=Sum(F("amount") - F("paid")),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        next_due=Min("due_date", filter=Q(due_date__gte=today)),
    )
    figures["left"] = figures["left"] or 0
    return figures


def claims_waiting(user: Any, today: dt.date) -> list[dict[str, Any]]:
    """The open claims (not yet paid or rejected) in scope by how long they have waited since received."""
    waiting = claim_svc.claims_for(user).exclude(status__in=workflow.CLOSED)
    rows = []
    for low, high in WAITING_BANDS:
        since = Q(submitted_on__lte=today - dt.timedelta(days=low))
        if high is not None:
            since &= Q(submitted_on__gte=today - dt.timedelta(days=high))
        rows.append({"low": low, "high": high, "count": waiting.filter(since).count()})
    return rows


def programme_summary(user: Any, programme: Programme) -> dict[str, Any]:
    """A programme's budget, what its sponsor paid and still owes, the people enrolled, its latest list. Counted
    from the records only (the budget page's month-by-month plan computes the rules: too slow for a home)."""
    bills = Bill.objects.filter(payer__sponsor_id=programme.sponsor_id).aggregate(
        billed=Sum("amount"), paid=Sum("paid")
    )
    spent = Payment.objects.filter(payer__sponsor_id=programme.sponsor_id).aggregate(s=Sum("amount"))["s"] or 0
    return {
        "programme": programme,
        "budget": programme.budget_amount,
        "spent": spent,
        "outstanding": (bills["billed"] or 0) - (bills["paid"] or 0),
        "enrolled": Beneficiary.objects.filter(programme=programme).count(),
        "latest_list": visible_lists(user).filter(programme=programme).order_by("-uploaded_at").first(),
    }


def regional_figures(user: Any, today: dt.date) -> dict[str, Any]:
    """The workers of the region and those protected today; its programmes' budgets; its lists by status."""
    workers = access.visible_workers(user)
    protected = workers.filter(
        Q(memberships__end__isnull=True) | Q(memberships__end__gte=today), memberships__start__lte=today
    )
    total = workers.count()
    covered = protected.distinct().count()
    programmes = [
        programme_summary(user, programme)
        for programme in visible_programmes(user).filter(budget_year__gte=today.year - 1)[:5]
    ]
    share = round(100 * covered / total, 1) if total else None
    return {
        "workers": total,
        "covered": covered,
        "share": share,
        "share_text": f"{number_format(share, 1, use_l10n=True)} %" if share is not None else "—",
        "programmes": programmes,
    }
