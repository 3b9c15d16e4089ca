"""Contributions of construction-services projects (Jakon): JKK and JKM.

Contract values reach trillions of rupiah. A contract value times a rate in parts per
million could leave the 64-bit range (Rp10 T × 1,000,000 = 1e19 > 9.2e18), so rates are
applied by :func:`paritrana.rules.money.apply_rate_wide`, which splits the amount into whole millions and a
remainder: every intermediate product then stays at or below 1e15 for amounts up to the
input maximum (Rp10^15), whatever the rate (at most 100 %), and the result is still the
exact product rounded once, half up (money.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Check, Context, Field, rule
from paritrana.rules.money import RATE_SCALE, apply_rate_wide, integer, rate_ppm, round_half_up_div

# Rp1,000 trillion: far above any single construction contract (the largest national
# projects are tens of trillions) and the bound under which apply_rate_wide is proven safe.
MAX_CONTRACT_VALUE = 10**15
MAX_WAGE = 10**15


def _tiered(ctx: Context, value: ir.IntegerValue, column: str) -> ir.IntegerValue:
    """Σ over the tiers of rate × the part of ``value`` inside the tier, rounded once."""

    def build(rows: Any) -> ir.Value:
        millions = integer(0)
        micro = integer(0)  # the sum of remainder × ppm, in millionths of a rupiah
        lower = 0
        for row in rows:
            ppm = integer(rate_ppm(row[column]))
            above = ibis.greatest(value - integer(lower), integer(0))
            part = above if row["upto"] is None else ibis.least(above, integer(row["upto"] - lower))
            remainder = part % RATE_SCALE
            millions = millions + round_half_up_div(part - remainder, RATE_SCALE) * ppm
            micro = micro + remainder * ppm
            if row["upto"] is None:
                break
            lower = row["upto"]
        else:
            raise ValueError("construction.contract_value_tiers: the last tier needs an open end (upto: null)")
        return millions + round_half_up_div(micro, RATE_SCALE)

    return ctx.versioned("construction.contract_value_tiers", build)


@rule(
    "construction_contributions",
    group="contributions",
    title="JKK and JKM of a construction project (Jakon)",
    inputs=[
        Field(
            "wages_known",
            "bool",
            "the workers' wages are known: contributions per worker per month on the wage; "
            "otherwise once per project on the contract value",
            default=False,
        ),
        Field(
            "contract_value",
            "int64",
            "construction contract value excluding VAT, rupiah (when wages are not known)",
            default=0,
            minimum=0,
            maximum=MAX_CONTRACT_VALUE,
        ),
        Field(
            "wage",
            "int64",
            "monthly wage of the worker, rupiah (when wages are known)",
            default=0,
            minimum=0,
            maximum=MAX_WAGE,
        ),
    ],
    outputs=[
        Field("jkk", "int64", "JKK contribution payable: per project, or per worker-month when wages are known"),
        Field("jkm", "int64", "JKM contribution payable: per project, or per worker-month when wages are known"),
        Field("total", "int64", "JKK + JKM payable"),
        Field("jkk_full", "int64", "JKK before any relief", explain_only=True),
        Field("jkm_full", "int64", "JKM before any relief", explain_only=True),
    ],
    checks=[
        Check("wage", lambda t: t.wages_known & (t.wage <= 0), "must be given (above 0) when wages are known"),
        Check(
            "contract_value",
            lambda t: ~t.wages_known & (t.contract_value <= 0),
            "must be given (above 0) when wages are not known",
        ),
    ],
)
def construction_contributions(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """Permenaker 44/2015 arts 2-3 (now Permenaker 5/2021); PP 44/2015; PP 49/2020 arts 11-12 (COVID relief).

    Wages known: JKK 1.74 % and JKM 0.30 % of each worker's monthly wage. Wages not known:
    marginal tiers on the contract value (excluding VAT), paid once for the project; each
    line is the exact sum over the tiers, rounded once. PP 49/2020 makes 1 % of JKK and
    JKM payable for contribution months August 2020 - January 2021, applied to the rounded
    full contribution and rounded again (as for PU and BPU).
    """
    jkk_full = ibis.ifelse(
        t.wages_known,
        apply_rate_wide(t.wage, ctx.rate("construction.wage_known.jkk_rate")),
        _tiered(ctx, t.contract_value, "jkk_rate"),
    )
    jkm_full = ibis.ifelse(
        t.wages_known,
        apply_rate_wide(t.wage, ctx.rate("construction.wage_known.jkm_rate")),
        _tiered(ctx, t.contract_value, "jkm_rate"),
    )
    covid = ctx.rate("relief.covid.jkk_jkm_payable_share")
    jkk = apply_rate_wide(jkk_full, covid)
    jkm = apply_rate_wide(jkm_full, covid)
    return {"jkk": jkk, "jkm": jkm, "total": jkk + jkm, "jkk_full": jkk_full, "jkm_full": jkm_full}
