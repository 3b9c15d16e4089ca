"""Work started in a thread once the request's transaction commits (decision 0037): a scenario run from its page.

The thread sees what the request committed, uses its own database connection and closes it at the end. The
threads started are kept until they end, so a test (or a stopping server) can ``wait`` for them. With the
setting ``PARITRANA_JOBS_INLINE`` (tests inside one transaction, which never commits) the work runs at once,
in the caller's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections, transaction

_running: set[threading.Thread] = set()
_lock = threading.Lock()


def _body(work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        work(*args)
    finally:
        connections.close_all()
        with _lock:
            _running.discard(threading.current_thread())


def after_commit(work: Callable[..., Any], *args: Any, name: str = "paritrana-job") -> None:
    """Run ``work(*args)`` in a new thread when the current transaction commits (at once without one)."""
    if getattr(settings, "PARITRANA_JOBS_INLINE", False):
        work(*args)
        return

    def launch() -> None:
        thread = threading.Thread(target=_body, args=(work, args), name=name, daemon=True)
        with _lock:
            _running.add(thread)
        thread.start()

    transaction.on_commit(launch)


def wait(timeout: float = 60.0) -> bool:
    """Wait for the threads started to end; whether they all did within ``timeout`` seconds each."""
    with _lock:
        threads = list(_running)
    for thread in threads:
        thread.join(timeout)
    return not any(t.is_alive() for t in threads)
