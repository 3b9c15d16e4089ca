"""One record's inputs read in their fields' types, and refused naming the field (and the row, when there are
several): the platform's bounds of any whole number (Rp10,000,000,000,000, 10^13: the largest amount the
platform takes) and of any date (1900 to 2100), the words taken for true and false (Indonesian and English),
values written as text. Expected values by hand (decision 0042)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from paritrana.rules import compute_one, compute_records
from paritrana.rules.errors import InvalidInput
from paritrana.rules.values import Field, coerce, parse_date

AMOUNT = Field("amount", "int64", "an amount")
OWN_MAXIMUM = Field("value", "int64", "a contract value", minimum=0, maximum=10**15)
NEGATIVE_ALLOWED = Field("change", "int64", "a change", minimum=-(10**15))
FLAG = Field("flag", "bool", "a flag")
ON = Field("on", "date", "a date")
OPTIONAL = Field("months", "int64", "months", default=1)


def refused(field: Field, raw: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        coerce(field, raw)
    assert error.value.field == field.name
    return error.value


def test_a_whole_number_is_taken_up_to_the_platforms_bound_or_the_fields_own_larger_one() -> None:
    assert coerce(AMOUNT, 10**13) == 10**13
    assert coerce(AMOUNT, -(10**13)) == -(10**13)
    assert "at most 10,000,000,000,000 (got 10,000,000,000,001)" in refused(AMOUNT, 10**13 + 1).reason
    assert "at least -10,000,000,000,000 (got -10,000,000,000,001)" in refused(AMOUNT, -(10**13) - 1).reason
    assert coerce(OWN_MAXIMUM, 10**15) == 10**15  # a field's own maximum above the platform's bound
    assert "at most 1,000,000,000,000,000 (got 1,000,000,000,000,001)" in refused(OWN_MAXIMUM, 10**15 + 1).reason
    assert coerce(NEGATIVE_ALLOWED, -(10**15)) == -(10**15)  # a field's own minimum below it
    assert (
        "at least -1,000,000,000,000,000 (got -1,000,000,000,000,001)"
        in refused(NEGATIVE_ALLOWED, -(10**15) - 1).reason
    )


def test_a_whole_number_written_as_text() -> None:
    assert coerce(AMOUNT, " 5_000_000 ") == 5_000_000
    assert coerce(AMOUNT, "-12") == -12
    assert "expected a whole number, got '5.000.000'" in refused(AMOUNT, "5.000.000").reason
    assert "expected a whole number, got True" in refused(AMOUNT, True).reason  # a flag is not a number
    long = "9" * 50
    assert refused(AMOUNT, "x" + long).reason == f"expected a whole number, got {('x' + long)[:40]!r}"


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "yes", "y", "ya", "benar", " Ya "])
def test_words_for_true(word: str) -> None:
    assert coerce(FLAG, word) is True


@pytest.mark.parametrize("word", ["0", "false", "no", "n", "tidak", "salah", "Tidak"])
def test_words_for_false(word: str) -> None:
    assert coerce(FLAG, word) is False


def test_a_flag_neither_true_nor_false_is_refused() -> None:
    assert coerce(FLAG, True) is True and coerce(FLAG, False) is False
    assert "expected true or false, got 'mungkin'" in refused(FLAG, "mungkin").reason


def test_a_date_between_1900_and_2100() -> None:
    assert coerce(ON, "1900-01-01") == dt.date(1900, 1, 1)
    assert coerce(ON, dt.date(2100, 12, 31)) == dt.date(2100, 12, 31)
    assert coerce(ON, dt.datetime(2024, 5, 1, 13, 30)) == dt.date(2024, 5, 1)
    assert "between 1900-01-01 and 2100-12-31 (got 1899-12-31)" in refused(ON, "1899-12-31").reason
    assert "(got 2101-01-01)" in refused(ON, dt.date(2101, 1, 1)).reason
    assert "(got 1899-12-31)" in refused(ON, dt.datetime(1899, 12, 31, 23, 59)).reason
    assert "expected a date YYYY-MM-DD, got '01/05/2024'" in refused(ON, "01/05/2024").reason
    assert parse_date("2024-05-01") == dt.date(2024, 5, 1)


def test_a_missing_value_is_the_default_or_refused_when_required() -> None:
    assert coerce(OPTIONAL, None) == 1 and coerce(OPTIONAL, "  ") == 1
    assert refused(AMOUNT, None).reason == "is required"
    assert refused(AMOUNT, "").reason == "is required"


def test_an_unknown_input_or_a_bad_value_names_the_field_and_the_row_of_several() -> None:
    with pytest.raises(InvalidInput) as one:
        compute_one("jkm_benefit", "2024-05-01", {"membership_active": True, "wages": 1})
    assert one.value.field == "wages" and one.value.row is None
    assert "is not an input of rule jkm_benefit" in one.value.reason
    records = [{"membership_active": True}, {"membership_active": True}, {"membership_active": "kadang"}]
    with pytest.raises(InvalidInput) as third:
        compute_records("jkm_benefit", records, on="2024-05-01")
    assert (third.value.field, third.value.row) == ("membership_active", 3)
    with pytest.raises(InvalidInput) as unknown:
        compute_records(
            "jkm_benefit", [{"membership_active": True}, {"membership_active": True, "x": 1}], on="2024-05-01"
        )
    assert (unknown.value.field, unknown.value.row) == ("x", 2)
