"""The shared table of an uploaded file (core.tabular_columns): the header mapped to the reader's columns, the
data rows with their cells by column, and what refuses the whole file, each error naming its field and row.
Real CSV bytes, read by the platform's one reader. Pure: no database."""

from __future__ import annotations

import pytest

from paritrana.core.limits import DEFAULTS, UploadLimits
from paritrana.core.tabular import FILE, CellError, Msg, RowError
from paritrana.core.tabular_columns import TWICE_COLUMN, Columns, Refused, read_table, repeated

COLUMNS = Columns(
    names={"nik": ("nik", "no_ktp"), "name": ("name", "nama"), "note": ("note", "catatan")},
    required=("nik", "name"),
    missing="column {column} is missing",
    empty="empty",
    no_rows="no rows",
)


def rows(text: str, columns: Columns = COLUMNS, limits: UploadLimits = DEFAULTS) -> list[tuple[int, dict[str, object]]]:
    return [
        (r.number, {c: r.cell(c) for c in columns.names})
        for r in read_table(text.encode("utf-8"), "list.csv", columns, limits)
    ]


def refusal(text: str, columns: Columns = COLUMNS, limits: UploadLimits = DEFAULTS) -> list[tuple[object, ...]]:
    with pytest.raises(Refused) as caught:
        rows(text, columns, limits)
    return [(e.row, e.field, e.template, dict(e.params)) for e in caught.value.errors]


def test_header_names_in_any_case_and_order_blank_rows_skipped_optional_column_absent() -> None:
    text = "\n\nNama;No KTP\nAsih;3374011709800001\n;\nBudi;3374011709800002\n"
    assert rows(text) == [
        (4, {"nik": "3374011709800001", "name": "Asih", "note": None}),
        (6, {"nik": "3374011709800002", "name": "Budi", "note": None}),
    ]


def test_a_short_row_reads_none_and_a_filled_cell_past_the_header_is_an_overflow() -> None:
    table = list(read_table(b"nik,name\n3374011709800001\n1,2,extra\n1,2,\n", "l.csv", COLUMNS))
    assert table[0].cell("name") is None and not table[0].overflows()
    assert table[1].overflows() and not table[2].overflows()
    assert table[0].has("nik") and not table[0].has("note")


def test_missing_columns_are_refused_on_the_header_row_each_naming_its_column() -> None:
    assert refusal("\nnote\nx\n") == [
        (2, "nik", "column {column} is missing", {"column": "nik"}),
        (2, "name", "column {column} is missing", {"column": "name"}),
    ]


def test_a_column_named_twice_is_refused_or_read_from_its_first_place() -> None:
    assert refusal("nik,nama,name\n1,a,b\n") == [(1, "name", TWICE_COLUMN, {"column": "name"})]
    first_wins = Columns(COLUMNS.names, COLUMNS.required, "m {column}", "e", "n", twice=None)
    assert rows("nik,nama,name\n1,a,b\n", first_wins) == [(2, {"nik": "1", "name": "a", "note": None})]


def test_an_empty_file_a_header_without_rows_and_an_unreadable_file_are_refused_as_the_file() -> None:
    assert refusal("\n \n") == [(None, FILE, "empty", {})]
    assert refusal("nik,name\n,\n") == [(None, FILE, "no rows", {})]
    limits = UploadLimits(**{**DEFAULTS.__dict__, "max_rows": 1})
    assert refusal("nik,name\n1,a\n2,b\n", limits=limits) == [(None, FILE, Msg.TOO_MANY_ROWS, {"maximum": "1"})]
    with pytest.raises(Refused) as caught:
        list(read_table(b"%PDF-1.4", "scan.pdf", COLUMNS))
    assert [(e.field, e.template) for e in caught.value.errors] == [(FILE, Msg.NOT_CSV_OR_XLSX)]


def _digits(value: object) -> int:
    if not str(value or "").isdigit():
        raise CellError("{value} is not a number", value=str(value))
    return int(str(value))


def test_a_cell_is_parsed_or_its_error_is_added_naming_row_and_column() -> None:
    first, second = read_table(b"nik,name\n12,a\nx1,b\n", "list.csv", COLUMNS)
    errors: list[RowError] = []
    assert first.parse("nik", _digits, errors) == 12
    assert errors == []
    assert second.parse("nik", _digits, errors) is None
    assert second.parse("name", str.upper, errors) == "B"  # the row goes on: every cell gets its say
    assert [(e.row, e.field, e.message) for e in errors] == [(3, "nik", "x1 is not a number")]


def test_a_key_on_several_rows_names_the_other_rows_on_each_of_them() -> None:
    given = [("a", 2), ("b", 3), ("a", 5), ("c", 6), ("a", 9), ("b", 10)]
    assert list(repeated(given)) == [
        ("a", 2, "5, 9"),
        ("a", 5, "2, 9"),
        ("a", 9, "2, 5"),
        ("b", 3, "10"),
        ("b", 10, "3"),
    ]
    assert list(repeated([("a", 1), ("b", 2)])) == []
