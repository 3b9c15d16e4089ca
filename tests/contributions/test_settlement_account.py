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

from paritrana.contributions.models import Allocation, Bill, BillingRun, JhtEntry, Payer, WageReport
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services import settlement
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.contributions.services.settlement import Settlement
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
