"""The coverage dashboard's months, denominators and targets (see ``coverage.services.dashboard``).

**The target** of a month is the next milestone of ``coverage.target_rate`` in force on the month's first
day (the first milestone whose year is the month's or later): its rate is to be reached by 31 December of
its year. *Workers to add per month* = (⌈target × employed⌉ − active) ÷ the months after this one up to that
December, rounded up (at least one month); 0 when the region is already at or above the target.

**The denominator** of a month is the workforce of the latest year up to the month's year that has figures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from paritrana.contributions.models import Bill
from paritrana.coverage.models import WorkforceFigure
from paritrana.rules import ParameterNotInForce, load_parameters


@dataclass(frozen=True)
class Target:
    year: int
    rate: Decimal
    reference: str
    uncertain: bool
    why: str | None
    months_left: int  # the months after the month shown up to 31 December of the year

    @property
    def percent(self) -> Decimal:
        return self.rate * 100


def billed_months() -> list[dt.date]:
    """The months with contribution bills, oldest first."""
    return sorted(
        set(Bill.objects.filter(kind=Bill.Kind.CONTRIBUTION).values_list("period", flat=True).distinct().order_by())
    )


def denominator_years(months: Iterable[dt.date]) -> dict[dt.date, int]:
    years = sorted(set(WorkforceFigure.objects.values_list("year", flat=True).distinct().order_by()))
    out = {}
    for month in months:
        earlier = [y for y in years if y <= month.year]
        if earlier:
            out[month] = earlier[-1]
    return out


def _next_milestone(parameter: str, month: dt.date) -> tuple[dict[str, Any], Any] | None:
    """The first milestone of ``parameter`` (rows by year) in force on ``month`` whose year is the month's or
    later, with the parameter's value (its reference); None before any plan or after the last milestone."""
    try:
        value = load_parameters()[parameter].at(month)
    except ParameterNotInForce:
        return None
    ahead = [row for row in value.value if row["year"] >= month.year]
    if not ahead:
        return None
    return min(ahead, key=lambda r: r["year"]), value


def next_target(month: dt.date) -> Target | None:
    found = _next_milestone("coverage.target_rate", month)
    if found is None:
        return None
    row, value = found
    months_left = (row["year"] * 12 + 12) - (month.year * 12 + month.month)
    return Target(row["year"], row["rate"], value.reference, value.uncertain, value.why, months_left)


def agency_target(month: dt.date) -> tuple[int, int, str] | None:
    found = _next_milestone("coverage.agency_active_target", month)
    if found is None:
        return None
    row, value = found
    return int(row["year"]), int(row["active"]), value.reference


def workers_per_month(target: Target | None, employed: int | None, active: int) -> int | None:
    """Workers to add each month to reach ``target`` by its December (see the module's docstring)."""
    if target is None or employed is None:
        return None
    needed = int((target.rate * employed).to_integral_value(rounding=ROUND_CEILING)) - active
    if needed <= 0:
        return 0
    return math.ceil(needed / max(target.months_left, 1))
