"""The late-payment penalty (denda) on a contribution paid after its due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Context, Field, rule
from paritrana.rules.money import apply_rate_wide, integer

PAYERS = ("employer", "bpu")
# Rp10 trillion: above any single contribution bill. With at most ~96,000 months of delay
# (to year 9999) the product contribution × months stays below 1e18, the bound of
# apply_rate_wide.
MAX_CONTRIBUTION = 10**13


def _month_start(on: dt.date | ir.DateValue) -> ir.DateValue:
    if isinstance(on, dt.date):
        return ibis.literal(on.replace(day=1), type="date")
    return on.truncate("M")


@rule(
    "late_payment_penalty",
    group="contributions",
    title="Late-payment penalty on a contribution (denda)",
    inputs=[
        Field(
            "contribution",
            "int64",
            "the contribution of the month that should have been paid, rupiah",
            minimum=0,
            maximum=MAX_CONTRIBUTION,
        ),
        Field("payment_date", "date", "the day the contribution was (or will be) paid"),
        Field(
            "payer",
            "string",
            "employer (PU, construction: due in the following month) or bpu (due in the same month)",
            default="employer",
            choices=PAYERS,
        ),
        Field(
            "due_date",
            "date",
            "the due date, when it is not the ordinary one (e.g. moved to the next working day after a holiday)",
            required=False,
        ),
    ],
    outputs=[
        Field("due_date_applied", "date", "the due date: the one given, else the due day after the contribution month"),
        Field("months_late", "int64", "months of delay, each started month counting as one"),
        Field("penalty", "int64", "the penalty: rate × months of delay × the contribution"),
    ],
)
def late_payment_penalty(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015, PP 45/2015, PP 46/2015 (due by the 15th, 2 % per month of delay; article numbers not confirmed, uncertain); Permenaker 5/2021 (BPU); PP 49/2020 arts 4(1), 23(1).

    The rule's date is the contribution month. An employer pays a month's contributions by
    the 15th of the following month, a BPU participant by the 15th of the same month (PP
    49/2020: employers by the 30th, and a 0.5 % penalty, for contribution months August
    2020 - January 2021). A holiday moves the due date to the next working day: give
    ``due_date`` then. "Per month of delay" is read as per STARTED month: paid one day to
    one month after the due date is one month; each further month starts on the same day
    of the month as the due date (the last day of a shorter month). The sources do not
    say whether started or full months count. The penalty is rate × months × contribution,
    rounded once, half up.
    """
    due_month = (_month_start(ctx.on) + ctx.amount("penalty.due_months_after", t.payer).as_interval("M")).cast("date")
    last_day = ((due_month + ibis.interval(months=1)).cast("date") - ibis.interval(days=1)).cast("date").day()
    day = ibis.least(ctx.amount("penalty.due_day", t.payer), last_day.cast("int64"))
    computed_due = (due_month + (day - integer(1)).as_interval("D")).cast("date")
    due = t.due_date.fill_null(computed_due)

    paid = t.payment_date
    month_gap = (paid.year() * 12 + paid.month() - due.year() * 12 - due.month()).cast("int64")
    landed = (due + month_gap.as_interval("M")).cast("date")
    months = ibis.ifelse(paid > due, ibis.ifelse(landed >= paid, month_gap, month_gap + 1), integer(0))
    penalty = apply_rate_wide(t.contribution * months, ctx.rate("penalty.late_rate"))
    return {"due_date_applied": due, "months_late": months, "penalty": penalty}
