"""Monthly billing (services/billing.py): amounts from the rules, idempotence, adjustments, scope, refusals.

Every expected amount is computed by the rules engine (``compute_one``) for the same inputs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest

from paritrana.contributions.models import Bill, BillingRun, BillLine, Payer, WageReport
from paritrana.contributions.services.billing import run_billing
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Membership, Worker
from paritrana.rules import compute_one
from paritrana.rules.errors import ParameterNotInForce
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)


def pu_expected(wage: int, risk_group: int, on: dt.date = MARCH) -> dict[str, tuple[int, int]]:
    """(amount, worker share) per programme of a PU worker in JKK, JKM, JHT, JP and JKP, from the rule."""
    out = compute_one("pu_contributions", on, {"wage": wage, "risk_group": risk_group, "in_jp": True, "in_jkp": True})
    o = out.outputs
    return {
        "JKK": (o["jkk"], 0),
        "JKM": (o["jkm"], 0),
        "JHT": (o["jht_employer"] + o["jht_worker"], o["jht_worker"]),
        "JP": (o["jp_employer"] + o["jp_worker"], o["jp_worker"]),
    }


def bpu_expected(income: int, with_jht: bool, self_paid: bool, on: dt.date = MARCH) -> dict[str, tuple[int, int]]:
    o = compute_one("bpu_contributions", on, {"declared_income": income, "with_jht": with_jht}).outputs
    programmes = ("JKK", "JKM", "JHT") if with_jht else ("JKK", "JKM")
    return {p: (o[p.lower()], o[p.lower()] if self_paid else 0) for p in programmes}


def billed(period: dt.date = MARCH) -> dict[tuple[str, str], tuple[int, int]]:
    """(amount, worker share) summed per (worker key, programme) over the month's contribution lines."""
    names = {w.pk: w.name.removeprefix("Worker ") for w in Worker.objects.all()}
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for line in BillLine.objects.filter(bill__period=period, bill__kind=Bill.Kind.CONTRIBUTION):
        s = sums[(names[line.worker_id], line.programme)]
        s[0] += line.amount
        s[1] += line.worker_share
    return {k: (v[0], v[1]) for k, v in sums.items()}


def expected_world(world: World, wages: dict[str, int] | None = None) -> dict[tuple[str, str], tuple[int, int]]:
    wages = {"W33PU": 3_000_000, "W35": 4_800_000, **(wages or {})}
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for key in ("W33PU", "W35"):
        risk = world.workers[key].employer.risk_group
        out.update({(key, p): v for p, v in pu_expected(wages[key], risk).items()})
    out.update({("W33BPU", p): v for p, v in bpu_expected(1_000_000, True, True).items()})
    # sponsored by a regional programme: the lowest band (declared income 0)
    out.update({("W33CITY", p): v for p, v in bpu_expected(0, False, False).items()})
    return out


def test_each_line_is_what_the_rules_compute(world: World) -> None:
    run = run_billing(MARCH)
    expected = expected_world(world)
    assert billed() == expected
    lines = BillLine.objects.filter(billing_run=run)
    assert {line.kind for line in lines} == {"contribution"}
    assert {line.law_date for line in lines} == {MARCH}
    assert {(line.worker.name.removeprefix("Worker "), line.rule) for line in lines} >= {
        ("W33PU", "pu_contributions"),
        ("W33BPU", "bpu_contributions"),
    }
    w = world.workers
    wage_of = {(line.worker_id, line.programme): line.wage for line in lines}
    assert wage_of[(w["W33PU"].pk, "JHT")] == 3_000_000
    assert wage_of[(w["W35"].pk, "JP")] == 4_800_000
    # JKP is never billed (government share and shares booked out of JKK)
    assert not lines.filter(programme="JKP").exists()
    assert run.workers == 4
    assert run.lines_added == len(expected) == 13
    assert run.adjustments == 0
    assert run.amount_added == sum(a for a, _ in expected.values())
    assert run.bills_touched == 4 and run.finished_at is not None


def test_march_2025_by_hand(world: World) -> None:
    """The month's lines computed by hand from the regulations' rates, independently of the rules engine.

    W33PU, a wage of Rp 3.000.000 at an employer of risk group II: JKK 0,54 % = 16.200 (PP 44/2015 art 16(1)(b);
    the 0,14 % recomposed to JKP is booked out of it, not billed on top: PP 6/2025 art 11), JKM 0,30 % = 9.000
    (PP 44/2015 art 18), JHT 3,7 % + 2 % = 111.000 + 60.000 (PP 46/2015 art 16), JP 2 % + 1 % = 60.000 + 30.000
    (PP 45/2015 arts 28-29; the wage is below the JP cap). W35, Rp 4.800.000: 25.920, 14.400, 177.600 + 96.000,
    96.000 + 48.000. W33BPU, self-paid, a declared income of Rp 1.000.000: JKK 1 % = 10.000, JKM a flat 6.800,
    JHT 2 % = 20.000 (PP 44/2015, the non-wage earners' articles and annex; PP 46/2015). W33CITY, sponsored, the
    lowest band: JKK 10.000 + JKM 6.800 = the package of 16.800.
    """
    run_billing(MARCH)
    assert billed() == {
        ("W33PU", "JKK"): (16_200, 0),
        ("W33PU", "JKM"): (9_000, 0),
        ("W33PU", "JHT"): (171_000, 60_000),
        ("W33PU", "JP"): (90_000, 30_000),
        ("W35", "JKK"): (25_920, 0),
        ("W35", "JKM"): (14_400, 0),
        ("W35", "JHT"): (273_600, 96_000),
        ("W35", "JP"): (144_000, 48_000),
        ("W33BPU", "JKK"): (10_000, 10_000),
        ("W33BPU", "JKM"): (6_800, 6_800),
        ("W33BPU", "JHT"): (20_000, 20_000),
        ("W33CITY", "JKK"): (10_000, 0),
        ("W33CITY", "JKM"): (6_800, 0),
    }
    e33 = Bill.objects.get(payer__employer=world.employers["E33"], period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    assert e33.amount == 16_200 + 9_000 + 171_000 + 90_000 == 286_200


def test_the_sponsored_worker_costs_the_regional_package(world: World) -> None:
    run_billing(MARCH)
    package = compute_one("bpu_sponsored_package", MARCH, {"persons": 1}).outputs
    got = billed()
    assert got[("W33CITY", "JKK")][0] == package["jkk_per_person"]
    assert got[("W33CITY", "JKM")][0] == package["jkm_per_person"]


def test_a_bill_per_payer_due_when_the_rule_says(world: World) -> None:
    run_billing(MARCH)
    bills = {b.payer: b for b in Bill.objects.filter(period=MARCH)}
    w, e = world.workers, world.employers
    payers = {
        "E33": Payer.objects.get(employer=e["E33"]),
        "E35": Payer.objects.get(employer=e["E35"]),
        "W33BPU": Payer.objects.get(worker=w["W33BPU"]),
        "city": Payer.objects.get(sponsor=w["W33CITY"].sponsor),
    }
    assert set(bills) == set(payers.values())
    employer_due = compute_one(
        "late_payment_penalty", MARCH, {"contribution": 0, "payment_date": MARCH, "payer": "employer"}
    ).outputs["due_date_applied"]
    bpu_due = compute_one(
        "late_payment_penalty", MARCH, {"contribution": 0, "payment_date": MARCH, "payer": "bpu"}
    ).outputs["due_date_applied"]
    assert employer_due.month == 4 and bpu_due.month == 3  # following month vs same month
    assert bills[payers["E33"]].due_date == bills[payers["E35"]].due_date == employer_due
    assert bills[payers["W33BPU"]].due_date == bills[payers["city"]].due_date == bpu_due
    for bill in bills.values():
        assert bill.kind == Bill.Kind.CONTRIBUTION
        assert bill.amount == sum(line.amount for line in bill.lines.all()) > 0
    assert {line.worker for line in bills[payers["E33"]].lines.all()} == {w["W33PU"]}


def test_running_twice_bills_once(world: World) -> None:
    first = run_billing(MARCH)
    before = list(BillLine.objects.order_by("id").values_list("id", "amount"))
    amounts = dict(Bill.objects.values_list("id", "amount"))
    second = run_billing(MARCH)
    assert (second.lines_added, second.adjustments, second.amount_added, second.bills_touched) == (0, 0, 0, 0)
    assert second.workers == first.workers == 4
    assert list(BillLine.objects.order_by("id").values_list("id", "amount")) == before
    assert dict(Bill.objects.values_list("id", "amount")) == amounts
    assert BillingRun.objects.count() == 2


def test_a_corrected_wage_gives_one_adjustment_per_programme(world: World) -> None:
    w, e = world.workers, world.employers
    run_billing(MARCH)
    lines_before = set(BillLine.objects.values_list("id", "amount"))
    report = WageReport.objects.create(worker=w["W33PU"], employer=e["E33"], period=MARCH, wage=3_500_000)
    run = run_billing(MARCH)
    old, new = pu_expected(3_000_000, 2), pu_expected(3_500_000, 2)
    adjustments = list(BillLine.objects.filter(billing_run=run))
    assert sorted(line.programme for line in adjustments) == ["JHT", "JKK", "JKM", "JP"]
    for line in adjustments:
        assert line.kind == "adjustment" and line.worker == w["W33PU"]
        assert line.amount == new[line.programme][0] - old[line.programme][0] != 0
        assert line.worker_share == new[line.programme][1] - old[line.programme][1]
        assert line.wage == 3_500_000
        assert line.note == "wage_corrected 3000000 3500000"  # language-neutral: contributions/line_notes.py
    assert set(BillLine.objects.exclude(billing_run=run).values_list("id", "amount")) == lines_before
    assert run.adjustments == run.lines_added == 4 and run.bills_touched == 1
    assert billed() == expected_world(world, {"W33PU": 3_500_000})
    bill = Bill.objects.get(payer__employer=e["E33"], period=MARCH)
    assert bill.amount == sum(line.amount for line in bill.lines.all())

    # corrected again, downwards: the adjustment brings the month to the new wage's amounts
    report.wage = 3_200_000
    report.save()
    run = run_billing(MARCH)
    assert run.adjustments == 4
    assert billed() == expected_world(world, {"W33PU": 3_200_000})
    assert all(line.amount < 0 for line in BillLine.objects.filter(billing_run=run))
    bill.refresh_from_db()
    assert bill.amount == sum(line.amount for line in bill.lines.all())
    assert run_billing(MARCH).lines_added == 0


def test_the_latest_wage_report_before_the_month_applies(world: World) -> None:
    w, e = world.workers, world.employers
    WageReport.objects.create(worker=w["W35"], employer=e["E35"], period=dt.date(2025, 1, 1), wage=5_100_000)
    WageReport.objects.create(worker=w["W35"], employer=e["E35"], period=dt.date(2025, 2, 1), wage=5_200_000)
    WageReport.objects.create(worker=w["W35"], employer=e["E35"], period=APRIL, wage=9_000_000)  # after March
    run_billing(MARCH)
    assert billed() == expected_world(world, {"W35": 5_200_000})


def test_a_membership_in_force_in_the_month_is_billed_and_only_then(world: World) -> None:
    w = world.workers
    late = Worker.objects.create(
        nik="3374015705900099",
        name="Worker LATE",
        birth_date=dt.date(1990, 5, 17),
        sex="F",
        occupation="employee",
        region=world.regions["33.74"],
        scheme="PU",
        employer=world.employers["E33"],
        wage=2_000_000,
    )
    Membership.objects.create(worker=late, programme="JKK", start=APRIL)
    Membership.objects.create(worker=late, programme="JHT", start=dt.date(2025, 3, 31))  # the month's last day
    # W35 leaves JP on the first day of March: March is still billed in full
    Membership.objects.filter(worker=w["W35"], programme="JP").update(end=MARCH)
    # W33BPU left JHT at the end of February: not billed in March
    Membership.objects.filter(worker=w["W33BPU"], programme="JHT").update(end=dt.date(2025, 2, 28))
    run_billing(MARCH)
    got = billed()
    assert ("LATE", "JKK") not in got
    assert got[("LATE", "JHT")] == pu_expected(2_000_000, 2)["JHT"]
    assert ("W35", "JP") in got
    assert ("W33BPU", "JHT") not in got
    assert got[("W33BPU", "JKK")] == bpu_expected(1_000_000, False, True)["JKK"]
    run_billing(APRIL)
    april = billed(APRIL)
    assert april[("LATE", "JKK")] == pu_expected(2_000_000, 2, APRIL)["JKK"]
    assert ("W35", "JP") not in april


def test_workers_of_an_inactive_employer_are_not_billed(world: World) -> None:
    world.employers["E35"].status = "inactive"
    world.employers["E35"].save()
    run = run_billing(MARCH)
    assert not BillLine.objects.filter(worker=world.workers["W35"]).exists()
    assert run.workers == 3


def test_employer_ids_limit_the_run(world: World) -> None:
    w, e = world.workers, world.employers
    run = run_billing(MARCH, employer_ids=[e["E33"].pk])
    assert {line.worker for line in BillLine.objects.all()} == {w["W33PU"]}
    assert run.workers == 1 and run.lines_added == 4
    full = run_billing(MARCH)
    assert full.lines_added == 13 - 4
    assert billed() == expected_world(world)
    assert run_billing(MARCH, employer_ids=[]).lines_added == 0
    with pytest.raises(NotFound):
        run_billing(MARCH, employer_ids=[10**9])


@pytest.mark.parametrize("role", ["branch", "province", "city", "hr", "worker", "heir", "assessor"])
def test_only_an_administrator_bills_the_registry(world: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        run_billing(MARCH, user=world.users[role])
    assert not BillingRun.objects.exists() and not Bill.objects.exists()


def test_employer_hr_bills_only_its_own_employer(world: World) -> None:
    hr, e = world.users["hr"], world.employers
    with pytest.raises(NotAllowed):
        run_billing(MARCH, user=hr, employer_ids=[e["E35"].pk])
    with pytest.raises(NotAllowed):
        run_billing(MARCH, user=hr, employer_ids=[e["E33"].pk, e["E35"].pk])
    with pytest.raises(NotAllowed):
        run_billing(MARCH, user=world.users["branch"], employer_ids=[e["E33"].pk])
    assert not BillLine.objects.exists()
    run = run_billing(MARCH, user=hr, employer_ids=[e["E33"].pk])
    assert run.started_by == hr and run.lines_added == 4
    admin_run = run_billing(MARCH, user=world.users["admin"])
    assert admin_run.lines_added == 9


def test_a_month_before_the_law_stores_nothing(world: World) -> None:
    with pytest.raises(ParameterNotInForce):
        run_billing(dt.date(2010, 1, 1))
    assert not BillingRun.objects.exists() and not Payer.objects.exists() and not Bill.objects.exists()


@pytest.mark.parametrize("bad", [dt.date(2025, 3, 15), dt.datetime(2025, 3, 1, 0, 0), "2025-03"])
def test_a_period_must_be_the_first_day_of_a_month(world: World, bad: Any) -> None:
    with pytest.raises(ValidationFailed) as err:
        run_billing(bad)
    assert err.value.field == "period"


def test_progress_reports_each_stage(world: World) -> None:
    calls: list[tuple[str, int, int]] = []
    run_billing(MARCH, progress=lambda stage, done, total: calls.append((stage, done, total)))
    stages = [c[0] for c in calls]
    assert stages.index("extract") < stages.index("compute") < stages.index("load")
    for stage in ("extract", "compute", "load"):
        mine = [c for c in calls if c[0] == stage]
        assert all(0 <= done <= total for _, done, total in mine)
        assert mine[-1][1] == mine[-1][2]
    assert [c for c in calls if c[0] == "load"][-1][2] == 13


def test_a_correction_of_a_paid_bill_keeps_amount_and_lines_in_step(world: World) -> None:
    """Up: the bill grows by the adjustment and is open again. Down below what was paid: settle_run
    (payments) releases the excess to the payer's credit; the bill's amount is the sum of its lines."""
    from paritrana.contributions.services.payments import record_payment

    w, e = world.workers, world.employers
    run_billing(MARCH)
    payer = Payer.objects.get(employer=e["E33"])
    bill = Bill.objects.get(payer=payer, period=MARCH)
    paid_on = bill.due_date - dt.timedelta(days=1)  # on time: no penalty
    record_payment(None, payer.pk, bill.amount, paid_on, "TRF-1")
    bill.refresh_from_db()
    assert bill.paid == bill.amount and bill.paid_at == paid_on
    paid = bill.paid

    report = WageReport.objects.create(worker=w["W33PU"], employer=e["E33"], period=MARCH, wage=3_500_000)
    run_billing(MARCH)
    bill.refresh_from_db()
    assert bill.amount == sum(line.amount for line in bill.lines.all()) > paid
    assert bill.paid == paid and bill.paid_at is None

    report.wage = 2_500_000
    report.save()
    run_billing(MARCH)
    bill.refresh_from_db()
    payer.refresh_from_db()
    lowered = sum(pu_expected(2_500_000, 2)[p][0] for p in ("JKK", "JKM", "JHT", "JP"))
    assert bill.amount == sum(line.amount for line in bill.lines.all()) == lowered < paid
    assert bill.paid == bill.amount
    assert payer.credit == paid - lowered


def test_pp50_relief_is_billed_to_the_self_paid_not_to_a_regional_budget(world: World) -> None:
    """PP 50/2025 halves BPU JKK and JKM in 2026 (other sectors from April) but not for BPU paid from an
    APBD: in April 2026 the self-paid worker pays 5,000 + 3,400 (+ JHT 2 % of 1,000,000, never reduced),
    the worker a regional programme sponsors stays at 10,000 + 6,800. Figures worked out by hand."""
    april, march = dt.date(2026, 4, 1), dt.date(2026, 3, 1)
    run_billing(march)
    run_billing(april)
    before, during = billed(march), billed(april)
    assert {p: before[("W33BPU", p)][0] for p in ("JKK", "JKM", "JHT")} == {"JKK": 10_000, "JKM": 6_800, "JHT": 20_000}
    assert {p: during[("W33BPU", p)] for p in ("JKK", "JKM", "JHT")} == {
        "JKK": (5_000, 5_000),
        "JKM": (3_400, 3_400),
        "JHT": (20_000, 20_000),
    }
    assert {p: before[("W33CITY", p)] for p in ("JKK", "JKM")} == {"JKK": (10_000, 0), "JKM": (6_800, 0)}
    assert {p: during[("W33CITY", p)] for p in ("JKK", "JKM")} == {"JKK": (10_000, 0), "JKM": (6_800, 0)}
    city = Bill.objects.get(payer__sponsor=world.workers["W33CITY"].sponsor, period=april)
    assert city.amount == 16_800
