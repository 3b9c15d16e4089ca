"""The checks of a table's inputs (``rules/checks.py``) as a wage file meets them: an optional column left blank takes
its default, one holding something unreadable is refused showing what was written; a refusal names the row of a
table of several records and no row for one record; the value shown with its thousands. PU contributions on
1 May 2024: JP 2 % employer and 1 % worker up to the wage cap (PP 45/2015 art 28-29), in JP unless said.
Amounts by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from paritrana.rules import InvalidInput, compute_one, compute_records, get_rule, prepare
from paritrana.rules.engine import read_file
from paritrana.rules.fetch import rows_of

RULE = "pu_contributions"
ON = dt.date(2024, 5, 1)


def _run(tmp_path: Path, rows: list[str]) -> list[dict[str, object]]:
    path = tmp_path / "wages.csv"
    path.write_text("\n".join(["wage,risk_group,in_jp", *rows]) + "\n", encoding="utf-8")
    rule = get_rule(RULE)
    return rows_of(prepare(rule, read_file(path, rule), on=ON).table)


def _refusal(tmp_path: Path, rows: list[str]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        _run(tmp_path, rows)
    return caught.value


def test_an_optional_column_left_blank_takes_its_default(tmp_path: Path) -> None:
    # in_jp left out (empty, or spaces only) is "in JP": Rp5,000,000 x 2 % = Rp100,000 and x 1 % = Rp50,000
    rows = _run(tmp_path, ["5000000,1,", "5000000,1,   ", "5000000,1,false"])
    assert [r["jp_employer"] for r in rows] == [100_000, 100_000, 0]
    assert [r["jp_worker"] for r in rows] == [50_000, 50_000, 0]


def test_an_optional_column_holding_something_unreadable_is_refused_showing_it(tmp_path: Path) -> None:
    refused = _refusal(tmp_path, ["5000000,1,true", "5000000,1,", "6000000,1,mungkin"])
    assert (refused.field, refused.row) == ("in_jp", 3)
    assert refused.reason == "is not true or false (got 'mungkin')"


def test_a_value_is_shown_with_its_thousands(tmp_path: Path) -> None:
    refused = _refusal(tmp_path, ["5000000,1,true", "-5000,1,true"])
    assert (refused.field, refused.row, refused.reason) == ("wage", 2, "must be at least 0 (got -5,000)")


def test_a_refusal_names_the_row_of_several_records_and_none_of_one() -> None:
    with pytest.raises(InvalidInput) as one:
        compute_one(RULE, ON, {"wage": -1, "risk_group": 1})
    assert (one.value.field, one.value.row, one.value.reason) == ("wage", None, "must be at least 0 (got -1)")
    with pytest.raises(InvalidInput) as second:
        compute_records(RULE, [{"wage": 1, "risk_group": 1}, {"wage": 1, "risk_group": 6}], on=ON)
    assert (second.value.field, second.value.row) == ("risk_group", 2)
    assert second.value.reason == "is not one of 1, 2, 3, 4, 5 (got 6)"


def test_a_record_without_the_date_others_carry_or_with_a_bad_one_is_refused_naming_its_row() -> None:
    dated = {"wage": 1, "risk_group": 1, "date": "2025-01-01"}
    with pytest.raises(InvalidInput) as undated:
        compute_records(RULE, [dated, dated, {"wage": 1, "risk_group": 1}])
    assert (undated.value.field, undated.value.row, undated.value.reason) == ("date", 3, "is required")
    with pytest.raises(InvalidInput) as bad:
        compute_records(RULE, [dated, {**dated, "date": "2025-02-30"}])
    assert (bad.value.field, bad.value.row) == ("date", 2)
    assert bad.value.reason == "expected a date YYYY-MM-DD, got '2025-02-30'"
