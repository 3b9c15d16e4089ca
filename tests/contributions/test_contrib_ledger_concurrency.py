"""Two withdrawals from one JHT account at the same time, from two database connections: only one passes.

The first withdrawal's transaction is held open (as if its request were still running) while
the second is made. On PostgreSQL the second waits on the worker's row lock, then sees the
first withdrawal and is refused; without the lock it would read the balance before the first
committed and pass too. SQLite serialises write transactions (``BEGIN IMMEDIATE``); its
shared-cache in-memory test database answers "table is locked" at once instead of waiting as a
database file does, so there the second attempt is retried until the first has committed.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import balance, withdraw
from paritrana.core.errors import ValidationFailed
from tests.platform.world import World

# SQLite has one writer at a time: what these tests prove (locks, waits, no deadlock) needs PostgreSQL.
pytestmark = pytest.mark.postgresql_only

ON = dt.date(2025, 6, 1)
HOLD = 1.0  # seconds the first transaction stays open after the second has started


@pytest.mark.django_db(transaction=True)
def test_two_withdrawals_at_once_cannot_both_pass_the_balance_check(world: World) -> None:
    w = world.workers["W33PU"]
    JhtEntry.objects.create(worker=w, kind="contribution", value_date=dt.date(2025, 2, 10), amount=100_000)
    admin = world.users["admin"]
    first_done, second_started = threading.Event(), threading.Event()
    outcomes: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                outcomes["first"] = withdraw(admin, w.pk, 60_000, ON, "KLAIM-1")
                first_done.set()
                second_started.wait(10)
                time.sleep(HOLD)
                outcomes["first_committed_at"] = time.monotonic()
        finally:
            first_done.set()
            connection.close()

    def second() -> None:
        first_done.wait(10)
        second_started.set()
        try:
            for _ in range(500):
                try:
                    outcomes["second"] = withdraw(admin, w.pk, 60_000, ON, "KLAIM-2")
                except OperationalError as err:
                    if connection.vendor != "sqlite" or "locked" not in str(err):
                        raise
                    time.sleep(0.01)
                    continue
                break
        except ValidationFailed as err:
            outcomes["second"] = err
        finally:
            outcomes["second_done_at"] = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert isinstance(outcomes.get("first"), JhtEntry), outcomes
    refused = outcomes.get("second")
    assert isinstance(refused, ValidationFailed), outcomes
    assert refused.field == "amount" and "Rp 40.000" in refused.reason
    assert outcomes["second_done_at"] >= outcomes["first_committed_at"]  # it waited for the first
    assert balance(w.pk, ON) == 40_000
    assert JhtEntry.objects.filter(kind="withdrawal").count() == 1
