"""Each source of money goes on over the open bills, oldest first, past the bills an earlier source completed.

Decision 0026, Allocation: the payer's credit (older money) and then the payment go to the open bills, oldest
first; a bill may be paid in part; ``paid_at`` is the value date of the money that completed it. E33's one wage
earner is billed Rp286.200 a month (JKK 0,54 % 16.200 + JKM 0,30 % 9.000 + JHT 5,7 % 171.000 + JP 3 % 90.000 on
Rp3.000.000).
"""

from __future__ import annotations

import datetime as dt

from paritrana.contributions.models import Allocation, Bill, Payment
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services.allocation import Money, allocate
from paritrana.contributions.services.billing import run_billing
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)
MONTH_OF_E33 = 286_200  # by hand, above


def test_the_payment_passes_the_month_the_credit_completed_and_goes_on_with_the_next(world: World) -> None:
    """A credit of Rp286.900 completes March and gives April Rp700; the payment's Rp5.000 then passes March (owing
    nothing) and goes to April, which has Rp5.700 of Rp286.200 and is not paid. Nothing is late: the credit books
    no penalty, and April is due on 15 May."""
    run_billing(MARCH)
    run_billing(APRIL)
    e33 = payer_of(world.employers["E33"])
    march, april = (Bill.objects.get(payer=e33, period=m, kind=Bill.Kind.CONTRIBUTION) for m in (MARCH, APRIL))
    assert march.amount == april.amount == MONTH_OF_E33
    payment = Payment.objects.create(payer=e33, amount=5_000, paid_on=dt.date(2025, 4, 20), reference="NEXT")
    money = [Money(None, MONTH_OF_E33 + 700, late_fee=False), Money(payment, 5_000, late_fee=True)]
    received, late = allocate(e33, money, dt.date(2025, 4, 20))
    assert (received, late) == ({march.pk, april.pk}, [])
    assert [m.left for m in money] == [0, 0]
    made = Allocation.objects.filter(bill__payer=e33).order_by("id").values_list("bill_id", "payment_id", "amount")
    assert list(made) == [(march.pk, None, MONTH_OF_E33), (april.pk, None, 700), (april.pk, payment.pk, 5_000)]
    march.refresh_from_db()
    april.refresh_from_db()
    assert (march.paid, march.paid_at) == (MONTH_OF_E33, dt.date(2025, 4, 20))
    assert (april.paid, april.paid_at) == (5_700, None)
