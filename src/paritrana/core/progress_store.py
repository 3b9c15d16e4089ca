"""The progress record of a long step, written as it goes and read by the person who started it (decision 0037).

- ``start(user, token)``: the record of a step ``user`` starts, under the random ``token`` its page chose (None
  for a malformed token or one already another person's); records a day old are pruned on the way.
- ``reported(user, token)``: the block runs with a ``core.progress.Tracker`` writing to that record, then marks
  it done (or failed, if the block raises).
- ``RecordSink(token)``: what a tracker writes to. Each snapshot goes to the cache under the token, and to the
  row unless the step is inside a transaction: there the row's update would be seen only at the commit (a bank
  statement's lines are stored in one), and the poller reads the cache's newer snapshot meanwhile. The cache is
  the process's own unless ``CACHES`` names a shared one; the row is the record every process sees.
- ``shown(user, token)``: the record as a page shows it (the stage's text in the active language, its numbers
  in its format), or None when it is not this user's (the page answers 404, as for a token that does not exist).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache
from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from paritrana.core.models import Progress
from paritrana.core.progress import Snapshot, Stage, Tracker, gettext_noop, tracking

logger = logging.getLogger(__name__)
KEPT = dt.timedelta(days=1)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DONE = Stage("done", gettext_noop("Done"))
FAILED = Stage("failed", gettext_noop("Stopped by an error"))
FINISHED = frozenset({DONE.key, FAILED.key})


def new_token() -> str:
    return secrets.token_urlsafe(24)


def valid_token(token: object) -> bool:
    return isinstance(token, str) and TOKEN.match(token) is not None


def _cache_key(token: str) -> str:
    return f"paritrana:progress:{token}"


def prune() -> int:
    """Delete the records not updated for a day; how many."""
    deleted, _ = Progress.objects.filter(updated__lt=timezone.now() - KEPT).delete()
    return deleted


def start(user: Any, token: object) -> Progress | None:
    """The record of a step ``user`` starts under ``token``, reset to nothing done (see the module)."""
    if not valid_token(token) or not getattr(user, "is_authenticated", False):
        return None
    assert isinstance(token, str)
    prune()
    record, created = Progress.objects.get_or_create(token=token, defaults={"user": user, "updated": timezone.now()})
    if not created and record.user_id != user.pk:
        return None
    RecordSink(token)(Snapshot(Stage("", ""), 0, None), durable=True)
    return record


class RecordSink:
    """Writes a tracker's snapshots to the record of ``token`` (see the module)."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, snapshot: Snapshot, durable: bool = False) -> None:
        values = {
            "stage": snapshot.stage.key,
            "message": snapshot.stage.text,
            "done": snapshot.done,
            "total": snapshot.total,
            "updated": timezone.now(),
        }
        cache.set(_cache_key(self.token), values, int(KEPT.total_seconds()))
        in_transaction = connection.in_atomic_block
        if durable or not in_transaction:
            try:
                Progress.objects.filter(token=self.token).update(**values)
            except OperationalError:
                # the database busy (SQLite's one writer): a progress report never stops the step it reports on;
                # outside a transaction nothing is left broken, and the cache has the snapshot
                if in_transaction:
                    raise
                logger.warning("progress %s not written: the database is busy", self.token[:8])


def finish(token: str, stage: Stage = DONE, done: int = 0, total: int | None = None) -> None:
    """The step is over (``DONE`` or ``FAILED``): written to the record whatever transaction is open."""
    RecordSink(token)(Snapshot(stage, done, total), durable=True)


@contextmanager
def reported(user: Any, token: object) -> Iterator[Tracker]:
    """The block's progress written to the record of ``token`` (nothing written if ``start`` refuses it)."""
    record = start(user, token)
    if record is None:
        yield Tracker(None)
        return
    tracker = Tracker(RecordSink(record.token))
    with tracking(tracker):
        try:
            yield tracker
        except BaseException:
            finish(record.token, FAILED)
            raise
    finish(record.token, DONE, tracker.total or 0, tracker.total)


def _count(value: int) -> str:
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def shown(user: Any, token: str) -> dict[str, Any] | None:
    """The record of ``token`` for ``user`` as JSON for its page; None if it is not ``user``'s (see the module)."""
    if not valid_token(token) or not getattr(user, "is_authenticated", False):
        return None
    row = Progress.objects.filter(token=token, user=user).values("stage", "message", "done", "total", "updated")
    record = row.first()
    if record is None:
        return None
    live = cache.get(_cache_key(token))
    if live is not None and live["updated"] > record["updated"]:
        record = live
    done, total = int(record["done"]), record["total"]
    message = record["message"]
    text = gettext(message).format(done=_count(done), total=_count(total or 0)) if message else ""
    return {
        "stage": record["stage"],
        "done": done,
        "total": total,
        "percent": min(100, 100 * done // total) if total else None,
        "text": text,
        "finished": record["stage"] in FINISHED,
        "failed": record["stage"] == FAILED.key,
    }
