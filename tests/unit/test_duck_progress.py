"""How DuckDB's query progress becomes the fraction a long write reports (``duck.run_statement``).

DuckDB answers ``query_progress()`` with the percentage done, or -1 when it has none (before the query starts
scanning, after it ends). A real query cannot be made to stop at chosen percentages, so the connection here is a
stand-in that answers a fixed series while its statement waits, and lets the statement end after the last answer.
The real connection's progress is checked in ``test_duck_connection.py``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from paritrana.rules.duck import run_statement


class _Scripted:
    """A DuckDB connection whose query reports ``percentages`` one by one, and ends when they are all answered."""

    def __init__(self, percentages: Sequence[float]) -> None:
        self.percentages = list(percentages)
        self.ended = threading.Event()
        self.statements: list[str] = []

    def execute(self, statement: str) -> _Scripted:
        self.statements.append(statement)
        if statement.startswith("COPY"):
            assert self.ended.wait(30), "the progress was never asked to its end"
        return self

    def fetchall(self) -> list[tuple[object, ...]]:
        return []

    def query_progress(self) -> float:
        answer = self.percentages.pop(0) if self.percentages else -1.0
        if not self.percentages:
            self.ended.set()
        return answer

    def interrupt(self) -> None:
        self.ended.set()


def _reported(percentages: Sequence[float]) -> list[float]:
    seen: list[float] = []
    run_statement("COPY (SELECT 1) TO 'out.csv' (FORMAT csv)", seen.append, interval=0.001, con=_Scripted(percentages))
    return seen


def test_each_percentage_is_reported_as_its_fraction_and_the_end_as_one() -> None:
    assert _reported([0.0, 0.5, 1.0, 37.5, 99.0, 100.0]) == [0.0, 0.005, 0.01, 0.375, 0.99, 1.0, 1.0]


def test_no_progress_known_is_not_reported() -> None:
    # -1 before the scan starts and after it ends: nothing said for it, only the end
    assert _reported([-1.0, 25.0, -1.0]) == [0.25, 1.0]


@pytest.mark.parametrize("percentage", [100.5, 250.0])
def test_a_percentage_above_100_is_reported_as_done(percentage: float) -> None:
    assert _reported([50.0, percentage]) == [0.5, 1.0, 1.0]


def test_progress_is_asked_every_fifth_of_a_second_by_default_not_in_a_busy_loop() -> None:
    """Without an interval, the calling thread waits 0.2 s on the writer between two questions: three answers
    before the end take at least 0.4 s (a lower bound only: a loaded machine makes it slower, never faster)."""
    seen: list[float] = []
    started = time.monotonic()
    run_statement("COPY (SELECT 1) TO 'out.csv' (FORMAT csv)", seen.append, con=_Scripted([10.0, 20.0, 30.0]))
    assert time.monotonic() - started >= 0.4
    assert seen == [0.1, 0.2, 0.3, 1.0]
