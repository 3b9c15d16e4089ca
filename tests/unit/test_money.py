"""The one rounding rule: half up to the whole rupiah, in exact integer arithmetic."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import ibis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paritrana.rules.engine import connection
from paritrana.rules.money import (
    RATE_SCALE,
    apply_rate,
    apply_rate_wide,
    integer,
    multiply_ratio,
    rate_ppm,
    round_half_up_div,
    round_rupiah,
    rupiah_text,
)


def _eval(expr: ibis.Expr) -> int:
    return int(connection().execute(expr))


def test_half_rounds_up_not_to_even() -> None:
    assert _eval(round_half_up_div(integer(25), 10)) == 3  # 2.5 -> 3
    assert _eval(round_half_up_div(integer(15), 10)) == 2  # 1.5 -> 2
    assert _eval(round_half_up_div(integer(24), 10)) == 2
    assert round_rupiah(Decimal("2.5")) == 3
    assert round_rupiah(Decimal("12.5")) == 13


def test_large_amounts_stay_exact() -> None:
    # Rp 90 trillion at 0.0001 %: a float path would lose the last digits
    amount = 90_000_000_000_123
    got = _eval(apply_rate(integer(amount), 1))
    assert got == int((Decimal(amount) / RATE_SCALE).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(max_examples=200, deadline=None)
@given(amount=st.integers(min_value=0, max_value=10**12), ppm=st.integers(min_value=0, max_value=RATE_SCALE))
def test_apply_rate_equals_decimal_half_up(amount: int, ppm: int) -> None:
    want = (Decimal(amount) * Decimal(ppm) / RATE_SCALE).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert _eval(apply_rate(integer(amount), integer(ppm))) == int(want)


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(max_examples=100, deadline=None)
@given(amount=st.integers(min_value=0, max_value=10**18), ppm=st.integers(min_value=0, max_value=RATE_SCALE))
def test_apply_rate_wide_equals_decimal_half_up_up_to_a_quintillion(amount: int, ppm: int) -> None:
    assert _eval(apply_rate_wide(integer(amount), integer(ppm))) == _half_up(Decimal(amount) * ppm / RATE_SCALE)


def test_apply_rate_wide_by_hand() -> None:
    # 2.500.000 × 0,3 % = 7.500; 1.500.001 × 0,24 % = 3.600,0024 → 3.600; 10^18 × 100 % stays exact
    assert _eval(apply_rate_wide(integer(2_500_000), integer(3_000))) == 7_500
    assert _eval(apply_rate_wide(integer(1_500_001), integer(2_400))) == 3_600
    assert _eval(apply_rate_wide(integer(999_999), integer(500_000))) == 500_000  # 499.999,5 rounds up
    assert _eval(apply_rate_wide(integer(10**18), integer(RATE_SCALE))) == 10**18


@settings(max_examples=100, deadline=None)
@given(
    amount=st.integers(min_value=0, max_value=10**9),
    numerator=st.integers(min_value=0, max_value=1_000),
    denominator=st.integers(min_value=1, max_value=1_000),
)
def test_multiply_ratio_equals_decimal_half_up(amount: int, numerator: int, denominator: int) -> None:
    got = _eval(multiply_ratio(integer(amount), integer(numerator), denominator))
    assert got == _half_up(Decimal(amount) * numerator / denominator)


def test_multiply_ratio_by_hand() -> None:
    # 35 % of 80 × a wage of 3.000.001: 3.000.001 × 28 / 100 = 840.000,28 → 840.000; 7 × 3 / 2 = 10,5 → 11
    assert _eval(multiply_ratio(integer(3_000_001), integer(28), 100)) == 840_000
    assert _eval(multiply_ratio(integer(7), integer(3), 2)) == 11


def test_rupiah_text_writes_indonesian_thousands_and_the_sign() -> None:
    assert rupiah_text(1_234_567) == "Rp 1.234.567"
    assert rupiah_text(-5_000) == "-Rp 5.000"
    assert rupiah_text(-1) == "-Rp 1"
    assert rupiah_text(0) == "Rp 0"
    assert rupiah_text(999) == "Rp 999"


def test_rate_ppm_is_exact_parts_per_million() -> None:
    assert rate_ppm(Decimal("0.0054")) == 5_400  # JKK risk group II, 0,54 %
    assert rate_ppm(Decimal("0.037")) == 37_000
    assert rate_ppm(Decimal("1")) == RATE_SCALE
    for finer in ("0.0000005", "0.0000007", "0.0054001"):  # a millionth's fraction below or above a half
        with pytest.raises(ValueError, match="finer than one part per million"):
            rate_ppm(Decimal(finer))
