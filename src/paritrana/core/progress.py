"""How far a long step has gone, reported as it goes (pure: no Django; decision 0037).

A long step (a file's rows read and checked, a bank statement's lines stored, a scenario's stages) says where it
is through the ``Tracker`` active in its context: ``begin(stage, total)`` at each stage, ``advance(done)`` as it
goes. The tracker passes a ``Snapshot`` to its sink (the progress record a page polls, ``core.progress_store``)
at most every ``interval`` seconds and every ``fraction`` of the total, so a call per row costs an integer
comparison; a stage's start is always passed on. With no tracker active ``current()`` is one that does nothing,
so the readers report unconditionally.

A stage is an English template marked for translation, with ``{done}`` and ``{total}`` (shown in the reader's
language and number format by whoever shows it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Marks ``message`` for translation (``makemessages`` looks for this name) without needing Django."""
    return message


@dataclass(frozen=True)
class Stage:
    """A step of a long task: ``key`` (stable, for a program) and ``text`` (an English template with ``{done}``
    and ``{total}`` when the stage counts, e.g. "Checking row {done} of {total}")."""

    key: str
    text: str


ROWS = Stage("rows", gettext_noop("Checking row {done} of {total}"))
STORING = Stage("storing", gettext_noop("Storing line {done} of {total}"))
REGISTRY = Stage("registry", gettext_noop("Checking the rows against the registry"))


@dataclass(frozen=True)
class Snapshot:
    """Where a step is: its stage, the count done and the total (None when not known)."""

    stage: Stage
    done: int = 0
    total: int | None = None


Sink = Callable[[Snapshot], None]


class Tracker:
    """Passes a step's progress to ``sink``, throttled (see the module). ``clock`` is for the tests."""

    def __init__(
        self,
        sink: Sink | None,
        *,
        interval: float = 0.5,
        fraction: float = 0.01,
        unknown_step: int = 1_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sink = sink
        self.interval = interval
        self.fraction = fraction
        self.unknown_step = unknown_step
        self.clock = clock
        self.stage = ROWS
        self.total: int | None = None
        self._step = unknown_step
        self._due = 0  # the next count at which the clock is looked at
        self._last = float("-inf")
        self.sent = 0  # snapshots passed to the sink

    def begin(self, stage: Stage, total: int | None = None) -> None:
        """A new stage (of ``total`` items, if known): passed on at once."""
        self.stage, self.total = stage, total
        self._step = max(1, int(total * self.fraction)) if total else self.unknown_step
        self._due = self._step
        self._send(0)

    def advance(self, done: int) -> None:
        """``done`` items of the stage are done: passed on if ``interval`` has passed and the count has moved by
        ``fraction`` of the total since the last time (or it is the last item)."""
        if done < self._due and done != self.total:
            return
        self._due = done + self._step
        if self.clock() - self._last < self.interval and done != self.total:
            return
        self._send(done)

    def _send(self, done: int) -> None:
        if self.sink is None:
            return
        self._last = self.clock()
        self.sent += 1
        total = self.total if self.total is None else max(self.total, done)
        self.sink(Snapshot(self.stage, done, total))


NOTHING = Tracker(None)
_active: ContextVar[Tracker] = ContextVar("paritrana_progress", default=NOTHING)


def current() -> Tracker:
    """The tracker of the step running in this context (one that does nothing if there is none)."""
    return _active.get()


@contextmanager
def tracking(tracker: Tracker) -> Iterator[Tracker]:
    """``tracker`` is the current one for the block."""
    token = _active.set(tracker)
    try:
        yield tracker
    finally:
        _active.reset(token)
