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
