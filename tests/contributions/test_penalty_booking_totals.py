"""What ``book_penalties`` books and the total it returns, and a penalty bill brings no penalty of its own.

The law: 2 % of the contribution that should have been paid for each (started) month of delay, borne by the
employer and paid with the next contribution due (PP 44/2015, and the parallel articles of PP 45/2015 and
PP 46/2015; the article numbers are not confirmed: ``penalty.late_rate`` is marked uncertain). The penalty is on
the contribution; nothing in those articles puts a penalty on a penalty (decision 0026).

E33's one wage earner (W33PU, Rp3.000.000) is billed for a month, by hand: JKK 0,54 % 16.200 + JKM 0,30 %
9.000 + JHT 5,7 % 171.000 + JP 3 % 90.000 = Rp286.200. February is due on 15 March, March on 15 April.
"""

from __future__ import annotations

import datetime as dt

from paritrana.contributions.models import Bill, BillLine, Payer, Payment
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services.allocation import LateAllocation
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import arrears, record_payment
from paritrana.contributions.services.penalties import book_penalties
from tests.platform.world import World

FEBRUARY = dt.date(2025, 2, 1)
MARCH = dt.date(2025, 3, 1)
MONTH_OF_E33 = 286_200  # by hand, above
PAID_ON = dt.date(2025, 4, 16)


def billed_e33(world: World) -> tuple[Payer, Bill, Bill]:
    run_billing(FEBRUARY)
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    kind = Bill.Kind.CONTRIBUTION
    return (
        e33,
        Bill.objects.get(payer=e33, period=FEBRUARY, kind=kind),
        Bill.objects.get(payer=e33, period=MARCH, kind=kind),
    )


def payment(payer: Payer, amount: int) -> Payment:
    return Payment.objects.create(payer=payer, amount=amount, paid_on=PAID_ON, reference="LATE")


def test_nothing_allocated_late_books_nothing_and_returns_zero(world: World) -> None:
    e33, _february, _march = billed_e33(world)
    assert book_penalties(e33, [], payment(e33, MONTH_OF_E33)) == 0
    assert not Bill.objects.filter(kind=Bill.Kind.PENALTY).exists()


def test_the_total_returned_is_the_sum_of_the_penalties_booked_on_each_months_penalty_bill(world: World) -> None:
    """Paid on 16 April: February (due 15 March) is two started months late, 2 × 2 % × Rp286.200 = Rp11.448;
    Rp100.000 of March (due 15 April) one month, 2 % = Rp2.000. Total Rp13.448, each on its month's penalty bill,
    due with the next contribution due after 16 April: April's, 15 May."""
    e33, february, march = billed_e33(world)
    late = [LateAllocation(february, MONTH_OF_E33), LateAllocation(march, 100_000)]
    assert book_penalties(e33, late, payment(e33, MONTH_OF_E33 + 100_000)) == 13_448
    booked = Bill.objects.filter(payer=e33, kind=Bill.Kind.PENALTY).order_by("period")
    assert [(b.period, b.amount, b.due_date) for b in booked] == [
        (FEBRUARY, 11_448, dt.date(2025, 5, 15)),
        (MARCH, 2_000, dt.date(2025, 5, 15)),
    ]
    assert sorted(BillLine.objects.filter(kind=BillLine.Kind.PENALTY).values_list("amount", flat=True)) == [
        2_000,
        11_448,
    ]


def test_penalties_that_round_to_nothing_book_nothing_and_return_zero(world: World) -> None:
    """2 % of Rp24 a month late is 0,48 rupiah: 0 rounded half up, no penalty bill, a total of 0."""
    e33, _february, march = billed_e33(world)
    assert book_penalties(e33, [LateAllocation(march, 24)], payment(e33, 24)) == 0
    assert not Bill.objects.filter(kind=Bill.Kind.PENALTY).exists()


def test_a_penalty_bill_left_unpaid_for_three_years_brings_no_penalty_of_its_own(world: World) -> None:
    """February paid exactly on 16 April leaves its Rp11.448 penalty (due 15 May 2025) unpaid. Asked on 16 May
    2028, 37 started months later, the arrears show it with no penalty: 2 % of even one rupiah for 37 months is
    0,74 rupiah, which would round to Rp1, so the penalty bill must count as no contribution at all."""
    e33, _february, _march = billed_e33(world)
    record_payment(None, e33.pk, MONTH_OF_E33, PAID_ON, "FEB-LATE")  # February only: oldest first
    on = dt.date(2028, 5, 16)
    got = {(a.bill.kind, a.bill.period): a for a in arrears(None, e33.pk, on)}
    penalty = got[(Bill.Kind.PENALTY, FEBRUARY)]
    assert (penalty.outstanding, penalty.due_date, penalty.months_late) == (11_448, dt.date(2025, 5, 15), 37)
    assert penalty.penalty_if_paid_on == 0
    # March, still owed in full since 15 April 2025: 38 started months at 2 % = 76 % of Rp286.200
    contribution = got[(Bill.Kind.CONTRIBUTION, MARCH)]
    assert (contribution.outstanding, contribution.months_late) == (MONTH_OF_E33, 38)
    assert contribution.penalty_if_paid_on == 217_512
