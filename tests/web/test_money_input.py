"""Money inputs accept what people type and refuse the rest with a message naming the field."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from paritrana.web.money_input import RupiahField, parse_rupiah


@pytest.mark.parametrize(
    "typed",
    ["28.800.200", "Rp 28.800.200", "Rp28.800.200", "rp. 28.800.200", "28,800,200", "28800200", " IDR 28 800 200 "],
)
def test_what_people_type_is_read_as_whole_rupiah(typed: str) -> None:
    assert parse_rupiah(typed) == 28_800_200


@pytest.mark.parametrize(
    "typed", ["28.800,50", "28.80.200", "2,88.00", "Rp", "dua juta", "28.800.200 Rp", "-5.000", "1.2345"]
)
def test_anything_else_is_refused(typed: str) -> None:
    assert parse_rupiah(typed) is None


class PaymentLike(forms.Form):
    amount = RupiahField(label="amount, rupiah", min_value=1)


def test_the_form_field_reads_the_amount_and_names_the_field_in_the_users_language() -> None:
    form = PaymentLike({"amount": "Rp 28.800.200"})
    assert form.is_valid() and form.cleaned_data["amount"] == 28_800_200
    with translation.override("id"):
        form = PaymentLike({"amount": "28.800,50"})
        assert not form.is_valid()
        assert form.errors["amount"] == ["tulis jumlah rupiah bulat, misalnya 28.800.200 atau Rp 28.800.200"]
    form = PaymentLike({"amount": "0"})
    assert not form.is_valid() and "amount" in form.errors
