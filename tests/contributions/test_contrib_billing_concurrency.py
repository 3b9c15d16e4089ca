"""Two billing runs of one month at the same time, from two database connections: the month is billed once.

Each thread runs ``run_billing`` in its own connection and keeps its transaction open a moment after
the run (as a slow request would). On PostgreSQL the second waits on the month's advisory lock
(``pg_advisory_xact_lock``, the first thing a run takes) until the first commits, then compares with
what the first billed and adds nothing. Without the lock (tried: ``lock_month`` returning at once) both
tests fail on PostgreSQL: each run reads the month as unbilled and the lines are billed twice. SQLite serialises write transactions; its shared-cache
in-memory test database answers "table is locked" at once instead of waiting, so a thread retries
until the other has committed: the same serialised outcome.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction

from paritrana.contributions.models import Bill, BillingRun, BillLine
from paritrana.contributions.services.billing import run_billing
from tests.platform.world import World

# SQLite has one writer at a time: what these tests prove (locks, waits, no deadlock) needs PostgreSQL.
pytestmark = pytest.mark.postgresql_only

MARCH = dt.date(2025, 3, 1)
HOLD = 0.5  # seconds each transaction stays open after its run


def at_once(calls: list[Callable[[], BillingRun]]) -> list[dict[str, Any]]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[dict[str, Any]] = [{} for _ in calls]

    def run(i: int) -> None:
        out = outcomes[i]
        try:
            barrier.wait(10)
            while True:
                try:
                    with transaction.atomic():
                        out["run"] = calls[i]()
                        out["returned_at"] = time.monotonic()
                        time.sleep(HOLD)
                        out["committing_at"] = time.monotonic()  # before the commit (see test_contrib_concurrency)
                except OperationalError as err:
                    if connection.vendor != "sqlite" or "locked" not in str(err):
                        raise
                    time.sleep(0.01)
                    continue
                break
        except Exception as err:
            out["error"] = err
        finally:
            out["ended_at"] = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)
    assert not any("error" in o for o in outcomes), outcomes
    first, second = sorted(outcomes, key=lambda o: o["ended_at"])
    assert second["returned_at"] >= first["committing_at"]  # serialised: the second ran once the first committed
    return [first, second]


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_month_at_once_bill_it_once(world: World) -> None:
    first, second = at_once([lambda: run_billing(MARCH), lambda: run_billing(MARCH)])
    assert first["run"].lines_added == 13
    assert second["run"].lines_added == 0 and second["run"].amount_added == 0
    assert BillLine.objects.count() == 13
    assert Bill.objects.filter(period=MARCH).count() == 4
    for bill in Bill.objects.all():
        assert bill.amount == sum(bill.lines.values_list("amount", flat=True))


@pytest.mark.django_db(transaction=True)
def test_an_employer_run_and_the_monthly_run_at_once_bill_its_workers_once(world: World) -> None:
    e33 = world.employers["E33"].pk
    outcomes = at_once([lambda: run_billing(MARCH, employer_ids=[e33]), lambda: run_billing(MARCH)])
    assert sum(o["run"].lines_added for o in outcomes) == 13
    assert BillLine.objects.count() == 13
    lines = BillLine.objects.filter(worker=world.workers["W33PU"])
    assert sorted(lines.values_list("programme", flat=True)) == ["JHT", "JKK", "JKM", "JP"]
