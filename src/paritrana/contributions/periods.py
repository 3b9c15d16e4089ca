"""Contribution months: parsed from "YYYY-MM", held as the date of their first day."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import formats
from django.utils.translation import gettext

from paritrana.core.errors import ValidationFailed
from paritrana.rules import load_parameters

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# the months a filter or an input may name: a month past 2100 is a typing mistake (and 9999-12 has no next month)
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_month(text: str, field: str = "period") -> dt.date:
    """``"2025-03"`` → 1 March 2025; anything else is a ValidationFailed naming ``field``."""
    m = _MONTH.match(text.strip()) if isinstance(text, str) else None
    if m is None or not 1 <= int(m.group(2)) <= 12 or not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        raise ValidationFailed(
            field,
            gettext("%(value)s is not a month from 1900-01 to 2100-12; write it as YYYY-MM, e.g. 2025-03")
            % {"value": str(text)[:20]},
        )
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


COLLECTION_STARTED = "collection.started"


def collection_start() -> dt.date:
    """The earliest value date of any payment: the day the agency began collecting (parameter ``collection.started``).

    Every row of a bank file checks its date against it: the parameters are read once a process (the rules'
    cached set, ``load_parameters``), so this is a look-up, and it follows ``forget_parameters``."""
    return load_parameters()[COLLECTION_STARTED].first_effective


def shown_date(value: dt.date) -> str:
    """A date in a message, in the active language's words: ``5 Desember 2026`` / ``5 December 2026``."""
    return str(formats.date_format(value, "j F Y"))
