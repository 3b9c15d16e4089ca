"""Scholarship for a participant's children (beasiswa pendidikan anak), a JKM and JKK benefit.

The law date is the date of the event: the participant's death, or the finding of
total permanent disability from a work accident.

- Event from 2 December 2019 (PP 82/2019): at most 2 children, a yearly amount per
  education level for a most number of years per level (TK 1.5 jt x 2, SD 1.5 jt x 6,
  SMP 2 jt x 3, SMA 3 jt x 3, higher education or vocational training 12 jt x 5:
  Rp87 jt per child, Rp174 jt per family). Trigger: a death not from work with a
  contribution period of at least 3 years; a death from work or a total permanent
  disability from work, with no minimum period.
- Event before it (PP 44/2015 original): Rp12 jt once, for one child; a death not
  from work needs 5 years of contributions. Level and year do not change the amount.

Readings made here: the per-level amounts are those of Permenaker 5/2021 (in force
1 April 2021), applied to events since PP 82/2019 because the first payment (21
April 2021) paid that backlog. The child conditions (under 23, not married, not
working) of Permenaker 5/2021 are applied to the old regime too (its conditions
were not found). Each year is claimed separately; the caller says which year of the
level the claim is for, and the child's age at the start of that school year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Context, Field, keys_of, rule
from paritrana.rules.money import integer
from paritrana.rules.parameters import load_parameters

TRIGGERS = ("jkm_death", "jkk_death", "jkk_total_disability")
LEVELS = tuple(str(k) for k in keys_of(load_parameters(), "scholarship.amount_per_year"))


@rule(
    "scholarship_benefit",
    group="benefits",
    title="Scholarship for a child of a participant who died or became totally disabled",
    inputs=[
        Field(
            "trigger",
            "string",
            "jkm_death (death not from work), jkk_death (death from work) or jkk_total_disability",
            choices=TRIGGERS,
        ),
        Field(
            "contribution_months",
            "int64",
            "participant's contribution period (masa iur), months (matters for jkm_death)",
            default=0,
            minimum=0,
            maximum=1200,
        ),
        Field("child_order", "int64", "which child of the participant claims: 1, 2, 3 …", minimum=1, maximum=30),
        Field(
            "level",
            "string",
            "education level: tk, sd, smp, sma, higher (higher education up to S1 or vocational training)",
            choices=LEVELS,
        ),
        Field("year_in_level", "int64", "school year within the level, from 1", minimum=1, maximum=20),
        Field("child_age", "int64", "child's age in whole years", minimum=0, maximum=100),
        Field("married", "bool", "the child is married", default=False),
        Field("working", "bool", "the child works", default=False),
    ],
    outputs=[
        Field("eligible", "bool", "a scholarship is payable for this child and year"),
        Field("amount", "int64", "scholarship for the year (or the one-off amount before PP 82/2019), rupiah"),
        Field("reason", "string", "why no scholarship is payable (empty when eligible)"),
        Field("max_total_per_child", "int64", "most one child can receive over all levels, rupiah"),
        Field("max_total_per_family", "int64", "most the children of one participant can receive, rupiah"),
        Field("amount_per_year", "int64", "amount of the level per year", explain_only=True),
        Field("max_years", "int64", "most years paid in the level", explain_only=True),
        Field("max_children", "int64", "most children who can receive", explain_only=True),
    ],
)
def scholarship_benefit(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 art 25 and art 34 (original), as amended by PP 82/2019; Permenaker 5/2021 (amounts per level, child conditions).

    The law date is the date of the death or of the finding of total permanent disability.
    """
    per_year = ctx.amount("scholarship.amount_per_year", t.level)
    max_years = ctx.amount("scholarship.max_years", t.level)
    one_off = ctx.amount("scholarship.one_child_lump_sum")
    max_children = ctx.amount("scholarship.max_children")
    min_months = ctx.amount("scholarship.jkm_min_contribution_months")
    per_child: Any = one_off
    for level in LEVELS:
        lit = ibis.literal(level)
        per_child = per_child + ctx.amount("scholarship.amount_per_year", lit) * ctx.amount(
            "scholarship.max_years", lit
        )
    old_regime = one_off > 0
    reason = ibis.cases(
        (
            (t.trigger == "jkm_death") & (t.contribution_months < min_months),
            "death not from work with a contribution period under the minimum",
        ),
        (t.child_order > max_children, "only the first children up to the maximum number receive the scholarship"),
        (t.child_age >= ctx.amount("scholarship.max_child_age"), "the child has reached the age limit"),
        (t.married, "the child is married"),
        (t.working, "the child works"),
        (~old_regime & (t.year_in_level > max_years), "beyond the most years paid for this education level"),
        else_="",
    )
    eligible = reason == ""
    amount = ibis.ifelse(eligible, ibis.ifelse(old_regime, one_off, per_year), integer(0))
    return {
        "eligible": eligible,
        "amount": amount,
        "reason": reason,
        "max_total_per_child": per_child,
        "max_total_per_family": per_child * max_children,
        "amount_per_year": per_year,
        "max_years": max_years,
        "max_children": max_children,
    }
