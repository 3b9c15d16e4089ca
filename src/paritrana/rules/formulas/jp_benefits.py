"""JP (pension) benefits: pension age, the old-age pension and survivor pensions.

Readings of the law made here (say so to a user):

- **Pension age** (PP 45/2015 art 15): the pension age rises on 1 January (57 in
  2019, then +1 every 3 years to 65 in 2043). A person's pension date is the first
  date on which their age is at least the pension age in force on that date. Age
  rises on birthdays and the pension age only on 1 January, so that date is a
  birthday: the first birthday n (56 … 65) that falls before the pension age rose
  above n. Born 31 Dec 1962: 56 on 31 Dec 2018 (pension age 56) — pension date;
  born 1 Jan 1963: 56 on 1 Jan 2019, when the age became 57 — pension date at 57.
  A person born on 29 February reaches an age on 28 February in a common year.
  Benefits are paid from the first day of the month after the pension date.
- **Old-age benefit** (art 17(2)): 1 % × masa iur (months) / 12 × the average
  indexed monthly wage over the masa iur (indexation is the caller's job), the wage
  bounded by the JP wage cap in force on the law date, the benefit bounded by the
  minimum and maximum in force on the law date (art 18). This is the benefit of the
  first year; later years are indexed (art 17(1)(b)) — not this rule.
- **Unknown minimum and maximum**: the 2017-2019 values (March 2017 to February
  2020) were not found; the rules refuse a single record dated then (naming the
  date) and give empty (null) benefits to such rows of a file.
- **Survivors** (Permenaker 29/2015 art 26): on death before the pension date with
  masa iur under 180 months, the masa iur is deemed 180 months when membership is at
  least 12 months and density (months paid / months of membership) at least 80 %;
  otherwise the accumulated contributions and returns are paid at once. The shares
  (widow/er 50 %, children 50 %, parent 20 %) are uncertain (no source found). The children's share is
  read as one benefit for the children together, split equally between at most 2;
  the art 18 minimum and maximum bound each benefit (the widow/er's, the
  children's together, the parent's) before any split. Both readings are uncertain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Check, Context, Field, rule
from paritrana.rules.errors import InvalidInput
from paritrana.rules.money import RATE_SCALE, apply_rate, integer, multiply_ratio, round_half_up_div

RECIPIENTS = ("widow_widower", "child", "parent")
MAX_MONTHS = 1200


def _on(ctx: Context) -> ir.DateValue:
    on = ctx.on
    return ibis.literal(on, type="date") if isinstance(on, dt.date) else on


def pension_date(ctx: Context, birth: ir.DateValue) -> tuple[ir.IntegerValue, ir.DateValue]:
    """The pension age and pension date of a person born on ``birth`` (see the module docstring)."""
    p = ctx.parameter("jp.pension_age")
    ages = [int(v.value) for v in p.values]
    if ages != sorted(ages):
        raise RuntimeError("jp.pension_age must never fall: the pension-date reading relies on it")
    branches_age = []
    branches_date = []
    for n in range(ages[0], ages[-1]):
        rises_above = next(v.effective for v in p.values if v.value > n)
        birthday = birth + ibis.interval(years=n)
        reached = birthday < ibis.literal(rises_above, type="date")
        branches_age.append((reached, integer(n)))
        branches_date.append((reached, birthday))
    last = ages[-1]
    age = ibis.cases(*branches_age, else_=integer(last))
    date = ibis.cases(*branches_date, else_=birth + ibis.interval(years=last))
    return age, date


def _bound(ctx: Context, name: str) -> ir.IntegerValue:
    """A rupiah parameter that may be unknown (null) for some dates."""
    p = ctx.parameter(name)
    if isinstance(ctx.on, dt.date) and p.at(ctx.on).value is None:
        raise InvalidInput(
            "date",
            f"the JP benefit bound {name} in force on {ctx.on.isoformat()} is not known "
            f"(values from {p.at(ctx.on).effective.isoformat()} were not found: {p.at(ctx.on).reference})",
        )
    return ctx.versioned(name, lambda v: ibis.null().cast("int64") if v is None else integer(v))


def _formula_benefit(ctx: Context, wage: ir.IntegerValue, months: ir.IntegerValue) -> tuple[Any, Any]:
    """PP 45/2015 art 17(2): accrual × months / 12 × wage, the wage up to the JP wage cap."""
    basis = ibis.least(wage, ctx.amount("jp.wage_cap"))
    return multiply_ratio(basis * ctx.rate("jp.accrual_rate"), months, 12 * RATE_SCALE), basis


def _bounded(ctx: Context, amount: ir.IntegerValue) -> tuple[Any, Any, Any]:
    low, high = _bound(ctx, "jp.min_benefit"), _bound(ctx, "jp.max_benefit")
    # DuckDB's GREATEST/LEAST skip nulls: an unknown bound must give an unknown benefit.
    unknown = low.isnull() | high.isnull()
    bounded = ibis.ifelse(unknown, ibis.null().cast("int64"), ibis.greatest(low, ibis.least(high, amount)))
    return bounded, low, high


@rule(
    "jp_pension_age",
    group="benefits",
    title="JP pension age and pension date of a person",
    inputs=[Field("birth_date", "date", "the person's birth date")],
    outputs=[
        Field("pension_age", "int64", "pension age that applies to the person"),
        Field("pension_date", "date", "date the person reaches it"),
        Field("first_payment_date", "date", "first day of the month after the pension date"),
        Field("reached", "bool", "the pension date is on or before the law date"),
        Field("age_at_date", "int64", "the person's age in whole years on the law date"),
        Field("pension_age_in_force", "int64", "pension age in force on the law date", explain_only=True),
    ],
)
def jp_pension_age(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 45/2015 art 15(1)-(3); Permenaker 29/2015 (benefit from the month after the pension age).

    The law date is the date the question is asked; the pension age applied is the
    one in force on the person's pension date, which may be later.
    """
    on = _on(ctx)
    age, date = pension_date(ctx, t.birth_date)
    raw = on.year() - t.birth_date.year()
    age_now = raw - ibis.ifelse(t.birth_date + raw.as_interval("Y") > on, 1, 0)
    return {
        "pension_age": age,
        "pension_date": date,
        "first_payment_date": date.truncate("M") + ibis.interval(months=1),
        "reached": date <= on,
        "age_at_date": age_now,
        "pension_age_in_force": ctx.amount("jp.pension_age"),
    }


@rule(
    "jp_old_age_benefit",
    group="benefits",
    title="JP old-age pension (MPHT): monthly benefit, or lump sum under 15 years",
    inputs=[
        Field(
            "contribution_months", "int64", "masa iur: months of JP contributions paid", minimum=0, maximum=MAX_MONTHS
        ),
        Field(
            "average_wage",
            "int64",
            "average indexed monthly wage over the masa iur, rupiah (indexed by the caller; bounded by the JP wage cap)",
            minimum=0,
        ),
        Field("birth_date", "date", "the participant's birth date"),
        Field(
            "lump_sum",
            "int64",
            "accumulated JP contributions plus returns, rupiah (paid when masa iur < 180 months)",
            default=0,
            minimum=0,
        ),
    ],
    outputs=[
        Field("eligible", "bool", "a monthly old-age pension is payable on the law date"),
        Field("monthly_benefit", "int64", "monthly benefit of the first year, rupiah (0 when not eligible)"),
        Field("lump_sum_payable", "int64", "lump sum payable instead of a pension (masa iur under 180 months)"),
        Field("reason", "string", "why no monthly pension is payable (empty when eligible)"),
        Field("pension_age", "int64", "pension age that applies to the participant"),
        Field("pension_date", "date", "date the participant reaches it"),
        Field("first_payment_date", "date", "first day of the month after the pension date"),
        Field("wage_basis", "int64", "average wage up to the JP wage cap", explain_only=True),
        Field(
            "formula_benefit",
            "int64",
            "1 % × months / 12 × wage basis, before the minimum and maximum",
            explain_only=True,
        ),
        Field("min_benefit", "int64", "minimum monthly benefit in force", explain_only=True),
        Field("max_benefit", "int64", "maximum monthly benefit in force", explain_only=True),
    ],
)
def jp_old_age_benefit(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 45/2015 arts 15, 17(2), 18, 29; UU 40/2004 art 41; Permenaker 29/2015 art 14.

    The law date is the date the benefit is claimed (on or after the pension date).
    """
    on = _on(ctx)
    age, date = pension_date(ctx, t.birth_date)
    formula, basis = _formula_benefit(ctx, t.average_wage, t.contribution_months)
    bounded, low, high = _bounded(ctx, formula)
    reached = date <= on
    enough = t.contribution_months >= ctx.amount("jp.min_contribution_months")
    eligible = reached & enough
    reason = ibis.cases(
        (~reached, "the pension age is not reached"),
        (~enough, "masa iur under 180 months: the accumulated contributions and returns are paid at once"),
        else_="",
    )
    return {
        "eligible": eligible,
        "monthly_benefit": ibis.ifelse(eligible, bounded, integer(0)),
        "lump_sum_payable": ibis.ifelse(reached & ~enough, t.lump_sum, integer(0)),
        "reason": reason,
        "pension_age": age,
        "pension_date": date,
        "first_payment_date": date.truncate("M") + ibis.interval(months=1),
        "wage_basis": basis,
        "formula_benefit": formula,
        "min_benefit": low,
        "max_benefit": high,
    }


@rule(
    "jp_survivor_benefit",
    group="benefits",
    title="JP survivor pension: widow/widower (MPJD), children (MPA), parent (MPOT)",
    inputs=[
        Field(
            "recipient",
            "string",
            "who receives: widow_widower, child (no widow/er left) or parent (single participant)",
            choices=RECIPIENTS,
        ),
        Field(
            "children",
            "int64",
            "number of children receiving (child benefit only; at most 2)",
            default=1,
            minimum=1,
            maximum=2,
        ),
        Field(
            "contribution_months",
            "int64",
            "participant's masa iur: months of JP contributions paid",
            minimum=0,
            maximum=MAX_MONTHS,
        ),
        Field(
            "membership_months",
            "int64",
            "participant's months of JP membership up to death",
            minimum=0,
            maximum=MAX_MONTHS,
        ),
        Field(
            "average_wage", "int64", "participant's average indexed monthly wage over the masa iur, rupiah", minimum=0
        ),
        Field("participant_birth_date", "date", "the participant's birth date"),
        Field(
            "lump_sum",
            "int64",
            "accumulated JP contributions plus returns, rupiah (paid when no pension is due)",
            default=0,
            minimum=0,
        ),
    ],
    outputs=[
        Field("eligible", "bool", "a monthly survivor pension is payable"),
        Field("deemed", "bool", "the masa iur was deemed 180 months"),
        Field("monthly_total", "int64", "monthly benefit of this recipient type (all children together), rupiah"),
        Field("monthly_per_recipient", "int64", "monthly benefit of each recipient (each child), rupiah"),
        Field("lump_sum_payable", "int64", "lump sum payable instead of a pension"),
        Field("reason", "string", "why no monthly pension is payable (empty when eligible)"),
        Field("months_counted", "int64", "masa iur used in the formula (actual or deemed)", explain_only=True),
        Field("formula_benefit", "int64", "participant's formula benefit on the months counted", explain_only=True),
        Field("share_ppm", "int64", "survivor share, parts per million", explain_only=True),
        Field("pension_date", "date", "the participant's pension date", explain_only=True),
    ],
    checks=[
        Check("contribution_months", lambda t: t.contribution_months > t.membership_months, "exceeds membership_months")
    ],
)
def jp_survivor_benefit(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 45/2015 arts 16-18; Permenaker 29/2015 art 26 (deeming); shares of PP 45/2015 art 16 and annex (uncertain).

    The law date is the participant's date of death.
    """
    on = _on(ctx)
    _, date = pension_date(ctx, t.participant_birth_date)
    before_pension = on < date
    enough = t.contribution_months >= ctx.amount("jp.min_contribution_months")
    long_member = t.membership_months >= ctx.amount("jp.deeming_min_membership_months")
    dense = t.contribution_months * RATE_SCALE >= t.membership_months * ctx.rate("jp.deeming_min_density")
    deemed = ~enough & before_pension & long_member & dense
    eligible = enough | deemed
    months = ibis.ifelse(deemed, ctx.amount("jp.deemed_contribution_months"), t.contribution_months)
    formula, _ = _formula_benefit(ctx, t.average_wage, months)
    share = ctx.rate("jp.survivor_share", t.recipient)
    bounded, _, _ = _bounded(ctx, apply_rate(formula, share))
    total = ibis.ifelse(eligible, bounded, integer(0))
    split = (t.recipient == "child") & (t.children == 2)
    per_recipient = ibis.ifelse(split, round_half_up_div(total, 2), total)
    reason = ibis.cases(
        (eligible, ""),
        (~before_pension, "death on or after the pension date with masa iur under 180 months: lump sum"),
        (~long_member, "membership under 12 months: no deeming of 15 years, lump sum"),
        else_="contribution density under 80 %: no deeming of 15 years, lump sum",
    )
    return {
        "eligible": eligible,
        "deemed": deemed,
        "monthly_total": total,
        "monthly_per_recipient": per_recipient,
        "lump_sum_payable": ibis.ifelse(eligible, integer(0), t.lump_sum),
        "reason": reason,
        "months_counted": months,
        "formula_benefit": formula,
        "share_ppm": share,
        "pension_date": date,
    }
