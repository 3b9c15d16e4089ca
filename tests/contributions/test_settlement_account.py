"""What settling a billing run reports (``settlement.settle_run`` returns a ``Settlement``), hand-computed.

Decision 0026, Corrections: a wage corrected downward after payment leaves the bill paid above the sum of its
lines; the run releases the excess to the payer's credit (a negative allocation), then applies the credit of the
run's payers to their open bills, oldest first, and credits the JHT lines of the bills that are now paid in.
``run_billing`` settles its run inside its own transaction; the tests watch that call (the real one runs).

E33's one wage earner (W33PU) billed for a month at Rp3.000.000, by hand: JKK 0,54 % 16.200 + JKM 0,30 % 9.000
+ JHT 5,7 % 171.000 + JP 3 % 90.000 = Rp286.200; at Rp2.500.000: 13.500 + 7.500 + 142.500 + 75.000 = Rp238.500,
Rp47.700 less (of which JHT Rp28.500).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from paritrana.contributions import models
from paritrana.contributions.models import Allocation, Bill, BillingRun, JhtEntry, Payer, Payment, WageReport
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services import settlement
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.contributions.services.settlement import Settlement
from paritrana.contributions.services.wages import report_wage
from paritrana.core.errors import ValidationFailed
from tests.platform.world import World

FEBRUARY = dt.date(2025, 2, 1)
MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)
ON_TIME = dt.date(2025, 4, 10)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> list[Settlement]:
    """What each billing run's settling reported, in order (the real ``settle_run`` runs)."""
    reports: list[Settlement] = []
    real = settlement.settle_run

    def watched(run: BillingRun, on: dt.date) -> Settlement:
        reports.append(real(run, on))
        return reports[-1]

    monkeypatch.setattr(settlement, "settle_run", watched)
    return reports


def test_a_correction_after_payment_releases_the_excess_and_the_credit_pays_part_of_the_next_month(
    world: World, settled: list[Settlement]
) -> None:
    """March and April billed; March paid in full (Rp286.200) on time. March's wage corrected to Rp2.500.000: one
    bill corrected, Rp47.700 released to E33's credit; E33 is the one payer with credit, and its Rp47.700 go to
    April (open, Rp286.200): applied in full, April paid in part. March stays paid, so its JHT adjustment
    (−Rp28.500) is credited: one line; April, paid in part, credits none."""
    run_billing(MARCH)
    run_billing(APRIL)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 286_200, ON_TIME, "MARCH-FULL")
    assert settled == [Settlement(0, 0, 0, 0, 0)] * 2  # new months: nothing paid, nobody with credit
    WageReport.objects.create(
        worker=world.workers["W33PU"], employer=world.employers["E33"], period=MARCH, wage=2_500_000
    )
    run_billing(MARCH)
    assert settled[-1] == Settlement(
        bills_corrected=1, released=47_700, payers_with_credit=1, credit_applied=47_700, jht_lines_credited=1
    )
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    april = Bill.objects.get(payer=e33, period=APRIL, kind=Bill.Kind.CONTRIBUTION)
    assert (march.amount, march.paid, march.paid_at) == (238_500, 238_500, ON_TIME)
    assert (april.amount, april.paid, april.paid_at) == (286_200, 47_700, None)
    today = timezone.localdate()
    assert list(Allocation.objects.filter(bill=april).values_list("payment", "amount", "allocated_on")) == [
        (None, 47_700, today)
    ]
    assert Payer.objects.get(pk=e33.pk).credit == 0
    assert list(JhtEntry.objects.filter(bill_line__bill=march).order_by("amount").values_list("amount", flat=True)) == [
        -28_500,
        171_000,
    ]
    assert not JhtEntry.objects.filter(bill_line__bill=april).exists()


def test_credit_paying_a_new_month_in_full_is_reported_with_its_jht_line(
    world: World, settled: list[Settlement]
) -> None:
    """Rp300.000 paid before anything is billed is E33's credit; March's run applies Rp286.200 of it, paying March in
    full, so March's JHT line is credited; nothing was corrected or released; Rp13.800 stay credit."""
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 300_000, dt.date(2025, 3, 3), "ADVANCE")
    run_billing(MARCH)
    assert settled == [
        Settlement(bills_corrected=0, released=0, payers_with_credit=1, credit_applied=286_200, jht_lines_credited=1)
    ]
    assert Payer.objects.get(pk=e33.pk).credit == 13_800


def test_released_credit_completes_the_oldest_open_bill_then_pays_part_of_the_next(
    world: World, settled: list[Settlement]
) -> None:
    """February paid in full (Rp286.200, 10 March), March all but Rp1.000 (10 April), April not at all. February's
    wage corrected to Rp2.500.000 releases Rp47.700; the credit goes to the open bills oldest first: Rp1.000
    complete March (paid on the day of the run, its JHT line now credited), the other Rp46.700 go to April.
    JHT lines credited: February's adjustment and March's line, two."""
    for month in (FEBRUARY, MARCH, APRIL):
        run_billing(month)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 286_200, dt.date(2025, 3, 10), "FEBRUARY")
    record_payment(None, e33.pk, 285_200, ON_TIME, "MARCH-PART")
    WageReport.objects.create(
        worker=world.workers["W33PU"], employer=world.employers["E33"], period=FEBRUARY, wage=2_500_000
    )
    run_billing(FEBRUARY)
    assert settled[-1] == Settlement(1, 47_700, 1, 47_700, 2)
    bills = Bill.objects.filter(payer=e33, kind=Bill.Kind.CONTRIBUTION).order_by("period")
    today = timezone.localdate()
    assert [(b.amount, b.paid, b.paid_at) for b in bills] == [
        (238_500, 238_500, dt.date(2025, 3, 10)),
        (286_200, 286_200, today),
        (286_200, 46_700, None),
    ]
    assert JhtEntry.objects.filter(bill_line__bill__period=MARCH).get().amount == 171_000
    assert Payer.objects.get(pk=e33.pk).credit == 0


def test_an_upward_correction_after_payment_corrects_nothing_and_releases_nothing(
    world: World, settled: list[Settlement]
) -> None:
    """March paid in full (Rp286.200), then its wage corrected up to Rp3.600.000: by hand 19.440 + 10.800 + 205.200 +
    108.000 = Rp343.440. Billing itself raises the bill to the sum of its lines and opens it again; settling finds
    nothing paid above a bill's amount: no bill corrected, nothing released, no credit, no JHT line (March is
    paid in part)."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 286_200, ON_TIME, "MARCH-FULL")
    WageReport.objects.create(
        worker=world.workers["W33PU"], employer=world.employers["E33"], period=MARCH, wage=3_600_000
    )
    run_billing(MARCH)
    assert settled[-1] == Settlement(0, 0, 0, 0, 0)
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    assert (march.amount, march.paid, march.paid_at) == (343_440, 286_200, None)
    assert not Allocation.objects.filter(amount__lt=0).exists()


def test_a_paid_month_corrected_to_a_wage_of_zero_releases_all_it_was_paid(
    world: World, settled: list[Settlement]
) -> None:
    """A wage reported as 0 (a wage file takes 0 or more) bills 0 on every line: each line of the month is reversed,
    and the bill's lines add up to exactly 0, not below it. March paid in full (Rp286.200) on time, April billed and open. March's
    wage corrected to 0: the whole Rp286.200 is released, a bill of 0 paid 0 stays paid since the payment; the
    credit pays April in full (paid on the day of the run). JHT lines credited: March's reversal (−Rp171.000)
    and April's Rp171.000, two."""
    run_billing(MARCH)
    run_billing(APRIL)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 286_200, ON_TIME, "MARCH-FULL")
    WageReport.objects.create(worker=world.workers["W33PU"], employer=world.employers["E33"], period=MARCH, wage=0)
    run_billing(MARCH)
    assert settled[-1] == Settlement(1, 286_200, 1, 286_200, 2)
    bills = Bill.objects.filter(payer=e33, kind=Bill.Kind.CONTRIBUTION).order_by("period")
    today = timezone.localdate()
    assert [(b.amount, b.paid, b.paid_at) for b in bills] == [(0, 0, ON_TIME), (286_200, 286_200, today)]
    assert Payer.objects.get(pk=e33.pk).credit == 0
    march_jht = JhtEntry.objects.filter(bill_line__bill__period=MARCH).order_by("amount")
    assert list(march_jht.values_list("amount", flat=True)) == [-171_000, 171_000]


def test_one_rupiah_paid_on_a_month_corrected_to_nothing_is_released_to_credit(
    world: World, settled: list[Settlement]
) -> None:
    """March billed (Rp286.200) and paid one rupiah; its wage then corrected to 0, so its lines add up to 0, below
    the rupiah paid: the rupiah is released to E33's credit (nothing else is open to take it) and March, 0 owed
    and 0 paid, counts as paid on the day of the run: its two JHT lines (Rp171.000 and its reversal) are
    credited, summing to nothing."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 1, ON_TIME, "ONE-RUPIAH")
    WageReport.objects.create(worker=world.workers["W33PU"], employer=world.employers["E33"], period=MARCH, wage=0)
    run_billing(MARCH)
    assert settled[-1] == Settlement(
        bills_corrected=1, released=1, payers_with_credit=1, credit_applied=0, jht_lines_credited=2
    )
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    assert (march.amount, march.paid, march.paid_at) == (0, 0, timezone.localdate())
    assert Payer.objects.get(pk=e33.pk).credit == 1
    assert list(Allocation.objects.filter(bill=march).order_by("amount").values_list("payment", "amount")) == [
        (None, -1),
        (Payment.objects.get(reference="ONE-RUPIAH").pk, 1),
    ]


def test_an_unpaid_month_corrected_to_nothing_credits_no_jht(world: World, settled: list[Settlement]) -> None:
    """March billed (Rp286.200), never paid, its wage then corrected to 0: its lines add up to 0 and nothing was paid,
    so nothing is corrected or released, and no JHT line is credited: JHT credits contributions paid in (PP 46/2015
    art 22(2): the balance is the contributions paid and their returns), and none was."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    WageReport.objects.create(worker=world.workers["W33PU"], employer=world.employers["E33"], period=MARCH, wage=0)
    run_billing(MARCH)
    assert settled[-1] == Settlement(0, 0, 0, 0, 0)
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    assert (march.amount, march.paid, march.paid_at) == (0, 0, None)
    assert not JhtEntry.objects.exists()


def test_a_new_employers_report_leaves_a_month_billed_to_the_old_one_as_it_is(
    world: World, settled: list[Settlement]
) -> None:
    """W33PU's March billed to E33 (Rp286.200, unpaid); W35's March wage reported as Rp2.999.980 and E35's March
    bill (by hand: JKK 16.199,89 → 16.200, JKM 8.999,94 → 9.000, JHT 110.999 + 60.000 = 170.999, JP 60.000 +
    30.000 = 90.000: Rp286.199) paid in full. W33PU then moves to E35, which reports his March wage as 0. The month
    was billed to E33: E35's report corrects nothing of it (decision 0047), so neither bill gets a line, nothing is
    settled, and W33PU's JHT account (E33's bill unpaid: nothing credited) is not debited below zero.

    E35's March wage of W33PU is written through the model: the wage checks now refuse it (decision 0048). This
    states the billing run's rule for such a wage stored before that check."""
    WageReport.objects.create(
        worker=world.workers["W35"], employer=world.employers["E35"], period=MARCH, wage=2_999_980
    )
    run_billing(MARCH)
    e33, e35 = payer_of(world.employers["E33"]), payer_of(world.employers["E35"])
    record_payment(None, e35.pk, 286_199, ON_TIME, "E35-MARCH")
    w33 = world.workers["W33PU"]
    w33.employer = world.employers["E35"]
    w33.save()
    run_billing(MARCH)  # the move alone bills E35 nothing for a month E33 carries
    with pytest.raises(ValidationFailed) as refused:  # no door stores it now (decision 0048)
        report_wage(world.users["admin"], w33.pk, MARCH, 0)
    assert refused.value.field == "period" and not WageReport.objects.filter(worker=w33).exists()
    WageReport.objects.create(worker=w33, employer=world.employers["E35"], period=MARCH, wage=0)
    run = run_billing(MARCH)
    assert (run.lines_added, run.adjustments, run.amount_added) == (0, 0, 0)
    assert settled[-1] == Settlement(0, 0, 0, 0, 0)
    bills = {b.payer_id: b for b in Bill.objects.filter(period=MARCH, kind=Bill.Kind.CONTRIBUTION)}
    assert (bills[e35.pk].amount, bills[e35.pk].paid, bills[e35.pk].paid_at) == (286_199, 286_199, ON_TIME)
    assert (bills[e33.pk].amount, bills[e33.pk].paid) == (286_200, 0)
    assert not bills[e35.pk].lines.filter(worker=w33).exists()
    assert sum(bills[e33.pk].lines.filter(worker=w33).values_list("amount", flat=True)) == 286_200
    assert JhtEntry.objects.filter(worker=w33).sum_to_balance() == 0
    assert list(JhtEntry.objects.values_list("worker", "amount")) == [(world.workers["W35"].pk, 170_999)]
    assert Payer.objects.get(pk=e35.pk).credit == 0
    assert not Allocation.objects.filter(amount__lt=0).exists()


def test_a_paid_bill_whose_lines_add_up_to_less_than_nothing_is_left_as_it_is(world: World) -> None:
    """Billing no longer writes such a bill (decision 0047); settling still guards against one. E33's March
    (Rp286.200) paid in full, then a run's line of −Rp286.201 on it, written here: its lines add up to −1 rupiah.
    No payer can owe less than nothing on a bill: settling that run leaves the bill as it was paid, releases
    nothing and applies nothing."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 286_200, ON_TIME, "E33-MARCH")
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    run = BillingRun.objects.create(period=MARCH)
    models.BillLine.objects.create(
        bill=march, worker=world.workers["W33PU"], programme="JKK", kind=models.BillLine.Kind.ADJUSTMENT,
        amount=-286_201, rule="pu_contributions", law_date=MARCH, billing_run=run,
    )  # fmt: skip
    assert settlement.settle_run(run, on=ON_TIME) == Settlement(0, 0, 0, 0, 0)
    march.refresh_from_db()
    assert (march.amount, march.paid, march.paid_at) == (286_200, 286_200, ON_TIME)
    assert Payer.objects.get(pk=e33.pk).credit == 0
    assert not Allocation.objects.filter(amount__lt=0).exists()
