"""Tags of the bill pages and the bill PDF."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from paritrana.registry.models import Programme
from paritrana.web.bill_text import entry_reference as reference_in_words
from paritrana.web.bill_text import line_note as note_in_words

register = template.Library()


@register.filter
def line_note(note: object) -> str:
    """A bill line's note as a sentence in the active language (web/bill_text.py)."""
    return note_in_words(str(note or ""))


@register.filter
def entry_reference(reference: object) -> str:
    """A JHT entry's reference, the bill line it quotes in words (web/bill_text.py)."""
    return reference_in_words(str(reference or ""))


@register.filter
def programme_name(code: object) -> str:
    """A programme's code with its name ("JKK (kecelakaan kerja)"); a line of no programme (a penalty) as such."""
    text = str(code or "")
    if not text:
        return str(_("no programme (penalty)"))
    return str(Programme(text).label) if text in Programme.values else text
