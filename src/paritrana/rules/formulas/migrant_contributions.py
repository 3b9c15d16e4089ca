"""Contributions of Indonesian migrant workers (PMI): JKK + JKM packages, voluntary JHT."""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Check, Context, Field, keys_of, rule
from paritrana.rules.money import integer, rupiah_text
from paritrana.rules.parameters import load_parameters

PLACEMENTS = ("agency", "individual")
MAX_EXTRA_MONTHS = 120  # ten years beyond the package: far above any PMI work contract


def _single_value(name: str) -> int:
    """A parameter that must have one value over its whole history (used to check inputs, which have no date)."""
    values = {v.value for v in load_parameters()[name].values}
    if len(values) != 1:
        raise ValueError(f"{name} changed over time: the JHT range check of migrant_contributions must become dated")
    return int(values.pop())


JHT_MIN = _single_value("migrant.jht_minimum")
JHT_MAX = _single_value("migrant.jht_maximum")
PACKAGES = tuple(sorted(keys_of(load_parameters(), "migrant.during_after_package")))


@rule(
    "migrant_contributions",
    group="contributions",
    title="Contributions of an Indonesian migrant worker (PMI)",
    inputs=[
        Field(
            "package_months",
            "int64",
            "length in months of the during-and-after-work package that covers the work contract",
            choices=PACKAGES,
        ),
        Field(
            "extra_months",
            "int64",
            "months of the work contract beyond the package",
            default=0,
            minimum=0,
            maximum=MAX_EXTRA_MONTHS,
        ),
        Field(
            "placement",
            "string",
            "placed through a placement agency (pays the pre-work part too) or individually (perseorangan)",
            default="agency",
            choices=PLACEMENTS,
        ),
        Field(
            "jht_monthly",
            "int64",
            f"monthly JHT contribution chosen (voluntary): 0 for none, else {rupiah_text(JHT_MIN)} - {rupiah_text(JHT_MAX)}",
            default=0,
            minimum=0,
        ),
    ],
    outputs=[
        Field("pre_work", "int64", "JKK + JKM before work, paid through the placement agency (0 if individual)"),
        Field(
            "during_after", "int64", "JKK + JKM during and after work: the package plus the extra months, paid at once"
        ),
        Field("protection_total", "int64", "JKK + JKM for the whole placement: pre-work + during and after"),
        Field("jht_monthly_contribution", "int64", "the voluntary JHT contribution per month"),
        Field("package_amount", "int64", "the during-and-after package alone", explain_only=True),
        Field("extra_months_amount", "int64", "the amount for the months beyond the package", explain_only=True),
    ],
    checks=[
        Check(
            "jht_monthly",
            lambda t: (t.jht_monthly != 0) & ((t.jht_monthly < JHT_MIN) | (t.jht_monthly > JHT_MAX)),
            f"must be 0 (no JHT) or between {rupiah_text(JHT_MIN)} and {rupiah_text(JHT_MAX)}",
        ),
    ],
)
def migrant_contributions(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """Permenaker 18/2018 arts 12-14; Permenaker 4/2023 art 18 (from 22 February 2023); JHT Rp50,000-600,000 (article not read).

    A PMI placed through an agency pays the pre-work amount and the during-and-after
    package; an individual PMI pays only the package, at once (art 18(2)). A contract longer
    than the package adds a fixed amount per extra month, paid at once (art 18(3)). Under
    Permenaker 18/2018 one package of Rp332,500 is known; it is assumed for every contract
    length (uncertain). JHT is voluntary: 0, or a chosen amount within the range.
    """
    package = ctx.amount("migrant.during_after_package", t.package_months)
    extra = t.extra_months * ctx.amount("migrant.extra_month_amount")
    during_after = package + extra
    pre_work = ibis.ifelse(t.placement == "agency", ctx.amount("migrant.pre_work_amount"), integer(0))
    ctx.parameter("migrant.jht_minimum")
    ctx.parameter("migrant.jht_maximum")
    return {
        "pre_work": pre_work,
        "during_after": during_after,
        "protection_total": pre_work + during_after,
        "jht_monthly_contribution": t.jht_monthly,
        "package_amount": package,
        "extra_months_amount": extra,
    }
