"""Coverage figures for a person: a region's (or Indonesia's) coverage in a month, its trend, its parts
(provinces or regencies), its breakdowns, the distance to the target and the workers to add per month;
the uncovered segments of a region. Every number comes from ``analytics`` (one Ibis expression) run in
place on the registry database.

**Who** (decision 0007). Administrators, branch officers, award assessors and policy analysts: Indonesia and every region
(counts, no personal data). A regional officer: its own region and the regions below it; another region
is ``NotFound`` (404), the same as one that does not exist. Employer HR, workers and heirs: ``NotAllowed``.

**The target and the denominator** of a month: ``coverage.services.targets``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of
from paritrana.contributions.models import Bill
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.coverage import analytics
from paritrana.coverage.models import WorkforceFigure
from paritrana.coverage.services import compiled
from paritrana.coverage.services.targets import (
    Target,
    agency_target,
    billed_months,
    denominator_years,
    next_target,
    workers_per_month,
)
from paritrana.registry.models import VULNERABLE_OCCUPATIONS, Region

NATIONAL = analytics.NATIONAL
VIEWS = analytics.VIEWS
NATIONAL_ROLES = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.ASSESSOR, Role.POLICY_ANALYST})
# coverage bands of the map, lower bounds in percent
BANDS = (0, 10, 20, 30, 40, 50, 100)
BREAKDOWNS = ("scheme", "programme", "occupation_group", "occupation", "sponsor_kind", "sex", "age_band")


@dataclass(frozen=True)
class RegionFigure:
    code: str
    name: str
    month: dt.date
    view: str
    active: int
    registered: int
    employed: int | None
    rate: float | None  # active ÷ employed
    programmes: dict[str, int] = field(default_factory=dict)
    workers_per_month: int | None = None  # to add each month to reach the next target

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else self.rate * 100

    @property
    def band(self) -> str:
        return band_of(self.rate)


@dataclass
class Dashboard:
    month: dt.date
    months: list[dt.date]
    view: str
    region: Region | None  # None: Indonesia
    total: RegionFigure
    trend: list[RegionFigure]
    parts: list[RegionFigure]  # the provinces of Indonesia, or the regencies of a province
    parts_level: str | None  # "province", "regency" or None (a regency has no parts here)
    target: Target | None
    distance: float | None  # the rate minus the target rate, percentage points
    agency_target: tuple[int, int, str] | None  # (year, active, reference), Indonesia only
    breakdowns: dict[str, list[tuple[str, int, int]]]  # dimension -> (key, active, registered)
    denominator_year: int | None
    denominator_kinds: dict[str, int]  # kind -> figures of that kind among the total and the parts
    # a regency's neighbours in its province, for the map: all of them for those who see the province, else
    # the regency alone
    siblings: list[RegionFigure] = field(default_factory=list)
    complete_month: dt.date | None = None  # the latest month whose bills are all due (the default one)


@dataclass(frozen=True)
class Segment:
    scheme: str
    occupation: str
    vulnerable: bool
    sex: str
    age_band: str
    registered: int
    active: int

    @property
    def not_active(self) -> int:
        return self.registered - self.active


def band_of(rate: float | None) -> str:
    """The map band of a rate: ``none`` without a denominator, else the lower bound in percent (``b30``)."""
    if rate is None:
        return "none"
    percent = rate * 100
    return "b" + str(max(b for b in BANDS if percent >= b))


# --- scope -----------------------------------------------------------------------------------------


def coverage_root(user: AnyUser | None) -> Region | None:
    """The widest region ``user`` may see coverage of: None for Indonesia; ``NotAllowed`` for no coverage."""
    if user is None:
        return None
    role = role_of(user)
    if role in NATIONAL_ROLES:
        return None
    profile = profile_of(user)
    if role == Role.REGIONAL_OFFICER and profile is not None and profile.region is not None:
        region = profile.region
        if region.level in (Region.Level.PROVINCE, Region.Level.REGENCY):
            return region
        return Region.objects.get(code=region.code[:5])  # a district's or village's officer: its regency
    raise NotAllowed(_("coverage figures are for the agency, award assessors and regional governments"))


def can_view_coverage(user: AnyUser | None) -> bool:
    try:
        coverage_root(user)
    except NotAllowed:
        return False
    return True


def region_in_scope(user: AnyUser | None, code: str | None) -> Region | None:
    """The region ``code`` (a province or regency/city) if ``user`` may see it; no code: the user's widest."""
    root = coverage_root(user)
    if not code:
        return root
    region = Region.objects.filter(code=code, level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]).first()
    if region is None or (root is not None and not (code == root.code or code.startswith(root.code + "."))):
        raise NotFound(_("no province or regency/city %(code)s in your scope") % {"code": code})
    return region


# --- figures -----------------------------------------------------------------------------------------


def _check_view(view: str) -> str:
    if view not in VIEWS:
        raise ValidationFailed("view", _("the view is domicile or employer, not %(view)s") % {"view": view})
    return view


def last_complete_month(today: dt.date) -> dt.date | None:
    """The latest billed month whose contribution bills are all past their due date (the date each bill was
    given by rule late_payment_penalty when it was billed): its figures are whole. A later month's bills are
    mostly not due yet, so its rate is low only because few have paid so far. One query on the bills: the
    page does not start the rules engine to recompute the dates."""
    per_month = (
        Bill.objects.filter(kind=Bill.Kind.CONTRIBUTION)
        .values("period")
        .annotate(last_due=Max("due_date"))
        .filter(last_due__lt=today)
        .order_by("-period")
    )
    return next(iter(per_month.values_list("period", flat=True)[:1]), None)


def _pick_month(month: dt.date | None, months: Sequence[dt.date], complete: dt.date | None) -> dt.date:
    if not months:  # nothing billed yet: the month asked for, or this one, with no participant
        return month or dt.date.today().replace(day=1)
    if month is None:  # the last complete month; the latest billed one when none is complete yet
        return complete or months[-1]
    if month not in months:
        raise ValidationFailed("month", _("%(month)s has not been billed") % {"month": f"{month:%Y-%m}"})
    return month


def _figures(rows: list[dict[str, Any]], names: dict[str, str], target: Target | None) -> list[RegionFigure]:
    out = []
    for r in rows:
        employed = None if r["employed"] is None or r["employed"] != r["employed"] else int(r["employed"])
        rate = None if r["rate"] is None or r["rate"] != r["rate"] else float(r["rate"])
        active = int(r["active"])
        out.append(
            RegionFigure(
                code=r["code"],
                name=names.get(r["code"], r["code"]),
                month=_as_date(r["period"]),
                view=r["view"],
                active=active,
                registered=int(r["registered"]),
                employed=employed,
                rate=rate,
                programmes={p: int(r[f"active_{p.lower()}"]) for p in analytics.PROGRAMMES},
                workers_per_month=workers_per_month(target, employed, active),
            )
        )
    return out


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def region_names(codes: Iterable[str]) -> dict[str, str]:
    names = dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))
    names[NATIONAL] = _("Indonesia")
    return names


def rates(level: str, months: Sequence[dt.date], view: str, *, within: str | None = None) -> list[dict[str, Any]]:
    """``analytics.coverage_rates`` on the registry for ``months`` (plain rows; the SQL compiled once)."""
    years = tuple(sorted(denominator_years(months).items()))
    return compiled.rows(compiled.Rates(level, tuple(months), view, within, years))


def dashboard(
    user: AnyUser | None, *, region_code: str | None = None, month: dt.date | None = None, view: str = "domicile"
) -> Dashboard:
    region = region_in_scope(user, region_code)
    view = _check_view(view)
    months = billed_months()
    complete = last_complete_month(timezone.localdate())
    month = _pick_month(month, months, complete)
    months = months or [month]
    target = next_target(month)
    if region is None:
        level, code, parts_level, within = "national", NATIONAL, "province", None
    elif region.level == Region.Level.PROVINCE:
        level, code, parts_level, within = "province", region.code, "regency", region.code
    else:
        level, code, parts_level, within = "regency", region.code, None, region.code[:2]
    own_rows = [r for r in rates(level, months, view, within=within) if r["code"] == code]
    part_rows = rates(parts_level, [month], view, within=within) if parts_level is not None else []
    names = region_names([code, *(r["code"] for r in part_rows)])
    trend = sorted(_figures(own_rows, names, target), key=lambda f: f.month)
    total = next(
        (f for f in trend if f.month == month),
        RegionFigure(code, names.get(code, code), month, view, 0, 0, None, None, {}, None),
    )
    if parts_level == "province":
        parts = _figures(part_rows, names, target)
    else:
        parts = _figures([r for r in part_rows if r["code"].startswith(code + ".")], names, target)
    parts.sort(key=lambda f: f.code)
    siblings: list[RegionFigure] = []
    if level == "regency":
        root = coverage_root(user)
        seen = [r for r in rates("regency", [month], view, within=within)
                if root is None or r["code"] == code or r["code"].startswith(root.code + ".")]  # fmt: skip
        siblings = _figures(seen, region_names(r["code"] for r in seen), target)
    column = {"province": "province", "regency": "regency"}.get(level)
    breakdowns = _breakdowns(compiled.rows(compiled.Cube((month,), view, column, code if column else None)))
    years = denominator_years([month])
    kinds: dict[str, int] = defaultdict(int)
    if month in years:
        codes = [c for c in [code, *(p.code for p in parts)] if c != NATIONAL]
        qs = WorkforceFigure.objects.filter(year=years[month])
        for kind in qs.filter(region__code__in=codes).values_list("kind", flat=True):
            kinds[kind] += 1
        if code == NATIONAL:
            for kind in qs.filter(region__isnull=True).values_list("kind", flat=True):
                kinds[kind] += 1
    distance = None
    if target is not None and total.rate is not None:
        distance = (total.rate - float(target.rate)) * 100
    return Dashboard(
        month=month,
        months=months,
        view=view,
        region=region,
        total=total,
        trend=trend,
        parts=parts,
        parts_level=parts_level,
        target=target,
        distance=distance,
        agency_target=agency_target(month) if region is None else None,
        breakdowns=breakdowns,
        denominator_year=years.get(month),
        denominator_kinds=dict(kinds),
        siblings=siblings,
        complete_month=complete,
    )


def _breakdowns(rows: list[dict[str, Any]]) -> dict[str, list[tuple[str, int, int]]]:
    out: dict[str, dict[str, list[int]]] = {name: defaultdict(lambda: [0, 0]) for name in BREAKDOWNS}
    for r in rows:
        for name in ("scheme", "occupation", "sponsor_kind", "sex", "age_band"):
            cell = out[name][r[name]]
            cell[0] += int(r["active"])
            cell[1] += int(r["registered"])
        group = out["occupation_group"]["vulnerable" if r["occupation"] in VULNERABLE_OCCUPATIONS else "other"]
        group[0] += int(r["active"])
        group[1] += int(r["registered"])
        for p in analytics.PROGRAMMES:
            out["programme"][p][0] += int(r[f"active_{p.lower()}"])
    return {name: _in_order(name, cells) for name, cells in out.items()}


# age bands are read youngest first; every other breakdown the largest first
AGE_ORDER = {label: i for i, label in enumerate([label for _upper, label in analytics.AGE_BANDS] + ["65+"])}


def _in_order(name: str, cells: dict[str, list[int]]) -> list[tuple[str, int, int]]:
    rows = [(k, v[0], v[1]) for k, v in cells.items()]
    if name == "age_band":
        return sorted(rows, key=lambda x: (AGE_ORDER.get(x[0], len(AGE_ORDER)), x[0]))
    return sorted(rows, key=lambda x: (-x[1], x[0]))


def segments(
    user: AnyUser | None, region_code: str, *, month: dt.date | None = None, view: str = "domicile"
) -> tuple[Region, dt.date, list[Segment], RegionFigure]:
    """The segments (scheme × occupation × sex × age band) of a region in a month: registered and active, the
    most participants not active first; and the region's own figure (its employed persons)."""
    region = region_in_scope(user, region_code)
    if region is None:
        raise ValidationFailed("region", _("choose a province or a regency/city"))
    view = _check_view(view)
    months = billed_months()
    month = _pick_month(month, months, last_complete_month(timezone.localdate()) if month is None else None)
    column = "province" if region.level == Region.Level.PROVINCE else "regency"
    cells: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in compiled.rows(compiled.Cube((month,), view, column, region.code)):
        cell = cells[(r["scheme"], r["occupation"], r["sex"], r["age_band"])]
        cell[0] += int(r["registered"])
        cell[1] += int(r["active"])
    found = [Segment(k[0], k[1], k[1] in VULNERABLE_OCCUPATIONS, k[2], k[3], v[0], v[1]) for k, v in cells.items()]
    found.sort(key=lambda s: (-s.not_active, -s.registered, s.scheme, s.occupation, s.sex, s.age_band))
    level = "province" if region.level == Region.Level.PROVINCE else "regency"
    rows = [r for r in rates(level, [month], view, within=region.code[:2]) if r["code"] == region.code]
    own = _figures(rows, {region.code: region.name}, next_target(month))
    figure = own[0] if own else RegionFigure(region.code, region.name, month, view, 0, 0, None, None)
    return region, month, found, figure
