"""The mutants of one module, made on its syntax tree (``ast``), each a plausible mistake.

A mutant is one change at one place: arithmetic among ``+ - * / // %`` (and ``&``/``|`` swapped),
a comparison among ``== != < <= > >=`` (``is``/``in`` negated), a number off by one, ``True``/``False``
swapped, ``and``/``or`` swapped, ``not`` added to a condition or a unary ``-``/``not`` dropped, a ``for``
loop emptied, ``break``/``continue`` swapped, an ``except`` clause made to catch an exception nobody raises.
Docstrings, annotations and decorators are left alone (as with the cosmic-ray operators this replaces), except
a rule's declaration ``@rule("name", ...)``: its fields' bounds and defaults, its checks' conditions are
mutated like code, and a date written in it (``dt.date(y, m, d)``) moves one day either way (decision 0042).

Each mutant names its *unit*: the outermost function (``qualname``) whose body holds the change, whose code
object is swapped in the running process; or ``<module>`` for a change run at import (a constant, a
default value), which is applied by running the changed module again (``plugin.py``); or ``<rule NAME>`` for
a change in the declaration of rule NAME, applied the same way (the rule registered again from the changed
module), run against the tests that use that rule.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

MODULE = "<module>"
NEVER_RAISED = "MutantTestingException"  # put in builtins by the runner: an except clause catching nothing

_ARITH: tuple[type[ast.operator], ...] = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)
_ORDER: tuple[type[ast.cmpop], ...] = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_NEGATED: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SYMBOL = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.BitAnd: "&", ast.BitOr: "|", ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=",
    ast.Gt: ">", ast.GtE: ">=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    line: int
    col: int
    end: tuple[int, int]  # (line, column) where the changed node ends: nested nodes may start together
    kind: str  # the operator, e.g. "binary", "compare", "number"
    index: int  # which operand of a comparison chain (0 otherwise)
    new: str  # what replaces the original, e.g. "//", "+1", "not"
    unit: str  # the outermost function holding the change, or MODULE
    describe: str  # e.g. "`*` -> `//`"

    @property
    def key(self) -> str:
        return f"{self.line}:{self.col}:{self.end[0]}:{self.end[1]}:{self.kind}:{self.index}:{self.new}"


def _positions(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every node that may be mutated, with its unit, in a fixed order (docstrings, annotations and
    decorators skipped)."""

    def visit(node: ast.AST, unit: str, prefix: str) -> Iterator[tuple[ast.AST, str]]:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{node.name}"
            for declared, call in _rule_declarations(node):  # `@rule(...)`: its fields' bounds, defaults, checks
                yield from visit_all([*call.args, *call.keywords], rule_unit(declared), prefix)
            yield from visit_all([*node.args.defaults, *(d for d in node.args.kw_defaults if d)], unit, prefix)
            inner = name if unit == MODULE else unit
            yield from visit_body(node.body, inner, f"{name}.<locals>.")
            return
        if isinstance(node, ast.ClassDef):
            yield from visit_all([*node.bases, *node.keywords], unit, prefix)
            yield from visit_body(node.body, unit, f"{prefix}{node.name}.")
            return
        if isinstance(node, ast.AnnAssign):
            yield from visit_all([node.target, *([node.value] if node.value else [])], unit, prefix)
            return
        if isinstance(node, ast.arg | ast.arguments):
            return
        if isinstance(node, ast.Lambda):
            yield from visit(node.body, unit, prefix)
            return
        if is_rule_unit(unit) and _constant_date(node) is not None:
            yield node, unit  # a date of a rule's declaration moves by a day (its numbers are not mutated)
            return
        yield node, unit
        for child in ast.iter_child_nodes(node):
            yield from visit(child, unit, prefix)

    def visit_all(nodes: list[ast.AST], unit: str, prefix: str) -> Iterator[tuple[ast.AST, str]]:
        for child in nodes:
            yield from visit(child, unit, prefix)

    def visit_body(body: list[ast.stmt], unit: str, prefix: str) -> Iterator[tuple[ast.AST, str]]:
        first = body[0] if body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            body = body[1:]
        for statement in body:
            if _type_checking_block(statement):
                continue
            yield from visit(statement, unit, prefix)

    assert isinstance(tree, ast.Module)
    yield from visit_body(tree.body, MODULE, "")


def rule_unit(name: str) -> str:
    """The unit of a change in the ``@rule(...)`` declaration of rule ``name`` (run at import: the rule is
    registered again from the changed module)."""
    return f"<rule {name}>"


def is_rule_unit(unit: str) -> bool:
    return unit.startswith("<rule ")


def rule_of(unit: str) -> str:
    return unit.removeprefix("<rule ").removesuffix(">")


def at_import(unit: str) -> bool:
    """A change run when the module runs (a constant, a default value, a rule's declaration)."""
    return unit == MODULE or is_rule_unit(unit)


def _rule_declarations(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[str, ast.Call]]:
    """Each ``@rule("name", ...)`` decorating ``node``, with the rule's name."""
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call) or not decorator.args:
            continue
        called, first = decorator.func, decorator.args[0]
        named = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
        if named == "rule" and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value, decorator


def _constant_date(node: ast.AST) -> dt.date | None:
    """The date of ``date(y, m, d)`` / ``dt.date(y, m, d)`` written with constant numbers, else None."""
    if not (isinstance(node, ast.Call) and len(node.args) == 3 and not node.keywords):
        return None
    called = node.func
    named = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
    numbers = [a.value for a in node.args if isinstance(a, ast.Constant) and type(a.value) is int]
    if named != "date" or len(numbers) != 3:
        return None
    try:
        return dt.date(*numbers)
    except ValueError:
        return None


def _type_checking_block(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.If) and "TYPE_CHECKING" in ast.unparse(statement.test)


def _changes(node: ast.AST, unit: str) -> Iterator[tuple[str, int, str, str]]:
    """(kind, index, new, description) of each mutation of ``node`` (in ``unit``)."""
    on = _constant_date(node) if is_rule_unit(unit) else None
    if on is not None:
        for step in (+1, -1):
            yield "date", 0, f"{step:+d}", f"`{on}` -> `{on + dt.timedelta(days=step)}`"
        return
    if isinstance(node, ast.BinOp | ast.AugAssign):
        op = type(node.op)
        choices: tuple[type[ast.operator], ...] = ()
        if op in _ARITH:
            choices = tuple(o for o in _ARITH if o is not op)
        elif op in (ast.BitAnd, ast.BitOr):
            choices = (ast.BitOr if op is ast.BitAnd else ast.BitAnd,)
        for o in choices:
            yield "binary", 0, _SYMBOL[o], f"`{_SYMBOL[op]}` -> `{_SYMBOL[o]}`"
    elif isinstance(node, ast.Compare):
        for i, cmp in enumerate(node.ops):
            c = type(cmp)
            others = [o for o in _ORDER if o is not c] if c in _ORDER else [_NEGATED[c]]
            for o in others:
                yield "compare", i, _SYMBOL[o], f"`{_SYMBOL[c]}` -> `{_SYMBOL[o]}`"
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield "boolean", 0, str(not node.value), f"`{node.value}` -> `{not node.value}`"
    elif isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        for step in (+1, -1):
            yield "number", 0, f"{step:+d}", f"`{node.value!r}` -> `{node.value + step!r}`"
    elif isinstance(node, ast.BoolOp):
        new = "or" if isinstance(node.op, ast.And) else "and"
        yield "boolop", 0, new, f"`{'and' if new == 'or' else 'or'}` -> `{new}`"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        symbol = "not" if isinstance(node.op, ast.Not) else "-"
        yield "unary", 0, "drop", f"`{symbol}` dropped"
    elif isinstance(node, ast.If | ast.While | ast.IfExp | ast.Assert):
        yield "addnot", 0, "not", "`not` added to the condition"
    elif isinstance(node, ast.For | ast.AsyncFor):
        yield "loop", 0, "[]", "loop over `[]`"
    elif isinstance(node, ast.Break | ast.Continue):
        new = "continue" if isinstance(node, ast.Break) else "break"
        yield "jump", 0, new, f"`{'break' if new == 'continue' else 'continue'}` -> `{new}`"
    elif isinstance(node, ast.ExceptHandler) and node.type is not None:
        yield "except", 0, NEVER_RAISED, f"`except {ast.unparse(node.type)}` -> `except {NEVER_RAISED}`"


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    found = []
    for node, unit in _positions(tree):
        for kind, index, new, describe in _changes(node, unit):
            found.append(Mutant(*_where(node), kind, index, new, unit, describe))
    return found


def _where(node: ast.AST) -> tuple[int, int, tuple[int, int]]:
    get = node.__dict__.get
    return get("lineno", 0), get("col_offset", 0), (get("end_lineno", 0), get("end_col_offset", 0))


def _operator(symbol: str) -> ast.AST:
    kind = next(k for k, s in _SYMBOL.items() if s == symbol)
    return kind()


def mutated_tree(source: str, mutant: Mutant) -> ast.Module:
    """The syntax tree of ``source`` with ``mutant`` applied (the others unchanged)."""
    tree = ast.parse(source)
    for node, unit in _positions(tree):
        if _where(node) != (mutant.line, mutant.col, mutant.end):
            continue
        if not any(kind == mutant.kind for kind, *_ in _changes(node, unit)):
            continue
        _apply(node, mutant)
        ast.fix_missing_locations(tree)
        return tree
    raise LookupError(f"mutant {mutant.key} not found in the source (changed since the session began?)")


def _apply(node: ast.AST, mutant: Mutant) -> None:
    if mutant.kind == "binary":
        assert isinstance(node, ast.BinOp | ast.AugAssign)
        node.op = _operator(mutant.new)  # type: ignore[assignment]
    elif mutant.kind == "compare":
        assert isinstance(node, ast.Compare)
        node.ops[mutant.index] = _operator(mutant.new)  # type: ignore[call-overload]
    elif mutant.kind == "boolean":
        assert isinstance(node, ast.Constant)
        node.value = not node.value
    elif mutant.kind == "date":
        on = _constant_date(node)
        assert isinstance(node, ast.Call) and on is not None
        moved = on + dt.timedelta(days=int(mutant.new))
        node.args = [ast.Constant(moved.year), ast.Constant(moved.month), ast.Constant(moved.day)]
    elif mutant.kind == "number":
        assert isinstance(node, ast.Constant)
        node.value = node.value + int(mutant.new)
    elif mutant.kind == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if mutant.new == "or" else ast.And()
    elif mutant.kind == "unary":
        _replace_with(node, copy.deepcopy(node.operand))  # type: ignore[attr-defined]
    elif mutant.kind == "addnot":
        assert isinstance(node, ast.If | ast.While | ast.IfExp | ast.Assert)
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif mutant.kind == "loop":
        assert isinstance(node, ast.For | ast.AsyncFor)
        node.iter = ast.List(elts=[], ctx=ast.Load())
    elif mutant.kind == "jump":
        _replace_with(node, ast.Continue() if mutant.new == "continue" else ast.Break())
    elif mutant.kind == "except":
        assert isinstance(node, ast.ExceptHandler)
        node.type = ast.Name(id=NEVER_RAISED, ctx=ast.Load())
    else:
        raise ValueError(mutant.kind)


def _replace_with(node: ast.AST, new: ast.AST) -> None:
    """Make ``node`` become ``new`` in place (its parent is not known here)."""
    position = {
        a: getattr(node, a) for a in ("lineno", "col_offset", "end_lineno", "end_col_offset") if hasattr(node, a)
    }
    node.__class__ = new.__class__
    node.__dict__.clear()
    node.__dict__.update(new.__dict__)
    for name, value in position.items():
        setattr(node, name, value)
