"""A file's table: the header row mapped to the columns a reader knows, then its data rows (pure).

Every tabular upload (wage files, beneficiary lists, workforce figures; the bank statement's CSV for its
header) names its columns in a header row, in any order and case, with English or Indonesian names. A
reader declares its ``Columns`` (the names each column may be given, the required ones, its messages) and
reads ``read_table``: blank rows are skipped, the first other row is the header, each row after it is a
``TableRow`` whose ``cell(column)`` is the cell under that column (None when the row is shorter or the
optional column is absent). What refuses the whole file (unreadable, no header, a column missing or named
twice, no rows) is raised as ``Refused`` with its errors, each naming the field (and the header's row).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from paritrana.core.limits import DEFAULTS, UploadLimits
from paritrana.core.tabular import (
    FILE,
    CellError,
    Msg,
    RowError,
    Unreadable,
    gettext_noop,
    header_key,
    is_blank,
    read_rows,
)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

TWICE_COLUMN = gettext_noop("column {column} is named twice in the header row")


@dataclass(frozen=True)
class Columns:
    """The columns of a file: ``names`` maps each to the header names it may be given (compared after
    ``header_key``); ``required`` must be there; the messages say what the file lacks, in its own words.
    With ``twice`` None a column named twice is read from its first place (no error)."""

    names: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    missing: str  # "{column}" is missing
    empty: str  # no header at all
    no_rows: str  # a header and nothing under it
    twice: str | None = TWICE_COLUMN
    not_tabular: str = Msg.NOT_CSV_OR_XLSX

    def locate(self, cells: Sequence[Any], row: int) -> tuple[dict[str, int], list[RowError]]:
        """Where each known column is in the header ``cells`` (of row ``row``), and the header's errors."""
        column_of = {alias: column for column, aliases in self.names.items() for alias in aliases}
        found: dict[str, int] = {}
        errors: list[RowError] = []
        for i, cell in enumerate(cells):
            column = column_of.get(header_key(cell))
            if column is None:
                continue
            if column in found:
                if self.twice is None:
                    continue
                errors.append(RowError(row, column, self.twice, {"column": column}))
            found[column] = i
        errors += [RowError(row, c, self.missing, {"column": c}) for c in self.required if c not in found]
        return found, errors


def repeated(rows: Iterable[tuple[K, int]]) -> Iterator[tuple[K, int, str]]:
    """For each key given on more than one row: ``(key, row, the other rows)`` for every such row, the other
    rows' numbers joined with ", " (what a reader's "also on row …" message shows)."""
    rows_of: dict[K, list[int]] = {}
    for key, row in rows:
        rows_of.setdefault(key, []).append(row)
    for key, numbers in rows_of.items():
        if len(numbers) > 1:
            for row in numbers:
                yield key, row, ", ".join(str(n) for n in numbers if n != row)


class Refused(Exception):
    """The whole file is refused; ``errors`` say why (each names its field, and the row where there is one)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(e.message for e in self.errors))


@dataclass(frozen=True)
class TableRow:
    """A data row: its ``number`` as the spreadsheet shows it, its cells, and where the columns are."""

    number: int
    cells: list[Any]
    where: Mapping[str, int]
    width: int  # the header's cells: a row with more filled cells than that is likely misread

    def cell(self, column: str) -> Any:
        i = self.where.get(column)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def has(self, column: str) -> bool:
        return column in self.where

    def parse(self, column: str, parse: Callable[[Any], T], errors: list[RowError]) -> T | None:
        """The cell under ``column`` read by ``parse``; None, with its ``CellError`` added to ``errors``, when
        the cell cannot be read (each reader checks every cell of a row, so one row gives all its errors)."""
        try:
            return parse(self.cell(column))
        except CellError as err:
            errors.append(err.at(self.number, column))
            return None

    def overflows(self) -> bool:
        """Whether a cell beyond the header's width is filled."""
        return len(self.cells) > self.width and any(not is_blank(c) for c in self.cells[self.width :])


def read_table(
    source: Path | bytes, file_name: str, columns: Columns, limits: UploadLimits = DEFAULTS
) -> Iterator[TableRow]:
    """The data rows of the file at ``source`` (``core.tabular.read_rows``: CSV or XLSX, bounded), blank rows
    skipped; raises ``Refused`` as the module says (after the last row, for a file with none)."""
    where: dict[str, int] | None = None
    width = 0
    rows = 0
    try:
        for number, cells in read_rows(source, file_name, limits, not_tabular=columns.not_tabular):
            if all(is_blank(c) for c in cells):
                continue
            if where is None:
                where, errors = columns.locate(cells, number)
                if errors:
                    raise Refused(errors)
                width = len(cells)
                continue
            rows += 1
            yield TableRow(number, cells, where, width)
    except Unreadable as err:
        raise Refused([err.error]) from None
    if where is None:
        raise Refused([RowError(None, FILE, columns.empty)])
    if rows == 0:
        raise Refused([RowError(None, FILE, columns.no_rows)])
