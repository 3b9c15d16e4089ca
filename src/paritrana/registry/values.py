"""Checked values of the registry's use cases: each refused with a ``ValidationFailed`` naming its field.

A value may be a model instance (from a form) or a plain value (from JSON): a region by instance or Kemendagri code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from paritrana.core.errors import ValidationFailed
from paritrana.core.text import clean_text
from paritrana.registry.models import Region

MAX_RUPIAH = 10**13
# Social security for workers began with ASTEK under PP 33/1977 (Jamsostek, Law 3/1992, followed it): no
# membership starts before 1977; and none is recorded more than a year ahead.
FIRST_MEMBERSHIP = dt.date(1977, 1, 1)


def required_value(field: str, data: Mapping[str, Any]) -> Any:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationFailed(field, "is required")
    return value


def text_value(field: str, value: Any, max_length: int) -> str:
    if not isinstance(value, str) or not clean_text(value):
        raise ValidationFailed(field, "is required")
    value = clean_text(value)  # no bidirectional controls: they would turn the name around where it is shown
    if "\x00" in value:
        raise ValidationFailed(field, "contains a NUL character")
    if len(value) > max_length:
        raise ValidationFailed(field, f"must be at most {max_length} characters")
    return value


def choice_value(field: str, value: Any, choices: Iterable[Any]) -> str:
    allowed = [str(c) for c in choices]
    if str(value) not in allowed:
        raise ValidationFailed(field, f"{value} is not one of: {', '.join(allowed)}")
    return str(value)


def whole_number(field: str, value: Any, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 20:
            value = int(value)
        else:
            raise ValidationFailed(field, f"{value} is not a whole number")
    if value < minimum:
        raise ValidationFailed(field, f"must be at least {minimum}")
    if value > maximum:
        raise ValidationFailed(field, f"must be at most {maximum}")
    return value


def date_value(field: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationFailed(field, f"{value} is not a date (YYYY-MM-DD)") from None
    if not isinstance(value, dt.date):
        raise ValidationFailed(field, "is required")
    return value


def membership_start(value: Any, field: str = "start") -> dt.date:
    """A membership's first day: a date from 1 January 1977 (``FIRST_MEMBERSHIP``) to a year from today."""
    start = date_value(field, value)
    latest = today().replace(year=today().year + 1) if (today().month, today().day) != (2, 29) else today()
    if not FIRST_MEMBERSHIP <= start <= latest:
        raise ValidationFailed(
            field,
            gettext("must be between %(first)s (the start of social security for workers, PP 33/1977) and %(last)s")
            % {"first": FIRST_MEMBERSHIP.isoformat(), "last": latest.isoformat()},
        )
    return start


def region_value(field: str, value: Any, levels: Iterable[str]) -> Region:
    if isinstance(value, Region):
        region: Region | None = value
    else:
        region = Region.objects.filter(code=str(value).strip()).first()
    if region is None:
        raise ValidationFailed(field, f"region code {value} does not exist (write it as Kemendagri does, e.g. 33.73)")
    levels = list(levels)
    if region.level not in levels:
        raise ValidationFailed(field, f"{value} is not one of: {', '.join(levels)}")
    return region


def today() -> dt.date:
    return timezone.localdate()
