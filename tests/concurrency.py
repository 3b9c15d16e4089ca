"""Running calls at the same moment, each in its own thread and database connection (the concurrency tests).

``at_once`` releases every call together at a barrier; each runs inside a transaction held open ``hold``
seconds after the call returns (as if its request were still finishing), so a second call meets the first's
locks. On SQLite, where write transactions are serialised, a call that meets "table is locked" is retried.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError, connection, transaction
from django.utils import translation


def at_once(
    calls: list[Callable[[], Any]],
    *,
    hold: float = 0.5,
    attempts: int = 5000,
    pause: float = 0.005,
    wait: float = 30,
    join: float = 120,
) -> list[dict[str, Any]]:
    """Run each call in its own thread and connection, all released together; per call its ``result`` or ``error``."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[dict[str, Any]] = [{} for _ in calls]

    def run(i: int) -> None:
        out = outcomes[i]
        translation.activate("en")
        try:
            barrier.wait(wait)
            for _attempt in range(attempts):
                try:
                    with transaction.atomic():
                        out["result"] = calls[i]()
                        time.sleep(hold)
                except OperationalError as err:
                    if connection.vendor != "sqlite" or "locked" not in str(err):
                        raise
                    out.pop("result", None)
                    time.sleep(pause)
                    continue
                break
        except Exception as err:
            out["error"] = err
        finally:
            translation.deactivate()
            connection.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in workers:
        t.start()
    for t in workers:
        t.join(join)
    assert not any(t.is_alive() for t in workers)
    return outcomes
