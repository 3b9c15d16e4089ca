"""JKK (work accident, occupational disease) cash benefits: death, disability, STMB, reimbursements.

The wage is the monthly wage reported to BPJS TK (under-reporting lowers the
benefit; PP 44/2015 Lampiran III). The law date is the date of the outcome: the death, the
doctor's finding of disability, the month of incapacity, the cost claimed. Before
2 December 2019 PP 44/2015 original applies, from it PP 82/2019; before 1 July 2015
the rules refuse (naming the parameter).

Readings made here (say so to a user):

- **Death**: 48 x wage, at least the JKM lump sum in force on the date of death
  (``jkm.lump_sum``: Rp16.2 jt, Rp20 jt from PP 82/2019), plus the JKK funeral cost
  and periodic benefit. The scholarship (rule ``scholarship_benefit``) has no
  minimum contribution period.
- **Disability table**: only the head rows and the first arm rows of PP 44/2015
  Lampiran III were found; any other body part is refused as unknown. The arm rows
  are reversed for a left-handed person. "Scalp peeled off 10-30 %": the doctor's
  percentage is an input, refused outside the range. "6 (3) % per 10 dB": whole
  steps of 10 dB count, a remainder does not, and the result is bounded by the
  complete loss of hearing of the same ears (40 %, 20 %) — both readings.
- **Partial functional**: % of function lost x table % x 80 x wage; the product of
  the two percentages is taken to the part per million (exact for whole percents).
- **STMB**: each month of incapacity is paid at the rate of its band (100 % for
  months 1-12, then 50 %; before PP 82/2019 100 % for 1-6, 75 % for 7-12, then 50 %,
  uncertain). Each month's payment is rounded to the rupiah. The regime is the one
  in force on the law date for the whole period (give the date of the accident).
- **Reimbursements**: the amount claimed (on receipts) up to the cap of the mode;
  several modes are separate claims. Home care: Rp20 jt for at most 12 months; the
  months beyond are not covered (flagged), none before PP 82/2019.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Check, Context, Field, keys_of, rule
from paritrana.rules.money import RATE_SCALE, apply_rate, integer, multiply_ratio, rate_ppm, round_half_up_div
from paritrana.rules.parameters import load_parameters

MAX_WAGE = 10_000_000_000  # Rp10 bn a month: keeps wage x 80 x rate (ppm) inside 64 bits
TABLE = "jkk.disability_table"
DISABILITY_TYPES = ("total_permanent", "partial_anatomical", "partial_functional")
REIMBURSEMENTS = ("land", "sea", "air", "home_care")
STMB_RATES = (Decimal("1"), Decimal("0.75"), Decimal("0.50"))

_params = load_parameters()
BODY_PARTS = tuple(str(k) for k in keys_of(_params, TABLE))
STEP_ROWS = tuple(str(k) for k in keys_of(_params, "jkk.disability_table_step_db"))
RANGE_ROWS = tuple(str(k) for k in keys_of(_params, "jkk.disability_table_lower_bound"))


def _range_bounds() -> dict[str, tuple[int, int]]:
    """Whole-percent bounds of the range rows over the parameters' history (for input checks)."""
    out: dict[str, tuple[int, int]] = {}
    for key in RANGE_ROWS:
        lows = [Decimal(v.value[key]) for v in _params["jkk.disability_table_lower_bound"].values if key in v.value]
        highs = [Decimal(v.value[key]) for v in _params[TABLE].values if key in v.value]
        out[key] = (int(min(lows) * 100), int(max(highs) * 100))
    return out


RANGE_BOUNDS = _range_bounds()


def _wage(description: str = "monthly wage reported to BPJS TK, rupiah") -> Field:
    return Field("wage", "int64", description, minimum=0, maximum=MAX_WAGE)


def _range_violated(t: ir.Table) -> ir.BooleanValue:
    bad: Any = ibis.literal(False)
    for key, (low, high) in RANGE_BOUNDS.items():
        bad = bad | ((t.body_part == key) & ((t.assessed_percent < low) | (t.assessed_percent > high)))
    return bad


@rule(
    "jkk_death_benefit",
    group="benefits",
    title="JKK death benefit (death from a work accident or occupational disease)",
    inputs=[_wage()],
    outputs=[
        Field("death_benefit", "int64", "death benefit: 48 x wage, at least the JKM lump sum, rupiah"),
        Field("funeral_cost", "int64", "funeral cost, rupiah"),
        Field("periodic_benefit", "int64", "periodic benefit (santunan berkala), paid at once, rupiah"),
        Field("total", "int64", "death benefit + funeral cost + periodic benefit, rupiah"),
        Field("scholarship_eligible", "bool", "the children may receive the scholarship (no minimum period)"),
        Field("formula_benefit", "int64", "48 x wage, before the minimum", explain_only=True),
        Field("minimum", "int64", "the JKM lump sum in force: the minimum death benefit", explain_only=True),
    ],
)
def jkk_death_benefit(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 art 25 and Lampiran III (48 x wage; funeral; periodic), as amended by PP 82/2019; minimum: the JKM lump sum (art 34).

    The law date is the date of death.
    """
    formula = t.wage * ctx.amount("jkk.death_wage_multiple")
    minimum = ctx.amount("jkm.lump_sum")
    death = ibis.greatest(formula, minimum)
    funeral = ctx.amount("jkk.funeral_cost")
    periodic = ctx.amount("jkk.periodic_benefit")
    return {
        "death_benefit": death,
        "funeral_cost": funeral,
        "periodic_benefit": periodic,
        "total": death + funeral + periodic,
        "scholarship_eligible": ibis.literal(True),
        "formula_benefit": formula,
        "minimum": minimum,
    }


@rule(
    "jkk_disability_benefit",
    group="benefits",
    title="JKK disability benefit: total permanent, partial anatomical, partial functional",
    inputs=[
        _wage(),
        Field(
            "disability_type",
            "string",
            "total_permanent, partial_anatomical or partial_functional",
            choices=DISABILITY_TYPES,
        ),
        Field(
            "body_part",
            "string",
            "row of the disability table (partial disability only): " + ", ".join(BODY_PARTS),
            default="",
            choices=("", *BODY_PARTS),
        ),
        Field(
            "function_lost_percent",
            "int64",
            "percentage of the function lost, whole percent (partial functional only)",
            default=100,
            minimum=0,
            maximum=100,
        ),
        Field(
            "assessed_percent",
            "int64",
            "percentage fixed by the doctor for a row given as a range (scalp_peeled: 10-30), whole percent",
            default=0,
            minimum=0,
            maximum=100,
        ),
        Field(
            "hearing_loss_db",
            "int64",
            "hearing loss in decibels (rows hearing_loss_both_ears, hearing_loss_one_ear)",
            default=0,
            minimum=0,
            maximum=200,
        ),
        Field("left_handed", "bool", "the worker is left-handed (the arm rows are reversed)", default=False),
    ],
    outputs=[
        Field("lump_sum", "int64", "disability benefit paid at once, rupiah"),
        Field("periodic_benefit", "int64", "periodic benefit (total permanent disability only), rupiah"),
        Field("total", "int64", "lump sum + periodic benefit, rupiah"),
        Field("scholarship_eligible", "bool", "the children may receive the scholarship (total permanent only)"),
        Field("table_rate_ppm", "int64", "percentage of the table row applied, parts per million", explain_only=True),
        Field(
            "applied_rate_ppm",
            "int64",
            "percentage applied to 80 x wage (after function lost), parts per million",
            explain_only=True,
        ),
    ],
    checks=[
        Check(
            "body_part",
            lambda t: (t.disability_type != "total_permanent") & (t.body_part == ""),
            "is required for a partial disability",
        ),
        Check("assessed_percent", _range_violated, "is outside the range of the table row (scalp_peeled: 10-30)"),
        Check(
            "function_lost_percent",
            lambda t: (t.disability_type == "partial_functional") & (t.function_lost_percent == 0),
            "must be more than 0 for a partial functional disability",
        ),
    ],
)
def jkk_disability_benefit(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 art 25 and Lampiran III (56 x wage; table % x 80 x wage; % function x table % x 80 x wage), as amended by PP 82/2019.

    The law date is the date of the doctor's finding of disability.
    """
    swap = {"right_arm_from_shoulder": "left_arm_from_shoulder", "left_arm_from_shoulder": "right_arm_from_shoulder"}
    key = ibis.cases(
        *((t.left_handed & (t.body_part == a), ibis.literal(b)) for a, b in swap.items() if a in BODY_PARTS),
        else_=t.body_part,
    )
    table_ppm = ctx.rate(TABLE, key)
    steps = ctx.versioned(
        "jkk.disability_table_step_db",
        lambda v: ibis.cases(
            *(
                (key == k, round_half_up_div(t.hearing_loss_db - t.hearing_loss_db % int(d), int(d)))
                for k, d in v.items()
            ),
            else_=integer(0),
        ),
    )
    step_cap = ctx.rate("jkk.disability_table_step_cap", key)
    ctx.parameter("jkk.disability_table_lower_bound")  # cited: the range rows' lower end (checked on input)
    row_ppm = ibis.cases(
        (key.isin(list(STEP_ROWS)), ibis.least(table_ppm * steps, step_cap)),
        (key.isin(list(RANGE_ROWS)), t.assessed_percent * integer(RATE_SCALE // 100)),
        else_=table_ppm,
    )
    applied = ibis.ifelse(
        t.disability_type == "partial_functional", multiply_ratio(row_ppm, t.function_lost_percent, 100), row_ppm
    )
    total_permanent = t.disability_type == "total_permanent"
    partial = apply_rate(t.wage * ctx.amount("jkk.partial_disability_wage_multiple"), applied)
    lump = ibis.ifelse(total_permanent, t.wage * ctx.amount("jkk.total_disability_wage_multiple"), partial)
    periodic = ibis.ifelse(total_permanent, ctx.amount("jkk.periodic_benefit"), integer(0))
    return {
        "lump_sum": lump,
        "periodic_benefit": periodic,
        "total": lump + periodic,
        "scholarship_eligible": total_permanent,
        "table_rate_ppm": ibis.ifelse(total_permanent, integer(0), row_ppm),
        "applied_rate_ppm": ibis.ifelse(total_permanent, integer(0), applied),
    }


def _months_at(rows: Any, rate: Decimal, months: ir.IntegerValue) -> ir.IntegerValue:
    """Months of incapacity falling in the bands of ``rows`` paid at ``rate``."""
    total: Any = integer(0)
    lower = 0
    for row in rows:
        upto = row["upto"]
        if row["rate"] == rate:
            above = ibis.greatest(months - lower, integer(0))
            total = total + (above if upto is None else ibis.least(above, integer(upto - lower)))
        if upto is None:
            break
        lower = upto
    return total


def _check_stmb_rates() -> None:
    for v in _params["jkk.stmb_schedule"].values:
        for row in v.value:
            if row["rate"] not in STMB_RATES:
                raise RuntimeError(f"jkk.stmb_schedule: rate {row['rate']} has no output column")


_check_stmb_rates()


@rule(
    "jkk_temporary_incapacity",
    group="benefits",
    title="JKK temporary incapacity benefit (STMB) over a number of months",
    inputs=[
        _wage(),
        Field("months", "int64", "months of temporary incapacity to work", minimum=0, maximum=600),
    ],
    outputs=[
        Field("total", "int64", "STMB over all the months, rupiah"),
        Field("months_100", "int64", "months paid at 100 % of the wage"),
        Field("amount_100", "int64", "paid for those months, rupiah"),
        Field("months_75", "int64", "months paid at 75 % (before PP 82/2019 only)"),
        Field("amount_75", "int64", "paid for those months, rupiah"),
        Field("months_50", "int64", "months paid at 50 %"),
        Field("amount_50", "int64", "paid for those months, rupiah"),
    ],
)
def jkk_temporary_incapacity(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 Lampiran III (STMB), as amended by PP 82/2019 (100 % for 12 months, then 50 %); Permenaker 5/2021.

    The law date is the date of the accident (the regime of the whole period).
    """
    out: dict[str, ir.Value] = {}
    total: Any = integer(0)
    for rate in STMB_RATES:
        label = str(int(rate * 100))

        def band(rows: Any, r: Decimal = rate) -> ir.Value:
            return _months_at(rows, r, t.months)

        months = ctx.versioned("jkk.stmb_schedule", band)
        amount = apply_rate(t.wage, integer(rate_ppm(rate))) * months
        out[f"months_{label}"] = months
        out[f"amount_{label}"] = amount
        total = total + amount
    out["total"] = total
    return out


@rule(
    "jkk_reimbursement",
    group="benefits",
    title="JKK reimbursement of transport or home care, up to the cap",
    inputs=[
        Field(
            "kind", "string", "land (incl. river and lake), sea, air transport, or home_care", choices=REIMBURSEMENTS
        ),
        Field("claimed", "int64", "cost claimed on receipts, rupiah", minimum=0, maximum=MAX_WAGE),
        Field("care_months", "int64", "months of home care (home_care only)", default=0, minimum=0, maximum=600),
    ],
    outputs=[
        Field("payable", "int64", "reimbursed amount: the claim up to the cap, rupiah"),
        Field("not_covered", "int64", "part of the claim above the cap, rupiah"),
        Field("reason", "string", "what limits the claim (empty when paid in full)"),
        Field("cap", "int64", "cap in force for the kind", explain_only=True),
    ],
)
def jkk_reimbursement(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 Lampiran III (transport), as amended by PP 82/2019 (transport caps; home care Lampiran III A.1.m).

    The law date is the date of the cost (the accident's treatment).
    """
    home = t.kind == "home_care"
    cap = ibis.ifelse(home, ctx.amount("jkk.home_care_cap"), ctx.amount("jkk.transport_cap", t.kind))
    max_months = ctx.amount("jkk.home_care_max_months")
    payable = ibis.least(t.claimed, cap)
    reason = ibis.cases(
        (home & (cap == 0), "no home-care benefit before PP 82/2019"),
        (home & (t.care_months > max_months), "home care is covered for at most 12 months: claim the first year only"),
        (t.claimed > cap, "the claim is above the cap of its kind"),
        else_="",
    )
    return {"payable": payable, "not_covered": t.claimed - payable, "reason": reason, "cap": cap}
