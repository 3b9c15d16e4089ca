"""One record under one date's law, with its explanation: a compiled plan per rule and date.

The rule's expression for one record and one law date is built and compiled once (over a placeholder
table the record is inserted into), then its two statements (the checks' counts, the result) run on each
record (decision 0014).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ibis

from paritrana.rules.base import Rule, get_rule
from paritrana.rules.batch import computed, prepare
from paritrana.rules.checks import build_checks
from paritrana.rules.duck import connection, sql
from paritrana.rules.fetch import named_rows, rows_of
from paritrana.rules.inputs import DATE_COLUMN, IBIS_TYPES, coerced, parse_date, records_table
from paritrana.rules.parameters import ParameterSet, load_parameters
from paritrana.rules.result import Explanation, Result, result_of

__all__ = ["Explanation", "Result", "compute_one", "plan_for"]


def compute_one(rule_name: str, on: Any, inputs: Mapping[str, Any]) -> Result:
    """One record under the law of date ``on``; the result explains itself.

    The rule's expression for one record and one date is built and compiled once (:func:`_one_plan`);
    a call then runs its two SQL statements on the record. A record the checks refuse goes the
    general way, which names the field and the value.
    """
    rule = get_rule(rule_name)
    date = parse_date(on)
    if DATE_COLUMN in inputs:  # a record's own date column: the general way
        run = prepare(rule, records_table(rule, [inputs]), on=date)
        (row,) = rows_of(run.table)
        return result_of(rule, date, row, run.parameters_used())
    columns, _ = coerced(rule, [inputs])
    plan = _one_plan(rule, date, load_parameters())
    con = connection().con
    created = _local_sources()
    if plan.source not in created:
        con.execute(plan.create_sql)
        created.add(plan.source)
    # the record goes in as parameters of an INSERT: no Arrow table (pyarrow imports pandas for one)
    con.execute(f"DELETE FROM {plan.source}")
    con.execute(plan.insert_sql, [columns[f.name][0] for f in rule.inputs])
    _prepare(con, plan)
    (violated,) = con.execute(f"EXECUTE {plan.name}_check").fetchall()
    if any(violated):
        prepare(rule, records_table(rule, [inputs]), on=date)  # raises InvalidInput naming the field
        raise RuntimeError(f"rule {rule.name}: the record was refused by the plan and accepted by prepare")
    # a DB-API fetch: for one row cheaper than a relation
    (result,) = named_rows(con.execute(f"EXECUTE {plan.name}_result"))
    return result_of(rule, date, result, plan.parameters)


_SQL_TYPES = {"int64": "BIGINT", "bool": "BOOLEAN", "date": "DATE", "string": "VARCHAR"}
_sources = threading.local()


def _local_sources() -> set[str]:
    """The one-record tables created on this thread's connection."""
    created: set[str] | None = getattr(_sources, "created", None)
    if created is None:
        created = _sources.created = set()
    return created


def _prepare(con: Any, plan: _OnePlan) -> None:
    """The plan's two statements prepared on this thread's connection (DuckDB parses, binds and optimises
    them once, not on every record: about a third of a record's time). A thread keeps the statements of at
    most ``_PLANS_KEPT`` plans: beyond, it releases them all (those of plans the cache let go among them)."""
    prepared: set[str] | None = getattr(_sources, "prepared", None)
    if prepared is None:
        prepared = _sources.prepared = set()
    if plan.name in prepared:
        return
    if len(prepared) >= _PLANS_KEPT:
        for name in prepared:
            con.execute(f"DEALLOCATE {name}_check")
            con.execute(f"DEALLOCATE {name}_result")
        prepared.clear()
    con.execute(f"PREPARE {plan.name}_check AS {plan.check_sql}")
    con.execute(f"PREPARE {plan.name}_result AS {plan.result_sql}")
    prepared.add(plan.name)


@dataclass(frozen=True)
class _OnePlan:
    """A rule on one record under one date's law, compiled: the record is registered as ``source``."""

    parameter_set: ParameterSet
    name: str  # of its prepared statements, ``<name>_check`` and ``<name>_result``
    source: str  # a temporary table of one row, the record
    create_sql: str
    insert_sql: str
    check_sql: str  # one row: the count of each violated condition
    result_sql: str
    parameters: list[dict[str, Any]]


_PLANS: dict[tuple[str, dt.date, int], _OnePlan] = {}
_PLANS_KEPT = 1024  # rules × dates kept compiled (and prepared on a thread); beyond that the cache starts again
_plans_lock = threading.Lock()
_numbers = itertools.count()


def _one_plan(rule: Rule, on: dt.date, parameters: ParameterSet) -> _OnePlan:
    key = (rule.name, on, id(parameters))
    plan = _PLANS.get(key)
    if plan is not None and plan.parameter_set is parameters:
        return plan
    source = f"_paritrana_one_{rule.name}"
    placeholder = ibis.table(ibis.schema({f.name: IBIS_TYPES[f.dtype] for f in rule.inputs}), name=source)
    checks = build_checks(rule, placeholder, on, parameters)
    violated = [checks.summary[f"_v{i}"] for i in range(len(checks.violations))]
    check = checks.summary.select(*violated) if violated else checks.summary.select(_none=ibis.literal(0))
    run = computed(rule, checks, on, parameters, 1, on, on)  # ParameterNotInForce before the law
    create = ", ".join(f'"{f.name}" {_SQL_TYPES[f.dtype]}' for f in rule.inputs)
    plan = _OnePlan(
        parameters,
        f"_paritrana_plan_{next(_numbers)}",
        source,
        f"CREATE TEMP TABLE IF NOT EXISTS {source} ({create})",
        f"INSERT INTO {source} VALUES ({', '.join('?' for _ in rule.inputs)})",
        sql(check),
        sql(run.table),
        run.parameters_used(),
    )
    with _plans_lock:
        if len(_PLANS) >= _PLANS_KEPT:
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def plan_for(rule_name: str, on: Any) -> _OnePlan:
    """The compiled plan of a rule for one record under the law of ``on`` (``ParameterNotInForce`` before it)."""
    return _one_plan(get_rule(rule_name), parse_date(on), load_parameters())
