"""The one reader of tabular uploads (CSV or the first sheet of an XLSX), streaming and bounded.

Wage files (``contributions.wagefile``), beneficiary lists (``programmes.listfile``) and workforce figures
(``coverage.workforcefile``) read their rows here and check their cells themselves. ``read_rows`` yields
``(row number, cells)`` as the spreadsheet numbers them, and refuses, with an ``Unreadable`` naming the
``file`` field, what would cost too much (``core.limits.UploadLimits``):

- CSV: read line by line (UTF-8, else Windows-1252; ``,`` ``;`` or tab as the first line says); a line
  longer than ``MAX_LINE`` characters, or more data rows than ``max_rows``, stops the reading there;
- XLSX: before the workbook is opened, every part of the zip is inflated in chunks and counted
  (``max_unzipped_bytes``, declared sizes first, then the actual bytes; a part that holds more than it
  declares fails its checksum), and the sheets' cell references are scanned: a used range above
  ``max_cells`` or ``max_rows`` is refused (the workbook reader holds a sheet's whole range at once).

``RowError`` is what is wrong with a cell (or the whole file); messages are English templates with
``{placeholders}``, marked for translation, shown in the user's language from ``template`` and ``params``.
Pure: no database, no settings.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import IO, Any

from paritrana.core import progress
from paritrana.core.limits import DEFAULTS, UploadLimits


def gettext_noop(message: str) -> str:
    """Marks ``message`` for translation (``makemessages`` looks for this name) without needing Django."""
    return message


CSV_SUFFIXES = frozenset({".csv", ".txt"})
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm"})
FILE = "file"  # the field of an error about the whole file
MAX_LINE = 65_536  # characters of one CSV line
MAX_ZIP_MEMBERS = 2_000
CHUNK = 1024 * 1024


class Msg:
    UNREADABLE = gettext_noop("the file cannot be read as CSV or XLSX: {reason}")
    NOT_CSV_OR_XLSX = gettext_noop("{name} is not a CSV or XLSX file; save it as .csv or .xlsx")
    TOO_MANY_ROWS = gettext_noop("the file has more than {maximum} rows; split it into smaller files")
    LINE_TOO_LONG = gettext_noop("row {row} is longer than {maximum} characters; is it a CSV file?")
    UNZIPPED_TOO_LARGE = gettext_noop(
        "the XLSX file holds more than {maximum} MB once unpacked; save it as CSV or split it into smaller files"
    )
    RANGE_TOO_LARGE = gettext_noop(
        "the sheet's cells reach row {rows} and column {columns}, more than can be read at once; "
        "delete the cells far outside the table or save it as CSV"
    )
    MORE_ERRORS = gettext_noop("{count} more errors are not shown; correct these and upload the file again")
    BINARY = gettext_noop("binary content")


@dataclass(frozen=True)
class RowError:
    """What is wrong with a cell (``row`` as the spreadsheet numbers it; None for the whole file)."""

    row: int | None
    field: str
    template: str
    params: Mapping[str, str] = dataclass_field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template.format(**self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "template": self.template,
            "params": dict(self.params),
        }


class CellError(ValueError):
    """A cell that cannot be read; ``template`` and ``params`` make the message."""

    def __init__(self, template: str, **params: str) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))

    def at(self, row: int | None, field_name: str) -> RowError:
        return RowError(row, field_name, self.template, self.params)


class Unreadable(Exception):
    """The whole file is refused: ``error`` names the ``file`` field."""

    def __init__(self, error: RowError) -> None:
        self.error = error
        super().__init__(error.message)


def unreadable(template: str, **params: str) -> Unreadable:
    return Unreadable(RowError(None, FILE, template, params))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text: a whole number read as a float (an XLSX cell) without its ``.0``, stripped; "" for none."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_key(value: Any) -> str:
    """A header cell as a column name to look up: no byte-order mark, lower case, spaces as underscores."""
    return "" if is_blank(value) else cell_text(value).lstrip("\ufeff").strip().lower().replace(" ", "_")


def _filled(cells: list[Any]) -> bool:
    """Whether a row has a cell that is not blank (a row of text is joined and checked at C speed)."""
    try:
        return bool("".join(cells).strip())
    except TypeError:  # numbers, dates or empty cells of a spreadsheet
        return not all(is_blank(c) for c in cells)


@dataclass
class ErrorLog:
    """Row errors as a file is read: the first ``keep`` kept, every one counted, and the rows that have one."""

    keep: int = DEFAULTS.errors_shown
    kept: list[RowError] = dataclass_field(default_factory=list)
    count: int = 0
    rows: set[int] = dataclass_field(default_factory=set)

    def add(self, error: RowError) -> None:
        self.count += 1
        if error.row is not None:
            self.rows.add(error.row)
        if len(self.kept) < self.keep:
            self.kept.append(error)


def bounded(errors: list[RowError], keep: int) -> list[RowError]:
    """The first ``keep`` of ``errors``, then one saying how many more there are (if any)."""
    if len(errors) <= keep:
        return errors
    return [*errors[:keep], RowError(None, FILE, Msg.MORE_ERRORS, {"count": str(len(errors) - keep)})]


# --- reading --------------------------------------------------------------------------------------


@contextmanager
def _opened(source: Path | bytes) -> Iterator[IO[bytes]]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    else:
        with Path(source).open("rb") as f:
            yield f


def is_spreadsheet(file_name: str, head: bytes) -> bool | None:
    """True for an XLSX, False for a CSV, None for neither (by the name's suffix, else by the first bytes)."""
    suffix = Path(file_name).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES or (suffix not in CSV_SUFFIXES and head.startswith(b"PK\x03\x04")):
        return True
    if suffix in CSV_SUFFIXES or not suffix:
        return False
    return None


def read_rows(
    source: Path | bytes,
    file_name: str,
    limits: UploadLimits = DEFAULTS,
    *,
    not_tabular: str = Msg.NOT_CSV_OR_XLSX,
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the file at ``source`` (a path, or the bytes), as ``(number, cells)``; blank rows included.

    ``file_name`` (as uploaded) tells CSV from XLSX. Raises ``Unreadable`` (field ``file``) as the module says;
    more than ``limits.max_rows`` non-blank rows after the header is ``Msg.TOO_MANY_ROWS``.
    """
    with _opened(source) as f:
        head = f.read(4)
        f.seek(0)
        kind = is_spreadsheet(file_name, head)
        if kind is None:
            raise unreadable(not_tabular, name=Path(file_name).name[:100] or "?")
        rows: Generator[tuple[int, list[Any]], None, None] = _xlsx_rows(f, limits) if kind else _csv_rows(f)
        filled = 0
        tracker = progress.current()  # each kind begins its stage with the rows it counted
        try:
            for number, cells in rows:
                tracker.advance(number)
                if _filled(cells):
                    filled += 1
                    if filled > limits.max_rows + 1:  # the header, then the rows
                        raise unreadable(Msg.TOO_MANY_ROWS, maximum=f"{limits.max_rows:,}")
                yield number, cells
        finally:
            rows.close()  # before the file closes


def _encoding(f: IO[bytes]) -> tuple[str, int]:
    """UTF-8 (with or without its mark) if every byte decodes, else Windows-1252; checked in chunks. With the
    file's lines, counted on the way (for its progress: a cell's quoted line break counts too)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    f.seek(0)
    encoding = "utf-8-sig"
    lines = 0
    last = b"\n"
    while chunk := f.read(CHUNK):
        if b"\x00" in chunk:
            raise unreadable(Msg.UNREADABLE, reason=Msg.BINARY)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
        if encoding != "cp1252":
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                encoding = "cp1252"
    f.seek(0)
    return encoding, lines + (last != b"\n")


def _lines(text: IO[str]) -> Iterator[str]:
    # a line is read whole before it is measured: the upload's byte limit bounds it
    for number, line in enumerate(text, start=1):
        if len(line) > MAX_LINE:
            raise unreadable(Msg.LINE_TOO_LONG, row=str(number), maximum=f"{MAX_LINE:,}")
        yield line


def _csv_rows(f: IO[bytes]) -> Generator[tuple[int, list[Any]], None, None]:
    encoding, lines = _encoding(f)
    progress.current().begin(progress.ROWS, lines)
    text = io.TextIOWrapper(f, encoding=encoding, errors="replace", newline="")
    try:
        first = text.readline(MAX_LINE + 1)
        text.seek(0)
        # Excel in an Indonesian locale separates cells with ";" (the comma is the decimal sign there)
        delimiter = max((";", ",", "\t"), key=first.count) if first else ","
        reader = csv.reader(_lines(text), delimiter=delimiter)
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as err:
            raise unreadable(Msg.UNREADABLE, reason=str(err)[:200]) from None
    finally:
        text.detach()


_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_FIRST_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')  # a cell whose reference comes first, as writers put it
_ROW_REF = re.compile(rb'\br="(\d+)"')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


class _RangeScan:
    """The last row and column a sheet's XML refers to, fed in chunks."""

    def __init__(self) -> None:
        self.row = 0
        self.column = 0
        self.max_row = 0
        self.max_column = 0
        self._tail = b""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        data = self._tail + chunk
        cut = len(data) if final else data.rfind(b"<")
        if cut < 0:
            cut = 0
        self._tail = data[cut:]
        # the common case at C speed: every cell of the chunk names its reference first (the range is its cells')
        cells = data.count(b"<c ", 0, cut) + data.count(b"<c>", 0, cut)
        refs = _FIRST_REF.findall(data, 0, cut)
        if refs and len(refs) == cells:
            self.max_column = max(self.max_column, *(_column_number(c) for c in {c for c, _ in refs}))
            self.max_row = max(self.max_row, *(int(r) for r in {r for _, r in refs}))
            self.row, self.column = int(refs[-1][1]), _column_number(refs[-1][0])
            return
        for m in _TAG.finditer(data, 0, cut):
            if m.group(1) == b"row":
                ref = _ROW_REF.search(m.group(2))
                self.row = int(ref.group(1)) if ref else self.row + 1
                self.column = 0
                self.max_row = max(self.max_row, self.row)
            else:
                ref = _CELL_REF.search(m.group(2))
                if ref:
                    self.column = _column_number(ref.group(1))
                    self.max_row = max(self.max_row, int(ref.group(2)))
                else:
                    self.column += 1
                self.max_column = max(self.max_column, self.column)


def check_xlsx(f: IO[bytes], limits: UploadLimits) -> None:
    """Refuse (``Unreadable``) an XLSX whose parts inflate beyond the limits or whose sheets' range is too large,
    inflating each part in chunks (memory stays at a chunk whatever the file declares)."""
    maximum = f"{limits.max_unzipped_bytes // (1024 * 1024):,}"
    try:
        with zipfile.ZipFile(f) as book:
            members = book.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise unreadable(Msg.UNREADABLE, reason=f"{len(members)} parts")
            if sum(m.file_size for m in members) > limits.max_unzipped_bytes:
                raise unreadable(Msg.UNZIPPED_TOO_LARGE, maximum=maximum)
            total = 0
            for member in members:
                scan = _RangeScan() if member.filename.startswith("xl/worksheets/") else None
                with book.open(member) as part:
                    while chunk := part.read(CHUNK):
                        total += len(chunk)
                        if total > limits.max_unzipped_bytes:
                            raise unreadable(Msg.UNZIPPED_TOO_LARGE, maximum=maximum)
                        if scan is not None:
                            scan.feed(chunk)
                if scan is not None:
                    scan.feed(b"", final=True)
                    if scan.max_row * max(scan.max_column, 1) > limits.max_cells:
                        raise unreadable(Msg.RANGE_TOO_LARGE, rows=f"{scan.max_row:,}", columns=f"{scan.max_column:,}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as err:
        raise unreadable(Msg.UNREADABLE, reason=(str(err) or type(err).__name__)[:200]) from None
    except RuntimeError as err:  # an encrypted part
        raise unreadable(Msg.UNREADABLE, reason=str(err)[:200]) from None
    finally:
        f.seek(0)


def _xlsx_rows(f: IO[bytes], limits: UploadLimits) -> Generator[tuple[int, list[Any]], None, None]:
    from python_calamine import CalamineWorkbook

    check_xlsx(f, limits)
    try:
        sheet = CalamineWorkbook.from_filelike(f).get_sheet_by_index(0)
        rows = sheet.iter_rows()
        total = sheet.end[0] + 1 if sheet.end else 0  # the rows iter_rows yields, from the first
    except Exception as err:  # calamine raises several kinds (zip, xml, password …): all mean "cannot read"
        reason = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
        raise unreadable(Msg.UNREADABLE, reason=reason) from None
    progress.current().begin(progress.ROWS, total)
    for number, cells in enumerate(rows, start=1):
        yield number, list(cells)
