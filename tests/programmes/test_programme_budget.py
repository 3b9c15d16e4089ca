"""The programme's sponsor bill (enrolled people × the rule's package price), payments that reduce the
remaining budget, the commitment to the end of the budget year, and the planner's numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from paritrana.contributions.models import Bill, Payer
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.core.errors import ValidationFailed
from paritrana.programmes.models import Programme
from paritrana.programmes.services import lists
from paritrana.programmes.services.budget import budget_use, package_price, plan, year_months
from paritrana.programmes.services.programmes import renew_programme
from paritrana.rules import compute_one
from tests.platform.world import World
from tests.programmes.progkit import ON, csv_file, person

MARCH = dt.date(2026, 3, 1)


def enrol(world: World, programme: Programme, people: list, tmp_path: Path, on: dt.date = ON) -> int:
    path = csv_file(tmp_path / f"l{programme.pk}-{on}.csv", people)
    lst = lists.preview_list(world.users["admin"], programme.pk, path, "l.csv", on=on)
    return lists.confirm_list(world.users["admin"], lst.pk, on=on).enrolled_count


PACKAGE = 10_000 + 6_800  # JKK 1 % of the lowest band's Rp1,000,000 + JKM Rp6,800 (PP 44/2015), per person-month


def test_package_price_is_the_rule_at_the_lowest_band() -> None:
    # the figure regions budget for 2025, computed by the rules, never typed in the code
    outputs = compute_one("bpu_contributions", "2025-06-01", {"declared_income": 0}).outputs
    assert package_price(dt.date(2025, 6, 1)) == outputs["jkk"] + outputs["jkm"] == PACKAGE


def test_a_year_priced_in_one_batch_takes_each_month_under_its_own_law() -> None:
    # PP 49/2020 cut JKK and JKM to 1 % from August 2020: the year's batch must price July and August apart,
    # each as the rule gives it for that month alone
    for month in (dt.date(2020, 7, 1), dt.date(2020, 8, 1)):
        for transport in (False, True):
            inputs = {"declared_income": 0, "sector_transport": transport, "paid_from": "regional_budget"}
            outputs = compute_one("bpu_contributions", month, inputs).outputs
            assert package_price(month, transport) == outputs["jkk"] + outputs["jkm"], (month, transport)
    assert package_price(dt.date(2020, 8, 1)) < package_price(dt.date(2020, 7, 1)) == PACKAGE


def test_the_2026_package_price_follows_the_pp50_exclusion_of_regional_budgets() -> None:
    # PP 50/2025 halves JKK + JKM of BPU (other sectors April - December 2026, transport January 2026 -
    # March 2027), but not for BPU paid from the APBN or an APBD: a regional programme still pays 16,800
    for month in year_months(2026):
        assert package_price(month) == PACKAGE and package_price(month, True) == PACKAGE, month
    assert package_price(dt.date(2027, 3, 1), True) == PACKAGE
    # the same person paying from own funds has the relief: the difference is who pays, not the name
    own = compute_one("bpu_contributions", "2026-05-01", {"declared_income": 0, "paid_from": "own_funds"}).outputs
    assert own["jkk"] + own["jkm"] == 5_000 + 3_400


def test_the_sponsor_bill_is_the_enrolled_count_times_the_package_price(
    world: World, semarang: Programme, tmp_path: Path
) -> None:
    assert enrol(world, semarang, [person(i) for i in range(1, 8)], tmp_path) == 7
    run = run_billing(MARCH)
    payer = Payer.objects.get(sponsor_id=semarang.sponsor_id)
    bill = Bill.objects.get(payer=payer, period=MARCH, kind="contribution")
    assert bill.amount == 7 * package_price(MARCH) == 7 * PACKAGE  # March 2026: no relief for an APBD payer
    assert bill.lines.filter(programme="JKK").count() == 7 and bill.lines.filter(programme="JKM").count() == 7
    assert run.workers >= 7
    # billing again adds nothing; the sponsorship's months after December are not billed
    run_billing(MARCH)
    assert Bill.objects.get(pk=bill.pk).amount == bill.amount
    run_billing(dt.date(2027, 1, 1))
    assert not Bill.objects.filter(payer=payer, period=dt.date(2027, 1, 1)).exists()


def test_payments_reduce_the_remaining_budget(world: World, semarang: Programme, tmp_path: Path) -> None:
    enrol(world, semarang, [person(i) for i in range(1, 11)], tmp_path)
    use = budget_use(semarang)
    assert (use.spent, use.remaining, use.billed) == (0, semarang.budget_amount, 0)
    # committed: ten people from March to December, each month at its own price
    assert use.committed == 10 * sum(package_price(m) for m in year_months(2026)[2:]) == 10 * 10 * PACKAGE
    run_billing(MARCH)
    run_billing(dt.date(2026, 4, 1))
    payer = Payer.objects.get(sponsor_id=semarang.sponsor_id)
    march = 10 * package_price(MARCH)
    april = 10 * package_price(dt.date(2026, 4, 1))
    assert march == april == 10 * PACKAGE  # April 2026 starts PP 50/2025 for other sectors, not for an APBD
    record_payment(None, payer.pk, march, dt.date(2026, 3, 10), "SP2D-001")
    use = budget_use(semarang)
    assert use.spent == march and use.remaining == semarang.budget_amount - march
    assert (use.billed, use.paid_on_bills, use.outstanding) == (march + april, march, april)
    by_month = {m.period: m for m in use.months}
    assert (by_month[MARCH].billed, by_month[MARCH].paid, by_month[MARCH].billed_people) == (march, march, 10)
    assert (by_month[dt.date(2026, 4, 1)].billed, by_month[dt.date(2026, 4, 1)].paid) == (april, 0)
    assert by_month[dt.date(2026, 2, 1)].people == 0 and by_month[MARCH].people == 10
    # an overpayment is spent too (kept as the payer's credit)
    record_payment(None, payer.pk, april + 5_000, dt.date(2026, 4, 10), "SP2D-002")
    use = budget_use(semarang)
    assert use.spent == march + april + 5_000 and use.credit == 5_000 and use.outstanding == 0


def test_transport_workers_of_a_regional_programme_have_no_pp50_relief(
    world: World, semarang: Programme, tmp_path: Path
) -> None:
    renewed = renew_programme(
        world.users["city"],
        semarang.pk,
        budget_amount=100_000_000,
        legal_basis_number="1",
        legal_basis_date="2027-01-02",
    )
    january = dt.date(2027, 1, 1)
    enrol(world, renewed, [person(1), person(2, occupation="ojek_driver")], tmp_path, on=january)
    run_billing(january)
    bill = Bill.objects.get(payer__sponsor_id=renewed.sponsor_id, period=january)
    # January 2027 is inside the transport sector's PP 50/2025 months, but an APBD payer is excluded
    assert package_price(january) == package_price(january, True) == PACKAGE
    assert bill.amount == 2 * PACKAGE
    assert {(line.programme, line.amount) for line in bill.lines.all()} == {("JKK", 10_000), ("JKM", 6_800)}
    assert budget_use(renewed).committed == 2 * 12 * PACKAGE


def test_the_planner() -> None:
    january = dt.date(2026, 1, 1)
    p = plan(january, 12, budget=3_024_000_000, target=15_000)
    per_person = sum(package_price(m) for m in year_months(2026))  # an independent path: month by month
    assert p.per_person == per_person == 12 * PACKAGE == 201_600  # PP 50/2025 excludes the APBD: no half price
    assert p.per_person_month == package_price(january) == PACKAGE
    assert p.people_for_budget == 15_000 and p.leftover == 0 and p.cost_for_target == 3_024_000_000
    assert [r.per_person for r in p.table] == [m * PACKAGE for m in range(1, 13)]
    # the transport sector too: a regional programme's drivers keep the full package in 2026
    assert plan(january, 12, target=1, transport=True).cost_for_target == 201_600
    assert p.people_for_budget == 3_024_000_000 // per_person
    assert p.leftover == 3_024_000_000 - p.people_for_budget * per_person
    assert p.cost_for_target == 15_000 * per_person
    assert [r.months for r in p.table] == list(range(1, 13))
    assert p.table[0].people == 3_024_000_000 // package_price(january)
    # outside any relief: Penajam Paser Utara's 15,000 people for a year cost Rp3.024 billion (reference 3.1)
    assert plan(dt.date(2025, 1, 1), 12, target=15_000).cost_for_target == 3_024_000_000
    for bad in ({"months": 13}, {"months": 0}, {"budget": 0}, {"target": -1}):
        args = {"months": 12, **bad}
        with pytest.raises(ValidationFailed) as err:
            plan(january, args.pop("months"), **args)
        assert err.value.field == next(iter(bad))
