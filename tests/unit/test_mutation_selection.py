"""Which tests ``./dev mutate`` runs against a mutant (tests/mutation/selection.py): those that execute a line
of the change, a sibling's killer first, then the fastest; and for how long."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from tests.mutation.mutants import MODULE, mutants
from tests.mutation.selection import LineTrace, budget, ordered, reaching, remember_killer, unit_spans

SOURCE = textwrap.dedent(
    """
    RATE = 2


    def pay(amount):
        if amount > 10:
            return amount * RATE
        return amount - 1


    class Ledger:
        def credit(self, amount):
            return amount + 1
    """
)


def traced(tmp_path: Path, calls: list[tuple[str, int]]) -> dict[int, set[int]]:
    """Run ``calls`` (function, argument) as tests 0, 1, … under the tracer; the lines each executed."""
    path = tmp_path / "module.py"
    path.write_text(SOURCE)
    namespace: dict[str, object] = {}
    exec(compile(SOURCE, str(path), "exec"), namespace)
    tracer = LineTrace([str(path)])
    for test, (name, argument) in enumerate(calls):
        tracer.test = test
        sys.settrace(tracer)
        try:
            if name == "credit":
                namespace["Ledger"]().credit(argument)  # type: ignore[operator]
            else:
                namespace[name](argument)  # type: ignore[operator]
        finally:
            sys.settrace(None)
    return tracer.lines.get(str(path), {})


def test_a_mutant_runs_only_the_tests_that_execute_its_line(tmp_path: Path) -> None:
    lines = traced(tmp_path, [("pay", 20), ("pay", 5), ("credit", 1)])
    by_line = {(m.line, m.describe): m for m in mutants(SOURCE)}
    times = by_line[(7, "`*` -> `+`")]  # `amount * RATE`: only the payment above 10 gets there
    minus = by_line[(8, "`-` -> `+`")]  # `amount - 1`: only the payment of 5
    compare = by_line[(6, "`>` -> `>=`")]  # the test of both payments
    plus = by_line[(13, "`+` -> `-`")]  # the method: only the credit
    assert reaching(lines, times) == {0}
    assert reaching(lines, minus) == {1}
    assert reaching(lines, compare) == {0, 1}
    assert reaching(lines, plus) == {2}
    constant = by_line[(2, "`2` -> `3`")]
    assert constant.unit == MODULE and reaching(lines, constant) == {0, 1, 2}  # run at import: every test


def test_a_line_no_test_executes_selects_nothing(tmp_path: Path) -> None:
    lines = traced(tmp_path, [("pay", 5)])
    times = next(m for m in mutants(SOURCE) if m.line == 7 and m.describe == "`*` -> `+`")
    assert reaching(lines, times) == set()


def test_a_siblings_killer_runs_first_then_the_fastest() -> None:
    durations = [3.0, 0.5, 1.0, 0.1]
    assert ordered({0, 1, 2, 3}, durations, []) == [3, 1, 2, 0]
    assert ordered({0, 1, 2, 3}, durations, [2]) == [2, 3, 1, 0]
    assert ordered({0, 1}, durations, [2, 0]) == [0, 1], "a killer the mutant's line does not reach is not run"


def test_the_last_killers_of_a_function_are_kept_latest_first() -> None:
    killers: dict[str, list[int]] = {}
    for test in (4, 7, 4, 9, 1):
        remember_killer(killers, "pay", test)
    assert killers == {"pay": [1, 9, 4]}


def test_the_time_allowed_is_a_multiple_of_the_selected_tests_own_time() -> None:
    durations = [1.0, 2.0, 30.0]
    assert budget(durations, [0, 1]) == 15.0  # five times 3 s
    assert budget([0.5], [0]) == 10.0  # a floor: the fork and the first set-up take their time
    assert budget(durations, [2]) == 150.0
    assert budget(durations, []) == 10.0


def test_the_span_of_each_function_a_mutant_may_belong_to() -> None:
    spans = unit_spans(SOURCE)
    assert spans == {"pay": (5, 8), "Ledger.credit": (12, 13)}


def test_the_registry_under_trace_notes_which_test_uses_which_rule() -> None:
    from tests.mutation.plugin import _RulesUsed

    tracer = LineTrace([])
    uses: dict[str, set[int]] = {}
    registry = _RulesUsed({"jkm_benefit": "JKM", "jp_benefits": "JP"}, uses, tracer)
    tracer.test = 3
    assert registry["jkm_benefit"] == "JKM"  # get_rule
    tracer.test = 5
    assert sorted(registry.values()) == ["JKM", "JP"]  # all_rules reads every rule
    assert uses == {"jkm_benefit": {3, 5}, "jp_benefits": {5}}
    assert "jp_benefits" in registry and uses["jp_benefits"] == {5}, "asking whether a rule exists uses none"
