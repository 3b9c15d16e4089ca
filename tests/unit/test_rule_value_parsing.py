"""What people type into a rule's inputs, beyond ``test_rule_input_values.py``: text kept as text, a number far
beyond the platform's bound, a long unreadable date, several unknown inputs, a bad value in the second of two
records or in a single one; a field's title and the titles of its choices (shown on the calculator's pages).
Expected values and messages by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_one, compute_records
from paritrana.rules.errors import InvalidInput
from paritrana.rules.values import Field, coerce

AMOUNT = Field("amount", "int64", "an amount")
NAME = Field("company", "string", "a company's name")
ON = Field("on", "date", "a date")


def reason(field: Field, raw: object) -> str:
    with pytest.raises(InvalidInput) as error:
        coerce(field, raw)
    assert error.value.field == field.name
    return error.value.reason


def test_text_is_kept_as_typed_and_only_blank_text_is_missing() -> None:
    assert coerce(NAME, "PT Maju Jaya ") == "PT Maju Jaya "
    assert coerce(NAME, "2024-05-01") == "2024-05-01"  # a date's shape stays text in a text field
    assert coerce(NAME, "ya") == "ya" and coerce(NAME, 7) == "7"
    assert reason(NAME, " \t") == "is required"


def test_a_number_beyond_forty_characters_is_read_from_its_first_forty() -> None:
    # the text is cut before it is read (a bound on the work of reading it), then refused by the platform's bound
    assert reason(AMOUNT, "1" + "0" * 40) == f"must be at most 10,000,000,000,000 (got {10**39:,})"
    assert reason(AMOUNT, 10**50) == f"must be at most 10,000,000,000,000 (got {10**50:,})"  # a number is not cut


def test_an_unreadable_date_is_shown_to_its_first_forty_characters() -> None:
    typed = "tanggal " * 10
    assert reason(ON, typed) == f"expected a date YYYY-MM-DD, got {typed[:40]!r}"


def test_a_field_is_titled_in_words_unless_it_has_its_own_title() -> None:
    assert Field("jkp_from_jkm", "int64", "d").title == "JKP from JKM"
    assert Field("wage", "int64", "d", title="Upah").title == "Upah"


def test_a_field_with_a_default_is_optional_and_one_of_an_unknown_type_refused() -> None:
    assert Field("months", "int64", "d", default=0).required is False
    assert Field("months", "int64", "d").required is True
    with pytest.raises(ValueError, match="dtype 'float' is not one of"):
        Field("rate", "float", "d")


def test_the_titles_of_a_fields_choices_are_its_codes_in_words() -> None:
    payer = Field("payer", "string", "d", choices=("bpu", "national_budget", "", 3))
    assert payer.choice_titles() == {"bpu": "BPU", "national_budget": "national budget"}
    assert Field("n", "int64", "d").choice_titles() == {}


def test_the_first_unknown_input_in_alphabetical_order_is_named() -> None:
    with pytest.raises(InvalidInput) as error:
        compute_one("jkm_benefit", "2024-05-01", {"membership_active": True, "zakat": 1, "bonus": 2})
    assert error.value.field == "bonus" and error.value.row is None


def test_a_bad_value_names_the_row_of_two_records_and_no_row_of_one() -> None:
    with pytest.raises(InvalidInput) as second:
        compute_records("jkm_benefit", [{"membership_active": True}, {"membership_active": "mungkin"}], on="2024-05-01")
    assert (second.value.field, second.value.row) == ("membership_active", 2)
    with pytest.raises(InvalidInput) as one:
        compute_records("jkm_benefit", [{"membership_active": "mungkin"}], on="2024-05-01")
    assert (one.value.field, one.value.row) == ("membership_active", None)
    assert str(one.value) == "field 'membership_active': expected true or false, got 'mungkin'"


def test_records_each_with_its_date_or_none_with_one() -> None:
    # JKM lump sum: Rp16,200,000 (PP 44/2015 art 34) to 1 December 2019, Rp20,000,000 (PP 82/2019) from the 2nd
    dated = compute_records("jkm_benefit", [{"membership_active": True, "date": dt.date(2019, 12, 2)}])
    assert dated[0]["lump_sum"] == 20_000_000
    undated = compute_records("jkm_benefit", [{"membership_active": True}], on="2019-12-01")
    assert undated[0]["lump_sum"] == 16_200_000 and "date" not in undated[0]
    with pytest.raises(InvalidInput) as missing:  # once one record carries its date, each must
        compute_records("jkm_benefit", [{"membership_active": True, "date": "2019-12-02"}, {"membership_active": True}])
    assert (missing.value.field, missing.value.reason) == ("date", "is required")
