"""Payments' edges that the mutation run (docs/mutation.md) found unpinned, each with its reading.

Decision 0009 / 0026: money enters from a trusted source naming the payer by its record id; an id given in
another form (a text, a truth value) names no payer, so nothing is recorded and nothing is shown.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from paritrana.contributions.models import Allocation, Bill, JhtEntry, Payer, Payment
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import arrears, record_payment
from paritrana.core.errors import NotFound, ValidationFailed
from tests.platform.world import World


@pytest.mark.parametrize("as_given", [str, float, bool])
def test_a_payer_named_by_a_text_a_fraction_or_a_truth_value_is_not_found(world: World, as_given: type) -> None:
    payer = payer_of(world.employers["E33"])
    given = as_given(payer.pk)  # "7", 7.0, True (which Python counts equal to 1, another payer's id)
    with pytest.raises(NotFound):
        record_payment(None, given, 1_000_000, dt.date(2025, 4, 1), "BANK-1")
    with pytest.raises(NotFound):
        arrears(world.users["admin"], given, dt.date(2025, 6, 1))
    assert not Payment.objects.exists() and not Allocation.objects.exists()
    assert Payer.objects.get(pk=payer.pk).credit == 0


def test_one_rupiah_is_the_smallest_payment_recorded_and_zero_is_refused(world: World) -> None:
    """Any whole amount above zero is money received (decision 0026): one rupiah is recorded and kept as the
    payer's credit when nothing is owed; zero is refused naming the amount."""
    payer = payer_of(world.employers["E33"])
    with pytest.raises(ValidationFailed) as refused:
        record_payment(None, payer.pk, 0, dt.date(2025, 4, 1), "BANK-0")
    assert refused.value.field == "amount"
    payment = record_payment(None, payer.pk, 1, dt.date(2025, 4, 1), "BANK-1")
    assert (payment.amount, Payer.objects.get(pk=payer.pk).credit) == (1, 1)


def test_a_bank_reference_of_sixty_characters_is_taken_one_more_is_refused_with_both_lengths(world: World) -> None:
    """The bank's reference is stored whole (the payment's reference field: 60 characters); a longer one is
    refused naming the limit and the length given, never cut (two references cut alike would be one)."""
    payer = payer_of(world.employers["E33"])
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        record_payment(None, payer.pk, 1_000, dt.date(2025, 4, 1), "R" * 61)
    assert (refused.value.field, refused.value.reason) == ("reference", "at most 60 characters, not 61")
    assert record_payment(None, payer.pk, 1_000, dt.date(2025, 4, 1), "R" * 60).reference == "R" * 60


def test_the_last_rupiah_of_a_late_payment_pays_its_penalty_and_the_bill_paid_credits_jht(world: World) -> None:
    """Paid one day late (16 April for March, due 15 April): 2 % of the bill for one month (PP 44/2015 art 17 and
    the parallel articles; decision 0026). The money goes to the oldest open bill first, the penalty bill it
    books included: the one rupiah left after March is paid goes to the penalty, not to the credit; and March,
    paid in full by this payment, credits its JHT line to the worker (PP 46/2015 art 22(2))."""
    run_billing(dt.date(2025, 3, 1))
    e33 = payer_of(world.employers["E33"])
    march = Bill.objects.get(payer=e33, period=dt.date(2025, 3, 1), kind=Bill.Kind.CONTRIBUTION)
    assert march.due_date == dt.date(2025, 4, 15)
    paid_on = dt.date(2025, 4, 16)
    record_payment(None, e33.pk, march.amount + 1, paid_on, "LATE-1")
    penalty = Bill.objects.get(payer=e33, period=dt.date(2025, 3, 1), kind=Bill.Kind.PENALTY)
    assert penalty.amount == (march.amount * 2 + 50) // 100  # 2 %, rounded half up to the rupiah
    assert (penalty.paid, Payer.objects.get(pk=e33.pk).credit) == (1, 0)
    jht = march.lines.get(programme="JHT")
    entry = JhtEntry.objects.get(bill_line=jht)
    assert (entry.worker_id, entry.amount, entry.value_date) == (jht.worker_id, jht.amount, paid_on)


def test_one_rupiah_paid_on_an_open_bill_is_allocated_to_it(world: World) -> None:
    """Money received goes to the oldest open bill (decision 0026), however little: 1 rupiah paid before the due
    date is on March's bill, not kept as credit."""
    run_billing(dt.date(2025, 3, 1))
    e33 = payer_of(world.employers["E33"])
    record_payment(None, e33.pk, 1, dt.date(2025, 4, 10), "BANK-1")
    march = Bill.objects.get(payer=e33, period=dt.date(2025, 3, 1), kind=Bill.Kind.CONTRIBUTION)
    assert (march.paid, Payer.objects.get(pk=e33.pk).credit) == (1, 0)
    assert list(Allocation.objects.values_list("bill_id", "amount")) == [(march.pk, 1)]
