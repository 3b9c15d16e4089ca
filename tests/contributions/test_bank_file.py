"""Payment codes and bank files, pure (contributions/paycode.py, bankfile.py; decision 0009)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from paritrana.contributions import bankfile
from paritrana.contributions.bankfile import BankLine, Debit, RowError
from paritrana.contributions.paycode import find_code, luhn_digit, payer_of_code, payment_code

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = dt.date(2026, 12, 5)


def test_luhn_of_the_textbook_example() -> None:
    assert luhn_digit("7992739871") == "3"  # the example of ISO/IEC 7812-1


@pytest.mark.parametrize("payer", [1, 33, 123_456, 9_999_999_999])
def test_a_code_carries_its_payer_and_any_single_mistyped_digit_is_caught(payer: int) -> None:
    code = payment_code(payer)
    assert len(code) == 15 and code.startswith("8862") and payer_of_code(code) == payer
    assert payer_of_code(" ".join([code[:4], code[4:8], code[8:12], code[12:]])) == payer
    for i in range(len(code)):
        for digit in "0123456789":
            if digit != code[i]:
                assert payer_of_code(code[:i] + digit + code[i + 1 :]) is None, (i, digit)
    assert payer_of_code(code[:-1]) is None and payer_of_code(code + "0") is None
    assert find_code(f"IURAN {code} MARET") == code and find_code(f"X{code}1") == ""


@pytest.mark.parametrize("name", ["bank-statement.csv", "bank-statement.sta"])
def test_the_shipped_samples_read_without_error(name: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    fmt = bankfile.detect_format(name, data[:64])
    items = list(bankfile.read_statement(io.BytesIO(data), fmt, today=TODAY))
    assert not [i for i in items if isinstance(i, RowError)], items
    credits = [i for i in items if isinstance(i, BankLine)]
    assert [c.amount for c in credits] == [429_300, 36_800, 150_000]
    assert [c.payment_code for c in credits] == [payment_code(1), payment_code(2), ""]
    assert [d.amount for d in items if isinstance(d, Debit)] == [6_500]
    assert all(c.value_date == dt.date(2025, 3, 10) and c.account == "0012345678" for c in credits)


def test_a_missing_column_and_bad_cells_name_row_and_field() -> None:
    text = b"referensi,tanggal,keterangan\nX,2025-01-01,Y\n"
    errors = list(bankfile.read_statement(io.BytesIO(text), "csv", today=TODAY))
    assert [(e.row, e.field) for e in errors if isinstance(e, RowError)] == [(1, "amount")]
    text = b"referensi,tanggal,jumlah\nA,2025-01-01,5\nB,2025-01-01,0\nC,2027-01-01,5\nA,2025-01-01,5\n,2025-01-01,5\nD,1-1-1,5,9\n"
    items = list(bankfile.read_statement(io.BytesIO(text), "csv", today=TODAY))
    found = [(e.row, e.field) for e in items if isinstance(e, RowError)]
    assert found == [(3, "amount"), (4, "value_date"), (5, "bank_reference"), (6, "bank_reference"), (7, "file")]
    assert [i.bank_reference for i in items if isinstance(i, BankLine)] == ["A"]
    unreadable = list(bankfile.read_statement(io.BytesIO(b"a,b\n\xff\xfe\x00"), "csv", today=TODAY))
    assert [e.field for e in unreadable if isinstance(e, RowError)] == ["file"]
