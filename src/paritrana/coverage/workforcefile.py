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

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from paritrana.contributions.wagefile import RowError


def gettext_noop(message: str) -> str:
    return message


NATIONAL = "ID"
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "region_code": ("region_code", "region", "kode_wilayah", "kode", "code"),
    "year": ("year", "tahun"),
    "employed": ("employed", "bekerja", "penduduk_bekerja"),
}
REQUIRED = ("region_code", "employed")
MAX_ROWS = 10_000
MAX_EMPLOYED = 10**9
FILE = "file"

_CODE = re.compile(r"^(\d{2})(?:\.?(\d{2}))?$")
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d+)$")


class Msg:
    UNREADABLE = gettext_noop("the file cannot be read as CSV or XLSX: {reason}")
    NOT_CSV_OR_XLSX = gettext_noop("{name} is not a CSV or XLSX file; save the figures as .csv or .xlsx")
    EMPTY = gettext_noop("the file is empty; it needs a header row (region_code, employed) and a row per region")
    NO_ROWS = gettext_noop("the file has a header but no rows of figures under it")
    TOO_MANY_ROWS = gettext_noop("the file has more than {maximum} rows")
    MISSING_COLUMN = gettext_noop("column {column} is missing: the header row must name region_code and employed")
    CODE_EMPTY = gettext_noop("the region code is empty; write a province (33), a regency or city (33.74) or ID")
    CODE_BAD = gettext_noop("{value} is not a province (33) or regency/city (33.74) code, nor ID for Indonesia")
    YEAR_BAD = gettext_noop("{value} is not the year of the upload ({year}); a file holds one year")
    EMPLOYED_EMPTY = gettext_noop("the number employed is empty")
    EMPLOYED_BAD = gettext_noop("{value} is not a whole number of persons")
    EMPLOYED_TOO_LARGE = gettext_noop("{value} persons is more than any region's workforce")
    DUPLICATE = gettext_noop("region {code} is also on row {rows}; give each region once")


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


class CellError(ValueError):
    def __init__(self, template: str, **params: str) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_code(value: Any) -> str:
    if _blank(value):
        raise CellError(Msg.CODE_EMPTY)
    text = _text(value)
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
        if _blank(value):
            raise CellError(Msg.EMPLOYED_EMPTY)
        text = str(value).strip().replace(" ", "")
        m = _NUMBER.match(text)
        if m is None:
            raise CellError(Msg.EMPLOYED_BAD, value=text[:40])
        number = int(re.sub(r"[.,]", "", text))
    if number > MAX_EMPLOYED:
        raise CellError(Msg.EMPLOYED_TOO_LARGE, value=str(number))
    return number


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    if b"\x00" in data:
        raise CellError(Msg.UNREADABLE, reason="binary content")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
    except csv.Error as err:
        raise CellError(Msg.UNREADABLE, reason=str(err)) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from python_calamine import CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as err:  # calamine raises several kinds (zip, xml, password …): all mean "cannot read"
        reason = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
        raise CellError(Msg.UNREADABLE, reason=reason) from None
    yield from enumerate((list(r) for r in rows), start=1)


def read_workforce_file(data: bytes, file_name: str, year: int) -> WorkforceFile:
    """Read and check a workforce file of ``year`` (``file_name`` tells CSV from XLSX)."""
    result = WorkforceFile()
    suffix = Path(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".txt") and data.startswith(b"PK\x03\x04")):
        raw = _xlsx_rows(data)
    elif suffix in (".csv", ".txt", ""):
        raw = _csv_rows(data)
    else:
        result.errors.append(RowError(None, FILE, Msg.NOT_CSV_OR_XLSX, {"name": Path(file_name).name[:100]}))
        return result
    names = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
    columns: dict[str, int] | None = None
    seen: dict[str, list[int]] = defaultdict(list)
    try:
        for number, cells in raw:
            if all(_blank(c) for c in cells):
                continue
            if columns is None:
                columns = {}
                for i, cell in enumerate(cells):
                    key = (
                        names.get(_text(cell).lstrip("\ufeff").lower().replace(" ", "_")) if not _blank(cell) else None
                    )
                    if key is not None and key not in columns:
                        columns[key] = i
                missing = [c for c in REQUIRED if c not in columns]
                if missing:
                    result.errors = [RowError(number, c, Msg.MISSING_COLUMN, {"column": c}) for c in missing]
                    return result
                continue
            result.row_count += 1
            if result.row_count > MAX_ROWS:
                result.errors = [RowError(None, FILE, Msg.TOO_MANY_ROWS, {"maximum": str(MAX_ROWS)})]
                result.rows = []
                return result
            cell = {c: (cells[i] if i < len(cells) else None) for c, i in columns.items()}
            errors: list[RowError] = []
            code = employed = None
            try:
                code = parse_code(cell["region_code"])
            except CellError as err:
                errors.append(RowError(number, "region_code", err.template, err.params))
            if "year" in columns and not _blank(cell["year"]) and _text(cell["year"]) != str(year):
                errors.append(
                    RowError(number, "year", Msg.YEAR_BAD, {"value": _text(cell["year"])[:20], "year": str(year)})
                )
            try:
                employed = parse_employed(cell["employed"])
            except CellError as err:
                errors.append(RowError(number, "employed", err.template, err.params))
            if code is not None:
                seen[code].append(number)
            if errors:
                result.errors.extend(errors)
            elif code is not None and employed is not None:
                result.rows.append(FigureRow(number, code, employed))
    except CellError as err:
        result.errors = [RowError(None, FILE, err.template, err.params)]
        result.rows = []
        return result
    if columns is None:
        result.errors.append(RowError(None, FILE, Msg.EMPTY))
    elif result.row_count == 0:
        result.errors.append(RowError(None, FILE, Msg.NO_ROWS))
    for code, rows in seen.items():
        if len(rows) > 1:
            for row in rows:
                others = ", ".join(str(r) for r in rows if r != row)
                result.errors.append(RowError(row, "region_code", Msg.DUPLICATE, {"code": code, "rows": others}))
    if any(e.template == Msg.DUPLICATE for e in result.errors):
        bad = {e.row for e in result.errors}
        result.rows = [r for r in result.rows if r.row not in bad]
    result.errors.sort(key=lambda e: (e.row or 0, e.field))
    return result
