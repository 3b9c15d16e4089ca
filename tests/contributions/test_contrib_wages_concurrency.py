"""A wage reported by the form and the same worker's month in a wage file at the same time, from two database
connections: the second waits for the first and corrects its report (no duplicate, no unique-constraint error).

The first report's transaction is held open (as if its request were still running) while the file is imported.
On PostgreSQL the import waits on the employer's row lock, then finds the first report and updates it; without
the lock both would find no report and the second INSERT would fail on the one-report-per-worker-and-month
constraint. SQLite serialises write transactions; its shared-cache in-memory test database answers "table is
locked" at once, so there the import is retried until the first has committed.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction

from paritrana.contributions.models import WageReport, WageUpload
from paritrana.contributions.services.wage_uploads import import_wage_file
from paritrana.contributions.services.wages import report_wage
from tests.platform.world import World

# SQLite has one writer at a time: what these tests prove (locks, waits, no deadlock) needs PostgreSQL.
pytestmark = pytest.mark.postgresql_only

MARCH = dt.date(2025, 3, 1)
HOLD = 1.0  # seconds the first transaction stays open after the second has started


@pytest.mark.django_db(transaction=True)
def test_a_report_and_a_file_at_once_give_one_report(world: World, tmp_path: Path) -> None:
    w = world.workers["W33PU"]
    hr, branch = world.users["hr"], world.users["branch"]
    path = tmp_path / "upah.csv"
    path.write_text(f"nik,period,wage\n{w.nik},2025-03,3.900.000\n", encoding="utf-8")
    first_done, second_started = threading.Event(), threading.Event()
    outcomes: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                outcomes["first"] = report_wage(hr, w.pk, MARCH, 3_500_000)
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
                    outcomes["second"] = import_wage_file(branch, w.employer_id, path, "upah.csv")  # type: ignore[arg-type]
                except OperationalError as err:
                    if connection.vendor != "sqlite" or "locked" not in str(err):
                        raise
                    time.sleep(0.01)
                    continue
                break
        except Exception as err:  # reported below, with what the first did
            outcomes["second"] = err
        finally:
            outcomes["second_done_at"] = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert isinstance(outcomes.get("first"), WageReport), outcomes
    upload = outcomes.get("second")
    assert isinstance(upload, WageUpload), outcomes
    assert (upload.status, upload.stored_count) == ("stored", 1)
    assert outcomes["second_done_at"] >= outcomes["first_committed_at"]  # it waited for the first
    report = WageReport.objects.get()
    assert (report.wage, report.upload_id) == (3_900_000, upload.pk)
    history = WageReport.history.filter(id=report.pk).order_by("history_date")
    assert list(history.values_list("wage", "history_type", "history_user")) == [
        (3_500_000, "+", hr.pk),
        (3_900_000, "~", branch.pk),
    ]
