"""The registry's facts a claim's rule reads, each by a provider a claim type declares (``ClaimType.registry``).

- ``wage``: the wage reported for the month of the event, else the latest reported before it, else
  the registration wage (the wage reported to BPJS TK is the basis of JKK benefits, PP 44/2015
  Lampiran III as amended by PP 82/2019).
- ``contribution_months``: the months of the programme whose contribution is paid (the line on a
  fully paid bill) up to the event. Months before this system's records are the officer's
  correction from the old records.
- ``average_wage`` (JP): the average wage of the paid JP months, else the wage above; not indexed.
- ``membership_start`` / ``membership_active`` / ``membership_months``: from the programme's
  membership; ``balance``: the JHT account on the claim date (the ledger).

An officer may correct each at verification, and the correction is recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from paritrana.claims.dates import add_months, age_on, month_start, months_between
from paritrana.claims.declaration import FactContext, Provider
from paritrana.contributions.models import Bill, BillLine, WageReport
from paritrana.contributions.services import ledger
from paritrana.core.errors import ValidationFailed
from paritrana.registry.models import Membership, Worker


def reported_wage(worker: Worker, on: dt.date) -> int:
    report = (
        WageReport.objects.filter(worker=worker, period__lte=month_start(on))
        .order_by("-period")
        .values_list("wage", flat=True)
        .first()
    )
    return int(report if report is not None else worker.wage)


def _paid_lines(worker: Worker, programme: str, until: dt.date) -> Any:
    return BillLine.objects.filter(
        worker=worker,
        programme=programme,
        kind=BillLine.Kind.CONTRIBUTION,
        bill__kind=Bill.Kind.CONTRIBUTION,
        bill__paid__gte=F("bill__amount"),
        bill__period__lte=month_start(until),
    )


def paid_months(worker: Worker, programme: str, until: dt.date) -> int:
    return _paid_lines(worker, programme, until).values("bill__period").distinct().count()


def average_paid_wage(worker: Worker, programme: str, until: dt.date) -> int:
    agg = _paid_lines(worker, programme, until).aggregate(total=Sum("wage"), n=Count("id"))
    if not agg["n"]:
        return reported_wage(worker, until)
    return (int(agg["total"]) * 2 + agg["n"]) // (2 * agg["n"])  # rounded half up, in integers


def consecutive_paid_months(worker: Worker, programme: str, until: dt.date) -> int:
    """Paid months running back without a gap from the last paid month up to ``until``."""
    months = sorted(set(_paid_lines(worker, programme, until).values_list("bill__period", flat=True)), reverse=True)
    run = 0
    expected = months[0] if months else None
    for month in months:
        if month != expected:
            break
        run += 1
        expected = add_months(month, -1)
    return run


def membership_of(worker: Worker, programme: str) -> Membership | None:
    return Membership.objects.filter(worker=worker, programme=programme).order_by("start").first()


def _membership_start(c: FactContext) -> dt.date:
    membership = membership_of(c.worker, c.programme)
    if membership is None:
        raise ValidationFailed("worker", _("the participant has no %(p)s membership") % {"p": c.programme})
    return membership.start


def _membership_active(c: FactContext) -> bool:
    m = membership_of(c.worker, c.programme)
    return m is not None and m.start <= c.event and (m.end is None or m.end >= c.event)


def _membership_months(c: FactContext) -> int:
    m = membership_of(c.worker, c.programme)
    return months_between(m.start, c.event) if m else 0


def _age_at_registration(c: FactContext) -> int:
    m = membership_of(c.worker, c.programme)
    return age_on(c.worker.birth_date, m.start if m else c.event)


def paid_claim_of(claim_type: str) -> Provider:
    """Whether a claim of ``claim_type`` was paid to the participant (e.g. the one partial JHT withdrawal)."""

    def provide(c: FactContext) -> bool:
        from paritrana.claims.models import Claim, Status

        return Claim.objects.filter(worker=c.worker, claim_type=claim_type, status=Status.PAID).exists()

    return provide


PROVIDERS: dict[str, Provider] = {
    "wage": lambda c: reported_wage(c.worker, c.event),
    "birth_date": lambda c: c.worker.birth_date,
    "participant_birth_date": lambda c: c.worker.birth_date,
    "balance": lambda c: ledger.balance(c.worker.pk, c.claim_date),
    "contribution_months": lambda c: paid_months(c.worker, c.programme, c.event),
    "consecutive_months": lambda c: consecutive_paid_months(c.worker, c.programme, c.event),
    "average_wage": lambda c: average_paid_wage(c.worker, c.programme, c.event),
    "membership_start": _membership_start,
    "membership_active": _membership_active,
    "membership_months": _membership_months,
    "age_at_registration": _age_at_registration,
    "claim_date": lambda c: c.claim_date,
}


def facts(*names: str, **custom: Provider) -> dict[str, Provider]:
    """The providers of a type's registry facts: the common ones by name, and any of its own by keyword."""
    return {**{name: PROVIDERS[name] for name in names}, **custom}
