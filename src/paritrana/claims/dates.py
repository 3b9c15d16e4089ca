"""Calendar arithmetic of claims: months, ages and school years (pure)."""

from __future__ import annotations

import calendar
import datetime as dt

SCHOOL_YEAR_START = (7, 1)  # the Indonesian school year begins in July


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is before ``start``)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def school_year_of(day: dt.date) -> int:
    """The school year (its first calendar year) that ``day`` falls in."""
    return day.year if (day.month, day.day) >= SCHOOL_YEAR_START else day.year - 1


def school_year_start(year: int) -> dt.date:
    return dt.date(year, *SCHOOL_YEAR_START)
