"""Cleaning text at input: the bidirectional control characters a name or a note must not carry.

U+202A–U+202E (embeddings and overrides), U+2066–U+2069 (isolates), U+200E/U+200F (marks) and U+061C (the
Arabic letter mark) reorder what is shown after them: ``"Budi\u202eSantoso"`` would display reversed, and a
file name or an amount beside it could be made to read otherwise. They are removed from names and free text
when they come in (registry use cases, file imports). Pure: no Django.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"]
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return _BIDI.sub("", text)


def clean_text(text: str) -> str:
    """``text`` without bidirectional controls and without the spaces around it."""
    return strip_bidi(text).strip()


def css_string(text: str) -> str:
    """``text`` for the inside of a CSS string (``content: "…"``): every character but letters, digits, spaces and
    dashes as a CSS escape, so a name neither ends the string nor shows as an HTML entity (a style sheet does not
    decode ``&lt;``)."""
    return "".join(ch if ch.isalnum() or ch in " -" else f"\\{ord(ch):x} " for ch in text)
