"""Two payments of one payer posted at the same time from two database connections (must-show 2).

Two threads, each with its own Django connection, start together at a barrier; each records a payment
inside a transaction that it keeps open a moment after the payment is allocated (as if its request
were still running), so the two overlap. On PostgreSQL the second waits on the payer's row lock
(``SELECT … FOR UPDATE``, taken first by ``record_payment``) until the first commits, then sees what
the first allocated: the bill is paid once, the rest is credit, nothing is counted twice. Without
the payer lock (tried: ``Payer.objects.get`` instead of ``select_for_update``) the case of two
overpayments fails on PostgreSQL: both read the credit as zero and the second overwrites the
first's credit (the bill rows' own lock still keeps the bill right). SQLite serialises write transactions (``BEGIN
IMMEDIATE``); its shared-cache in-memory test database answers "table is locked" at once instead of
waiting, so there a thread retries until the other has committed: the same serialised outcome.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import translation

from paritrana.contributions.models import Allocation, Bill, Payer, Payment
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.core.errors import ValidationFailed
from tests.platform.world import World

# SQLite has one writer at a time: what these tests prove (locks, waits, no deadlock) needs PostgreSQL.
pytestmark = pytest.mark.postgresql_only

MARCH = dt.date(2025, 3, 1)
PAID_ON = dt.date(2025, 4, 10)  # on time: no penalty
HOLD = 0.5  # seconds each transaction stays open after its payment is allocated


def post_at_once(calls: list[Callable[[], Any]]) -> list[dict[str, Any]]:
    """Run each call in its own thread and connection, all released together; inside a transaction held
    open ``HOLD`` seconds after the call returns. Per call: its result or error, when it returned, when
    its transaction ended."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[dict[str, Any]] = [{} for _ in calls]

    def run(i: int) -> None:
        out = outcomes[i]
        translation.activate("en")  # the messages checked are the English source strings
        try:
            barrier.wait(10)
            for _attempt in range(1000):
                try:
                    with transaction.atomic():
                        try:
                            out["result"] = calls[i]()
                        finally:
                            out["returned_at"] = time.monotonic()
                        time.sleep(HOLD)
                        # before the commit releases the locks: "ended" is noted after it, and the other thread,
                        # woken by the commit, may return before this one is scheduled again to note it
                        out["committing_at"] = time.monotonic()
                except OperationalError as err:
                    if connection.vendor != "sqlite" or "locked" not in str(err):
                        raise
                    out.pop("result", None)
                    time.sleep(0.01)
                    continue
                break
        except Exception as err:
            out["error"] = err
        finally:
            out["ended_at"] = time.monotonic()
            translation.deactivate()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def first_then_second(outcomes: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    a, b = sorted(outcomes, key=lambda o: o["ended_at"])
    # the later one's payment was made only once the earlier transaction was committing: they were serialised
    assert b["returned_at"] >= a["committing_at"], outcomes
    return a, b


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fifths", [3, 6], ids=["each-60%", "each-120%"])
def test_two_payments_of_one_bill_at_once_are_allocated_once(world: World, fifths: int) -> None:
    """Each pays 60 % (together 120 %: the bill is paid, 20 % is credit) or 120 % (the first pays the bill and
    leaves 20 % credit, the second is all credit: a lost update of the credit shows here)."""
    run_billing(MARCH)
    payer = Payer.objects.get(employer=world.employers["E33"])
    bill = Bill.objects.get(payer=payer, period=MARCH)
    each = bill.amount * fifths // 5
    hr, admin = world.users["hr"], world.users["admin"]
    outcomes = post_at_once(
        [
            lambda: record_payment(None, payer.pk, each, PAID_ON, "TRF-HR", recorded_by=hr),
            lambda: record_payment(None, payer.pk, each, PAID_ON, "TRF-ADMIN", recorded_by=admin),
        ]
    )
    assert all(isinstance(o.get("result"), Payment) for o in outcomes), outcomes
    first, second = first_then_second(outcomes)

    bill.refresh_from_db()
    payer.refresh_from_db()
    total = 2 * each
    assert bill.paid == min(total, bill.amount) == bill.amount
    assert bill.paid_at == PAID_ON
    assert payer.credit == total - bill.amount
    allocations = list(Allocation.objects.filter(bill__payer=payer))
    assert sum(a.amount for a in allocations) == bill.paid  # nothing counted twice
    assert sum(a.amount for a in allocations) + payer.credit == total
    # the first allocated what it could, the second only what was left of the bill
    by_first = sum(a.amount for a in allocations if a.payment_id == first["result"].pk)
    by_second = sum(a.amount for a in allocations if a.payment_id == second["result"].pk)
    assert by_first == min(each, bill.amount)
    assert by_second == bill.amount - by_first
    assert Payment.objects.filter(payer=payer).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_reference_posted_twice_at_once_is_stored_once(world: World) -> None:
    run_billing(MARCH)
    payer = Payer.objects.get(employer=world.employers["E33"])
    bill = Bill.objects.get(payer=payer, period=MARCH)
    outcomes = post_at_once([lambda: record_payment(None, payer.pk, bill.amount, PAID_ON, "TRF-SAME")] * 2)
    stored = [o for o in outcomes if isinstance(o.get("result"), Payment)]
    refused = [o for o in outcomes if isinstance(o.get("error"), ValidationFailed)]
    assert len(stored) == 1 and len(refused) == 1, outcomes
    assert refused[0]["error"].field == "reference"
    assert "already recorded on 10 April 2025" in refused[0]["error"].reason
    first_then_second(outcomes)
    bill.refresh_from_db()
    payer.refresh_from_db()
    assert Payment.objects.filter(payer=payer).count() == 1
    assert bill.paid == bill.amount and payer.credit == 0
    assert sum(Allocation.objects.filter(bill=bill).values_list("amount", flat=True)) == bill.amount
