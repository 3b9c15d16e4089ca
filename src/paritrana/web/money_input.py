"""Money as people type it: ``28.800.200``, ``Rp 28.800.200``, ``28,800,200`` or ``28800200`` are all 28,800,200
rupiah. Anything else (cents, letters, badly grouped digits) is refused with a message on the field itself.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy

# "Rp"/"IDR" first if at all, then digits: plain, or grouped by three with dots, commas or spaces
_AMOUNT = re.compile(r"(?:rp\.?|idr)?\s*(?P<digits>\d{1,3}(?:([.,\s])\d{3})?(?:\2\d{3})*|\d+)", re.IGNORECASE)


def parse_rupiah(text: str) -> int | None:
    """The whole rupiah of ``text``, or None when it is not an amount written one of the accepted ways."""
    match = _AMOUNT.fullmatch(text.strip().replace("\u00a0", " "))
    if match is None:
        return None
    return int(re.sub(r"\D", "", match.group("digits")))


class RupiahField(forms.IntegerField):
    """An amount of whole rupiah typed as people write it."""

    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": gettext_lazy("write a whole amount of rupiah, for example 28.800.200 or Rp 28.800.200"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        amount = parse_rupiah(str(value))
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount
