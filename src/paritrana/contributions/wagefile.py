"""Reading a wage file (CSV or XLSX) into typed rows, with an error per bad cell naming its row and field.

The file has a header row naming the columns ``nik``, ``period`` (or ``bulan``) and ``wage`` (or
``upah``), in any order and any case; other columns (a name, a note) are ignored. Rows are numbered as
the spreadsheet shows them: the header is row 1 when it is the first line. Empty rows are skipped.

- ``nik``: 16 digits (a whole-number cell of a spreadsheet is read as its digits);
- ``period``: the month, ``YYYY-MM`` (a date cell on the first of a month is read as its month); at most
  one month ahead of ``today``;
- ``wage``: whole rupiah, not negative; ``3500000``, ``3.500.000`` or ``3,500,000`` (groups of three
  only), an optional ``Rp`` in front; a number cell that is whole.

The same NIK and month twice in a file is an error on every such row (which of them is right is not
ours to guess). What needs the registry (does the NIK belong to a worker of the employer, is the month
within the worker's membership and the law) is checked by ``services.wage_checks``.

Pure: no database, no settings. Messages are English templates with ``{placeholders}`` (marked for
translation); a page shows them in the user's language from ``template`` and ``params``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
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
    Unreadable,
    gettext_noop,
)
from paritrana.core.tabular import Msg as TableMsg
from paritrana.core.tabular import is_blank as _is_blank
from paritrana.core.tabular_cells import NikMsg, number_text, parse_nik_cell
from paritrana.core.tabular_columns import TWICE_COLUMN, Columns, Refused, TableRow, read_table, repeated

__all__ = ["FILE", "CellError", "RowError", "Unreadable", "gettext_noop"]

# The columns and the names a header may give them (compared in lower case, spaces trimmed).
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "nik": ("nik",),
    "period": ("period", "bulan", "periode", "month"),
    "wage": ("wage", "upah", "gaji"),
}
MAX_WAGE = 10**13  # the registry's bound on a rupiah amount (registry.services.MAX_RUPIAH)

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WAGE = re.compile(r"^(-?)(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d+)$")


class Msg:
    """The messages of a wage file, English templates (``str.format`` placeholders) marked for translation."""

    UNREADABLE = TableMsg.UNREADABLE
    NOT_CSV_OR_XLSX = gettext_noop("{name} is not a CSV or XLSX file; save the wages as .csv or .xlsx")
    EMPTY = gettext_noop("the file is empty; it needs a header row (nik, period, wage) and a row per worker and month")
    NO_ROWS = gettext_noop("the file has a header but no rows of wages under it")
    TOO_MANY_ROWS = TableMsg.TOO_MANY_ROWS
    MISSING_COLUMN = gettext_noop(
        "column {column} is missing: the header row must name the columns nik, period (or bulan) and wage (or upah)"
    )
    TWICE_COLUMN = TWICE_COLUMN
    EXTRA_CELLS = gettext_noop(
        "the row has more cells than the header; a wage written with commas must be in quotes, or write 3.500.000"
    )
    NIK_EMPTY = NikMsg.EMPTY
    NIK_NOT_DIGITS = NikMsg.NOT_DIGITS
    NIK_LENGTH = NikMsg.LENGTH
    NIK_SHORTENED = NikMsg.SHORTENED
    PERIOD_EMPTY = gettext_noop("the month is empty; write it as YYYY-MM, e.g. 2025-03")
    PERIOD_BAD = gettext_noop("{value} is not a month; write it as YYYY-MM, e.g. 2025-03")
    PERIOD_DAY = gettext_noop("{value} is a date, not a month; write the month as YYYY-MM, e.g. 2025-03")
    PERIOD_FUTURE = gettext_noop("{month} is more than one month ahead; wages are reported up to {latest}")
    WAGE_EMPTY = gettext_noop("the wage is empty; write it in whole rupiah, e.g. 3500000 or 3.500.000")
    WAGE_BAD = gettext_noop(
        "{value} is not a whole number of rupiah; write e.g. 3500000, 3.500.000 or 3,500,000 (no decimals)"
    )
    WAGE_DECIMALS = gettext_noop("{value} has decimals; a wage is whole rupiah")
    WAGE_NEGATIVE = gettext_noop("the wage {value} is negative; it must be 0 or more")
    WAGE_TOO_LARGE = gettext_noop("the wage {value} is too large")
    DUPLICATE = gettext_noop("NIK {nik} and month {month} are also on row {rows}; give each worker's month once")


@dataclass(frozen=True)
class WageRow:
    row: int
    nik: str
    period: dt.date
    wage: int
    nik_was_number: bool = False


@dataclass
class WageFile:
    rows: list[WageRow] = dataclass_field(default_factory=list)  # the rows without an error
    errors: list[RowError] = dataclass_field(default_factory=list)
    row_count: int = 0  # data rows in the file (empty rows not counted)
    # an error about the whole file (unreadable, empty, a column missing, too many rows): no row is valid
    fatal: bool = False
    log: ErrorLog = dataclass_field(default_factory=ErrorLog)  # row errors: the first ones kept, all counted

    def fail(self, error: RowError | Sequence[RowError]) -> None:
        self.errors = [error] if isinstance(error, RowError) else list(error)
        self.rows = []
        self.fatal = True


# --- cells ---------------------------------------------------------------------------------------


def month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def latest_month(today: dt.date) -> dt.date:
    """The last month a wage may be reported for: the next one (a payroll is often ready before the month ends)."""
    return _next_month(today.replace(day=1))


def parse_month_cell(value: Any) -> dt.date:
    """``"2025-03"`` (or a date cell on the 1st) → 1 March 2025."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(Msg.PERIOD_DAY, value=value.isoformat(sep=" "))
        value = value.date()
    if isinstance(value, dt.date):
        if value.day != 1:
            raise CellError(Msg.PERIOD_DAY, value=value.isoformat())
        if not 1900 <= value.year <= 2100:
            raise CellError(Msg.PERIOD_BAD, value=value.isoformat())
        return value
    if _is_blank(value):
        raise CellError(Msg.PERIOD_EMPTY)
    text = number_text(value) if isinstance(value, int | float) else str(value).strip()
    m = _MONTH.match(text)
    if m is None or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2100:
        raise CellError(Msg.PERIOD_BAD, value=text[:40])
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def parse_wage(value: Any) -> int:
    """Whole rupiah from a cell or a form: ``3500000``, ``3.500.000``, ``3,500,000``, ``Rp 3.500.000``, 3500000.0."""
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise CellError(Msg.WAGE_BAD, value=str(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(Msg.WAGE_BAD, value=str(value))
        if not value.is_integer():
            raise CellError(Msg.WAGE_DECIMALS, value=str(value))
        value = int(value)
    if isinstance(value, int):
        amount = value
        shown = str(value)
    else:
        if _is_blank(value):
            raise CellError(Msg.WAGE_EMPTY)
        shown = str(value).strip()[:40]
        text = re.sub(r"^(-?)\s*rp\.?\s*", r"\1", str(value).strip(), flags=re.IGNORECASE).replace(" ", "")
        m = _WAGE.match(text)
        if m is None:
            if re.match(r"^-?\d[\d.,]*[.,]\d{1,2}$", text):
                raise CellError(Msg.WAGE_DECIMALS, value=shown)
            raise CellError(Msg.WAGE_BAD, value=shown)
        digits = re.sub(r"[.,]", "", m.group(2)).lstrip("0")
        if len(digits) > 18:  # far above MAX_WAGE (and Python refuses to read 4,300 digits)
            raise CellError(Msg.WAGE_TOO_LARGE, value=shown)
        amount = int(digits or "0")
        if m.group(1):
            amount = -amount
    if amount < 0:
        raise CellError(Msg.WAGE_NEGATIVE, value=shown)
    if amount > MAX_WAGE:
        raise CellError(Msg.WAGE_TOO_LARGE, value=shown)
    return amount


# --- files ---------------------------------------------------------------------------------------


WAGE_COLUMNS = Columns(
    COLUMNS, tuple(COLUMNS), Msg.MISSING_COLUMN, Msg.EMPTY, Msg.NO_ROWS, not_tabular=Msg.NOT_CSV_OR_XLSX
)


def read_wage_file(
    path: Path | str, file_name: str = "", *, today: dt.date, limits: UploadLimits = DEFAULTS
) -> WageFile:
    """Read and check the wage file at ``path`` (``file_name``, as uploaded, tells CSV from XLSX).

    At most ``limits.errors_shown`` row errors are kept, then one saying how many more there are."""
    path = Path(path)
    result = WageFile(log=ErrorLog(keep=limits.errors_shown))
    try:
        for row in read_table(path, file_name or path.name, WAGE_COLUMNS, limits):
            result.row_count += 1
            _read_row(result, row, today)
    except Refused as err:
        result.fail(err.errors)
        return result
    _mark_duplicates(result)
    result.errors = sorted(result.log.kept, key=_error_order)
    if result.log.count > len(result.log.kept):
        more = str(result.log.count - len(result.log.kept))
        result.errors.append(RowError(None, FILE, TableMsg.MORE_ERRORS, {"count": more}))
    return result


def _error_order(e: RowError) -> tuple[int, int]:
    fields = list(COLUMNS)
    return (e.row or 0, fields.index(e.field) if e.field in fields else -1)


def _read_row(result: WageFile, row: TableRow, today: dt.date) -> None:
    number = row.number
    errors: list[RowError] = []
    if row.overflows():
        errors.append(RowError(number, "wage", Msg.EXTRA_CELLS))
    nik = row.parse("nik", parse_nik_cell, errors)
    period = row.parse("period", parse_month_cell, errors)
    if period is not None and period > (latest := latest_month(today)):
        params = {"month": month_label(period), "latest": month_label(latest)}
        errors.append(RowError(number, "period", Msg.PERIOD_FUTURE, params))
    wage = None
    if all(e.field != "wage" for e in errors):  # a row read across its cells: its wage is not read
        wage = row.parse("wage", parse_wage, errors)
    if errors:
        for error in errors:
            result.log.add(error)
        return
    assert nik is not None and period is not None and wage is not None
    result.rows.append(WageRow(number, nik[0], period, wage, nik[1]))


def _mark_duplicates(result: WageFile) -> None:
    twice: set[int] = set()
    keys = (((r.nik, r.period), r.row) for r in result.rows)
    for (nik, period), row, others in sorted(repeated(keys), key=lambda t: t[1]):  # in the file's order
        result.log.add(RowError(row, "nik", Msg.DUPLICATE, {"nik": nik, "month": month_label(period), "rows": others}))
        twice.add(row)
    if twice:
        result.rows = [r for r in result.rows if r.row not in twice]
