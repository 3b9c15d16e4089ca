"""Reading wage files (contributions/wagefile.py): real CSV and XLSX files written to disk, no database.

Each bad cell is reported with the row number a spreadsheet shows (the header is row 1) and the field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from paritrana.contributions.wagefile import (
    MAX_WAGE,
    CellError,
    Msg,
    latest_month,
    parse_month_cell,
    parse_wage,
    read_wage_file,
)
from paritrana.contributions.wagesample import sample_rows, spoil, write_wage_file

TODAY = dt.date(2025, 4, 10)
NIK_A = "3374010101850003"
NIK_B = "3374014101850004"


def write_csv(tmp_path: Path, text: str, name: str = "wages.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "wages.xlsx", skip: int = 0) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for i, row in enumerate(rows, start=1 + skip):
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=value)
    path = tmp_path / name
    wb.save(path)
    return path


def errors_of(result: Any) -> list[tuple[int | None, str, str]]:
    return [(e.row, e.field, e.template) for e in result.errors]


def test_a_clean_csv_gives_typed_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path, f'nik,period,wage\n{NIK_A},2025-03,3500000\n{NIK_B},2025-04,"4,200,000"\n')
    result = read_wage_file(path, "wages.csv", today=TODAY)
    assert result.errors == []
    assert result.row_count == 2
    assert [(r.row, r.nik, r.period, r.wage) for r in result.rows] == [
        (2, NIK_A, dt.date(2025, 3, 1), 3_500_000),
        (3, NIK_B, dt.date(2025, 4, 1), 4_200_000),
    ]


def test_indonesian_headers_in_any_case_order_and_semicolons(tmp_path: Path) -> None:
    # Excel in an Indonesian locale writes ";" between cells and a BOM; extra columns (nama) are ignored
    text = f"Upah;NAMA; Bulan ;NIK\n3.500.000;Asih;2025-03;{NIK_A}\n"
    result = read_wage_file(write_csv(tmp_path, "\ufeff" + text), "upah.csv", today=TODAY)
    assert result.errors == []
    assert [(r.row, r.nik, r.period, r.wage) for r in result.rows] == [(2, NIK_A, dt.date(2025, 3, 1), 3_500_000)]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("3500000", 3_500_000),
        ("3.500.000", 3_500_000),
        ("3,500,000", 3_500_000),
        ("Rp 3.500.000", 3_500_000),
        ("Rp3.500.000", 3_500_000),
        (" 12.000 ", 12_000),
        ("0", 0),
        (3_500_000, 3_500_000),
        (3_500_000.0, 3_500_000),
    ],
)
def test_wage_forms_accepted(text: Any, amount: int) -> None:
    assert parse_wage(text) == amount


@pytest.mark.parametrize(
    ("text", "template"),
    [
        ("-3.500.000", Msg.WAGE_NEGATIVE),
        (-1, Msg.WAGE_NEGATIVE),
        ("3.500.000,50", Msg.WAGE_DECIMALS),
        ("3500000.5", Msg.WAGE_DECIMALS),
        (3_500_000.5, Msg.WAGE_DECIMALS),
        ("3.50.000", Msg.WAGE_BAD),  # thousands come in groups of three
        ("3,500.000", Msg.WAGE_BAD),  # one separator per number
        ("tiga juta", Msg.WAGE_BAD),
        ("", Msg.WAGE_EMPTY),
        (None, Msg.WAGE_EMPTY),
        (True, Msg.WAGE_BAD),
        (dt.date(2025, 3, 1), Msg.WAGE_BAD),
        (str(MAX_WAGE + 1), Msg.WAGE_TOO_LARGE),
    ],
)
def test_wage_forms_refused(text: Any, template: str) -> None:
    with pytest.raises(CellError) as err:
        parse_wage(text)
    assert err.value.template == template


def test_month_cells() -> None:
    assert parse_month_cell("2025-03") == dt.date(2025, 3, 1)
    assert parse_month_cell(" 2025-3 ") == dt.date(2025, 3, 1)
    assert parse_month_cell(dt.date(2025, 3, 1)) == dt.date(2025, 3, 1)
    assert parse_month_cell(dt.datetime(2025, 3, 1)) == dt.date(2025, 3, 1)
    for bad, template in [
        ("2025-13", Msg.PERIOD_BAD),
        ("03/2025", Msg.PERIOD_BAD),
        ("Maret 2025", Msg.PERIOD_BAD),
        (202503, Msg.PERIOD_BAD),
        ("", Msg.PERIOD_EMPTY),
        (dt.date(2025, 3, 15), Msg.PERIOD_DAY),
    ]:
        with pytest.raises(CellError) as err:
            parse_month_cell(bad)
        assert err.value.template == template, bad


def test_latest_month_is_the_next_one() -> None:
    assert latest_month(dt.date(2025, 4, 10)) == dt.date(2025, 5, 1)
    assert latest_month(dt.date(2025, 12, 31)) == dt.date(2026, 1, 1)


def test_each_bad_cell_names_its_row_and_field(tmp_path: Path) -> None:
    text = (
        "nik,period,wage\n"
        f"{NIK_A},2025-03,3500000\n"  # row 2: fine
        "337401010185000,2025-03,1\n"  # row 3: 15 digits
        "\n"  # row 4: empty, skipped (but counted in the numbering)
        f"{NIK_B},2025-13,-5\n"  # row 5: bad month and negative wage
        f"{NIK_B},2025-06,3500000\n"  # row 6: more than one month ahead of 2025-04
        "3.37401E+15,2025-03,3500000\n"  # row 7: a NIK Excel turned into a number
        f"{NIK_B},2025-05,3.5\n"  # row 8: decimals
        "33740101018500AB,2025-03,1\n"  # row 9: letters
    )
    result = read_wage_file(write_csv(tmp_path, text), "w.csv", today=TODAY)
    assert result.row_count == 7
    assert [r.row for r in result.rows] == [2]
    assert errors_of(result) == [
        (3, "nik", Msg.NIK_LENGTH),
        (5, "period", Msg.PERIOD_BAD),
        (5, "wage", Msg.WAGE_NEGATIVE),
        (6, "period", Msg.PERIOD_FUTURE),
        (7, "nik", Msg.NIK_SHORTENED),
        (8, "wage", Msg.WAGE_DECIMALS),
        (9, "nik", Msg.NIK_NOT_DIGITS),
    ]
    by_row = {(e.row, e.field): e.message for e in result.errors}
    assert by_row[(3, "nik")] == "NIK 337401010185000 has 15 digits; it needs 16"
    assert by_row[(6, "period")] == "2025-06 is more than one month ahead; wages are reported up to 2025-05"
    assert not result.fatal


def test_the_same_nik_and_month_twice_is_an_error_on_both_rows(tmp_path: Path) -> None:
    text = f"nik,period,wage\n{NIK_A},2025-03,1000\n{NIK_B},2025-03,2000\n{NIK_A},2025-03,1000\n{NIK_A},2025-02,1\n"
    result = read_wage_file(write_csv(tmp_path, text), "w.csv", today=TODAY)
    assert errors_of(result) == [(2, "nik", Msg.DUPLICATE), (4, "nik", Msg.DUPLICATE)]
    assert result.errors[0].params["rows"] == "4"
    assert result.errors[1].params["rows"] == "2"
    assert [r.row for r in result.rows] == [3, 5]


def test_an_unquoted_wage_with_commas_spills_into_another_cell(tmp_path: Path) -> None:
    text = f"nik,period,wage\n{NIK_A},2025-03,3,500,000\n"
    result = read_wage_file(write_csv(tmp_path, text), "w.csv", today=TODAY)
    assert errors_of(result) == [(2, "wage", Msg.EXTRA_CELLS)]
    assert result.rows == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [(None, "file", Msg.EMPTY)]),
        ("\n\n", [(None, "file", Msg.EMPTY)]),
        ("nik,period,wage\n", [(None, "file", Msg.NO_ROWS)]),
        (f"nik,wage\n{NIK_A},1\n", [(1, "period", Msg.MISSING_COLUMN)]),
        (f"nomor,bulan,upah,upah\n{NIK_A},2025-03,1,1\n", [(1, "wage", Msg.TWICE_COLUMN), (1, "nik", Msg.MISSING_COLUMN)]),
        (f"{NIK_A},2025-03,1000\n", [(1, "nik", Msg.MISSING_COLUMN), (1, "period", Msg.MISSING_COLUMN), (1, "wage", Msg.MISSING_COLUMN)]),
    ],
)  # fmt: skip
def test_whole_file_errors(tmp_path: Path, text: str, expected: list[tuple[int | None, str, str]]) -> None:
    result = read_wage_file(write_csv(tmp_path, text), "w.csv", today=TODAY)
    assert errors_of(result) == expected
    assert result.fatal
    assert result.rows == []


def test_not_a_csv_or_xlsx_file(tmp_path: Path) -> None:
    pdf = tmp_path / "wages.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    result = read_wage_file(pdf, "wages.pdf", today=TODAY)
    assert errors_of(result) == [(None, "file", Msg.NOT_CSV_OR_XLSX)]
    assert result.errors[0].message == "wages.pdf is not a CSV or XLSX file; save the wages as .csv or .xlsx"
    # a file called .xlsx that is not a workbook, and a "CSV" with binary content
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"nik,period,wage\n")
    assert errors_of(read_wage_file(fake, "fake.xlsx", today=TODAY)) == [(None, "file", Msg.UNREADABLE)]
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"nik,period,wage\n\x00\x01\x02")
    assert errors_of(read_wage_file(binary, "bin.csv", today=TODAY)) == [(None, "file", Msg.UNREADABLE)]


def test_a_latin1_csv_is_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"nik;bulan;upah;nama\n{NIK_A};2025-03;3.500.000;Agnès\n", encoding="cp1252")
    result = read_wage_file(path, "w.csv", today=TODAY)
    assert result.errors == []
    assert result.rows[0].wage == 3_500_000


def test_xlsx_cells_rows_numbered_as_the_sheet_shows_them(tmp_path: Path) -> None:
    # the header on row 3 (two empty rows above): rows keep the sheet's numbers
    rows = [
        ["NIK", "Bulan", "Upah"],
        [NIK_A, dt.date(2025, 3, 1), 3_500_000],  # row 4: date cell on the 1st, number wage
        [int(NIK_B), "2025-03", 3_500_000.5],  # row 5: NIK as a number cell (read as its digits); decimals
        [NIK_B, "2025-04", "4.200.000"],  # row 6: text cells
        [],
        ["x", None, None],  # row 8
    ]
    result = read_wage_file(write_xlsx(tmp_path, rows, skip=2), "gaji.xlsx", today=TODAY)
    assert result.row_count == 4
    assert [(r.row, r.nik, r.period, r.wage) for r in result.rows] == [
        (4, NIK_A, dt.date(2025, 3, 1), 3_500_000),
        (6, NIK_B, dt.date(2025, 4, 1), 4_200_000),
    ]
    assert errors_of(result) == [
        (5, "wage", Msg.WAGE_DECIMALS),
        (8, "nik", Msg.NIK_NOT_DIGITS),
        (8, "period", Msg.PERIOD_EMPTY),
        (8, "wage", Msg.WAGE_EMPTY),
    ]


def test_xlsx_nik_number_cell_is_flagged(tmp_path: Path) -> None:
    rows = [["nik", "period", "wage"], [int(NIK_A), "2025-03", 1]]
    result = read_wage_file(write_xlsx(tmp_path, rows), "w.xlsx", today=TODAY)
    assert result.rows[0].nik == NIK_A
    assert result.rows[0].nik_was_number


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_sample_files_read_back_with_their_mistakes(tmp_path: Path, suffix: str) -> None:
    workers = [(f"33740101018{i:05d}", 3_000_000 + i * 10_000) for i in range(1, 41)]
    rows = sample_rows(workers, dt.date(2025, 3, 1), seed=7)
    assert all(r.wage.count(".") == 2 for r in rows)  # written 3.012.000
    bad, spoiled = spoil(rows, 5, seed=3)
    assert len(spoiled) == 5 and {s.field for s in spoiled} == {"nik", "period", "wage"}
    path = write_wage_file(tmp_path / f"upah{suffix}", bad)
    result = read_wage_file(path, path.name, today=TODAY)
    assert result.row_count == 40
    assert [(e.row, e.field) for e in result.errors] == [(s.row, s.field) for s in spoiled]
    wrong = {s.row for s in spoiled}
    expected = [(i + 2, r.nik, parse_wage(r.wage)) for i, r in enumerate(rows) if i + 2 not in wrong]
    assert [(r.row, r.nik, r.wage) for r in result.rows] == expected
    # each wage is within 5 % of the worker's, in whole thousands
    for (nik, wage), r in zip(workers, rows, strict=True):
        amount = parse_wage(r.wage)
        assert amount % 1000 == 0 and abs(amount - wage) <= wage * 5 // 100, nik
