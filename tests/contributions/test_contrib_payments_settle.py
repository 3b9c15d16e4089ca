"""Settling a billing run (settlement.settle_run, called by billing.run_billing): a payer's credit pays its next
bill when the bill appears; a wage corrected downward after payment releases the excess to the payer's credit;
the work is set-based (the queries do not grow with the number of bills)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from paritrana.contributions.models import Allocation, Bill, BillLine, JhtEntry, Payer, WageReport
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.contributions.services.settlement import settle_run
from paritrana.registry.models import Membership
from tests.platform.world import World, worker

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)
ON_TIME = dt.date(2025, 4, 10)  # before the 15 April due date of March


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages checked here are the English source strings (the default language is Bahasa Indonesia)."""
    with translation.override("en"):
        yield


def e33(world: World) -> Payer:
    return Payer.objects.get(employer=world.employers["E33"])


def books_balance(p: Payer) -> bool:
    p.refresh_from_db()
    paid_in = sum(p.payments.values_list("amount", flat=True))
    allocated = sum(Allocation.objects.filter(bill__payer=p).values_list("amount", flat=True))
    bills_ok = all(
        b.paid == sum(b.allocations.values_list("amount", flat=True)) and 0 <= b.paid <= b.amount
        for b in Bill.objects.filter(payer=p)
    )
    return allocated + p.credit == paid_in and bills_ok


def test_credit_pays_the_next_bill_in_full_when_it_is_billed(world: World) -> None:
    run_billing(MARCH)
    p = e33(world)
    march = Bill.objects.get(payer=p, period=MARCH)
    extra = 2 * march.amount  # more than April will cost (same wage, same law)
    record_payment(None, p.pk, march.amount + extra, ON_TIME, "ADVANCE")
    p.refresh_from_db()
    assert p.credit == extra
    run_billing(APRIL)
    today = timezone.localdate()
    april = Bill.objects.get(payer=p, period=APRIL)
    assert (april.paid, april.paid_at) == (april.amount, today)
    allocation = april.allocations.get()
    assert (allocation.payment, allocation.amount, allocation.allocated_on) == (None, april.amount, today)
    p.refresh_from_db()
    assert p.credit == extra - april.amount
    # applied after the due date (15 May 2025) but it is money paid in April: no penalty
    assert not Bill.objects.filter(kind=Bill.Kind.PENALTY).exists()
    # the April JHT line is credited to the worker's account
    jht = april.lines.get(programme="JHT")
    assert JhtEntry.objects.get(bill_line=jht).amount == jht.amount
    assert books_balance(p)


def test_credit_smaller_than_the_next_bill_pays_part_of_it(world: World) -> None:
    run_billing(MARCH)
    p = e33(world)
    march = Bill.objects.get(payer=p, period=MARCH)
    record_payment(None, p.pk, march.amount + 50_000, ON_TIME, "A-BIT-MORE")
    run_billing(APRIL)
    april = Bill.objects.get(payer=p, period=APRIL)
    assert (april.paid, april.paid_at) == (50_000, None)
    p.refresh_from_db()
    assert p.credit == 0
    # a part payment credits no JHT (the ledger cannot tell whose contribution it is)
    assert not JhtEntry.objects.filter(bill_line__bill=april).exists()
    assert books_balance(p)


def test_a_downward_correction_after_payment_releases_the_excess_to_credit(world: World) -> None:
    w = world.workers["W33PU"]
    run_billing(MARCH)
    p = e33(world)
    march = Bill.objects.get(payer=p, period=MARCH)
    record_payment(None, p.pk, march.amount, ON_TIME, "FULL")
    paid_before = march.amount
    WageReport.objects.create(worker=w, employer=world.employers["E33"], period=MARCH, wage=2_500_000)
    run = run_billing(MARCH)
    lines_total = sum(BillLine.objects.filter(bill=march).values_list("amount", flat=True))
    assert lines_total < paid_before  # the correction lowered the month below what was paid
    # by hand: 500.000 less wage × (JKK 0,54 % + JKM 0,30 % + JHT 5,7 % + JP 3 %) = 2.700 + 1.500 + 28.500 + 15.000
    assert paid_before - lines_total == 47_700
    march.refresh_from_db()
    assert march.amount == march.paid == lines_total
    assert march.paid_at == ON_TIME  # still paid, since the payment
    release = march.allocations.get(amount__lt=0)
    assert (release.payment, release.amount, release.allocated_on) == (
        None,
        lines_total - paid_before,
        timezone.localdate(),
    )
    p.refresh_from_db()
    assert p.credit == paid_before - lines_total
    # the JHT adjustment (negative) is credited too: the account holds the corrected contribution
    adjustment = BillLine.objects.get(billing_run=run, programme="JHT")
    assert adjustment.amount == -28_500 and JhtEntry.objects.get(bill_line=adjustment).amount == -28_500
    jht_total = sum(BillLine.objects.filter(bill=march, programme="JHT").values_list("amount", flat=True))
    assert sum(JhtEntry.objects.filter(worker=w).values_list("amount", flat=True)) == jht_total
    assert books_balance(p)
    # the released credit pays April when it is billed
    credit = p.credit
    run_billing(APRIL)
    april = Bill.objects.get(payer=p, period=APRIL)
    assert april.paid == min(credit, april.amount)
    assert books_balance(p)


def test_an_upward_correction_reopens_the_bill_and_a_payment_completes_it(world: World) -> None:
    run_billing(MARCH)
    p = e33(world)
    march = Bill.objects.get(payer=p, period=MARCH)
    record_payment(None, p.pk, march.amount, ON_TIME, "FULL")
    WageReport.objects.create(
        worker=world.workers["W33PU"], employer=world.employers["E33"], period=MARCH, wage=3_600_000
    )
    run_billing(MARCH)
    reopened = Bill.objects.get(pk=march.pk)
    assert reopened.amount > reopened.paid == march.amount and reopened.paid_at is None
    record_payment(None, p.pk, reopened.amount - reopened.paid, ON_TIME, "TOP-UP")
    reopened.refresh_from_db()
    assert reopened.paid == reopened.amount and reopened.paid_at == ON_TIME
    assert books_balance(p)


def add_self_paying_workers(world: World, n: int, first_serial: int) -> None:
    region = world.regions["33.01"]
    for i in range(n):
        obj = worker(f"X{i}", "33.01.01", "M", dt.date(1985, 1, 2), first_serial + i, occupation="farmer")
        obj.region, obj.scheme, obj.wage = region, "BPU", 1_000_000
        obj.save()
        Membership.objects.create(worker=obj, programme="JKK", start=dt.date(2024, 1, 1))


def settle_queries(period: dt.date) -> tuple[int, int]:
    """Bill ``period``, then settle its run again; the number of bills of the month and of queries the settling made."""
    run = run_billing(period)
    with CaptureQueriesContext(connection) as queries:
        settle_run(run, timezone.localdate())
    return Bill.objects.filter(period=period).count(), len(queries)


def test_settling_is_set_based(world: World) -> None:
    few_bills, few_queries = settle_queries(MARCH)
    add_self_paying_workers(world, 40, first_serial=100)
    many_bills, many_queries = settle_queries(APRIL)
    assert many_bills >= few_bills + 40
    assert many_queries == few_queries <= 8
