"""A bill line's note in words, in the reader's language.

Billing stores an adjustment's note in a fixed form written by the billing batch ("wage 2.845.000 → 4.750.000",
"recomputed; income basis 1.000.000 unchanged"); a person reads it as a sentence with rupiah amounts
("upah dikoreksi dari Rp 2.845.000 menjadi Rp 4.750.000"). A note of any other form is shown as it is.
"""

from __future__ import annotations

import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _

_AMOUNT = r"(\d{1,3}(?:[.,]\d{3})*)"
_CHANGED = re.compile(rf"^(wage|income basis) {_AMOUNT} → {_AMOUNT}$")
_UNCHANGED = re.compile(rf"^recomputed; (wage|income basis) {_AMOUNT} unchanged$")


def _rupiah(text: str) -> str:
    return "Rp " + number_format(int(re.sub(r"\D", "", text)), force_grouping=True)


def line_note(note: str) -> str:
    """The note in words (empty stays empty)."""
    changed = _CHANGED.match(note)
    if changed:
        basis, before, after = changed.groups()
        values = {"before": _rupiah(before), "after": _rupiah(after)}
        if basis == "wage":
            return _("wage corrected from %(before)s to %(after)s") % values
        return _("declared income corrected from %(before)s to %(after)s") % values
    unchanged = _UNCHANGED.match(note)
    if unchanged:
        basis, amount = unchanged.groups()
        if basis == "wage":
            return _("recomputed under the law in force; the wage of %(amount)s is unchanged") % {
                "amount": _rupiah(amount)
            }
        return _("recomputed under the law in force; the declared income of %(amount)s is unchanged") % {
            "amount": _rupiah(amount)
        }
    return note
