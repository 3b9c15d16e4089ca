"""JKP (job-loss) cash benefit, month by month, and its eligibility.

The law date of a claim is the PHK date: a PHK before 7 February 2025 is under
PP 37/2021 (45 % for months 1-3, 25 % for months 4-6, claim within 3 months), a
PHK on or after it under PP 6/2025 (60 % for 6 months, claim within 6 months).
A PHK before 2 February 2021 has no JKP (an error naming ``jkp.benefit_rate``).

Readings made here: the wage is the last wage reported to BPJS TK, bounded by
``jkp.wage_cap``; each month's benefit is rounded to the rupiah, and the 6-month
total is the sum of the rounded months. "Within 3 (6) months" means a claim date up
to the same day 3 (6) calendar months after the PHK, inclusive. A PKWT ended by the
employer before its term is a PHK that qualifies; one ending at its agreed term
does not. The SIAPkerja activity conditions of months 2-6, a new job and death
(which end the right) are the caller's to check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Check, Context, Field, rule
from paritrana.rules.money import apply_rate, integer

SEPARATIONS = (
    "termination",
    "pkwt_terminated_early",
    "resignation",
    "total_permanent_disability",
    "retirement",
    "death",
    "pkwt_term_end",
)
EXCLUDED = ("resignation", "total_permanent_disability", "retirement", "death", "pkwt_term_end")
MONTHS = (1, 2, 3, 4, 5, 6)


def _on(ctx: Context) -> ir.DateValue:
    on = ctx.on
    return ibis.literal(on, type="date") if isinstance(on, dt.date) else on


@rule(
    "jkp_benefit",
    group="benefits",
    title="JKP cash benefit for one month after a PHK, and the 6-month total",
    inputs=[
        Field("month", "int64", "benefit month, 1 to 6", minimum=1, maximum=6),
        Field("wage", "int64", "last monthly wage reported to BPJS TK, rupiah", minimum=0),
        Field("separation", "string", "how the employment ended", choices=SEPARATIONS),
        Field(
            "contribution_months",
            "int64",
            "months of JKP contributions within the 24 months before the PHK",
            minimum=0,
            maximum=24,
        ),
        Field(
            "consecutive_months",
            "int64",
            "consecutive months of contributions paid right before the PHK",
            minimum=0,
            maximum=24,
        ),
        Field("age_at_registration", "int64", "age in whole years when registered in JKP", minimum=0),
        Field("claim_date", "date", "date the benefit is claimed"),
        Field("citizen", "bool", "the worker is an Indonesian citizen (WNI)", default=True),
    ],
    outputs=[
        Field("eligible", "bool", "the worker is entitled to the JKP cash benefit"),
        Field("benefit", "int64", "cash benefit for the month, rupiah (0 when not eligible)"),
        Field("total_6_months", "int64", "cash benefit over all 6 months, rupiah (0 when not eligible)"),
        Field("reason", "string", "why the claim is refused (empty when eligible)"),
        Field("wage_basis", "int64", "wage up to the JKP wage cap", explain_only=True),
        Field("rate_ppm", "int64", "benefit rate of the month, parts per million", explain_only=True),
        Field("claim_deadline", "date", "last day to claim", explain_only=True),
    ],
    checks=[
        Check(
            "consecutive_months", lambda t: t.consecutive_months > t.contribution_months, "exceeds contribution_months"
        )
    ],
)
def jkp_benefit(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 37/2021 arts 4, 19-21 (45 % months 1-3, 25 % months 4-6); PP 6/2025 amending arts 4, 19-21 (60 % for 6 months).

    The law date is the PHK date.
    """
    phk = _on(ctx)
    rate = ctx.rate("jkp.benefit_rate", t.month)  # first: a PHK before JKP is refused naming it
    basis = ibis.least(t.wage, ctx.amount("jkp.wage_cap"))
    deadline = ctx.versioned("jkp.claim_window_months", lambda v: phk + ibis.interval(months=v))
    reason = ibis.cases(
        (t.separation.isin(list(EXCLUDED)), "the separation is not a PHK that gives JKP"),
        (~t.citizen, "JKP is for Indonesian citizens"),
        (
            t.age_at_registration >= ctx.amount("jkp.max_registration_age"),
            "the worker was not under 54 when registered",
        ),
        (
            t.contribution_months < ctx.amount("jkp.min_contribution_months"),
            "fewer than 12 months of contributions within the 24 months before the PHK",
        ),
        (
            t.consecutive_months < ctx.amount("jkp.min_consecutive_months"),
            "fewer than 6 consecutive months of contributions before the PHK",
        ),
        (t.claim_date < phk, "the claim date is before the PHK date"),
        (t.claim_date > deadline, "the claim is made after the claim window"),
        else_="",
    )
    eligible = reason == ""
    total: Any = integer(0)
    for m in MONTHS:
        total = total + apply_rate(basis, ctx.rate("jkp.benefit_rate", integer(m)))
    return {
        "eligible": eligible,
        "benefit": ibis.ifelse(eligible, apply_rate(basis, rate), integer(0)),
        "total_6_months": ibis.ifelse(eligible, total, integer(0)),
        "reason": reason,
        "wage_basis": basis,
        "rate_ppm": rate,
        "claim_deadline": deadline,
    }
