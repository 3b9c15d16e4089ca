"""Benefits paid under a reform are the month's payments (issue 18, decision 0043): a pension in payment counts
its month's pension whenever its claim was paid, a JKP claim its month's instalment at that month's rate, a
scholarship its school year; each recomputed by the claim's own rule, under the law (giving back the amount paid)
and under the reform (the figures computed here by hand)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from paritrana.claims.dates import school_year_start
from paritrana.claims.models import BenefitPayment
from paritrana.claims.services import claims as svc
from paritrana.scenarios import benefits, services
from tests.claims.claimkit import legal_case
from tests.claims.factkit import participant, set_today, wage_report
from tests.platform.world import World
from tests.scenarios.scenkit import paid as _paid
from tests.scenarios.scenkit import parameter_text as _parameter

Kind = BenefitPayment.Kind


def _rows(found: dict[str, Any], part: str, programme: str) -> list[tuple[Any, ...]]:
    keys = {"by_kind": "kind", "by_province": "province"}
    return [(r[keys[part]], r["payments"], r["baseline"], r["reform"], r["delta"])
            for r in found[part] if r["programme"] == programme]  # fmt: skip


def test_a_pension_paid_in_january_counts_its_march_pension_under_the_reform(world: World, monkeypatch: Any) -> None:
    case = legal_case("jp_benefits.yaml", "old-age pension with exactly 180 months")
    facts = case["inputs"]
    # claimed (and paid) in January 2032, a few days after the pension date: the first month is February's
    set_today(monkeypatch, dt.date(2032, 1, 25))
    person = participant(world, facts["birth_date"], {"JP": dt.date(2015, 7, 1)})
    corrections = {k: facts[k] for k in ("contribution_months", "average_wage")}
    claim = _paid(world, "jp_old_age", {}, corrections, worker_id=person.pk, received_on=dt.date(2032, 1, 20))
    monthly = case["expected"]["monthly_benefit"]
    assert claim.monthly_amount == monthly and not claim.payments.exists()
    for month in (dt.date(2032, 2, 1), dt.date(2032, 3, 1)):  # the monthly runs of February and March
        set_today(monkeypatch, month + dt.timedelta(days=4))
        svc.pay_due(month)
    # PP 45/2015 art 17(2) with a 1.5 % accrual: 1.5 % x 180 / 12 x 5,000,000 (under the 2032 maximum)
    assert facts["contribution_months"] == 180 and facts["average_wage"] == 5_000_000
    raised = 1_125_000
    text = _parameter("jp.accrual_rate", "rate", "2027-01-01", '"0.015"')
    saved = services.save(world.users["analyst"], "JP accrual 1.5 %", "accrual raised from 2027", text)
    found = services.run(world.users["analyst"], saved.pk, dt.date(2032, 3, 1)).results["benefits"]
    assert found["counted"] == "payments"
    # March's pension of a claim paid in January: the law's amount paid, the reform's by hand
    assert _rows(found, "by_kind", "JP") == [(Kind.MONTHLY, 1, monthly, raised, raised - monthly)]
    assert _rows(found, "by_province", "JP") == [(person.region.code[:2], 1, monthly, raised, raised - monthly)]
    # January paid the claim but no pension month (none was due): nothing counted then
    assert benefits.of_scenario(dt.date(2032, 1, 1), text)["programmes"] == []


def pension_claimed_in_march(world: World, monkeypatch: Any) -> int:
    """An old-age pension claimed and paid in March 2032 with February's month as back pay: its monthly amount."""
    case = legal_case("jp_benefits.yaml", "old-age pension with exactly 180 months")
    facts = case["inputs"]
    set_today(monkeypatch, dt.date(2032, 3, 5))  # claimed in March 2032: February's and March's months paid
    person = participant(world, facts["birth_date"], {"JP": dt.date(2015, 7, 1)})
    corrections = {k: facts[k] for k in ("contribution_months", "average_wage")}
    _paid(world, "jp_old_age", {}, corrections, worker_id=person.pk, received_on=dt.date(2032, 3, 2))
    return int(case["expected"]["monthly_benefit"])


# a minimum of Rp 900,000 from 2030: the 750,000 of the formula is raised to it (PP 45/2015 art 18)
MINIMUM_900K = _parameter("jp.min_benefit", "rupiah", "2030-03-01", "900000")


def test_a_reform_raising_the_minimum_pension_raises_march_pension_to_it(world: World, monkeypatch: Any) -> None:
    monthly = pension_claimed_in_march(world, monkeypatch)
    text = MINIMUM_900K
    found = benefits.of_scenario(dt.date(2032, 3, 1), text)
    assert _rows(found, "by_kind", "JP") == [(Kind.MONTHLY, 1, monthly, 900_000, 900_000 - monthly)]
    # the back pay of February is February's payment: counted in February's month
    assert _rows(benefits.of_scenario(dt.date(2032, 2, 1), text), "by_kind", "JP")[0][1] == 1


def test_a_jkp_claims_third_month_is_counted_in_its_month_at_the_reforms_rate(world: World, monkeypatch: Any) -> None:
    case = legal_case("jkp_benefit.yaml", "PP 37/2021, month 3 is 45 % of the wage")
    facts = case["inputs"]
    set_today(monkeypatch, facts["claim_date"])
    person = participant(world, dt.date(1991, 3, 1), {"JKP": dt.date(2021, 6, 1)})
    wage_report(person, case["date"], facts["wage"])
    claim = _paid(
        world, "jkp", {"event_date": case["date"].isoformat(), "separation": facts["separation"]},
        {k: facts[k] for k in ("contribution_months", "consecutive_months")},
        worker_id=person.pk, received_on=facts["claim_date"],
    )  # fmt: skip
    third = claim.instalments.get(key="jkp-3")
    for month in (dt.date(2024, 6, 1), third.due_on.replace(day=1)):
        svc.pay_due(month)
    assert third.due_on.month == 7 and claim.payments.get(key="jkp-3").amount == case["expected"]["benefit"]
    # the reform pays 60 % in month 3 (45 % in months 1-2, 25 % in 4-6, as the law): 60 % x 4,000,000
    rates = '{1: "0.45", 2: "0.45", 3: "0.60", 4: "0.25", 5: "0.25", 6: "0.25"}'
    text = _parameter("jkp.benefit_rate", "rate", "2021-02-02", rates)
    found = benefits.of_scenario(dt.date(2024, 7, 1), text)
    base = case["expected"]["benefit"]
    assert _rows(found, "by_kind", "JKP") == [(Kind.INSTALMENT, 1, base, 2_400_000, 2_400_000 - base)]
    # month 2 (June) is at 45 % under both
    assert _rows(benefits.of_scenario(dt.date(2024, 6, 1), text), "by_kind", "JKP") == [
        (Kind.INSTALMENT, 1, base, base, 0)
    ]


def test_doubling_the_scholarship_amounts_doubles_a_scholarship_year_paid(world: World, monkeypatch: Any) -> None:
    case = legal_case("scholarship.yaml", "worked example #11: second child of a JKM death is covered")
    set_today(monkeypatch, dt.date(2024, 8, 1))  # the school year 2024/25 has begun: its year paid with the claim
    child = {"name": "Ayu", "birth_date": "2012-02-01", "level": "smp", "year_in_level": 1}
    given = {"event_date": case["date"].isoformat(), "trigger": case["inputs"]["trigger"]}
    months = {"contribution_months": case["inputs"]["contribution_months"]}
    _paid(world, "scholarship", given, months, filer=world.users["heir"], children=[child])
    svc.pay_due(school_year_start(2025))  # the second year (junior secondary, year 2) by the monthly run
    amounts = {"tk": 1_500_000, "sd": 1_500_000, "smp": 2_000_000, "sma": 3_000_000, "higher": 12_000_000}
    doubled = "{" + ", ".join(f"{k}: {2 * v}" for k, v in amounts.items()) + "}"
    text = _parameter("scholarship.amount_per_year", "rupiah", "2019-12-02", doubled)
    found = benefits.of_scenario(dt.date(2025, 7, 1), text)
    paid = case["expected"]["amount"]
    assert _rows(found, "by_kind", "JKM") == [(Kind.SCHOLARSHIP, 1, paid, 2 * paid, paid)]
    restated = text.replace(doubled, "{" + ", ".join(f"{k}: {v}" for k, v in amounts.items()) + "}")
    assert _rows(benefits.of_scenario(dt.date(2025, 7, 1), restated), "by_kind", "JKM") == [
        (Kind.SCHOLARSHIP, 1, paid, paid, 0)
    ]
