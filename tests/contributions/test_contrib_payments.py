"""Payments (services/payments.py): oldest bill first, partial payments, overpayment kept as credit,
late-payment penalties, a bank reference once per payer, refusals, arrears.

Penalty amounts are computed by the rules engine (``late_payment_penalty``) and checked against the
reference: 2 % of the contribution for each month of delay (reference contributions.md 3.2), each
started month counting (the rule's reading). Bills are made by ``billing.run_billing`` from the
billable world of conftest.py, or directly with the models where a test needs odd due dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone, translation

from paritrana.contributions.models import Allocation, Bill, BillLine, JhtEntry, Payer, Payment
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import arrears, record_payment
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.rules import compute_one
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)
MAY = dt.date(2025, 5, 1)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages checked here are the English source strings (the default language is Bahasa Indonesia)."""
    with translation.override("en"):
        yield


def bill_of(payer: Payer, period: dt.date, kind: str = Bill.Kind.CONTRIBUTION) -> Bill:
    return Bill.objects.get(payer=payer, period=period, kind=kind)


def payer(world: World, key: str) -> Payer:
    if key in world.employers:
        return Payer.objects.get(employer=world.employers[key])
    if key == "city":
        return Payer.objects.get(sponsor=world.workers["W33CITY"].sponsor)
    return Payer.objects.get(worker=world.workers[key])


def penalty_by_rule(contribution: int, paid_on: dt.date, due: dt.date, period: dt.date, kind: str) -> dict[str, Any]:
    return compute_one(
        "late_payment_penalty",
        period,
        {"contribution": contribution, "payment_date": paid_on, "payer": kind, "due_date": due},
    ).outputs


def two_percent_a_month(contribution: int, months: int) -> int:
    """Reference contributions.md 3.2: 2 % for each month of delay, rounded half up once (the rule's rounding)."""
    return (contribution * 2 * months + 50) // 100


def assert_books_balance(p: Payer) -> None:
    """Every rupiah paid is on a bill or in the credit, once; each bill's paid is the sum of its allocations."""
    p.refresh_from_db()
    paid_in = sum(Payment.objects.filter(payer=p).values_list("amount", flat=True))
    allocated = sum(Allocation.objects.filter(bill__payer=p).values_list("amount", flat=True))
    assert allocated + p.credit == paid_in
    for bill in Bill.objects.filter(payer=p):
        assert bill.paid == sum(bill.allocations.values_list("amount", flat=True))
        assert 0 <= bill.paid <= bill.amount


# --- allocation ------------------------------------------------------------------------------


def test_a_payment_pays_the_oldest_bill_first_then_part_of_the_next(world: World) -> None:
    run_billing(MARCH)
    run_billing(APRIL)
    e33 = payer(world, "E33")
    march, april = bill_of(e33, MARCH), bill_of(e33, APRIL)
    half = april.amount // 2
    paid_on = dt.date(2025, 4, 10)  # before March's due date (15 April): no penalty
    payment = record_payment(None, e33.pk, march.amount + half, paid_on, "TRF-0410", recorded_by=world.users["admin"])
    march.refresh_from_db()
    april.refresh_from_db()
    assert (march.paid, march.paid_at) == (march.amount, paid_on)
    assert (april.paid, april.paid_at) == (half, None)  # paid in part: still open
    assert list(payment.allocations.order_by("id").values_list("bill_id", "amount", "allocated_on")) == [
        (march.pk, march.amount, paid_on),
        (april.pk, half, paid_on),
    ]
    assert payment.recorded_by == world.users["admin"]  # the officer who imported or confirmed it
    e33.refresh_from_db()
    assert e33.credit == 0
    assert not Bill.objects.filter(kind=Bill.Kind.PENALTY).exists()
    # the rest of April, later but on time, completes it
    record_payment(None, e33.pk, april.amount - half, dt.date(2025, 5, 2), "TRF-0502")
    april.refresh_from_db()
    assert (april.paid, april.paid_at) == (april.amount, dt.date(2025, 5, 2))
    assert_books_balance(e33)


def test_oldest_means_due_date_then_month_then_id(world: World) -> None:
    p = payer_of(world.employers["E33B"])
    due = dt.date(2025, 3, 15)
    feb = Bill.objects.create(payer=p, period=dt.date(2025, 2, 1), due_date=due, amount=70_000)
    jan = Bill.objects.create(payer=p, period=dt.date(2025, 1, 1), due_date=due, amount=50_000)
    earliest = Bill.objects.create(payer=p, period=dt.date(2025, 3, 1), due_date=dt.date(2025, 3, 1), amount=10_000)
    payment = record_payment(None, p.pk, 80_000, dt.date(2025, 3, 1), "B-1")
    assert list(payment.allocations.order_by("id").values_list("bill_id", "amount")) == [
        (earliest.pk, 10_000),  # the earliest due date, although the latest month
        (jan.pk, 50_000),  # same due date as February: the older month first
        (feb.pk, 20_000),
    ]
    assert_books_balance(p)


def test_an_overpayment_is_kept_as_credit(world: World) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    march = bill_of(e33, MARCH)
    payment = record_payment(None, e33.pk, march.amount + 123_456, dt.date(2025, 4, 10), "TRF-1")
    e33.refresh_from_db()
    assert e33.credit == 123_456
    assert sum(payment.allocations.values_list("amount", flat=True)) == march.amount
    # a payment with nothing to pay is all credit
    record_payment(None, e33.pk, 1_000, dt.date(2025, 4, 11), "TRF-2")
    e33.refresh_from_db()
    assert e33.credit == 124_456
    assert_books_balance(e33)


def test_credit_is_used_before_the_payment_and_books_no_penalty(world: World) -> None:
    p = payer_of(world.employers["E33B"])
    record_payment(None, p.pk, 30_000, dt.date(2025, 1, 5), "ADV")  # no bill yet: all credit
    late = Bill.objects.create(payer=p, period=MARCH, due_date=dt.date(2025, 4, 15), amount=100_000)
    payment = record_payment(None, p.pk, 100_000, dt.date(2025, 5, 20), "LATE")
    rows = list(late.allocations.order_by("id").values_list("payment_id", "amount"))
    assert rows == [(None, 30_000), (payment.pk, 70_000)]
    penalty = bill_of(p, MARCH, Bill.Kind.PENALTY)
    # only the 70,000 of the payment was paid late: the credit was held before
    expected = penalty_by_rule(70_000, dt.date(2025, 5, 20), late.due_date, MARCH, "employer")
    assert penalty.amount == expected["penalty"] == two_percent_a_month(70_000, 2)
    # the 30,000 left of the payment pays that penalty (the oldest open bill left), the rest is credit
    assert penalty.paid == penalty.amount
    p.refresh_from_db()
    assert p.credit == 30_000 - penalty.amount
    assert_books_balance(p)


# --- the late-payment penalty ----------------------------------------------------------------


def test_a_late_payment_books_the_rules_penalty_on_a_penalty_bill(world: World) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    march = bill_of(e33, MARCH)
    assert march.due_date == dt.date(2025, 4, 15)
    paid_on = dt.date(2025, 5, 20)  # 15 Apr → 15 May is one month, then a second month begins
    record_payment(None, e33.pk, march.amount, paid_on, "LATE-1")
    rule = penalty_by_rule(march.amount, paid_on, march.due_date, MARCH, "employer")
    assert rule["months_late"] == 2
    # reference contributions.md 3.2: 2 % for each month of delay
    assert rule["penalty"] == two_percent_a_month(march.amount, 2)
    penalty = bill_of(e33, MARCH, Bill.Kind.PENALTY)
    assert (penalty.amount, penalty.paid, penalty.paid_at) == (rule["penalty"], 0, None)
    # due with the next month's contributions after the payment: April's (an employer pays by the 15th)
    assert penalty.due_date == dt.date(2025, 6, 15)
    line = penalty.lines.get()
    assert (line.kind, line.worker, line.programme, line.rule) == ("penalty", None, "", "late_payment_penalty")
    assert (line.amount, line.law_date) == (rule["penalty"], MARCH)
    # language-neutral (contributions/line_notes.py): months late, the amount paid late, the month, due, paid, reference
    assert line.note.startswith("late 2 ") and line.note.endswith(" 2025-03 2025-04-15 2025-05-20 LATE-1")
    march.refresh_from_db()
    assert march.paid_at == paid_on
    assert_books_balance(e33)


def test_paying_on_the_due_date_is_on_time(world: World) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    march = bill_of(e33, MARCH)
    record_payment(None, e33.pk, march.amount, march.due_date, "ON-TIME")
    assert penalty_by_rule(march.amount, march.due_date, march.due_date, MARCH, "employer")["penalty"] == 0
    assert not Bill.objects.filter(kind=Bill.Kind.PENALTY).exists()
    assert not BillLine.objects.filter(kind=BillLine.Kind.PENALTY).exists()


def test_the_remainder_of_a_late_payment_pays_its_penalty_and_a_penalty_bill_has_no_penalty(world: World) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    march = bill_of(e33, MARCH)
    paid_on = dt.date(2025, 4, 16)  # one day late: one month
    expected = penalty_by_rule(march.amount, paid_on, march.due_date, MARCH, "employer")
    assert expected["months_late"] == 1 and expected["penalty"] == two_percent_a_month(march.amount, 1)
    record_payment(None, e33.pk, march.amount + expected["penalty"] + 1_000, paid_on, "LATE-2")
    penalty = bill_of(e33, MARCH, Bill.Kind.PENALTY)
    assert penalty.amount == penalty.paid == expected["penalty"]
    assert penalty.paid_at == paid_on
    e33.refresh_from_db()
    assert e33.credit == 1_000
    assert_books_balance(e33)


def test_an_unpaid_penalty_paid_after_its_due_date_books_no_penalty(world: World) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    march = bill_of(e33, MARCH)
    record_payment(None, e33.pk, march.amount, dt.date(2025, 4, 20), "LATE-3")
    penalty = bill_of(e33, MARCH, Bill.Kind.PENALTY)
    assert penalty.due_date == dt.date(2025, 5, 15)
    record_payment(None, e33.pk, penalty.amount, dt.date(2025, 8, 1), "PEN-LATE")
    penalty.refresh_from_db()
    assert penalty.paid == penalty.amount and penalty.lines.count() == 1
    assert Bill.objects.filter(kind=Bill.Kind.PENALTY).count() == 1


def test_a_part_paid_late_is_charged_on_that_part_only(world: World) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    march = bill_of(e33, MARCH)
    third = march.amount // 3
    record_payment(None, e33.pk, third, dt.date(2025, 4, 1), "EARLY-PART")  # on time: no penalty
    assert not Bill.objects.filter(kind=Bill.Kind.PENALTY).exists()
    record_payment(None, e33.pk, third, dt.date(2025, 4, 20), "LATE-PART")
    first = penalty_by_rule(third, dt.date(2025, 4, 20), march.due_date, MARCH, "employer")
    assert first["months_late"] == 1
    penalty = bill_of(e33, MARCH, Bill.Kind.PENALTY)
    assert penalty.amount == first["penalty"] == two_percent_a_month(third, 1)
    assert penalty.due_date == dt.date(2025, 5, 15)
    # the rest, later still: a second line on the same penalty bill, due with the next contribution after it
    rest = march.amount - 2 * third
    record_payment(None, e33.pk, rest, dt.date(2025, 6, 20), "LATE-REST")
    second = penalty_by_rule(rest, dt.date(2025, 6, 20), march.due_date, MARCH, "employer")
    assert second["months_late"] == 3 and second["penalty"] == two_percent_a_month(rest, 3)
    penalty.refresh_from_db()
    assert sorted(penalty.lines.values_list("amount", flat=True)) == sorted([first["penalty"], second["penalty"]])
    assert penalty.amount == first["penalty"] + second["penalty"]
    assert penalty.due_date == dt.date(2025, 7, 15)
    march.refresh_from_db()
    assert march.paid == march.amount and penalty.paid == 0
    assert_books_balance(e33)


def test_several_late_bills_in_one_payment_each_get_their_penalty(world: World) -> None:
    run_billing(MARCH)
    run_billing(APRIL)
    e33 = payer(world, "E33")
    march, april = bill_of(e33, MARCH), bill_of(e33, APRIL)
    paid_on = dt.date(2025, 7, 1)
    record_payment(None, e33.pk, march.amount + april.amount, paid_on, "BOTH")
    for bill in (march, april):
        expected = penalty_by_rule(bill.amount, paid_on, bill.due_date, bill.period, "employer")
        got = bill_of(e33, bill.period, Bill.Kind.PENALTY)
        assert got.amount == expected["penalty"] > 0
        assert got.due_date == dt.date(2025, 7, 15)
        assert got.lines.get().note.startswith(f"late {expected['months_late']} ")
    assert expected["months_late"] == 2  # April: due 15 May, paid 1 July


def test_a_self_paying_worker_is_due_in_the_same_month(world: World) -> None:
    run_billing(MARCH)
    own = payer(world, "W33BPU")
    march = bill_of(own, MARCH)
    assert march.due_date == dt.date(2025, 3, 15)  # reference contributions.md 3.3: BPU by the 15th of the month
    paid_on = dt.date(2025, 3, 20)
    record_payment(None, own.pk, march.amount, paid_on, "BPU-1")
    expected = penalty_by_rule(march.amount, paid_on, march.due_date, MARCH, "bpu")
    penalty = bill_of(own, MARCH, Bill.Kind.PENALTY)
    assert penalty.amount == expected["penalty"]
    assert penalty.due_date == dt.date(2025, 4, 15)  # with April's contribution, due in April


# --- JHT -------------------------------------------------------------------------------------


def test_a_paid_bill_credits_its_jht_lines_to_the_accounts(world: World) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    march = bill_of(e33, MARCH)
    jht = march.lines.get(programme="JHT")
    record_payment(None, e33.pk, march.amount, dt.date(2025, 4, 10), "JHT-1")
    entry = JhtEntry.objects.get(bill_line=jht)
    assert (entry.worker_id, entry.amount, entry.value_date) == (
        world.workers["W33PU"].pk,
        jht.amount,
        dt.date(2025, 4, 10),
    )


# --- refusals --------------------------------------------------------------------------------


def test_the_same_reference_twice_is_refused(world: World) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    record_payment(None, e33.pk, 1_000, dt.date(2025, 4, 10), "TRF-77")
    with pytest.raises(ValidationFailed) as err:
        record_payment(None, e33.pk, 5_000, dt.date(2025, 4, 12), " TRF-77 ")
    assert err.value.field == "reference"
    assert "already recorded on 10 April 2025" in err.value.reason
    assert Payment.objects.filter(payer=e33).count() == 1
    assert_books_balance(e33)
    # another payer may carry the same bank reference
    record_payment(None, payer(world, "E35").pk, 1_000, dt.date(2025, 4, 10), "TRF-77")


@pytest.mark.parametrize(
    ("amount", "paid_on", "reference", "field"),
    [
        (0, dt.date(2025, 4, 1), "R", "amount"),
        (-5, dt.date(2025, 4, 1), "R", "amount"),
        (True, dt.date(2025, 4, 1), "R", "amount"),
        (10.5, dt.date(2025, 4, 1), "R", "amount"),
        (1000, None, "R", "paid_on"),
        (1000, dt.datetime(2025, 4, 1, 10, 0), "R", "paid_on"),
        (1000, "tomorrow", "R", "paid_on"),
        (1000, dt.date(1, 1, 1), "R", "paid_on"),  # the probe's 0001-01-01
        (1000, dt.date(2013, 12, 31), "R", "paid_on"),  # the day before the scheme collected
        (1000, dt.date(2025, 4, 1), "   ", "reference"),
        (1000, dt.date(2025, 4, 1), "X" * 61, "reference"),
    ],
)
def test_a_bad_payment_names_the_field_and_stores_nothing(
    world: World, amount: Any, paid_on: Any, reference: str, field: str
) -> None:
    run_billing(MARCH)
    e33 = payer(world, "E33")
    with pytest.raises(ValidationFailed) as err:
        record_payment(None, e33.pk, amount, paid_on, reference)
    assert err.value.field == field
    assert not Payment.objects.exists() and not Allocation.objects.exists()


def test_a_payment_in_the_future_is_refused(world: World) -> None:
    run_billing(MARCH)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as err:
        record_payment(None, payer(world, "E33").pk, 1000, tomorrow, "FUT")
    assert err.value.field == "paid_on" and "future" in err.value.reason
    record_payment(None, payer(world, "E33").pk, 1000, timezone.localdate(), "TODAY")


# which roles see which payer (contributions.scopes.visible_payers): a payer outside a role's scope is
# NotFound, as if absent; every role that sees it is refused all the same (decision 0009: money comes
# from the bank's statement or an officer's entry confirmed by another, never a caller's word)
SEES = {
    "E33": {"admin", "branch", "hr"},
    "E35": {"admin"},
    "W33BPU": {"admin", "branch", "worker"},
    "city": {"admin", "branch", "city"},
}
ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")


@pytest.mark.parametrize("key", sorted(SEES))
def test_no_user_records_a_payment_by_its_word(world: World, key: str) -> None:
    run_billing(MARCH)
    p = payer(world, key)
    for role in ROLES:
        refusal = NotAllowed if role in SEES[key] else NotFound
        with pytest.raises(refusal):
            record_payment(world.users[role], p.pk, 1_000, dt.date(2025, 4, 1), "SAYA-BAYAR-TUNAI")
    assert not Payment.objects.filter(payer=p).exists()
    assert not Bill.objects.filter(payer=p, paid__gt=0).exists()


def test_an_unknown_payer_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        record_payment(None, 999_999, 1_000, dt.date(2025, 4, 1), "R")
    with pytest.raises(NotFound):
        arrears(world.users["admin"], 999_999, dt.date(2025, 4, 1))


# --- arrears ---------------------------------------------------------------------------------


def test_arrears_are_the_open_bills_past_due_with_the_penalty_if_paid_that_day(world: World) -> None:
    run_billing(MARCH)
    run_billing(APRIL)
    run_billing(MAY)
    e33 = payer(world, "E33")
    march, april, may = (bill_of(e33, m) for m in (MARCH, APRIL, MAY))
    record_payment(None, e33.pk, march.amount // 2, dt.date(2025, 4, 10), "PART")
    on = dt.date(2025, 5, 20)
    got = arrears(world.users["hr"], e33.pk, on)
    assert [a.bill.pk for a in got] == [march.pk, april.pk]  # May is not due until 15 June
    first, second = got
    assert first.outstanding == march.amount - march.amount // 2
    assert (first.due_date, first.months_late) == (dt.date(2025, 4, 15), 2)
    expected = penalty_by_rule(first.outstanding, on, march.due_date, MARCH, "employer")
    assert first.penalty_if_paid_on == expected["penalty"] == two_percent_a_month(first.outstanding, 2)
    assert (second.outstanding, second.months_late) == (april.amount, 1)
    assert second.penalty_if_paid_on == two_percent_a_month(april.amount, 1)
    assert may.due_date > on
    # on the due date nothing is in arrears yet
    assert arrears(world.users["hr"], e33.pk, dt.date(2025, 4, 15)) == []
    # a penalty bill in arrears brings no penalty of its own
    record_payment(None, e33.pk, first.outstanding, on, "LATE")
    later = arrears(world.users["hr"], e33.pk, dt.date(2025, 7, 1))
    penalty = [a for a in later if a.bill.kind == Bill.Kind.PENALTY]
    assert len(penalty) == 1 and penalty[0].penalty_if_paid_on == 0 and penalty[0].months_late == 1


def test_arrears_only_in_scope(world: World) -> None:
    run_billing(MARCH)
    with pytest.raises(NotFound):
        arrears(world.users["hr"], payer(world, "E35").pk, dt.date(2025, 6, 1))
    with pytest.raises(ValidationFailed):
        arrears(world.users["hr"], payer(world, "E33").pk, "2025-06-01")  # type: ignore[arg-type]
    assert [a.bill.period for a in arrears(world.users["admin"], payer(world, "E35").pk, dt.date(2025, 6, 1))] == [
        MARCH
    ]
