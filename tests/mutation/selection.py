"""Which tests run against a mutant, in which order, for how long (decision 0028).

The tests are traced once with a line tracer (``LineTrace``): for each line of the mutated module, the
tests that executed it. A mutant then runs only the tests that reach one of its lines (a test that never
runs the changed code cannot kill it), the tests that killed another mutant of the same function first
(a sibling mutant is usually caught by the same test), then the fastest first; it is stopped at the
first failure, or when it runs over a multiple of the selected tests' own time.
"""

from __future__ import annotations

import ast
import types
from collections.abc import Callable, Iterable
from typing import Any

from tests.mutation.mutants import MODULE, Mutant

TIME_FACTOR = 5  # a mutant running over five times its tests' own time is stuck: killed (a time-out)
MIN_BUDGET = 10.0  # seconds: the fork and the first fixture set-up, on a loaded machine
KILLERS_KEPT = 3  # the last tests that killed a mutant of a function, tried first on its next mutants

Lines = dict[int, set[int]]  # line of the module -> the tests (their index) that executed it


class LineTrace:
    """``sys.settrace``-style tracer noting, per file of ``files``, which test executed which line.

    Only frames of those files get a line tracer: the rest of the code runs untraced (cheaper than the
    profiler of every call it replaces). The first line of a function counts as executed when it is called.
    """

    def __init__(self, files: Iterable[str]) -> None:
        self.files = set(files)
        self.lines: dict[str, Lines] = {}
        self.test = 0

    def __call__(self, frame: types.FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if event != "call" or frame.f_code.co_filename not in self.files:
            return None
        lines = self.lines.setdefault(frame.f_code.co_filename, {})
        test = self.test
        lines.setdefault(frame.f_code.co_firstlineno, set()).add(test)

        def local(frame: types.FrameType, event: str, arg: Any) -> Callable[..., Any]:
            if event == "line":
                lines.setdefault(frame.f_lineno, set()).add(test)
            return local

        return local

    def without(self, failed: set[int]) -> dict[str, Lines]:
        return {f: {n: tests - failed for n, tests in lines.items()} for f, lines in self.lines.items()}


def reaching(lines: Lines, mutant: Mutant) -> set[int]:
    """The tests that execute a line of the mutant's node; for a change run at import (a constant, a
    default value), every test that runs any line of the module."""
    if mutant.unit == MODULE:
        return set().union(*lines.values()) if lines else set()
    return between(lines, mutant.line, mutant.end[0])


def between(lines: Lines, first: int, last: int) -> set[int]:
    found: set[int] = set()
    for number in range(first, last + 1):
        found |= lines.get(number, set())
    return found


def unit_spans(source: str) -> dict[str, tuple[int, int]]:
    """The first and last line of each outermost function (a mutant's *unit*), by qualified name."""
    spans: dict[str, tuple[int, int]] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                spans[f"{prefix}{node.name}"] = (node.lineno, node.end_lineno or node.lineno)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")

    visit(ast.parse(source).body, "")
    return spans


def ordered(tests: set[int], durations: list[float], killers: list[int]) -> list[int]:
    """The killers of a sibling mutant first (the latest first), then the fastest tests first."""
    first = [k for k in killers if k in tests]
    rest = sorted(tests - set(first), key=lambda i: (durations[i], i))
    return [*first, *rest]


def budget(durations: list[float], tests: Iterable[int]) -> float:
    return max(MIN_BUDGET, TIME_FACTOR * sum(durations[i] for i in tests))


def remember_killer(killers: dict[str, list[int]], unit: str, test: int) -> None:
    kept = [test, *(k for k in killers.get(unit, []) if k != test)]
    killers[unit] = kept[:KILLERS_KEPT]
