"""Reading a bank statement file into typed lines, with an error per bad cell naming row and field (pure).

Two formats (decision 0009; the layouts are in the user guide):

- **CSV**: a header row, then a row per transaction. Columns (English or Indonesian names):
  ``bank_reference`` (``referensi``), ``value_date`` (``tanggal``, YYYY-MM-DD), ``amount``
  (``jumlah``, whole rupiah; ``16800`` or ``16800.00``; negative for a debit), ``payment_code``
  (``kode_bayar``, may be empty), ``description`` (``keterangan``, optional), ``account``
  (``rekening``, optional).
- **MT940** (SWIFT): ``:25:`` the account, ``:60F:`` the opening balance, a ``:61:`` per transaction
  (value date, C/D, amount with a decimal comma, type, customer reference, ``//`` bank reference),
  its ``:86:`` text (where the payment code is looked for), ``:62F:`` the closing balance. The
  balance is checked: opening + credits − debits must equal closing.

The file is read line by line (memory does not grow with its size); a row number is the file's
line number (CSV: the header is row 1). Debits are counted, not stored: the scheme's collection
account receives contributions, and money out of it is not a payment.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from paritrana.contributions.paycode import find_code
from paritrana.contributions.periods import collection_start
from paritrana.core.tabular import FILE, RowError, gettext_noop
from paritrana.core.tabular_columns import Columns

CSV = "csv"
MT940 = "mt940"
FORMATS = (CSV, MT940)
MAX_LINES = 1_000_000  # file lines; a day's statement of a national collection account is far below
MAX_ERRORS = 200  # kept and shown; the count goes on
MAX_RUPIAH = 10**13
REFERENCE_LENGTH = 60
DESCRIPTION_LENGTH = 200

COLUMNS = {
    "bank_reference": ("bank_reference", "referensi", "reference", "ref"),
    "value_date": ("value_date", "tanggal", "date", "tanggal_valuta"),
    "amount": ("amount", "jumlah", "nominal"),
    "payment_code": ("payment_code", "kode_bayar", "nomor_va", "va"),
    "description": ("description", "keterangan", "uraian"),
    "account": ("account", "rekening"),
}
REQUIRED = ("bank_reference", "value_date", "amount")


class Msg:
    UNREADABLE = gettext_noop("the file cannot be read as text (UTF-8): {reason}")
    UNKNOWN_FORMAT = gettext_noop(
        "{name} is neither a CSV statement (a header with bank_reference, value_date, amount) nor MT940"
    )
    EMPTY = gettext_noop("the file has no transactions")
    TOO_MANY_LINES = gettext_noop("the file has more than {maximum} lines; split it by day")
    TOO_MANY_ERRORS = gettext_noop("more than {maximum} errors; the first {maximum} are shown")
    MISSING_COLUMN = gettext_noop("column {column} is missing from the header row")
    EXTRA_CELLS = gettext_noop("the row has more cells than the header")
    EMPTY_CELL = gettext_noop("{field} is empty")
    TOO_LONG = gettext_noop("{field} has {length} characters; at most {maximum}")
    DATE_BAD = gettext_noop("{value} is not a date; write it as YYYY-MM-DD")
    DATE_FUTURE = gettext_noop("{value} is in the future")
    DATE_EARLY = gettext_noop("{value} is before {earliest}, when the scheme began collecting")
    AMOUNT_BAD = gettext_noop("{value} is not an amount of whole rupiah; write e.g. 16800 or 16800.00")
    AMOUNT_ZERO = gettext_noop("the amount is zero")
    AMOUNT_LARGE = gettext_noop("the amount {value} is too large")
    LINE_BAD = gettext_noop("{value} is not an MT940 transaction line (:61:)")
    BALANCE_BAD = gettext_noop("{value} is not an MT940 balance")
    UNBALANCED = gettext_noop(
        "opening balance {opening} + credits {credits} − debits {debits} is not the closing balance {closing}"
    )
    REFERENCE_TWICE = gettext_noop("bank reference {reference} is also on row {row}")


# the header of a CSV statement: a column named twice is read from its first place
CSV_COLUMNS = Columns(COLUMNS, REQUIRED, Msg.MISSING_COLUMN, Msg.EMPTY, Msg.EMPTY, twice=None)


@dataclass(frozen=True)
class BankLine:
    """A credit on the statement: money received."""

    row: int
    account: str
    bank_reference: str
    value_date: dt.date
    amount: int
    payment_code: str
    description: str


@dataclass(frozen=True)
class Debit:
    row: int
    amount: int


Item = BankLine | Debit | RowError
_AMOUNT = re.compile(r"^(-?)(\d+)(?:[.,](\d{1,2}))?$")
_MT_LINE = re.compile(
    r"^(?P<date>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])(?P<funds>[A-Z])?(?P<amount>\d{1,15},\d{0,2})"
    r"(?P<type>[NFS][A-Z0-9]{3})(?P<customer>[^/]{1,16}?)(?://(?P<bank>.{1,16}))?$"
)
_MT_BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>\d{1,15},\d{0,2})$")


def detect_format(file_name: str, head: bytes) -> str:
    """``mt940`` when the text starts with MT940 fields (``:20:`` or a SWIFT block), else ``csv``."""
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text.startswith((b":20:", b"{1:", b":25:")) or file_name.lower().endswith((".sta", ".mt940", ".940")):
        return MT940
    return CSV


def parse_amount(text: str, row: int, field: str) -> int | RowError:
    m = _AMOUNT.match(text.strip().replace(" ", ""))
    if not m or (m.group(3) and int(m.group(3)) != 0):
        return RowError(row, field, Msg.AMOUNT_BAD, {"value": text.strip()[:40]})
    amount = int(m.group(2))
    if amount >= MAX_RUPIAH:
        return RowError(row, field, Msg.AMOUNT_LARGE, {"value": text.strip()[:40]})
    if amount == 0:
        return RowError(row, field, Msg.AMOUNT_ZERO)
    return -amount if m.group(1) else amount


def check_date(value: dt.date, text: str, row: int, field: str, today: dt.date) -> RowError | None:
    if value > today:
        return RowError(row, field, Msg.DATE_FUTURE, {"value": text})
    earliest = collection_start()
    if value < earliest:
        return RowError(row, field, Msg.DATE_EARLY, {"value": text, "earliest": earliest.isoformat()})
    return None


def _text(value: str, row: int, field: str, maximum: int) -> str | RowError:
    value = " ".join(value.split())
    if len(value) > maximum:
        return RowError(row, field, Msg.TOO_LONG, {"field": field, "length": str(len(value)), "maximum": str(maximum)})
    return value


def read_statement(stream: BinaryIO, fmt: str, *, today: dt.date) -> Iterator[Item]:
    """The statement's lines, debits and errors in file order (a repeated bank reference is an error too)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    seen: dict[tuple[str, str], int] = {}
    try:
        reader = _read_csv(text, today) if fmt == CSV else _read_mt940(text, today)
        for item in reader:
            if isinstance(item, BankLine):
                key = (item.account, item.bank_reference)
                if key in seen:
                    yield RowError(
                        item.row, "bank_reference", Msg.REFERENCE_TWICE,
                        {"reference": item.bank_reference, "row": str(seen[key])},
                    )  # fmt: skip
                    continue
                seen[key] = item.row
            yield item
    except UnicodeDecodeError as err:
        yield RowError(None, FILE, Msg.UNREADABLE, {"reason": str(err)[:120]})
    finally:
        text.detach()


def _too_many(row: int) -> RowError | None:
    return RowError(None, FILE, Msg.TOO_MANY_LINES, {"maximum": str(MAX_LINES)}) if row > MAX_LINES else None


def _read_csv(text: io.TextIOWrapper, today: dt.date) -> Iterator[Item]:
    reader = csv.reader(text)
    header = next(reader, None)
    if header is None:
        yield RowError(None, FILE, Msg.EMPTY)
        return
    where, missing = CSV_COLUMNS.locate(header, 1)
    if missing:
        yield from missing
        return
    any_rows = False
    for cells in reader:
        row = reader.line_num
        if (refused := _too_many(row)) is not None:
            yield refused
            return
        if not any(c.strip() for c in cells):
            continue
        any_rows = True
        if len(cells) > len(header):
            yield RowError(row, FILE, Msg.EXTRA_CELLS)
            continue

        def cell(column: str, _cells: list[str] = cells) -> str:
            i = where.get(column)
            return _cells[i].strip() if i is not None and i < len(_cells) else ""

        errors: list[RowError] = []
        for column in REQUIRED:
            if not cell(column):
                errors.append(RowError(row, column, Msg.EMPTY_CELL, {"field": column}))
        if errors:
            yield from errors
            continue
        amount = parse_amount(cell("amount"), row, "amount")
        if isinstance(amount, RowError):
            yield amount
            continue
        if amount < 0:
            yield Debit(row, -amount)
            continue
        try:
            value_date = dt.date.fromisoformat(cell("value_date"))
        except ValueError:
            errors.append(RowError(row, "value_date", Msg.DATE_BAD, {"value": cell("value_date")[:40]}))
        else:
            if (bad := check_date(value_date, cell("value_date"), row, "value_date", today)) is not None:
                errors.append(bad)
        fields = {
            "bank_reference": _text(cell("bank_reference"), row, "bank_reference", REFERENCE_LENGTH),
            "payment_code": _text(cell("payment_code"), row, "payment_code", 40),
            "description": _text(cell("description"), row, "description", DESCRIPTION_LENGTH),
            "account": _text(cell("account"), row, "account", 40),
        }
        errors += [v for v in fields.values() if isinstance(v, RowError)]
        if errors:
            yield from errors
            continue
        values = {k: str(v) for k, v in fields.items()}
        yield BankLine(
            row=row,
            account=values["account"],
            bank_reference=values["bank_reference"],
            value_date=value_date,
            amount=amount,
            payment_code=values["payment_code"] or find_code(values["description"]),
            description=values["description"],
        )
    if not any_rows:
        yield RowError(None, FILE, Msg.EMPTY)


def _mt_date(text: str) -> dt.date:
    return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))


def _mt_fields(text: io.TextIOWrapper) -> Iterator[tuple[int, str, str]]:
    """(line number, tag, value) of each field; continuation lines joined with a newline."""
    current: tuple[int, str, list[str]] | None = None
    for number, raw in enumerate(text, start=1):
        if (refused := _too_many(number)) is not None:
            raise _TooMany(refused)
        line = raw.rstrip("\r\n")
        m = re.match(r"^:(\d{2}[A-Z]?):(.*)$", line)
        if m:
            if current is not None:
                yield current[0], current[1], "\n".join(current[2])
            current = (number, m.group(1), [m.group(2)])
        elif line.strip() in ("-", "-}", "}") or line.startswith("{"):
            continue
        elif current is not None:
            current[2].append(line)
    if current is not None:
        yield current[0], current[1], "\n".join(current[2])


class _TooMany(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def _read_mt940(text: io.TextIOWrapper, today: dt.date) -> Iterator[Item]:
    account = ""
    opening: int | None = None
    credits = debits = 0
    pending: tuple[int, dict[str, str], int, dt.date] | None = None  # a :61: waiting for its :86:
    any_lines = False
    errors = False

    def flush(description: str) -> Iterator[Item]:
        nonlocal pending
        if pending is None:
            return
        row, m, amount, value_date = pending
        pending = None
        bank = (m["bank"] or m["customer"] or "").strip()
        desc = " ".join(description.split())[:DESCRIPTION_LENGTH]
        code = find_code(m["customer"] or "") or find_code(desc)
        yield BankLine(row, account, bank[:REFERENCE_LENGTH], value_date, amount, code, desc)

    try:
        for row, tag, value in _mt_fields(text):
            if tag != "86":
                yield from flush("")
            if tag == "25":
                account = value.strip()[:40]
            elif tag in ("60F", "60M", "62F", "62M"):
                b = _MT_BALANCE.match(value.strip())
                if not b:
                    yield RowError(row, tag, Msg.BALANCE_BAD, {"value": value.strip()[:40]})
                    errors = True
                    continue
                balance = int(b["amount"].split(",")[0]) * (1 if b["mark"] == "C" else -1)
                if tag.startswith("60") and opening is None:
                    opening = balance
                elif tag.startswith("62") and opening is not None and not errors:
                    if opening + credits - debits != balance:
                        yield RowError(
                            row, tag, Msg.UNBALANCED,
                            {"opening": str(opening), "credits": str(credits), "debits": str(debits),
                             "closing": str(balance)},
                        )  # fmt: skip
                    opening, credits, debits = None, 0, 0
            elif tag == "61":
                m = _MT_LINE.match(value.split("\n")[0].strip())
                if not m:
                    yield RowError(row, "61", Msg.LINE_BAD, {"value": value.split("\n")[0].strip()[:60]})
                    errors = True
                    continue
                try:
                    value_date = _mt_date(m["date"])
                except ValueError:
                    yield RowError(row, "61", Msg.DATE_BAD, {"value": m["date"]})
                    errors = True
                    continue
                amount = parse_amount(m["amount"], row, "61")
                if isinstance(amount, RowError):
                    yield amount
                    errors = True
                    continue
                if (bad := check_date(value_date, value_date.isoformat(), row, "61", today)) is not None:
                    yield bad
                    errors = True
                    continue
                any_lines = True
                if m["mark"].endswith("D"):
                    debits += amount
                    yield Debit(row, amount)
                else:
                    credits += amount
                    pending = (row, m.groupdict(), amount, value_date)
            elif tag == "86":
                yield from flush(value)
        yield from flush("")
    except _TooMany as stop:
        yield stop.error
        return
    if not any_lines:
        yield RowError(None, FILE, Msg.EMPTY)
