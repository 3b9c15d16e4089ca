"""The one rounding rule: half up to the whole rupiah, in exact integer arithmetic."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import ibis
from hypothesis import given, settings
from hypothesis import strategies as st

from paritrana.rules.engine import connection
from paritrana.rules.money import RATE_SCALE, apply_rate, integer, round_half_up_div, round_rupiah


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
