"""JKM (death not caused by work): lump sum, periodic benefit, funeral cost, scholarship eligibility.

The law date is the date of death: before 2 December 2019 PP 44/2015 original
(Rp16.2 jt + 24 x Rp200,000 + Rp3 jt = Rp24 jt), from it PP 82/2019 (Rp20 jt +
Rp12 jt + Rp10 jt = Rp42 jt). A death before 1 July 2015 is refused (naming the
parameter). The amounts do not depend on the wage.

Readings made here: a death from a work accident or occupational disease gives no
JKM (it is a JKK case: 0 with the reason). A person with several memberships active
on the date of death (through different employers) gets one JKM per membership
(BPJS TK practice, reported by the agency, not read in a regulation): ``total_all_memberships``.
The scholarship flag says whether the contribution period (masa iur, months) reaches
the minimum in force on the date of death (5 years, 3 years from PP 82/2019); the
scholarship amounts are the rule ``scholarship_benefit``.
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Context, Field, rule
from paritrana.rules.money import integer


@rule(
    "jkm_benefit",
    group="benefits",
    title="JKM death benefit (death not from work): lump sum, periodic benefit, funeral cost",
    inputs=[
        Field("membership_active", "bool", "the participant's membership was active on the date of death"),
        Field(
            "work_accident",
            "bool",
            "the death was caused by a work accident or occupational disease (then it is a JKK case)",
            default=False,
        ),
        Field(
            "contribution_months",
            "int64",
            "contribution period (masa iur) of the participant, months (for the scholarship flag)",
            default=0,
            minimum=0,
            maximum=1200,
        ),
        Field(
            "active_memberships",
            "int64",
            "memberships active on the date of death (through different employers); each pays one JKM",
            default=1,
            minimum=1,
            maximum=20,
        ),
    ],
    outputs=[
        Field("eligible", "bool", "JKM is payable"),
        Field("lump_sum", "int64", "lump-sum death benefit (santunan sekaligus), rupiah"),
        Field("periodic_benefit", "int64", "periodic benefit (santunan berkala), paid at once, rupiah"),
        Field("funeral_cost", "int64", "funeral cost (biaya pemakaman), rupiah"),
        Field("total", "int64", "lump sum + periodic benefit + funeral cost, for one membership, rupiah"),
        Field("total_all_memberships", "int64", "total x active memberships, rupiah"),
        Field("scholarship_eligible", "bool", "the children may receive the scholarship (rule scholarship_benefit)"),
        Field("reason", "string", "why JKM is not payable, or why there is no scholarship (empty otherwise)"),
        Field(
            "scholarship_min_contribution_months",
            "int64",
            "contribution months needed for the scholarship",
            explain_only=True,
        ),
    ],
)
def jkm_benefit(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 art 34 (original), as amended by PP 82/2019; Permenaker 5/2021 (scholarship condition).

    The law date is the date of death.
    """
    eligible = t.membership_active & ~t.work_accident
    zero = integer(0)
    lump = ibis.ifelse(eligible, ctx.amount("jkm.lump_sum"), zero)
    periodic = ibis.ifelse(eligible, ctx.amount("jkm.periodic_benefit"), zero)
    funeral = ibis.ifelse(eligible, ctx.amount("jkm.funeral_cost"), zero)
    total = lump + periodic + funeral
    min_months = ctx.amount("scholarship.jkm_min_contribution_months")
    long_enough = t.contribution_months >= min_months
    reason = ibis.cases(
        (t.work_accident, "death from a work accident or occupational disease: a JKK case (rule jkk_death_benefit)"),
        (~t.membership_active, "membership was not active on the date of death"),
        (~long_enough, "no scholarship: contribution period under the minimum for JKM"),
        else_="",
    )
    return {
        "eligible": eligible,
        "lump_sum": lump,
        "periodic_benefit": periodic,
        "funeral_cost": funeral,
        "total": total,
        "total_all_memberships": total * t.active_memberships,
        "scholarship_eligible": eligible & long_enough,
        "reason": reason,
        "scholarship_min_contribution_months": min_months,
    }
