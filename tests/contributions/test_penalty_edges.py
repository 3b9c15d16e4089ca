"""Late-payment penalties' edges (services/penalties.py), hand-computed.

The law: 2 % of the contribution that should have been paid for each month of delay, borne by the employer and
paid together with the next month's contribution (PP 44/2015, and the parallel articles of PP 45/2015 and
PP 46/2015; the article numbers are not confirmed: the parameter ``penalty.late_rate`` is marked uncertain). A
month's contribution is due by the 15th of the next month (employers) or of the same month (BPU, Permenaker
5/2021). Readings of decision 0026: the penalty is on the amount allocated late, rounded once half up; it goes
on the payer's penalty bill of the month, due on the payer's next due date *strictly after* the payment; the
money left after every open bill goes on to the penalty just booked.

E33's one wage earner (W33PU, Rp3.000.000) is billed for a month, by hand: JKK 0,54 % 16.200 + JKM 0,30 %
9.000 + JHT 5,7 % 171.000 + JP 3 % 90.000 = Rp286.200.
"""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.contributions.models import Bill, BillLine, Payer
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from tests.platform.world import World

FEBRUARY = dt.date(2025, 2, 1)
MARCH = dt.date(2025, 3, 1)
MONTH_OF_E33 = 286_200  # by hand, above


def bill(payer: Payer, period: dt.date, kind: str = Bill.Kind.CONTRIBUTION) -> Bill:
    return Bill.objects.get(payer=payer, period=period, kind=kind)


@pytest.mark.parametrize(
    ("paid_on", "penalty_due", "penalty"),
    [
        # before the 15th: March's contributions are due on 15 April, the first due date after the payment
        (dt.date(2025, 4, 10), dt.date(2025, 4, 15), 5_724),
        # on 15 April itself, the due date of March: the next one strictly after is April's, 15 May
        (dt.date(2025, 4, 15), dt.date(2025, 5, 15), 5_724),
        # a day later a second month has started: 2 × Rp5.724
        (dt.date(2025, 4, 16), dt.date(2025, 5, 15), 11_448),
    ],
)
def test_a_penalty_is_due_with_the_next_contribution_due_strictly_after_the_payment(
    world: World, paid_on: dt.date, penalty_due: dt.date, penalty: int
) -> None:
    """February (due 15 March) paid in April: paid by 15 April, one started month late, 2 % of Rp286.200 =
    Rp5.724; paid on 16 April, a second month has started (the rule counts each started month)."""
    run_billing(FEBRUARY)
    e33 = payer_of(world.employers["E33"])
    february = bill(e33, FEBRUARY)
    assert (february.amount, february.due_date) == (MONTH_OF_E33, dt.date(2025, 3, 15))
    record_payment(None, e33.pk, MONTH_OF_E33, paid_on, "FEB-LATE")
    booked = bill(e33, FEBRUARY, Bill.Kind.PENALTY)
    assert (booked.amount, booked.due_date) == (penalty, penalty_due)


def test_a_self_paying_member_paying_on_the_15th_owes_the_penalty_with_next_months_contribution(
    world: World,
) -> None:
    """A BPU member's February is due on 15 February (the same month); paid on 15 March, March's own due date, it
    is one month late and the penalty is due with the next contribution after that day: April's, 15 April."""
    run_billing(FEBRUARY)
    own = payer_of(world.workers["W33BPU"])
    february = bill(own, FEBRUARY)
    assert february.due_date == dt.date(2025, 2, 15)
    record_payment(None, own.pk, february.amount, dt.date(2025, 3, 15), "BPU-FEB")
    penalty = bill(own, FEBRUARY, Bill.Kind.PENALTY)
    assert (penalty.amount, penalty.due_date) == ((february.amount * 2 + 50) // 100, dt.date(2025, 4, 15))


def test_24_rupiah_paid_late_owe_no_penalty_so_no_penalty_bill(world: World) -> None:
    """2 % of Rp24 is 0,48 rupiah, 0 rounded half up: nothing is booked, not even an empty penalty bill."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, MONTH_OF_E33 - 24, dt.date(2025, 4, 10), "ON-TIME")
    record_payment(None, e33.pk, 24, dt.date(2025, 4, 20), "LATE-24")
    assert bill(e33, MARCH).paid == MONTH_OF_E33
    assert not Bill.objects.filter(payer=e33, kind=Bill.Kind.PENALTY).exists()
    assert not BillLine.objects.filter(kind=BillLine.Kind.PENALTY).exists()


def test_25_rupiah_paid_late_owe_one_rupiah_which_the_last_rupiah_of_the_payment_pays(world: World) -> None:
    """2 % of Rp25 is 0,5 rupiah, 1 rounded half up: a penalty bill of Rp1, due 15 May (after 20 April), and the
    payment's last rupiah pays it (it is the oldest open bill left), leaving no credit. The line is the
    employer's: on no wage, with no worker's share and no worker."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, MONTH_OF_E33 - 25, dt.date(2025, 4, 10), "ON-TIME")
    record_payment(None, e33.pk, 26, dt.date(2025, 4, 20), "LATE-25")
    penalty = bill(e33, MARCH, Bill.Kind.PENALTY)
    assert (penalty.amount, penalty.paid, penalty.paid_at) == (1, 1, dt.date(2025, 4, 20))
    assert penalty.due_date == dt.date(2025, 5, 15)
    line = penalty.lines.get()
    assert (line.amount, line.wage, line.worker_share, line.worker_id) == (1, 0, 0, None)
    assert Payer.objects.get(pk=e33.pk).credit == 0


def test_money_dated_before_the_month_it_pays_books_no_penalty(world: World) -> None:
    """March, April and May billed; one payment dated 10 April pays March and April on time. A second one, dated
    10 March (a bank statement's value date, imported later), goes to the only open bill, May: paid two months
    before May's due date (15 June), nothing is late, no penalty is booked, May is paid on 10 March."""
    months = [MARCH, dt.date(2025, 4, 1), dt.date(2025, 5, 1)]
    for month in months:
        run_billing(month)
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 2 * MONTH_OF_E33, dt.date(2025, 4, 10), "MARCH-APRIL")
    record_payment(None, e33.pk, MONTH_OF_E33, dt.date(2025, 3, 10), "MAY-AHEAD")
    paid = [(b.paid, b.paid_at) for b in (bill(e33, m) for m in months)]
    assert paid == [(MONTH_OF_E33, dt.date(2025, 4, 10))] * 2 + [(MONTH_OF_E33, dt.date(2025, 3, 10))]
    assert not Bill.objects.filter(payer=e33, kind=Bill.Kind.PENALTY).exists()
