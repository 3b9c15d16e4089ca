"""The mutants ``./dev mutate`` makes (tests/mutation/mutants.py): which, where, and that each changes the code."""

from __future__ import annotations

import ast
from collections import Counter

from tests.mutation.mutants import MODULE, mutants, mutated_tree

SOURCE = '''
"""A docstring: not mutated."""
LIMIT = 10


def pay(amount: int, rate: int = 2) -> int:
    """Not mutated either."""
    total = 0
    for part in range(amount):
        if part >= LIMIT and rate != 0:
            break
        total += part * rate
    try:
        return -total if not amount else total
    except ValueError:
        return 0


class Ledger:
    def credit(self, paid: bool = True) -> bool:
        return paid is None or 5 in [paid]
'''


def run(tree: ast.Module, *args: object) -> object:
    namespace: dict[str, object] = {}
    exec(compile(tree, "<mutant>", "exec"), namespace)
    return namespace["pay"](*args)  # type: ignore[operator]


def test_the_operators_and_their_places() -> None:
    found = mutants(SOURCE)
    kinds = Counter(m.kind for m in found)
    # `>=` and `!=`: 5 each; `+=` and `*`: 5 each; the numbers 10, 0 (total), 0 (rate), 2, 0 (return), 5
    assert kinds["compare"] == 5 + 5 + 1 + 1  # and `is` -> `is not`, `in` -> `not in`
    assert kinds["binary"] == 5 + 5
    assert kinds["number"] == 2 * 6  # one up, one down
    assert kinds["boolean"] == 1  # the default True
    assert kinds["boolop"] == 2  # `and`, `or`
    assert kinds["unary"] == 2  # `-total`, `not amount`
    assert kinds["addnot"] == 2  # the `if` and the conditional expression
    assert kinds["loop"] == 1 and kinds["jump"] == 1 and kinds["except"] == 1
    assert all(m.line != 2 for m in found), "the docstring is not mutated"
    assert not any("int" in m.describe for m in found), "annotations are not mutated"
    units = {m.unit for m in found}
    assert units == {MODULE, "pay", "Ledger.credit"}
    assert {m.unit for m in found if m.line == 3} == {MODULE}  # LIMIT = 10
    assert {m.unit for m in found if m.describe == "`2` -> `3`"} == {MODULE}  # a default value runs at import
    assert len({m.key for m in found}) == len(found), "each mutant has its own key"


def test_each_mutant_changes_what_the_code_does_or_says() -> None:
    original = ast.unparse(ast.parse(SOURCE))
    for mutant in mutants(SOURCE):
        changed = ast.unparse(mutated_tree(SOURCE, mutant))
        assert changed != original, mutant.describe


def test_a_mutant_changes_the_result() -> None:
    tree = ast.parse(SOURCE)
    assert run(tree, 4) == 12  # 0+1+2+3, times 2
    by_description = {(m.line, m.describe): m for m in mutants(SOURCE)}
    times_to_plus = by_description[(12, "`*` -> `+`")]
    assert run(mutated_tree(SOURCE, times_to_plus), 4) == (0 + 2) + (1 + 2) + (2 + 2) + (3 + 2)
    empty_loop = next(m for m in mutants(SOURCE) if m.kind == "loop")
    assert run(mutated_tree(SOURCE, empty_loop), 4) == 0
    not_dropped = next(m for m in mutants(SOURCE) if m.kind == "unary" and m.describe.startswith("`not`"))
    assert run(mutated_tree(SOURCE, not_dropped), 4) == -12
    limit = next(m for m in mutants(SOURCE) if m.kind == "compare" and m.describe == "`>=` -> `<`")
    assert run(mutated_tree(SOURCE, limit), 4) == 0  # breaks at the first part
    assert run(tree, 12) == 2 * sum(range(10))  # the original stops at LIMIT


RULE_SOURCE = '''
import datetime as dt

from somewhere import Check, Field, cached, rule


@cached(size=128)
@rule(
    "pay_rule",
    title="A rule",
    inputs=[Field("months", "int64", "months", default=1, minimum=0, maximum=12),
            Field("since", "date", "since", default=dt.date(2024, 12, 31))],
    checks=[Check("months", lambda t: t.months > 6, "is over six")],
)
def pay_rule(ctx, t):
    """A reference."""
    return {"x": t.months * 2}
'''


def test_a_rules_declaration_is_mutated_as_the_rule_and_its_dates_move_by_a_day() -> None:
    found = mutants(RULE_SOURCE)
    declared = [m for m in found if m.unit == "<rule pay_rule>"]
    # default 1, minimum 0, maximum 12 (one up, one down each); the check's `>` (5 others) and its 6 (±1)
    assert Counter(m.kind for m in declared) == {"number": 2 * 3 + 2, "compare": 5, "date": 2}
    assert {m.describe for m in declared if m.kind == "date"} == {
        "`2024-12-31` -> `2025-01-01`",
        "`2024-12-31` -> `2024-12-30`",
    }, "a date moves by a day, across the year's end, not by a number of its own"
    assert not [m for m in found if m.line == 7], "other decorators are still not mutated (size=128)"
    assert {m.unit for m in found} == {"<rule pay_rule>", "pay_rule"}
    later = next(m for m in declared if m.describe == "`2024-12-31` -> `2025-01-01`")
    assert "dt.date(2025, 1, 1)" in ast.unparse(mutated_tree(RULE_SOURCE, later))
    bound = next(m for m in declared if m.describe == "`12` -> `13`")
    assert "maximum=13" in ast.unparse(mutated_tree(RULE_SOURCE, bound))


def test_a_date_outside_a_rules_declaration_is_left_to_the_number_operator() -> None:
    found = mutants("import datetime as dt\nSTART = dt.date(2024, 1, 1)\n")
    assert {m.kind for m in found} == {"number"} and len(found) == 6
