"""Money and rounding: the one place where rupiah are rounded.

Amounts are whole rupiah in 64-bit integers. Rates are carried as integer parts
per million (``RATE_SCALE``), which is exact for every rate in the regulations
(the finest, 0.445 % in PP 7/2025, is 4,450 ppm), so no binary float ever touches
an amount.

Rounding rule: a computed amount is rounded to the whole rupiah, **half up**
(0.5 rupiah goes up), once, on the final amount of each line (each programme of
each worker-month, each benefit component). A relief that makes only a share of a
contribution payable (PP 49/2020, PP 7/2025, PP 50/2025) is applied to the rounded full
contribution, the amount the law defines, and rounded again. No regulation states a rounding rule
for contributions (none was found in PP 44/2015, PP 45/2015 or PP 46/2015); half up is the ordinary
commercial rule and what payroll practice applies. Amounts are never negative in
the rules (inputs are checked), so half up equals half away from zero here.

Integer division is done by the engine's own integer division, never through a float
(Ibis's ``//`` is ``FLOOR(a / b)`` through a double, inexact beyond 2^53): the SQL
function ``div(a, b)``, Spark's own and, on DuckDB, a macro for ``a // b`` that
:mod:`paritrana.rules.duck` defines on every connection it opens (``macros.DUCKDB_MACROS``;
decisions 0016 and 0022).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

RATE_SCALE = 1_000_000


@ibis.udf.scalar.builtin(name="div")
def _div(left: int, right: int) -> int:  # type: ignore[empty-body]
    """``div(left, right)``: the engine's integer division of two 64-bit integers (see the module)."""


def _integer_divide(numerator: ir.IntegerValue, denominator: ir.IntegerValue) -> ir.IntegerValue:
    result: ir.IntegerValue = _div(numerator, denominator)
    return result


def integer(value: int) -> ir.IntegerValue:
    """An integer constant typed as a 64-bit integer in the SQL itself.

    (A bare literal would be read by DuckDB as a 32-bit INTEGER, and a product of
    two constants could overflow.)
    """
    return ibis.literal(int(value)).cast("int64")


def rate_ppm(rate: Decimal) -> int:
    """A rate as integer parts per million (exact; checked when parameters load)."""
    scaled = rate * RATE_SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"rate {rate} is finer than one part per million")
    return int(scaled)


def round_half_up_div(numerator: Any, denominator: int) -> ir.IntegerValue:
    """``numerator / denominator`` rounded half up to an integer, for ``numerator >= 0``."""
    num = numerator if isinstance(numerator, ir.Expr) else integer(numerator)
    return _integer_divide(num + integer(denominator // 2), integer(denominator))


def apply_rate(amount: Any, rate_in_ppm: Any) -> ir.IntegerValue:
    """``amount × rate``, rounded half up to the rupiah; the rate in parts per million."""
    return round_half_up_div(amount * rate_in_ppm, RATE_SCALE)


def apply_rate_wide(amount: Any, rate_in_ppm: Any) -> ir.IntegerValue:
    """``amount × rate`` rounded half up, exact and without overflow for 0 <= amount <= 10^18.

    ``amount = q × 10^6 + r`` gives ``amount × ppm / 10^6 = q × ppm + r × ppm / 10^6``: only
    the second term needs rounding, and for a rate of at most 100 % (ppm <= 10^6)
    ``q × ppm <= 10^18`` and ``r × ppm < 10^12``, inside the 64-bit range (9.2e18).
    """
    remainder = amount % RATE_SCALE
    millions = round_half_up_div(amount - remainder, RATE_SCALE)  # exact: a multiple of 10^6
    return millions * rate_in_ppm + round_half_up_div(remainder * rate_in_ppm, RATE_SCALE)


def multiply_ratio(amount: Any, numerator: Any, denominator: int) -> ir.IntegerValue:
    """``amount × numerator / denominator``, rounded half up (e.g. 35 % of 80 × wage)."""
    return round_half_up_div(amount * numerator, denominator)


def round_rupiah(value: Decimal) -> int:
    """The same rounding rule for a Python ``Decimal`` (used for scalar summaries)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rupiah_text(amount: int) -> str:
    """An amount as messages write it, as Indonesian does, with a space and thousands dots: ``Rp 1.234.567``
    (``-Rp 5.000`` below zero)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")
