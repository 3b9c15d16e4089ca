"""Allocation's edges (services/allocation.py) that the mutation run left open (docs/mutation.md): a bill the
first money pays in full takes nothing of the next; a bill owing one rupiah; money of exactly one rupiah.

Decision 0026, Allocation: the payer's credit (older money) and then the payment go to the open bills, oldest
first; a bill may be paid in part; ``paid_at`` is the value date of the money that completed it; what is left
is the payer's credit. Each allocation is money moved: an allocation of 0 rupiah is none and is not stored.
"""

from __future__ import annotations

import datetime as dt

from paritrana.contributions.models import Allocation, Bill, JhtEntry, Payer, Payment
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services.allocation import Money, allocate
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)


def allocations_of(payer: Payer) -> list[tuple[int, int | None, int]]:
    """(bill, payment, amount) of every allocation to the payer's bills, in the order they were made."""
    return list(
        Allocation.objects.filter(bill__payer=payer).order_by("id").values_list("bill_id", "payment_id", "amount")
    )


def test_a_bill_the_credit_pays_in_full_takes_nothing_of_the_payment_after_it(world: World) -> None:
    """The credit comes first and covers March whole: the payment behind it gives March nothing (no allocation
    of 0 rupiah), keeps its money, and, having given nothing, books no penalty although the value date (20 April)
    is past March's due date (15 April)."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    payment = Payment.objects.create(payer=e33, amount=5_000, paid_on=dt.date(2025, 4, 20), reference="AFTER-CREDIT")
    money = [Money(None, march.amount + 700, late_fee=False), Money(payment, 5_000, late_fee=True)]
    received, late = allocate(e33, money, dt.date(2025, 4, 20))
    assert (received, late) == ({march.pk}, [])
    assert [m.left for m in money] == [700, 5_000]
    assert allocations_of(e33) == [(march.pk, None, march.amount)]
    march.refresh_from_db()
    assert (march.paid, march.paid_at) == (march.amount, dt.date(2025, 4, 20))


def test_the_credit_pays_part_and_the_payment_the_rest_of_one_bill(world: World) -> None:
    """Both sources on one bill, in their order: the credit's 1,000 rupiah, then the payment's part; the bill is
    paid on the payment's value date and the rest of the payment is left."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    payment = Payment.objects.create(payer=e33, amount=march.amount, paid_on=dt.date(2025, 4, 10), reference="REST")
    money = [Money(None, 1_000, late_fee=False), Money(payment, march.amount, late_fee=True)]
    received, late = allocate(e33, money, dt.date(2025, 4, 10))
    assert (received, late) == ({march.pk}, [])  # on time: nothing late
    assert [m.left for m in money] == [0, 1_000]
    assert allocations_of(e33) == [(march.pk, None, 1_000), (march.pk, payment.pk, march.amount - 1_000)]


def test_a_bill_owing_one_rupiah_is_completed_by_the_next_payment(world: World) -> None:
    """March paid all but one rupiah on 10 April stays open (paid in part); one rupiah paid on 12 April completes
    it: March is paid on 12 April, and only then is its JHT line credited to the worker (PP 46/2015 art 22(2):
    the contribution paid; decision 0026: a part payment credits no JHT)."""
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    jht = march.lines.get(programme="JHT")
    first = record_payment(None, e33.pk, march.amount - 1, dt.date(2025, 4, 10), "ALL-BUT-ONE")
    march.refresh_from_db()
    assert (march.amount - march.paid, march.paid_at) == (1, None)
    assert not JhtEntry.objects.filter(bill_line=jht).exists()
    last = record_payment(None, e33.pk, 1, dt.date(2025, 4, 12), "THE-LAST-RUPIAH")
    march.refresh_from_db()
    assert (march.paid, march.paid_at) == (march.amount, dt.date(2025, 4, 12))
    assert allocations_of(e33) == [(march.pk, first.pk, march.amount - 1), (march.pk, last.pk, 1)]
    assert Payer.objects.get(pk=e33.pk).credit == 0
    assert JhtEntry.objects.get(bill_line=jht).value_date == dt.date(2025, 4, 12)


def test_a_credit_of_one_rupiah_pays_one_rupiah_of_the_next_bill(world: World) -> None:
    """One rupiah paid before anything is billed is credit; when March is billed the credit goes to it (decision
    0026, Corrections: the credit of the run's payers is applied to their open bills), however small: March has
    1 rupiah paid, from no payment, and the credit is 0."""
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 1, dt.date(2025, 3, 3), "ONE-RUPIAH")
    assert Payer.objects.get(pk=e33.pk).credit == 1
    run_billing(MARCH)
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    assert (march.paid, march.paid_at) == (1, None)
    assert allocations_of(e33) == [(march.pk, None, 1)]
    assert Payer.objects.get(pk=e33.pk).credit == 0


def test_a_payment_with_no_credit_before_it_is_allocated_from_the_payment_only(world: World) -> None:
    """A payer with no credit: the payment alone pays March and, with its last rupiah, one rupiah of April; no
    allocation comes from the empty credit."""
    run_billing(MARCH)
    run_billing(APRIL)
    e33 = payer_of(world.employers["E33"])
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    april = Bill.objects.get(payer=e33, period=APRIL, kind=Bill.Kind.CONTRIBUTION)
    payment = record_payment(None, e33.pk, march.amount + 1, dt.date(2025, 4, 10), "ONE-MORE")
    assert allocations_of(e33) == [(march.pk, payment.pk, march.amount), (april.pk, payment.pk, 1)]
    assert Payer.objects.get(pk=e33.pk).credit == 0
