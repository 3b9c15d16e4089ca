"""A rule over a table: its inputs checked, then its outputs added (lazily, each computed once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ibis.expr.operations as ops
import ibis.expr.types as ir

from paritrana.rules.base import Context, Rule, add_months, get_rule
from paritrana.rules.checks import Checks, build_checks
from paritrana.rules.errors import ParameterNotInForce
from paritrana.rules.fetch import rows_of
from paritrana.rules.inputs import DATE_COLUMN, parse_date, records_table, typed
from paritrana.rules.parameters import ParameterSet, load_parameters


@dataclass
class TableRun:
    """A validated, lazily computed table: the inputs with every output added."""

    rule: Rule
    table: ir.Table
    rows: int
    context: Context
    first_date: dt.date | None
    last_date: dt.date | None
    checks: Checks | None = None  # the inputs' checks, run again on new rows by :func:`recheck`

    def output_columns(self, intermediate: bool = True) -> list[str]:
        return [f.name for f in self.rule.outputs if intermediate or not f.explain_only]

    def parameters_used(self) -> list[dict[str, Any]]:
        if self.first_date is None or self.last_date is None:
            return []
        out = []
        last = add_months(self.last_date, self.context.months_ahead)
        for name, p in sorted(self.context.used.items()):
            for v in p.between(self.first_date, last):
                out.append({"name": name, "unit": p.unit, **v.as_dict()})
        return out


def computed(
    rule: Rule,
    checks: Checks,
    on: dt.date | None,
    parameters: ParameterSet,
    rows: int,
    first: dt.date | None,
    last: dt.date | None,
    within: tuple[dt.date, dt.date] | None = None,
) -> TableRun:
    """The rule's outputs added to the checked table (``ParameterNotInForce`` before the law)."""
    table = checks.table
    context = Context(parameters, on if on is not None else table[DATE_COLUMN], within)
    context.used.update(checks.law.used)  # parameters the checks read belong to the explanation too
    outputs = rule.formula(context, table)
    missing = [f.name for f in rule.outputs if f.name not in outputs]
    if missing:
        raise RuntimeError(f"rule {rule.name} did not compute {missing}")
    if first is not None:
        _in_force(context, first)
    return TableRun(rule, staged(rule, table, outputs), rows, context, first, last, checks)


def staged(rule: Rule, table: ir.Table, outputs: Mapping[str, ir.Value]) -> ir.Table:
    """The table with the rule's outputs added, each output computed once.

    A formula builds its totals from its other outputs (``total = employer_total +
    worker_total``); written as one projection, the SQL repeats each part inside every
    output built on it (Ibis does not share subexpressions), which DuckDB must parse,
    bind and optimise: about 10 kB of SQL for ``pu_contributions``, planned in ~10 ms
    for one record. Here an output is added in a projection after the outputs it is
    built on, and refers to their columns instead.
    """
    dtypes = {f.name: f.dtype for f in rule.outputs}
    order = list(table.mutate(**{n: typed(e, dtypes[n]) for n, e in outputs.items() if n in dtypes}).columns)
    pending = {f.name: outputs[f.name] for f in rule.outputs}
    parts = {name: set(expr.op().find(ops.Value)) for name, expr in pending.items()}
    done: dict[ops.Node, str] = {}  # the node of an output computed, and its column
    current = table
    while pending:
        nodes = {name: expr.op() for name, expr in pending.items()}
        ready = [
            name
            for name in pending
            if not any(
                other != name and node is not nodes[name] and node in parts[name] for other, node in nodes.items()
            )
        ] or list(pending)
        columns = {node: current[column].op() for node, column in done.items()}
        added = {}
        for name in ready:
            expr = pending.pop(name)
            if columns:
                expr = expr.op().replace(columns).to_expr()
            added[name] = typed(expr, dtypes[name])
        current = current.mutate(**added)
        done.update({nodes[name]: name for name in ready})
    return current.select(*order)


def prepare(
    rule: Rule,
    table: ir.Table,
    on: dt.date | None = None,
    parameters: ParameterSet | None = None,
    within: tuple[dt.date, dt.date] | None = None,
) -> TableRun:
    """Check a table's inputs and add the rule's outputs to it (lazily).

    ``on`` is the date whose law applies to every row; without it the table must
    have a ``date`` column, its dates ``within`` a first and a last date when given
    (the formula then reads the law of those dates only; a date outside is refused).
    Raises on the first bad value, naming field and row.
    """
    parameters = parameters or load_parameters()
    checks = build_checks(rule, table, on, parameters, within if on is None else None)
    rows, first, last = _checked(checks, rows_of(checks.summary)[0], on, within)
    return computed(rule, checks, on, parameters, rows, first, last, within if on is None else None)


def recheck(run: TableRun, summary: Mapping[str, Any]) -> None:
    """Check a prepared table's inputs again, as :func:`prepare` did, now that its tables hold other rows (a
    scenario's next month: the expression built and compiled once reads each month's tables by the same names):
    ``summary`` is the row of its checks' query (``run.checks.summary``) run on them."""
    if run.checks is None:
        raise RuntimeError(f"rule {run.rule.name}: a table prepared without its checks")
    on = run.context.on if isinstance(run.context.on, dt.date) else None
    _, first, _ = _checked(run.checks, summary, on, run.context.within)
    if first is not None:
        _in_force(run.context, first)


def _in_force(context: Context, first: dt.date) -> None:
    """``ParameterNotInForce`` for a parameter the formula read that the law had not set by ``first``."""
    for name, p in context.used.items():
        if first < p.first_effective:
            raise ParameterNotInForce(name, first, p.first_effective)


def _checked(
    checks: Checks, summary: Mapping[str, Any], on: dt.date | None, within: tuple[dt.date, dt.date] | None
) -> tuple[int, dt.date | None, dt.date | None]:
    """Raise on the first bad value the checks' ``summary`` counts; the rows, and their first and last dates."""
    rows = int(summary["_rows"])
    checks.raise_first(summary, rows)
    first = on if on is not None else summary["_first"]
    last = on if on is not None else summary["_last"]
    if on is None and within and rows and not within[0] <= first <= last <= within[1]:
        raise ValueError(f"the dates {first} to {last} are not within {within[0]} to {within[1]}")
    return rows, first, last


def compute_records(rule_name: str, records: Sequence[Mapping[str, Any]], on: Any = None) -> list[dict[str, Any]]:
    """Many records at once (one query); each record may carry its own ``date``."""
    rule = get_rule(rule_name)
    run = prepare(rule, records_table(rule, records), on=parse_date(on) if on is not None else None)
    return rows_of(run.table)
