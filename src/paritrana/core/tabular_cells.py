"""The cells every table upload has: a NIK typed into a spreadsheet (pure).

A NIK cell is 16 digits. A spreadsheet that took the column for numbers keeps only 15 significant digits
(and may show ``3.27E+15``): such a cell is refused with a message saying how to keep the digits (format the
column as text). Whether the 16 digits are a valid NIK (region codes, birth date) is the registry's check.
"""

from __future__ import annotations

import re
from typing import Any

from paritrana.core.tabular import CellError, gettext_noop

_EXPONENT = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")


class NikMsg:
    """What is wrong with a NIK cell; English templates marked for translation."""

    EMPTY = gettext_noop("NIK is empty; it needs 16 digits")
    NOT_DIGITS = gettext_noop("NIK {nik} contains characters other than digits; it needs 16 digits")
    LENGTH = gettext_noop("NIK {nik} has {digits} digits; it needs 16")
    SHORTENED = gettext_noop(
        "NIK {nik} was turned into a number and shortened by the spreadsheet; format the NIK column as text"
    )


def number_text(value: float | int) -> str:
    """A number cell as written: a whole float without its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_nik_cell(value: Any) -> tuple[str, bool]:
    """The NIK's digits, and whether the cell was a number (else ``CellError``)."""
    was_number = isinstance(value, int | float) and not isinstance(value, bool)
    if was_number:
        if isinstance(value, float) and (not value.is_integer() or value >= 2**53):
            raise CellError(NikMsg.SHORTENED, nik=number_text(value))
        text = str(int(value))
    else:
        text = "" if value is None else str(value).strip()
    if not text:
        raise CellError(NikMsg.EMPTY)
    if _EXPONENT.match(text):
        raise CellError(NikMsg.SHORTENED, nik=text)
    if not text.isascii() or not text.isdigit():
        raise CellError(NikMsg.NOT_DIGITS, nik=text[:40])
    if len(text) != 16:
        raise CellError(NikMsg.LENGTH, nik=text[:40], digits=str(len(text)))
    return text, was_number
