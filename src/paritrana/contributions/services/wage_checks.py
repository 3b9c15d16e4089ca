"""Checks of wage rows against the registry: the worker is a wage earner (PU) of the employer, the month
is within the worker's membership and the law, and not billed to another payer (decision 0048);
``services.wages`` and ``services.wage_uploads`` call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop

from paritrana.accounts.scopes import AnyUser, visible_workers
from paritrana.contributions.models import Bill, BillLine
from paritrana.contributions.periods import next_month
from paritrana.contributions.services.wage_store import Checked
from paritrana.contributions.wagefile import RowError, month_label
from paritrana.core.bulk import chunks
from paritrana.core.errors import ValidationFailed
from paritrana.core.messages import row_message
from paritrana.registry.models import Employer, Membership, Scheme
from paritrana.rules import ParameterNotInForce, compute_one

LAW_RULE = "pu_contributions"  # the rule whose parameters say from which month contributions are due


class WageMsg:
    """Messages about a wage report that need the registry; English templates marked for translation."""

    NOT_REGISTERED = gettext_noop("no worker with NIK {nik} is registered with {employer}; register the worker first")
    NOT_REGISTERED_NUMBER = gettext_noop(
        "no worker with NIK {nik} is registered with {employer}; the NIK was a number cell, and a spreadsheet "
        "keeps only 15 digits of a number: format the NIK column as text"
    )
    OTHER_EMPLOYER = gettext_noop("the worker with NIK {nik} is a wage earner of {other}, not of {employer}")
    NOT_PU = gettext_noop(
        "the worker with NIK {nik} is a non-wage earner (BPU), who declares its own income; "
        "wages are reported for wage earners (PU)"
    )
    BEFORE_MEMBERSHIP = gettext_noop("{month} is before the worker's membership began ({start})")
    BEFORE_LAW = gettext_noop("{month} is before contributions were due under the law (from {first})")
    BILLED_ELSEWHERE = gettext_noop(
        "{month} of the worker with NIK {nik} is already billed to {other}; a correction of that month is made on "
        "{other}'s bill by a branch officer"
    )
    NO_PENDING = gettext_noop("this upload has no valid rows waiting to be stored")
    NOT_REJECTED = gettext_noop("this upload is {status}; only a rejected upload's valid rows can be stored")


def invalid(field: str, template: str, **params: str) -> ValidationFailed:
    """The refusal of one report, worded as the same row of a file is (dates kept as ISO text, shown in words)."""
    return ValidationFailed(field, row_message({"template": template, "params": params}))


@lru_cache(maxsize=1)
def first_month_of_law() -> dt.date:
    """The first month for which ``pu_contributions`` can be computed: every parameter it reads is in force."""
    month = dt.date(1900, 1, 1)
    while True:
        try:
            compute_one(LAW_RULE, month, {"wage": 0, "risk_group": 1})
        except ParameterNotInForce as err:
            first = err.first if err.first.day == 1 else next_month(err.first.replace(day=1))
            if first <= month:
                raise
            month = first
        else:
            return month


@dataclass(frozen=True)
class Candidate:
    row: int
    nik: str
    period: dt.date
    wage: int
    nik_was_number: bool = False


def month_checks(period: dt.date, first_membership: dt.date | None) -> tuple[str, dict[str, str]] | None:
    law = first_month_of_law()
    if period < law:
        return WageMsg.BEFORE_LAW, {"month": month_label(period), "first": month_label(law)}
    if first_membership is not None and period < first_membership.replace(day=1):
        return WageMsg.BEFORE_MEMBERSHIP, {"month": month_label(period), "start": first_membership.isoformat()}
    return None


def first_memberships(worker_ids: Sequence[int]) -> dict[int, dt.date]:
    firsts: dict[int, dt.date] = {}
    for chunk in chunks(sorted(set(worker_ids))):
        rows = (
            Membership.objects.filter(worker_id__in=chunk).values("worker_id").annotate(first=Min("start")).order_by()
        )
        firsts.update({r["worker_id"]: r["first"] for r in rows})
    return firsts


WorkerMonth = tuple[int, dt.date]  # (worker id, month)


def billed_elsewhere(employer_id: int, pairs: Iterable[WorkerMonth]) -> dict[WorkerMonth, str]:
    """Of the (worker, month) ``pairs``, those with a line on a contribution bill of a payer other than the
    employer, with that payer's name. The billing run leaves such a month as it is (decision 0047), so a wage
    the employer reports for it would change no bill: it is refused (decision 0048). A query per 2,000 workers.
    """
    wanted = set(pairs)
    months = sorted({month for _, month in wanted})
    found: dict[WorkerMonth, str] = {}
    payer_name = Coalesce("bill__payer__employer__name", "bill__payer__sponsor__name", "bill__payer__worker__name")
    for chunk in chunks(sorted({worker for worker, _ in wanted})):
        rows = (
            BillLine.objects.filter(worker_id__in=chunk, bill__kind=Bill.Kind.CONTRIBUTION, bill__period__in=months)
            .exclude(bill__payer__employer_id=employer_id)
            .values("worker_id", "bill__period")
            .annotate(other=Min(payer_name))
            .order_by()
        )
        for row in rows:
            key = (row["worker_id"], row["bill__period"])
            if key in wanted:
                found[key] = row["other"] or "?"
    return found


def billed_elsewhere_problem(nik: str, month: dt.date, other: str) -> tuple[str, dict[str, str]]:
    return WageMsg.BILLED_ELSEWHERE, {"month": month_label(month), "nik": nik, "other": other}


def check_not_billed_elsewhere(employer_id: int, worker_id: int, nik: str, month: dt.date) -> None:
    """``ValidationFailed`` on ``period`` when the worker's month is billed to another payer than the employer."""
    other = billed_elsewhere(employer_id, [(worker_id, month)]).get((worker_id, month))
    if other is not None:
        template, params = billed_elsewhere_problem(nik, month, other)
        raise invalid("period", template, **params)


def check_rows(
    user: AnyUser | None, employer: Employer, candidates: Sequence[Candidate]
) -> tuple[list[Checked], list[RowError]]:
    """The candidates that the registry accepts, and an error for each one it does not (in bulk)."""
    found: dict[str, dict[str, Any]] = {}
    niks = sorted({c.nik for c in candidates})
    for chunk in chunks(niks):
        for row in (
            visible_workers(user)
            .filter(nik__in=chunk)
            .values("id", "nik", "scheme", "employer_id", "employer__name")
            .order_by()
        ):
            found[row["nik"]] = dict(row)
    firsts = first_memberships([w["id"] for w in found.values()])
    own = [(w["id"], c.period) for c in candidates if (w := found.get(c.nik)) and w["employer_id"] == employer.pk]
    elsewhere = billed_elsewhere(employer.pk, own)
    checked: list[Checked] = []
    errors: list[RowError] = []
    for c in candidates:
        w = found.get(c.nik)
        if w is None:
            template = WageMsg.NOT_REGISTERED_NUMBER if c.nik_was_number else WageMsg.NOT_REGISTERED
            errors.append(RowError(c.row, "nik", template, {"nik": c.nik, "employer": employer.name}))
            continue
        if w["scheme"] != Scheme.PU:
            errors.append(RowError(c.row, "nik", WageMsg.NOT_PU, {"nik": c.nik}))
            continue
        if w["employer_id"] != employer.pk:
            params = {"nik": c.nik, "other": w["employer__name"] or "?", "employer": employer.name}
            errors.append(RowError(c.row, "nik", WageMsg.OTHER_EMPLOYER, params))
            continue
        problem = month_checks(c.period, firsts.get(w["id"]))
        if problem is not None:
            errors.append(RowError(c.row, "period", problem[0], problem[1]))
            continue
        other = elsewhere.get((w["id"], c.period))
        if other is not None:
            errors.append(RowError(c.row, "period", *billed_elsewhere_problem(c.nik, c.period, other)))
            continue
        checked.append(Checked(c.row, w["id"], c.nik, c.period, c.wage))
    return checked, errors


# --- use cases --------------------------------------------------------------------------------------
