"""The projection from the registry: the starting cells, the first projected year against the registry's last
year, and who may run it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from paritrana.claims.models import BenefitPayment, Claim, Status
from paritrana.claims.types import TYPES
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.projection import present, services
from paritrana.registry.models import Worker
from tests.platform.world import World

NO_ENTRANTS = """projection.new_entrant_rate:
  unit: rate
  description: no new participants
  values:
    2026-01-01: {value: "0", reference: "proposed"}
"""


def test_first_year_against_the_registry_last_year(billed: World, tmp_path: Path) -> None:
    scenario = tmp_path / "closed.yaml"
    scenario.write_text(NO_ENTRANTS)
    report = services.run(billed.users["analyst"], scenario=scenario, horizon=3)
    assert report.projection.start_year == 2026  # the year after the last billed month
    jp, jht = report.actuals["JP"], report.actuals["JHT"]
    # by hand: W33PU (3,000,000) and W35 (4,800,000) pay JP 3 % and JHT 5.7 %, three months billed in 2025
    assert (jp.year, jp.months, jp.contributions) == (2025, 3, 3 * 234_000)
    assert jp.annualised_contributions == 12 * 234_000
    # JHT also of the self-employed W33BPU: 2 % of the band's nominal income, Rp 1,000,000 (bpu.income_band)
    assert jht.contributions == 3 * (171_000 + 273_600 + 20_000)
    first_jp, first_jht = report.projection.jp.rows[0], report.projection.jht.rows[0]
    # the same two wage earners and the same rules, projected for 2026 without entrants: the same 12 months
    assert first_jp.contributions == jp.annualised_contributions == 2_808_000
    assert first_jht.contributions == jht.annualised_contributions == 5_575_200
    assert first_jht.contributors == 3
    assert first_jp.contributors == 2
    # the registry's funds at the start: JP billed less paid out; JHT the ledger (not credited in this world)
    assert first_jp.fund_start == 3 * 234_000


def test_entrants_add_to_the_first_year(billed: World) -> None:
    report = services.run(billed.users["admin"], horizon=2)
    assert report.projection.jp.rows[0].contributions > 2_808_000
    assert report.projection.jp.rows[0].contributors == pytest.approx(2 * 1.05)


@pytest.mark.parametrize("role", ["province", "city", "branch", "hr", "worker", "heir", "assessor"])
def test_other_roles_may_not_run_it(world: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        services.run(world.users[role], horizon=1)


def test_a_bad_scenario_names_the_field(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("jp.employer_rate: [1, 2\n")
    with pytest.raises(ValidationFailed) as err:
        services.run(world.users["analyst"], scenario=bad, horizon=1)
    assert err.value.field == "scenario"
    with pytest.raises(ValidationFailed) as err:
        services.run(world.users["analyst"], horizon=500)
    assert err.value.field == "horizon"


def _pension(worker: Worker, claim_type: str, monthly: int, first_month: dt.date, **fields: Any) -> Claim:
    """A pension claim decided and paid, as the claims' workflow leaves it, with its monthly payments of 2025."""
    claim = Claim.objects.create(
        claim_type=claim_type, worker=worker, filed_as="worker", status=Status.PAID, submitted_at=timezone.now(),
        submitted_on=first_month, law_date=first_month, rule=TYPES[claim_type].rule, eligible=True,
        monthly_amount=monthly, **fields,
    )  # fmt: skip
    for month in range(first_month.month, 13) if first_month.year == 2025 else ():
        due = dt.date(2025, month, 1)
        BenefitPayment.objects.create(claim=claim, key=f"{due:%Y-%m}", kind=BenefitPayment.Kind.MONTHLY,
                                      amount=monthly, due_on=due, instructed_at=timezone.now())  # fmt: skip
    return claim


def test_the_pensions_in_payment_start_the_projection(billed: World, tmp_path: Path) -> None:
    retired = Worker.objects.create(nik="3374010101600001", name="Pensiunan", birth_date=dt.date(1960, 1, 1), sex="M",
                                    scheme="PU", region=billed.regions["33.74"], employer=billed.employers["E33"])  # fmt: skip
    deceased = Worker.objects.create(nik="3374010106860002", name="Almarhum", birth_date=dt.date(1986, 6, 1),
                                     sex="M", scheme="PU", region=billed.regions["33.74"], employer=billed.employers["E33"])  # fmt: skip
    _pension(retired, "jp_old_age", 1_500_000, dt.date(2025, 2, 1), outputs={"first_payment_date": "2025-02-01"})
    # the child's pension: first month the one after the death
    _pension(deceased, "jp_survivor", 400_000, dt.date(2025, 4, 1), event_date=dt.date(2025, 3, 15),
             inputs={"recipient": "child"})  # fmt: skip
    # a pension whose first month is after the start is not yet in payment
    later = Worker.objects.create(nik="3374010101610003", name="Nanti", birth_date=dt.date(1961, 1, 1), sex="F",
                                  scheme="PU", region=billed.regions["33.74"], employer=billed.employers["E33"])  # fmt: skip
    _pension(later, "jp_old_age", 900_000, dt.date(2026, 5, 1), outputs={"first_payment_date": "2026-05-01"})
    table = services.pensions_in_payment(dt.date(2026, 1, 1)).to_pylist()
    assert sorted((r["kind"], r["monthly"]) for r in table) == [("child", 400_000), ("old_age", 1_500_000)]
    scenario = tmp_path / "closed.yaml"
    scenario.write_text(NO_ENTRANTS)
    report = services.run(billed.users["analyst"], scenario=scenario, horizon=2)
    # the registry paid 11 months of the old-age pension and 9 of the child's in 2025
    assert report.actuals["JP"].benefits == 11 * 1_500_000 + 9 * 400_000
    first = report.projection.jp.rows[0]
    # 2026: twelve months of both, not indexed yet (the start's amounts), no lump sum
    assert (first.benefits, first.lump_sums, first.pensioners) == (12 * 1_900_000, 0, 2)
    # the check beside the registry's three billed months of 2025: the projected year scaled to them
    jp = present.first_year_check(report)[0]
    assert (jp["programme"], jp["year"], jp["months"], jp["projected_year"]) == ("JP", 2025, 3, 2026)
    assert jp["benefits"] == 20_100_000 and jp["projected_benefits"] == 22_800_000
    assert jp["benefit_months"] == 11  # February to December
    assert jp["projected_benefits_for_months"] == 22_800_000 * 11 // 12
    assert jp["projected_contributions_for_months"] == jp["contributions"] == 3 * 234_000
    # 2027: indexed 3 %, the pensioner's survival at 66 and the child's at 12 (the participant's 39 less 28)
    second = report.projection.jp.rows[1]
    assert 12 * 1_900_000 * 1.03 * 0.98 < second.benefits < 12 * 1_900_000 * 1.03


def test_a_first_year_out_of_range_is_refused_naming_it(world: World) -> None:
    """Found by the API's schema fuzzing: ``GET /api/projection?start_year=10000`` was a 500 (no date in year
    10000); the first projected year is refused naming it, on every way in (API, page, command)."""
    with pytest.raises(ValidationFailed) as refused:
        services.run(world.users["analyst"], horizon=1, start_year=10000)
    assert refused.value.field == "start_year"
