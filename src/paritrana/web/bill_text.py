"""A bill line's note in words, in the reader's language.

Billing and the penalties store a note language-neutral, a key and its values (``contributions/line_notes.py``:
"wage_corrected 2845000 4750000"); a person reads it as a sentence with rupiah amounts and dates in words
("upah dikoreksi dari Rp 2.845.000 menjadi Rp 4.750.000"). A note written in English before is read the same way;
a note of any other form is shown as it is. A JHT entry's reference quotes the note of the line it credits
("2025-03 adjustment: wage_corrected …"): ``entry_reference`` puts both in words.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from paritrana.contributions.line_notes import from_english, parse
from paritrana.contributions.models import BillLine

_REFERENCE = re.compile(r"^(\d{4}-\d{2}) (\w+)(?:: (.*))?$", re.DOTALL)


def _rupiah(digits: str) -> str:
    return "Rp " + number_format(int(digits), force_grouping=True)


def _day(iso: str) -> str:
    return date_format(dt.date.fromisoformat(iso), "j F Y")


def _month(text: str) -> str:
    return date_format(dt.date.fromisoformat(text + "-01"), "F Y")


def line_note(note: str) -> str:
    """The note in words (empty stays empty)."""
    parsed = parse(note) or parse(from_english(note) or "")
    if parsed is None:
        return note
    key, values = parsed
    if key == "wage_corrected":
        return _("wage corrected from %(before)s to %(after)s") % {
            "before": _rupiah(values[0]),
            "after": _rupiah(values[1]),
        }
    if key == "income_basis_corrected":
        return _("declared income corrected from %(before)s to %(after)s") % {
            "before": _rupiah(values[0]),
            "after": _rupiah(values[1]),
        }
    if key == "wage_recomputed":
        return _("recomputed under the law in force; the wage of %(amount)s is unchanged") % {
            "amount": _rupiah(values[0])
        }
    if key == "income_basis_recomputed":
        return _("recomputed under the law in force; the declared income of %(amount)s is unchanged") % {
            "amount": _rupiah(values[0])
        }
    return _late(values)


def _late(values: list[str]) -> str:
    months, amount, period, due, paid, reference = values
    try:
        words = {
            "months": int(months),
            "amount": _rupiah(amount),
            "period": _month(period),
            "due": _day(due),
            "paid": _day(paid),
            "reference": reference,
        }
    except ValueError:  # a date that is not one: the note as stored
        return " ".join(values)
    return (
        ngettext(
            "%(months)s month late: %(amount)s of the contributions of %(period)s (due %(due)s) paid %(paid)s, "
            "reference %(reference)s",
            "%(months)s months late: %(amount)s of the contributions of %(period)s (due %(due)s) paid %(paid)s, "
            "reference %(reference)s",
            int(months),
        )
        % words
    )


def entry_reference(reference: str) -> str:
    """A JHT entry's reference that quotes a bill line ("2025-03 adjustment: <note>") with the line's kind and note
    in words ("2025-03 contribution": the month and the kind); any other reference as it is."""
    m = _REFERENCE.match(reference or "")
    if m is None or m.group(2) not in BillLine.Kind.values:
        return reference or ""
    period, kind, note = m.groups()
    shown = f"{_month(period)} · {BillLine.Kind(kind).label}"
    return f"{shown}: {line_note(note)}" if note else shown
