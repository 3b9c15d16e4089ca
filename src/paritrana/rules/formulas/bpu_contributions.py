"""Contributions of non-wage earners (BPU), and the package regional governments sponsor.

Rounding (money.py): every line (JKK, JKM, JHT of one contribution month) is rounded half
up to the rupiah. A relief is a payable share *of the contribution*, so it is applied to
the full contribution of the line and the result rounded again, as in ``pu_contributions``
(PP 50/2025 at the lowest band: 50 % of Rp10,000 + 50 % of Rp6,800 = 5,000 + 3,400 =
Rp8,400, exact; a half rupiah would go up).

Who pays matters to PP 50/2025: its relief is not for BPU whose JKK and JKM are paid from the
national budget (APBN) or a regional budget (APBD). The input ``paid_from`` says who pays and
the parameter ``relief.bpu.pp50_applies_to_payer`` says, by date, for whom the relief holds, so
a regional programme's package stays Rp16,800 a month in 2026.

Paying in advance for several months: each contribution month is computed under the law
in force in that month (a relief that starts or ends inside the period counts only for
its own months), and the months are added.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Context, Field, keys_of, rule, rupiah, whole, yes_no
from paritrana.rules.money import apply_rate, integer
from paritrana.rules.parameters import load_parameters

INCOME_BANDS = "bpu.income_band"
PAYMENT_PERIODS = "bpu.payment_periods"
SPONSORED_MAX_MONTHS = 12  # one budget year (the APBD cycle of regional programmes)
PP50_PAYERS = "relief.bpu.pp50_applies_to_payer"
SPONSORED_MAX_PERSONS = 300_000_000  # more than the population of Indonesia


def _payment_periods() -> tuple[int, ...]:
    """Every period (months) a BPU participant could pay for, over the parameter's history."""
    months = {row["months"] for v in load_parameters()[PAYMENT_PERIODS].values for row in v.value}
    return tuple(sorted(months))


PERIODS = _payment_periods()
PAYERS = keys_of(load_parameters(), PP50_PAYERS)  # own_funds, national_budget, regional_budget
OWN_FUNDS, REGIONAL_BUDGET = "own_funds", "regional_budget"


def _paid_from(default: str) -> Field:
    return Field(
        "paid_from",
        "string",
        "who pays the contributions: own_funds (the participant, an employer or a CSR fund), "
        "national_budget (APBN) or regional_budget (APBD); PP 50/2025's relief is not for the budgets",
        default=default,
        choices=PAYERS,
    )


def band_nominal(ctx: Context, income: ir.IntegerValue) -> tuple[ir.IntegerValue, ir.BooleanValue]:
    """The nominal value of the income band of ``income``, and whether it is provisional.

    Provisional: the band table row has no nominal (band limits not retrieved), so the
    declared income itself is the basis.
    """

    def rows(value: Any) -> list[dict[str, Any]]:
        table = list(value)
        if table[-1]["upto"] is not None:
            raise ValueError(f"{INCOME_BANDS}: the last band needs an open end (upto: null)")
        return table

    def nominal(value: Any) -> ir.Value:
        table = rows(value)
        *bounded, top = table

        def of(row: dict[str, Any]) -> ir.Value:
            return income if row["nominal"] is None else integer(row["nominal"])

        return ibis.cases(*((income <= integer(r["upto"]), of(r)) for r in bounded), else_=of(top))

    def provisional(value: Any) -> ir.Value:
        table = rows(value)
        *bounded, top = table
        return ibis.cases(
            *((income <= integer(r["upto"]), ibis.literal(r["nominal"] is None)) for r in bounded),
            else_=ibis.literal(top["nominal"] is None),
        )

    return ctx.versioned(INCOME_BANDS, nominal), ctx.versioned(INCOME_BANDS, provisional)


def _one_month(
    ctx: Context, income: ir.IntegerValue, transport: ir.BooleanValue, paid_from: ir.StringValue
) -> dict[str, ir.Value]:
    """JKK, JKM and JHT of one contribution month (JHT before the participant's choice)."""
    nominal, provisional = band_nominal(ctx, income)
    jkk_full = apply_rate(nominal, ctx.rate("bpu.jkk_rate"))
    jkm_full = ctx.amount("bpu.jkm_amount")
    covid = ctx.rate("relief.covid.jkk_jkm_payable_share")
    pp50_share = ibis.ifelse(
        transport,
        ctx.rate("relief.bpu_transport.jkk_jkm_payable_share"),
        ctx.rate("relief.bpu_other_sectors.jkk_jkm_payable_share"),
    )
    pp50 = ibis.ifelse(ctx.flag(PP50_PAYERS, paid_from), pp50_share, integer(1_000_000))
    return {
        "jkk": apply_rate(apply_rate(jkk_full, covid), pp50),
        "jkm": apply_rate(apply_rate(jkm_full, covid), pp50),
        "jht": apply_rate(nominal, ctx.rate("bpu.jht_rate")),
        "jkk_full": jkk_full,
        "jkm_full": jkm_full,
        "band_nominal": nominal,
        "band_provisional": provisional,
    }


def _months(ctx: Context, count: ir.IntegerValue, most: int, month: Any) -> tuple[dict[str, ir.Value], ir.IntegerValue]:
    """The first month's lines, and the sum of ``month(context)`` over ``count`` months (at most ``most``)."""
    first = month(ctx)
    total = first["total"]
    for k in range(1, most):
        total = total + ibis.ifelse(count > k, month(ctx.months_later(k))["total"], integer(0))
    return first, total


@rule(
    "bpu_contributions",
    group="contributions",
    title="Monthly contributions of a non-wage earner (BPU)",
    inputs=[
        whole("declared_income", "monthly income declared by the participant, rupiah"),
        yes_no("with_jht", "the participant chose JHT as well (JKK + JKM are the compulsory minimum)", default=False),
        yes_no(
            "sector_transport",
            "the participant works in the transport sector (PP 50/2025 relief from January 2026)",
            default=False,
        ),
        Field(
            "months",
            "int64",
            "months paid at once: every month (1) or in advance (uncertain)",
            default=1,
            choices=PERIODS,
        ),
        _paid_from(OWN_FUNDS),
    ],
    outputs=[
        rupiah("jkk", "JKK contribution of the contribution month"),
        rupiah("jkm", "JKM contribution of the contribution month"),
        rupiah("jht", "JHT contribution of the contribution month (0 if JHT was not chosen)"),
        rupiah("monthly_total", "JKK + JKM + JHT of the contribution month"),
        rupiah("amount_due", "the payment for all the months paid at once, each under its own month's law"),
        rupiah("band_nominal", "nominal value of the income band: the basis of JKK and JHT", explain_only=True),
        Field(
            "band_provisional",
            "bool",
            "the basis is the declared income bounded to the known bands, because the band table is incomplete",
            explain_only=True,
        ),
        rupiah("jkk_full", "JKK before any relief", explain_only=True),
        rupiah("jkm_full", "JKM before any relief", explain_only=True),
    ],
)
def bpu_contributions(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 BPU JKK and JKM articles and Lampiran II; PP 46/2015 as amended by PP 60/2015 (JHT); Permenaker 5/2021; PP 49/2020 arts 11-12 and PP 50/2025 (reliefs).

    JKK is 1 % and JHT 2 % of the nominal value of the declared income's band; JKM is a
    flat amount. The band limits between the first band (up to Rp1,000,000, nominal
    Rp1,000,000) and the top nominal (Rp20,700,000) were not retrieved: until the
    ``bpu.income_band`` table is completed, the basis is the declared income bounded to
    [1,000,000; 20,700,000] and ``band_provisional`` is true (the parameter is uncertain).
    Reliefs cut JKK and JKM (never JHT): PP 49/2020 to 1 % (August 2020 - January 2021),
    PP 50/2025 by half (transport January 2026 - March 2027, other sectors April -
    December 2026) unless the contributions are paid from the APBN or an APBD.
    """
    ctx.parameter(PAYMENT_PERIODS)

    def month(c: Context) -> dict[str, ir.Value]:
        lines = _one_month(c, t.declared_income, t.sector_transport, t.paid_from)
        lines["jht"] = ibis.ifelse(t.with_jht, lines["jht"], integer(0))
        lines["total"] = lines["jkk"] + lines["jkm"] + lines["jht"]
        return lines

    first, amount_due = _months(ctx, t.months, max(PERIODS), month)
    return {
        "jkk": first["jkk"],
        "jkm": first["jkm"],
        "jht": first["jht"],
        "monthly_total": first["total"],
        "amount_due": amount_due,
        "band_nominal": first["band_nominal"],
        "band_provisional": first["band_provisional"],
        "jkk_full": first["jkk_full"],
        "jkm_full": first["jkm_full"],
    }


@rule(
    "bpu_sponsored_package",
    group="contributions",
    title="JKK + JKM package a regional government sponsors for vulnerable workers (BPU)",
    inputs=[
        whole("persons", "vulnerable workers sponsored", maximum=SPONSORED_MAX_PERSONS),
        whole(
            "months",
            "contribution months sponsored from the date (a budget year at most)",
            default=1,
            minimum=1,
            maximum=SPONSORED_MAX_MONTHS,
        ),
        yes_no(
            "sector_transport",
            "the sponsored workers are in the transport sector (ojek, angkot drivers …; PP 50/2025 relief dates)",
            default=False,
        ),
        _paid_from(REGIONAL_BUDGET),
    ],
    outputs=[
        rupiah("jkk_per_person", "JKK of one person for the first month (lowest band)"),
        rupiah("jkm_per_person", "JKM of one person for the first month"),
        rupiah("per_person_month", "JKK + JKM of one person for the first month"),
        rupiah("per_person", "JKK + JKM of one person for all the months, each under its own month's law"),
        rupiah("total", "the budget: persons × the per-person amount for all the months"),
    ],
)
def bpu_sponsored_package(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 BPU JKK and JKM articles and Lampiran II (lowest band); PP 49/2020, PP 50/2025 (reliefs, not for APBN/APBD payers); Inpres 2/2021.

    Regional governments register vulnerable informal workers as BPU in JKK + JKM only
    (no JHT) at the lowest band: Rp10,000 + Rp6,800 = Rp16,800 per person per month
    outside a relief. Paid from a regional budget (the default ``paid_from``), the package
    keeps that price under PP 50/2025, which excludes APBN and APBD payers; a CSR sponsor
    (``own_funds``) has the relief. The budget is persons × the sum of the monthly
    packages; each month is computed under its own law, so a relief starting inside the
    budget year counts only for its months.
    """
    lowest = integer(0)  # any income up to the first band limit: the lowest band

    def month(c: Context) -> dict[str, ir.Value]:
        lines = _one_month(c, lowest, t.sector_transport, t.paid_from)
        lines["total"] = lines["jkk"] + lines["jkm"]
        return lines

    first, per_person = _months(ctx, t.months, SPONSORED_MAX_MONTHS, month)
    return {
        "jkk_per_person": first["jkk"],
        "jkm_per_person": first["jkm"],
        "per_person_month": first["total"],
        "per_person": per_person,
        "total": t.persons * per_person,
    }
