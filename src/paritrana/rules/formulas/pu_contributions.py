"""Monthly contributions of a wage earner (PU): JKK, JKM, JHT, JP, and the JKP booking."""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Context, Field, rule, rupiah
from paritrana.rules.money import apply_rate

RISK_GROUPS = (1, 2, 3, 4, 5)


@rule(
    "pu_contributions",
    group="contributions",
    title="Monthly contributions of a wage earner (PU)",
    inputs=[
        Field("wage", "int64", "monthly wage (basic wage plus fixed allowances), rupiah", minimum=0),
        Field("risk_group", "int64", "JKK risk group of the employer: 1 very low … 5 very high", choices=RISK_GROUPS),
        Field(
            "in_jp", "bool", "the worker is enrolled in JP (compulsory for medium and large employers)", default=True
        ),
        Field("in_jkp", "bool", "the worker is registered in JKP", default=True),
        Field(
            "employer_in_arrears",
            "bool",
            "the employer is in arrears (then no JKK/JKM share is booked to JKP)",
            default=False,
        ),
        Field(
            "labour_intensive_relief",
            "bool",
            "the employer qualifies for the PP 7/2025 JKK relief (listed labour-intensive sector, enough participants)",
            default=False,
        ),
    ],
    outputs=[
        rupiah("jkk", "JKK contribution payable by the employer"),
        rupiah("jkm", "JKM contribution payable by the employer"),
        rupiah("jht_employer", "JHT contribution paid by the employer"),
        rupiah("jht_worker", "JHT contribution deducted from the wage"),
        rupiah("jp_employer", "JP contribution paid by the employer"),
        rupiah("jp_worker", "JP contribution deducted from the wage"),
        rupiah("employer_total", "everything the employer pays: JKK + JKM + JHT + JP employer shares"),
        rupiah("worker_total", "everything deducted from the wage: JHT + JP worker shares"),
        rupiah("total", "the whole monthly bill for this worker"),
        rupiah("jkp_government", "JKP contribution paid by the central government (not billed)"),
        rupiah("jkp_from_jkk", "part of the JKK contribution booked to JKP (not extra)"),
        rupiah("jkp_from_jkm", "part of the JKM contribution booked to JKP (not extra)"),
        rupiah("jkp_total", "JKP contribution: government share plus the recomposed shares"),
        rupiah("jp_deferred", "JP contribution deferred by a relief (owed later)"),
        rupiah("jp_wage_basis", "wage on which JP is paid: the wage up to the JP wage cap", explain_only=True),
        rupiah("jkp_wage_basis", "wage on which JKP is computed: the wage up to the JKP wage cap", explain_only=True),
        rupiah("jkk_full", "JKK at the full rate of the risk group, before any relief", explain_only=True),
        rupiah("jkm_full", "JKM at the full rate, before any relief", explain_only=True),
        rupiah("jp_full", "JP (both shares) before any deferral", explain_only=True),
    ],
)
def pu_contributions(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    """PP 44/2015 arts 16, 18 (JKK, JKM); PP 46/2015 art 16 (JHT); PP 45/2015 arts 28-29 (JP); PP 37/2021 art 11 and PP 6/2025 (JKP); PP 49/2020, PP 7/2025 (reliefs).

    The JKP booking: the employer's JKK bill is unchanged; 0.14 % of the JKP wage
    basis (the wage up to Rp5 jt) is booked from it to JKP, as is 0.10 % from JKM
    until PP 6/2025. For a wage at or below the cap this leaves exactly the JKK rates
    of PP 49/2023 art 16A. Nothing is booked for workers outside JKP or when the
    employer is in arrears (art 16A(3)).
    """
    wage = t.wage
    jkk_full = apply_rate(wage, ctx.rate("jkk.pu.rate", t.risk_group))
    jkm_full = apply_rate(wage, ctx.rate("jkm.pu.rate"))
    covid_share = ctx.rate("relief.covid.jkk_jkm_payable_share")
    labour_share = ibis.ifelse(
        t.labour_intensive_relief, ctx.rate("relief.labour_intensive.jkk_payable_share"), 1_000_000
    )
    jkk = apply_rate(apply_rate(jkk_full, covid_share), labour_share)
    jkm = apply_rate(jkm_full, covid_share)

    jht_employer = apply_rate(wage, ctx.rate("jht.pu.employer_rate"))
    jht_worker = apply_rate(wage, ctx.rate("jht.pu.worker_rate"))

    jp_basis = ibis.ifelse(t.in_jp, ibis.least(wage, ctx.amount("jp.wage_cap")), 0)
    jp_share = ctx.rate("relief.covid.jp_payable_share")
    jp_employer_full = apply_rate(jp_basis, ctx.rate("jp.employer_rate"))
    jp_worker_full = apply_rate(jp_basis, ctx.rate("jp.worker_rate"))
    jp_employer = apply_rate(jp_employer_full, jp_share)
    jp_worker = apply_rate(jp_worker_full, jp_share)
    jp_deferred = jp_employer_full + jp_worker_full - jp_employer - jp_worker

    jkp_basis = ibis.ifelse(t.in_jkp, ibis.least(wage, ctx.amount("jkp.wage_cap")), 0)
    booked = t.in_jkp & ~t.employer_in_arrears
    jkp_government = apply_rate(jkp_basis, ctx.rate("jkp.government_rate"))
    jkp_from_jkk = ibis.ifelse(
        booked, ibis.least(apply_rate(jkp_basis, ctx.rate("jkp.recomposed_from_jkk_rate")), jkk), 0
    )
    jkp_from_jkm = ibis.ifelse(
        booked, ibis.least(apply_rate(jkp_basis, ctx.rate("jkp.recomposed_from_jkm_rate")), jkm), 0
    )

    employer_total = jkk + jkm + jht_employer + jp_employer
    worker_total = jht_worker + jp_worker
    return {
        "jkk": jkk,
        "jkm": jkm,
        "jht_employer": jht_employer,
        "jht_worker": jht_worker,
        "jp_employer": jp_employer,
        "jp_worker": jp_worker,
        "employer_total": employer_total,
        "worker_total": worker_total,
        "total": employer_total + worker_total,
        "jkp_government": jkp_government,
        "jkp_from_jkk": jkp_from_jkk,
        "jkp_from_jkm": jkp_from_jkm,
        "jkp_total": jkp_government + jkp_from_jkk + jkp_from_jkm,
        "jp_deferred": jp_deferred,
        "jp_wage_basis": jp_basis,
        "jkp_wage_basis": jkp_basis,
        "jkk_full": jkk_full,
        "jkm_full": jkm_full,
        "jp_full": jp_employer_full + jp_worker_full,
    }
