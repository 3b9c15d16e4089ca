"""The period of a scenario run: a calendar month, or a calendar year (1 January to 31 December, decision 0046).

A run's ``period`` is the first day of its month or of its year; its ``span`` says which. The page, the API and
the command line read the period asked with :func:`asked` (one place for its refusals, each naming its field).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from paritrana.contributions.periods import month_end
from paritrana.contributions.wagefile import CellError, parse_month_cell
from paritrana.core.errors import ValidationFailed

MONTH, YEAR = "month", "year"
SPANS = (MONTH, YEAR)


def months(first: dt.date, span: str) -> list[dt.date]:
    """The first day of each month of the period, in order (one for a month, twelve for a year)."""
    if span == YEAR:
        return [dt.date(first.year, m, 1) for m in range(1, 13)]
    return [first.replace(day=1)]


def last_day(first: dt.date, span: str) -> dt.date:
    """The period's last day."""
    if span == YEAR:
        return dt.date(first.year, 12, 31)
    return month_end(first)


def is_first_day(first: dt.date, span: str) -> bool:
    """Whether ``first`` is how a period of ``span`` is given: a month's first day, or 1 January for a year."""
    return first.day == 1 and (span == MONTH or first.month == 1)


def asked(month: str | None, year: str | None) -> tuple[dt.date, str]:
    """The period asked by a month (``YYYY-MM``) or a year (``YYYY``), exactly one of them: its first day and its
    span. Refused naming ``month`` or ``year`` (both, neither, or not written so)."""
    month, year = (month or "").strip(), (year or "").strip()
    if month and year:
        raise ValidationFailed("year", _("give a month or a year, not both"))
    if not month and not year:
        raise ValidationFailed("month", _("give the month (YYYY-MM) or the year (YYYY) to run over"))
    if year:
        if not re.fullmatch(r"[0-9]{4}", year) or not 1900 <= int(year) <= 2100:
            raise ValidationFailed("year", _("give the year as YYYY, e.g. 2026"))
        return dt.date(int(year), 1, 1), YEAR
    try:
        return parse_month_cell(month), MONTH
    except CellError:
        raise ValidationFailed("month", _("give the month as YYYY-MM, e.g. 2026-03")) from None
