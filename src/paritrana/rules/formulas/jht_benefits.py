"""JHT (old-age savings) benefits: the yearly return credited, and withdrawals.

Readings of the law made here (say so to a user):

- **Crediting rate.** ``jht.return_rate`` holds the rates BPJS TK declared for a
  calendar year, each valid only in that year. For a year with no declared rate on
  record (2015, 2017-2019, 2021 on) the rule refuses the record (a check on
  ``declared_rate_bp``, naming the row in a file) unless the caller gives the
  declared rate. It never falls back to another year's rate or to a guess.
- **Contributions paid during the year** (an assumption; PP 46/2015 and the
  references do not state the method): contributions are credited in equal monthly
  parts in months ``first_month`` … ``last_month`` of the year, and each part earns
  the yearly rate pro rata for the whole months left in the year after the month
  it is credited in (month m earns (12 − m)/12 of the rate). For parts in months
  f … l that is a weight of (24 − f − l)/24 on their total: 11/24 for a full year.
  The opening balance earns the full yearly rate. No compounding within the year.
- **Withdrawal.** Full payment on the events of PP 46/2015 art 22(1)/26 and
  Permenaker 4/2022; resignation and PHK after the waiting period from the
  resignation letter / PHK date. End of a PKWT, leaving Indonesia, BPU stopping work,
  death and disability have no waiting period in the references. A partial
  withdrawal needs 10 years of membership on the claim date, counted from the
  membership start (its anniversary date: a day short is refused), and is allowed
  once. The amount paid is the largest share of the balance.
- **Tax.** Final PPh 21 of PP 68/2009 art 5 on a full lump sum (0 % up to Rp50 jt,
  5 % above). Lump sums received within 2 calendar years are added together by the
  law; the rule taxes the one amount given. The tax on a partial withdrawal
  (progressive, UU PPh art 17; sources disagree) is not computed:
  the output is empty (null) for a partial withdrawal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Check, Context, Field, day, rule, rupiah, whole, yes_no
from paritrana.rules.money import RATE_SCALE, apply_rate, integer, multiply_ratio, rate_ppm, round_half_up_div

FULL_EVENTS = (
    "age_56",
    "death",
    "total_permanent_disability",
    "resignation",
    "phk",
    "leaving_indonesia",
    "pkwt_end",
    "bpu_stopped_work",
    "retirement_agreement",
)
PARTIAL_EVENTS = ("partial_housing", "partial_other")
EVENTS = FULL_EVENTS + PARTIAL_EVENTS
MAX_BALANCE = 1_000_000_000_000  # Rp1 trillion: keeps every product within 64 bits


def _on(ctx: Context) -> ir.DateValue:
    """The law date of each row, as an expression."""
    on = ctx.on
    return ibis.literal(on, type="date") if isinstance(on, dt.date) else on


def _declared_rate(ctx: Context) -> tuple[ir.IntegerValue, ir.BooleanValue]:
    """The rate declared for the year of the law date (ppm), and whether there is one."""
    p = ctx.parameter("jht.return_rate")
    on = ctx.on
    if isinstance(on, dt.date):
        v = p.at(on)  # ParameterNotInForce before the first declared year
        if v.effective.year == on.year:
            return integer(rate_ppm(v.value)), ibis.literal(True)
        return ibis.null().cast("int64"), ibis.literal(False)
    rate: Any = ibis.null().cast("int64")
    for v in p.values:
        start, end = v.effective, dt.date(v.effective.year, 12, 31)
        rate = ibis.ifelse((on >= start) & (on <= end), integer(rate_ppm(v.value)), rate)
    return rate, rate.notnull()


@rule(
    "jht_yearly_return",
    group="benefits",
    title="JHT return credited for a year (hasil pengembangan)",
    inputs=[
        whole("opening_balance", "JHT balance at 1 January of the year, rupiah", maximum=MAX_BALANCE),
        whole("contributions", "JHT contributions credited during the year, rupiah", default=0, maximum=MAX_BALANCE),
        whole(
            "first_month", "month (1-12) the year's first contribution was credited", default=1, minimum=1, maximum=12
        ),
        whole(
            "last_month", "month (1-12) the year's last contribution was credited", default=12, minimum=1, maximum=12
        ),
        whole(
            "declared_rate_bp",
            "the crediting rate BPJS TK declared for the year, in basis points (563 = 5.63 %); 0 = use jht.return_rate",
            default=0,
            maximum=10_000,
        ),
    ],
    outputs=[
        rupiah("yearly_return", "return credited for the year, rupiah"),
        rupiah("closing_balance", "balance at 31 December: opening + contributions + return"),
        yes_no("rate_declared", "a declared rate for the year was known (parameter or input)"),
        Field("rate_ppm", "int64", "crediting rate used, parts per million", explain_only=True),
        Field("return_on_opening", "int64", "return on the opening balance (full year)", explain_only=True),
        Field("return_on_contributions", "int64", "return on the year's contributions (pro rata)", explain_only=True),
    ],
    checks=[
        Check("last_month", lambda t: t.last_month < t.first_month, "is before first_month"),
        Check(
            "declared_rate_bp",
            lambda t, ctx: (t.declared_rate_bp <= 0) & ~_declared_rate(ctx)[1],
            "must be given: no JHT crediting rate declared for the year of the date is on record "
            "(jht.return_rate); give the rate BPJS TK declared for that year, in basis points",
            uses_law=True,
        ),
    ],
)
def jht_yearly_return(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 46/2015 art 22(2) (balance = contributions + returns); UU 40/2004 art 37; the rates declared for each year (jht.return_rate).

    The year is the calendar year of the law date. See the module docstring for
    the reading of how contributions paid during the year earn.
    """
    parameter_rate, known = _declared_rate(ctx)
    given = t.declared_rate_bp > 0
    rate = ibis.ifelse(given, t.declared_rate_bp * 100, parameter_rate)
    on_opening = apply_rate(t.opening_balance, rate)
    weight = integer(24) - t.first_month - t.last_month
    on_contributions = multiply_ratio(t.contributions * rate, weight, 24 * RATE_SCALE)
    yearly = on_opening + on_contributions
    return {
        "yearly_return": yearly,
        "closing_balance": t.opening_balance + t.contributions + yearly,
        "rate_declared": given | known,
        "rate_ppm": rate,
        "return_on_opening": on_opening,
        "return_on_contributions": on_contributions,
    }


@rule(
    "jht_withdrawal",
    group="benefits",
    title="JHT payment: full payment on an event, or partial withdrawal after 10 years",
    inputs=[
        Field("event", "string", "why the JHT is claimed", choices=EVENTS),
        whole("balance", "JHT balance (contributions + returns) on the claim date, rupiah", maximum=MAX_BALANCE),
        day("birth_date", "the member's birth date"),
        day(
            "event_date",
            "date of the event: resignation letter, PHK, death, disability, departure, contract end, stop of work "
            "(for age 56 and a partial withdrawal, any date up to the claim)",
        ),
        day("membership_start", "date JHT membership began"),
        yes_no("partial_taken_before", "a partial withdrawal was already made during this membership", default=False),
    ],
    outputs=[
        yes_no("eligible", "the claim can be paid on the claim date"),
        rupiah("amount", "gross amount payable, rupiah (0 when refused)"),
        Field(
            "income_tax", "int64", "final PPh 21 on a full lump sum (PP 68/2009 art 5); empty for a partial withdrawal"
        ),
        Field("net_amount", "int64", "amount less the final income tax (empty for a partial withdrawal)"),
        Field("reason", "string", "why the claim is refused (empty when eligible)"),
        day("payable_from", "first date the claim can be paid (after any waiting period)", explain_only=True),
        Field("share_ppm", "int64", "share of the balance payable, parts per million", explain_only=True),
    ],
    checks=[
        Check("membership_start", lambda t: t.membership_start < t.birth_date, "is before the birth date"),
        Check("event_date", lambda t: t.event_date < t.birth_date, "is before the birth date"),
    ],
)
def jht_withdrawal(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 46/2015 art 22(1), (4)-(6) and art 26 as amended by PP 60/2015; Permenaker 4/2022 arts 4-11; PP 68/2009 art 5.

    The law date is the claim date. See the module docstring for the readings.
    """
    on = _on(ctx)
    event = t.event
    partial = event.isin(list(PARTIAL_EVENTS))
    waits = event.isin(["resignation", "phk"])

    age_date = ctx.versioned("jht.full_payment_age", lambda v: t.birth_date + ibis.interval(years=v))
    after_wait = ctx.versioned("jht.waiting_period_months", lambda v: t.event_date + ibis.interval(months=v))
    ten_years = ctx.versioned("jht.partial_min_membership_years", lambda v: t.membership_start + ibis.interval(years=v))
    payable_from = ibis.cases(
        (event == "age_56", age_date),
        (waits, after_wait),
        (partial, ten_years),
        else_=t.event_date,
    )
    reason = ibis.cases(
        (t.event_date > on, "the event date is after the claim date"),
        ((event == "age_56") & (on < age_date), "the member is not yet 56"),
        (waits & (on < after_wait), "the 1-month waiting period after the resignation or PHK has not passed"),
        (partial & (on < ten_years), "a partial withdrawal needs 10 years of membership"),
        (partial & t.partial_taken_before, "a partial withdrawal can be made only once"),
        else_="",
    )
    eligible = reason == ""

    share = ibis.cases(
        (event == "partial_housing", ctx.rate("jht.partial_share", ibis.literal("housing"))),
        (event == "partial_other", ctx.rate("jht.partial_share", ibis.literal("other"))),
        else_=integer(RATE_SCALE),
    )
    amount = ibis.ifelse(eligible, apply_rate(t.balance, share), integer(0))
    tax = ctx.versioned("jht.lump_sum_tax", lambda rows: _bracket_tax(amount, rows))
    no_tax = ibis.null().cast("int64")
    income_tax = ibis.ifelse(partial, no_tax, tax)
    return {
        "eligible": eligible,
        "amount": amount,
        "income_tax": income_tax,
        "net_amount": ibis.ifelse(partial, no_tax, amount - tax),
        "reason": reason,
        "payable_from": payable_from,
        "share_ppm": share,
    }


def _bracket_tax(amount: ir.IntegerValue, rows: tuple[dict[str, Any], ...]) -> ir.IntegerValue:
    """Tax by brackets: each rate on the part of the amount within its bracket, rounded once."""
    total: Any = integer(0)
    lower = 0
    for row in rows:
        upper = row["upto"]
        part = amount - lower if upper is None else ibis.least(amount, integer(upper)) - lower
        total = total + ibis.greatest(part, integer(0)) * rate_ppm(row["rate"])
        if upper is None:
            break
        lower = upper
    return round_half_up_div(total, RATE_SCALE)
