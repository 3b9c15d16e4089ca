"""Active status of a worker month by month, and an employer's compliance; regional minimum wages.

**The rule of active status** (decision 0005). A worker is *active* ("paid") for a contribution month
when that month's contribution lines for it (kinds contribution and adjustment, on the month's
contribution bills, whoever the payer) add up to more than zero and every bill carrying them is
fully paid. No grace period is applied beyond the legal due date: an employer pays a month by the
15th of the following month (PP 44/2015 and the parallel articles of PP 45/2015 and PP 46/2015), a
non-wage earner (BPU) by the 15th of the same month (Permenaker 5/2021); the due date is the bill's, set by the rule ``late_payment_penalty``. So a
month whose bill is not fully paid is *not yet due* up to and including its due date, and *unpaid*
after it; a month with no line for the worker (or lines adding up to zero: billed, then corrected
away) is *not billed*. A bill paid in part leaves all its workers unpaid: a part payment cannot be
told whose contribution it is (as the JHT ledger reads it).

The JKP rule that benefits continue while an employer that went bankrupt or closed is up to six
months in arrears (PP 6/2025 art 39A) concerns claims, not the
status: a month in arrears is "unpaid" here, and the claims module applies art 39A.

**Employer compliance** for a month: its wage earners (PU) with a membership in force in the month,
how many of them are paid up (the share, an exact fraction), and the indicators of partial
registration (PDS, *Perusahaan Daftar Sebagian*, as BPJS TK names it): *PDS upah*, a worker whose
wage for the month (as billing takes it: the wage report of the month, else the latest before it,
else the wage recorded at registration) is below the regional minimum wage in force on the first
day of the month (the regency's or city's UMK where one is recorded, else the province's UMP; the
employer's region, where the work is); *PDS program*, a worker without a membership in force in a
programme the employer must give it: JKK, JKM and JHT always, JP too for medium and large
employers (parameter ``compliance.required_programmes``, Perpres 109/2013 art 6), except for a worker who has reached the JP pension age
in force (parameter ``jp.pension_age``, PP 45/2015 art 15) by the first day of the month. These
are indicators for a branch officer to look into, not findings: a reported wage below the minimum
may be a part-time wage. *PDS tenaga kerja* (workers not registered at all) cannot be seen from the
registry and is not shown.

**Minimum wages** are data, not parameters (decision 0005): an administrator records a governor's
decree for a province (UMP) or a regency/city (UMK) from a date.

**Who.** A worker's months: whoever sees the worker (``accounts.scopes.visible_workers``). An
employer's compliance: its HR, branch officers in its territory, regional officers for employers in
their region, administrators (``accounts.scopes.visible_employers``). Out of scope is ``NotFound``.
``user=None`` is the system.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of, visible_employers, visible_workers
from paritrana.contributions.models import Bill, BillLine, RegionalMinimumWage, WageReport
from paritrana.contributions.periods import month_end, shown_date
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Employer, Membership, Region, Scheme, SizeClass, Worker
from paritrana.rules import ParameterNotInForce, load_parameters
from paritrana.rules.money import rupiah_text


class MonthStatus(models.TextChoices):
    PAID = "paid", gettext_lazy("paid")
    UNPAID = "unpaid", gettext_lazy("unpaid")
    NOT_YET_DUE = "not yet due", gettext_lazy("not yet due")
    NOT_BILLED = "not billed", gettext_lazy("not billed")


PROGRAMMES_ASKED = ("JKK", "JKM", "JHT", "JP")
MEDIUM_OR_LARGE = frozenset({SizeClass.MEDIUM, SizeClass.LARGE})
MINIMUM_WAGE_LEVELS = frozenset({Region.Level.PROVINCE, Region.Level.REGENCY})
DECREE_LENGTH = RegionalMinimumWage._meta.get_field("reference").max_length or 200


@dataclass(frozen=True)
class FlaggedWorker:
    """A worker showing a sign of partial registration, and why."""

    worker: Worker
    wage: int
    below_minimum_wage: bool
    missing_programmes: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Compliance:
    employer: Employer
    period: dt.date
    workers: int  # wage earners with a membership in force in the month
    paid_up: int  # of them, active (paid) for the month
    share: Fraction | None  # paid_up / workers; None without workers
    required_programmes: tuple[str, ...]
    minimum_wage: RegionalMinimumWage | None  # in force on the first day of the month, where the employer is
    below_minimum_wage: int  # workers whose wage is below it (PDS upah)
    missing_programme: int  # workers missing a required programme (PDS program)
    flagged: list[FlaggedWorker] = field(default_factory=list)

    @property
    def share_per_mille(self) -> int | None:
        """The share in thousandths, rounded down (no float)."""
        return None if self.share is None else self.share.numerator * 1000 // self.share.denominator


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _check_month(value: object, name: str) -> dt.date:
    if not _is_date(value) or value.day != 1:  # type: ignore[attr-defined]
        raise ValidationFailed(name, _("%(value)s is not a month: give the first day of the month") % {"value": value})
    return value  # type: ignore[return-value]


# --- a worker's months -----------------------------------------------------------------------


def month_status(
    user: AnyUser | None, worker_id: int, months: Iterable[dt.date], *, on: dt.date | None = None
) -> dict[dt.date, MonthStatus]:
    """The status of ``worker_id`` for each of ``months`` (first days), as it stands on ``on`` (today when
    omitted): paid, unpaid (past the due date), not yet due, or not billed. See the module's docstring."""
    wanted = [_check_month(m, "months") for m in months]
    today = on or timezone.localdate()
    if not _is_date(today):
        raise ValidationFailed("on", _("give the day the status is read on"))
    workers = Worker.objects.all() if user is None else visible_workers(user)
    if not workers.filter(pk=worker_id).exists():
        raise NotFound(_("no worker with id %(id)s") % {"id": worker_id})
    totals: dict[dt.date, int] = defaultdict(int)
    bills: dict[dt.date, dict[int, tuple[bool, dt.date]]] = defaultdict(dict)
    rows = BillLine.objects.filter(
        worker_id=worker_id, bill__kind=Bill.Kind.CONTRIBUTION, bill__period__in=set(wanted)
    ).values_list("bill__period", "bill_id", "bill__amount", "bill__paid", "bill__due_date", "amount")
    for period, bill_id, amount, paid, due, line_amount in rows:
        totals[period] += line_amount
        bills[period][bill_id] = (paid >= amount, due)
    out: dict[dt.date, MonthStatus] = {}
    for month in wanted:
        if totals.get(month, 0) <= 0:
            out[month] = MonthStatus.NOT_BILLED
            continue
        unpaid_dues = [due for is_paid, due in bills[month].values() if not is_paid]
        if not unpaid_dues:
            out[month] = MonthStatus.PAID
        elif today > min(unpaid_dues):
            out[month] = MonthStatus.UNPAID
        else:
            out[month] = MonthStatus.NOT_YET_DUE
    return out


def active_workers(period: dt.date) -> QuerySet[Worker]:
    """The workers active (paid) for the month ``period``, as one query (set-based)."""
    period = _check_month(period, "period")
    lines = BillLine.objects.filter(bill__period=period, bill__kind=Bill.Kind.CONTRIBUTION, worker__isnull=False)
    billed = lines.values("worker_id").annotate(total=Sum("amount")).filter(total__gt=0).values("worker_id").order_by()
    unpaid = lines.filter(bill__paid__lt=F("bill__amount")).values("worker_id").order_by()
    return Worker.objects.filter(pk__in=billed).exclude(pk__in=unpaid)


# --- minimum wages ---------------------------------------------------------------------------


def _province_and_regency(code: str) -> tuple[str, str | None]:
    parts = code.split(".")
    return parts[0], ".".join(parts[:2]) if len(parts) >= 2 else None


def minimum_wage_for(region: Region, on: dt.date) -> RegionalMinimumWage | None:
    """The minimum wage in force on ``on`` for a place in ``region`` (any level): the regency's or city's
    (UMK) where one is recorded, else the province's (UMP); None when neither is recorded."""
    province, regency = _province_and_regency(region.code)
    codes = [c for c in (regency, province) if c]
    found: dict[str, RegionalMinimumWage] = {}
    for wage in (
        RegionalMinimumWage.objects.select_related("region")
        .filter(region__code__in=codes, valid_from__lte=on)
        .order_by("valid_from")
    ):
        found[wage.region.code] = wage  # the latest per region wins
    return found.get(regency or "") or found.get(province)


def set_minimum_wage(
    user: AnyUser | None, region_code: str, valid_from: dt.date, amount: int, reference: str
) -> RegionalMinimumWage:
    """Record the minimum wage of a province (UMP) or a regency/city (UMK) from ``valid_from`` and the
    decree setting it; a second call for the same region and date corrects it (its history is kept).
    Administrators only (``NotAllowed``); ``ValidationFailed`` names the field."""
    if user is not None and role_of(user) != Role.ADMIN:
        raise NotAllowed(_("only an administrator may set a minimum wage"))
    code = (region_code or "").strip() if isinstance(region_code, str) else ""
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        raise ValidationFailed("region", _("no region with code %(code)s") % {"code": region_code})
    if region.level not in MINIMUM_WAGE_LEVELS:
        raise ValidationFailed(
            "region",
            _("%(region)s is a %(level)s: a minimum wage is set for a province (UMP) or a regency or city (UMK)")
            % {"region": str(region), "level": region.get_level_display()},
        )
    if not _is_date(valid_from):
        raise ValidationFailed("valid_from", _("give the day the minimum wage applies from"))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed("amount", _("the amount must be a whole number of rupiah above zero"))
    reference = (reference or "").strip() if isinstance(reference, str) else ""
    if not reference:
        raise ValidationFailed("reference", _("give the decree that sets the minimum wage"))
    if len(reference) > DECREE_LENGTH:
        raise ValidationFailed(
            "reference", _("at most %(n)s characters, not %(got)s") % {"n": DECREE_LENGTH, "got": len(reference)}
        )
    with transaction.atomic():
        wage, _created = RegionalMinimumWage.objects.update_or_create(
            region=region, valid_from=valid_from, defaults={"amount": amount, "reference": reference}
        )
    return wage


# --- an employer's compliance ----------------------------------------------------------------


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _pension_age(on: dt.date) -> int | None:
    try:
        return int(load_parameters()["jp.pension_age"].at(on).value)
    except ParameterNotInForce:
        return None


def required_programmes(size_class: str, on: dt.date) -> tuple[str, ...]:
    """The programmes an employer of ``size_class`` must give its wage earners (``compliance.required_programmes``)."""
    group = "medium_large" if size_class in MEDIUM_OR_LARGE else "micro_small"
    try:
        flags = load_parameters()["compliance.required_programmes"].at(on).value
    except ParameterNotInForce:
        return ()
    return tuple(p for p in PROGRAMMES_ASKED if flags.get(f"{group}_{p}"))


def employer_compliance(user: AnyUser | None, employer_id: int, period: dt.date) -> Compliance:
    """The compliance of ``employer_id`` for the month ``period``: see the module's docstring."""
    period = _check_month(period, "period")
    employers = Employer.objects.select_related("region") if user is None else visible_employers(user)
    employer = employers.filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(_("no employer with id %(id)s") % {"id": employer_id})
    last = month_end(period)
    in_force = Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gte=period))
    latest_report = (
        WageReport.objects.filter(worker=OuterRef("pk"), period__lte=period).order_by("-period").values("wage")[:1]
    )
    workers = list(
        Worker.objects.filter(employer=employer, scheme=Scheme.PU)
        .filter(Exists(Membership.objects.filter(in_force, worker=OuterRef("pk"))))
        .annotate(month_wage=Coalesce(Subquery(latest_report), F("wage")))
        .order_by("name", "pk")
    )
    ids = [w.pk for w in workers]
    programmes: dict[int, set[str]] = defaultdict(set)
    for worker_id, programme in Membership.objects.filter(in_force, worker_id__in=ids).values_list(
        "worker_id", "programme"
    ):
        programmes[worker_id].add(programme)
    paid_up = set(active_workers(period).filter(pk__in=ids).values_list("pk", flat=True))
    required = required_programmes(employer.size_class, period)
    pension_age = _pension_age(period)
    minimum = minimum_wage_for(employer.region, period)
    flagged: list[FlaggedWorker] = []
    below = missing_count = 0
    for worker in workers:
        wage = int(worker.month_wage)
        needed = [
            p
            for p in required
            if not (p == "JP" and pension_age is not None and _age_on(worker.birth_date, period) >= pension_age)
        ]
        missing = tuple(p for p in needed if p not in programmes[worker.pk])
        is_below = minimum is not None and wage < minimum.amount
        reasons = []
        if is_below:
            assert minimum is not None
            below += 1
            reasons.append(
                _("wage %(wage)s is below the minimum wage of %(minimum)s (%(region)s, from %(date)s)")
                % {
                    "wage": rupiah_text(wage),
                    "minimum": rupiah_text(minimum.amount),
                    "region": minimum.region.name,
                    "date": shown_date(minimum.valid_from),
                }
            )
        if missing:
            missing_count += 1
            reasons.append(_("not in %(programmes)s") % {"programmes": ", ".join(missing)})
        if reasons:
            flagged.append(FlaggedWorker(worker, wage, is_below, missing, tuple(reasons)))
    count = len(workers)
    return Compliance(
        employer=employer,
        period=period,
        workers=count,
        paid_up=len(paid_up),
        share=Fraction(len(paid_up), count) if count else None,
        required_programmes=required,
        minimum_wage=minimum,
        below_minimum_wage=below,
        missing_programme=missing_count,
        flagged=flagged,
    )
