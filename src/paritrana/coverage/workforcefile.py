"""Reading a workforce file (CSV or XLSX): employed persons by region, with an error per bad cell naming its
row and field.

The header row names the columns ``region_code`` (or ``region``, ``kode_wilayah``, ``kode``), ``employed``
(or ``bekerja``, ``penduduk_bekerja``) and, optionally, ``year`` (or ``tahun``), in any order and case;
other columns (a name, a note) are ignored. Rows are numbered as the spreadsheet shows them (the header is
row 1 when it is the first line); empty rows are skipped.

- ``region_code``: a Kemendagri province (``33``) or regency/city (``33.74``, also ``3374``) code, or
  ``ID`` for Indonesia as a whole; whether the region exists is checked by ``services.workforce``;
- ``year``: when the column is there, it must be the year given with the upload (a file holds one year);
- ``employed``: persons, a whole number not below zero (``23500000``, ``23.500.000``, ``23,500,000``).

The same region twice in a file is an error on each such row. Pure: no database, no settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from paritrana.core.limits import DEFAULTS, UploadLimits
from paritrana.core.tabular import (
    FILE,
    CellError,
    ErrorLog,
    RowError,
    cell_text,
    gettext_noop,
    is_blank,
)
from paritrana.core.tabular import Msg as TableMsg
from paritrana.core.tabular_columns import Columns, Refused, read_table, repeated

__all__ = ["FILE", "CellError", "RowError", "gettext_noop"]

NATIONAL = "ID"
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "region_code": ("region_code", "region", "kode_wilayah", "kode", "code"),
    "year": ("year", "tahun"),
    "employed": ("employed", "bekerja", "penduduk_bekerja"),
}
REQUIRED = ("region_code", "employed")
MAX_ROWS = 10_000  # Indonesia, 38 provinces and 514 regencies and cities fit many times
MAX_EMPLOYED = 10**9

_CODE = re.compile(r"^(\d{2})(?:\.?(\d{2}))?$")
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d+)$")


class Msg:
    UNREADABLE = TableMsg.UNREADABLE
    NOT_CSV_OR_XLSX = gettext_noop("{name} is not a CSV or XLSX file; save the figures as .csv or .xlsx")
    EMPTY = gettext_noop("the file is empty; it needs a header row (region_code, employed) and a row per region")
    NO_ROWS = gettext_noop("the file has a header but no rows of figures under it")
    TOO_MANY_ROWS = TableMsg.TOO_MANY_ROWS
    MISSING_COLUMN = gettext_noop("column {column} is missing: the header row must name region_code and employed")
    CODE_EMPTY = gettext_noop("the region code is empty; write a province (33), a regency or city (33.74) or ID")
    CODE_BAD = gettext_noop("{value} is not a province (33) or regency/city (33.74) code, nor ID for Indonesia")
    YEAR_BAD = gettext_noop("{value} is not the year of the upload ({year}); a file holds one year")
    EMPLOYED_EMPTY = gettext_noop("the number employed is empty")
    EMPLOYED_BAD = gettext_noop("{value} is not a whole number of persons")
    EMPLOYED_TOO_LARGE = gettext_noop("{value} persons is more than any region's workforce")
    DUPLICATE = gettext_noop("region {code} is also on row {rows}; give each region once")


WORKFORCE_COLUMNS = Columns(
    COLUMNS, REQUIRED, Msg.MISSING_COLUMN, Msg.EMPTY, Msg.NO_ROWS, twice=None, not_tabular=Msg.NOT_CSV_OR_XLSX
)


@dataclass(frozen=True)
class FigureRow:
    row: int
    code: str  # "ID", "33" or "33.74"
    employed: int


@dataclass
class WorkforceFile:
    rows: list[FigureRow] = dataclass_field(default_factory=list)
    errors: list[RowError] = dataclass_field(default_factory=list)
    row_count: int = 0


def parse_code(value: Any) -> str:
    if is_blank(value):
        raise CellError(Msg.CODE_EMPTY)
    text = cell_text(value)
    if text.upper() in (NATIONAL, "INDONESIA", "00"):
        return NATIONAL
    m = _CODE.match(text)
    if m is None:
        raise CellError(Msg.CODE_BAD, value=text[:40])
    return m.group(1) + (f".{m.group(2)}" if m.group(2) else "")


def parse_employed(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(Msg.EMPLOYED_BAD, value=str(value))
    if isinstance(value, float):
        if value != value or not value.is_integer():
            raise CellError(Msg.EMPLOYED_BAD, value=str(value))
        value = int(value)
    if isinstance(value, int):
        number = value
        if number < 0:
            raise CellError(Msg.EMPLOYED_BAD, value=str(value))
    else:
        if is_blank(value):
            raise CellError(Msg.EMPLOYED_EMPTY)
        text = str(value).strip().replace(" ", "")
        m = _NUMBER.match(text)
        if m is None:
            raise CellError(Msg.EMPLOYED_BAD, value=text[:40])
        digits = re.sub(r"[.,]", "", text).lstrip("0")
        if len(digits) > 18:  # far above MAX_EMPLOYED (and Python refuses to read 4,300 digits)
            raise CellError(Msg.EMPLOYED_TOO_LARGE, value=text[:40])
        number = int(digits or "0")
    if number > MAX_EMPLOYED:
        raise CellError(Msg.EMPLOYED_TOO_LARGE, value=str(number))
    return number


def read_workforce_file(
    source: bytes | Path, file_name: str, year: int, limits: UploadLimits = DEFAULTS
) -> WorkforceFile:
    """Read and check a workforce file of ``year`` (its bytes or path; ``file_name`` tells CSV from XLSX), with
    the platform's one reader (``core.tabular``)."""
    result = WorkforceFile()
    log = ErrorLog(keep=limits.errors_shown)
    limits = UploadLimits(**{**limits.__dict__, "max_rows": min(limits.max_rows, MAX_ROWS)})
    codes: list[tuple[str, int]] = []  # every row's region code, for those given twice
    try:
        for line in read_table(source, file_name, WORKFORCE_COLUMNS, limits):
            result.row_count += 1
            number, cell = line.number, line.cell
            errors: list[RowError] = []
            code = line.parse("region_code", parse_code, errors)
            if line.has("year") and not is_blank(cell("year")) and cell_text(cell("year")) != str(year):
                errors.append(
                    RowError(number, "year", Msg.YEAR_BAD, {"value": cell_text(cell("year"))[:20], "year": str(year)})
                )
            employed = line.parse("employed", parse_employed, errors)
            if code is not None:
                codes.append((code, number))
            if errors:
                for error in errors:
                    log.add(error)
            elif code is not None and employed is not None:
                result.rows.append(FigureRow(number, code, employed))
    except Refused as err:
        result.errors = err.errors
        result.rows = []
        return result
    result.errors = list(log.kept)
    for code, row, others in repeated(codes):
        result.errors.append(RowError(row, "region_code", Msg.DUPLICATE, {"code": code, "rows": others}))
    if any(e.template == Msg.DUPLICATE for e in result.errors):
        bad = {e.row for e in result.errors}
        result.rows = [r for r in result.rows if r.row not in bad]
    result.errors.sort(key=lambda e: (e.row or 0, e.field))
    return result
