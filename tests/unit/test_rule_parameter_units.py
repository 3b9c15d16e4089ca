"""A parameter's values read in their unit: whole numbers of rupiah, months, years … never negative nor a truth
value; rates exact fractions from 0 to 1 in parts per million (no binary float); flags true or false; a table's
rows with their columns' units and an open end; values keyed by a risk group. The values in force between two
dates, and a value's explanation (its note, its doubt, its link). Refusals name the file, parameter, date, key and
row. Values and messages by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from paritrana.rules.errors import ParameterError
from paritrana.rules.parameters import Parameter, load_parameter_text

SOURCE = "law.yaml"
WHERE = "law.yaml: x 2020-01-01"


def parameter(unit: str, value: str, columns: str = "") -> Parameter:
    text = (
        f"x:\n  unit: {unit}\n  description: d\n{columns}"
        f"  values:\n    2020-01-01: {{value: {value}, reference: 'PP 1/2020 art 1'}}\n"
    )
    return load_parameter_text(text, SOURCE)["x"]


def read(unit: str, value: str, columns: str = "") -> Any:
    return parameter(unit, value, columns).values[0].value


def refusal(unit: str, value: str, columns: str = "") -> str:
    with pytest.raises(ParameterError) as error:
        parameter(unit, value, columns)
    return str(error.value)


@pytest.mark.parametrize("unit", ["rupiah", "months", "years", "days", "count", "age"])
def test_each_whole_unit_takes_zero_and_up_never_below(unit: str) -> None:
    assert read(unit, "0") == 0 and read(unit, "56") == 56
    assert refusal(unit, "-1") == f"{WHERE}: {unit} cannot be negative, got -1"
    assert refusal(unit, "true") == f"{WHERE}: {unit} must be a whole number, got True"
    assert refusal(unit, "10.5") == f"{WHERE}: {unit} must be a whole number, got 10.5"


def test_a_flag_is_true_or_false_only() -> None:
    assert read("flag", "true") is True and read("flag", "false") is False
    assert refusal("flag", "1") == f"{WHERE}: expected true or false, got 1"
    assert refusal("flag", "'ya'") == f"{WHERE}: expected true or false, got 'ya'"


@pytest.mark.parametrize(
    ("written", "rate"),
    [
        ("0", "0"),
        ("1", "1"),
        ("'0.0024'", "0.0024"),
        ("0.5", "0.5"),
        ("'0.000001'", "0.000001"),
        ("0.999999", "0.999999"),
    ],
)
def test_a_rate_is_an_exact_fraction_from_zero_to_one(written: str, rate: str) -> None:
    value = read("rate", written)
    assert isinstance(value, Decimal) and value == Decimal(rate)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("'-0.000001'", "a rate is a fraction between 0 and 1 (0.0024 is 0.24 %), got '-0.000001'"),
        ("'1.000001'", "a rate is a fraction between 0 and 1 (0.0024 is 0.24 %), got '1.000001'"),
        ("2", "a rate is a fraction between 0 and 1 (0.0024 is 0.24 %), got 2"),
        ("'0.0000001'", "rate 0.0000001 is finer than one part per million"),  # a tenth of a millionth
        ("'0.0000007'", "rate 0.0000007 is finer than one part per million"),  # one that would round up
        ("'0.0024001'", "rate 0.0024001 is finer than one part per million"),
        ("true", "a rate is a fraction, got True"),
        ("'abc'", "'abc' is not a rate"),
    ],
)
def test_a_rate_out_of_range_finer_than_a_millionth_or_not_a_number_is_refused(written: str, message: str) -> None:
    assert refusal("rate", written) == f"{WHERE}: {message}"


def test_a_value_keyed_by_risk_group_reads_each_key_in_the_unit() -> None:
    # PP 44/2015 art 16 and annex I: JKK by risk group, 0.24 % to 1.74 % of the wage
    rates = read("rate", "{1: '0.0024', 5: '0.0174'}")
    assert rates == {1: Decimal("0.0024"), 5: Decimal("0.0174")}
    assert refusal("rate", "{1: '0.0024', 5: '1.74'}").startswith(f"{WHERE} [5]: a rate is a fraction between 0 and 1")
    assert refusal("rupiah", "{}") == f"{WHERE}: an empty mapping"


BRACKETS = "  columns: {upto: rupiah, rate: rate}\n"


def test_a_table_reads_each_row_in_its_columns_units_with_an_open_end() -> None:
    # PP 68/2009 art 5: the lump sum's tax, 0 % up to Rp50,000,000 and 5 % above (no upper limit)
    rows = read("table", "[{upto: 50000000, rate: 0}, {upto: null, rate: '0.05'}]", BRACKETS)
    assert rows == ({"upto": 50_000_000, "rate": Decimal(0)}, {"upto": None, "rate": Decimal("0.05")})
    assert parameter("table", "[{upto: 1, rate: 0}]", BRACKETS).columns == {"upto": "rupiah", "rate": "rate"}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("[{upto: 1, rate: 0}, {upto: null}]", ": row 2 must have columns ['rate', 'upto']"),
        ("[{upto: 1, rate: 0}, {upto: 2, rate: 0, cap: 3}]", ": row 2 must have columns ['rate', 'upto']"),
        ("[{upto: 1, rate: 0}, 7]", ": row 2 must have columns ['rate', 'upto']"),
        (
            "[{upto: 1, rate: 0}, {upto: -2, rate: 0}]",
            " row 2 upto: rupiah cannot be negative, got -2",
        ),  # the cell named
        ("[]", ": a table value is a non-empty list of rows"),
        ("{upto: 1, rate: 0}", ": a table value is a non-empty list of rows"),
        ("5", ": a table value is a non-empty list of rows"),
    ],
)
def test_a_table_row_with_other_columns_or_a_bad_value_is_refused_naming_the_row(rows: str, message: str) -> None:
    assert refusal("table", rows, BRACKETS) == f"{WHERE}{message}"


@pytest.mark.parametrize(
    "columns",
    ["", "  columns: {}\n", "  columns: {rows: table}\n", "  columns: {upto: money}\n"],
)
def test_a_table_needs_columns_each_with_a_unit_of_a_value(columns: str) -> None:
    assert refusal("table", "[{upto: 1}]", columns) == "law.yaml: x: a table needs columns, each with a unit"


def test_a_unit_the_loader_does_not_know_is_refused_with_the_units_it_knows() -> None:
    assert refusal("money", "1") == (
        "law.yaml: x: unit 'money' is not one of "
        "['age', 'count', 'days', 'flag', 'months', 'rate', 'rupiah', 'table', 'years']"
    )


def test_the_values_in_force_between_two_days_oldest_first() -> None:
    text = (
        "x:\n  unit: rupiah\n  description: d\n  values:\n"
        "    2020-01-01: {value: 1, reference: 'PP 1'}\n"
        "    2021-01-01: {value: 2, reference: 'PP 2'}\n"
        "    2022-01-01: {value: 3, reference: 'PP 3'}\n"
    )
    x = load_parameter_text(text, SOURCE)["x"]

    def between(start: dt.date, end: dt.date) -> list[int]:
        return [v.value for v in x.between(start, end)]

    assert between(dt.date(2020, 6, 1), dt.date(2020, 12, 31)) == [1]  # the day before a change
    assert between(dt.date(2020, 6, 1), dt.date(2021, 1, 1)) == [1, 2]  # the change's own day
    assert between(dt.date(2021, 1, 1), dt.date(2021, 12, 31)) == [2]  # a change on the first day: once
    assert between(dt.date(2020, 1, 1), dt.date(2030, 1, 1)) == [1, 2, 3]
    assert x.first_effective == dt.date(2020, 1, 1) and x.at(dt.date(2021, 12, 31)).value == 2


def test_a_values_explanation_shows_its_note_its_doubt_and_its_link_only_when_it_has_them() -> None:
    text = (
        "x:\n  unit: rate\n  description: d\n  values:\n"
        "    2020-01-01: {value: {1: '0.0024'}, reference: 'PP 44/2015 art 16'}\n"
        "    2021-01-01: {value: {1: '0.0024'}, reference: 'PP 82/2019', why: 'overrides the 2015 table'}\n"
        "    2022-01-01: {value: {1: '0.003'}, reference: 'PP 3', uncertain: true, why: 'one source',"
        " url: 'https://peraturan.bpk.go.id/x'}\n"
    )
    plain, noted, doubted = (v.as_dict() for v in load_parameter_text(text, SOURCE)["x"].values)
    assert plain == {"effective": "2020-01-01", "value": {"1": "0.0024"}, "reference": "PP 44/2015 art 16"}
    assert noted["why"] == "overrides the 2015 table" and "uncertain" not in noted and "url" not in noted
    assert doubted == {
        "effective": "2022-01-01",
        "value": {"1": "0.003"},
        "reference": "PP 3",
        "url": "https://peraturan.bpk.go.id/x",
        "uncertain": True,
        "why": "one source",
    }


def test_a_tables_explanation_is_plain_rows_of_text_and_numbers() -> None:
    x = parameter("table", "[{upto: 50000000, rate: 0}, {upto: null, rate: '0.05'}]", BRACKETS)
    assert x.values[0].as_dict()["value"] == [{"upto": 50_000_000, "rate": "0"}, {"upto": None, "rate": "0.05"}]
    assert parameter("flag", "true").values[0].as_dict()["value"] is True
