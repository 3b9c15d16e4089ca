"""Evaluate a rule on one record, a list of records, a file or an Ibis table.

The embedded engine is DuckDB (through Ibis). Inputs are checked before any
output is computed: a missing column, a value of the wrong type, a value outside
its range or a date before the law gives :class:`InvalidInput` (naming the field
and, for tables, the row) or :class:`ParameterNotInForce`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from paritrana.rules.base import Context, Field, Rule, add_months, get_rule
from paritrana.rules.duck import (
    connection,
    copy_statement,
    parquet_options,
    registered,
    run_statement,
    sql,
    to_arrow,
)
from paritrana.rules.errors import InvalidInput, ParameterNotInForce
from paritrana.rules.parameters import ParameterSet, load_parameters

if TYPE_CHECKING:  # pyarrow (and numpy with it) is imported where a table is made: not for one record
    import pyarrow as pa

DATE_COLUMN = "date"
_IBIS_TYPES = {"int64": "int64", "bool": "boolean", "date": "date", "string": "string"}
_KIND = {"int64": "a whole number", "date": "a date (YYYY-MM-DD)", "bool": "true or false", "string": "a value"}


def _rows(expr: ir.Table) -> list[dict[str, Any]]:
    """The rows of a (small) result as dicts, each column in the type Ibis gives it."""
    from ibis.formats.pyarrow import PyArrowData

    table = PyArrowData.convert_table(to_arrow(expr), expr.schema())
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


@dataclass
class Explanation:
    """What a result rests on: each parameter used, and the intermediate values."""

    parameters: list[dict[str, Any]] = field(default_factory=list)
    intermediate: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"parameters": self.parameters, "intermediate": self.intermediate}


@dataclass
class Result:
    rule: str
    date: dt.date
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    explanation: Explanation

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "date": self.date.isoformat(),
            "inputs": {k: _plain(v) for k, v in self.inputs.items()},
            "outputs": {k: _plain(v) for k, v in self.outputs.items()},
        }
        if explain:
            out["explanation"] = {
                "parameters": self.explanation.parameters,
                "intermediate": {k: _plain(v) for k, v in self.explanation.intermediate.items()},
            }
        return out


@dataclass
class TableRun:
    """A validated, lazily computed table: the inputs with every output added."""

    rule: Rule
    table: ir.Table
    rows: int
    context: Context
    first_date: dt.date | None
    last_date: dt.date | None

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


# Bounds of any input: a whole number beyond the platform's money bound (10^13 rupiah; or a field's own larger
# maximum, e.g. a contract value) or a date outside these years is a mistake, and refused naming the field before it
# reaches the engine (an int64 overflows at 2^63, and a wage times a rate well before).
MAX_WHOLE = 10**13
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _whole_in_bounds(f: Field, value: int) -> int:
    highest = max(MAX_WHOLE, f.maximum if f.maximum is not None else 0)
    lowest = min(-MAX_WHOLE, f.minimum if f.minimum is not None else 0)
    if value > highest:
        raise InvalidInput(f.name, f"must be at most {highest} (got {value})")
    if value < lowest:
        raise InvalidInput(f.name, f"must be at least {lowest} (got {value})")
    return value


def _date_in_bounds(f: Field, value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise InvalidInput(f.name, f"must be between {FIRST_DATE} and {LAST_DATE} (got {value})")
    return value


def coerce(f: Field, raw: Any) -> Any:
    """A Python or text value of an input, in the field's type (``InvalidInput`` if it is not)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if f.required:
            raise InvalidInput(f.name, "is required")
        return f.default
    if f.dtype == "int64":
        if isinstance(raw, bool):
            raise InvalidInput(f.name, f"expected a whole number, got {raw!r}")
        if isinstance(raw, int):
            return _whole_in_bounds(f, raw)
        text = str(raw).strip().replace("_", "")[:40]
        try:
            return _whole_in_bounds(f, int(text))
        except ValueError:
            raise InvalidInput(f.name, f"expected a whole number, got {str(raw)[:40]!r}") from None
    if f.dtype == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "y", "ya", "benar"}:
            return True
        if text in {"0", "false", "no", "n", "tidak", "salah"}:
            return False
        raise InvalidInput(f.name, f"expected true or false, got {raw!r}")
    if f.dtype == "date":
        if isinstance(raw, dt.datetime):
            return _date_in_bounds(f, raw.date())
        if isinstance(raw, dt.date):
            return _date_in_bounds(f, raw)
        try:
            value = dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise InvalidInput(f.name, f"expected a date YYYY-MM-DD, got {str(raw)[:40]!r}") from None
        return _date_in_bounds(f, value)
    return str(raw)


def parse_date(raw: Any, name: str = DATE_COLUMN) -> dt.date:
    return coerce(Field(name, "date", "date"), raw)


def records_table(rule: Rule, records: Sequence[Mapping[str, Any]]) -> ir.Table:
    """A memory table of records, each value coerced to its field's type (rows counted from 1)."""
    return ibis.memtable(records_arrow(rule, records))


def records_arrow(rule: Rule, records: Sequence[Mapping[str, Any]]) -> pa.Table:
    """The records as an Arrow table, each value coerced to its field's type (``InvalidInput`` naming
    field and row otherwise); a ``date`` column when a record carries one."""
    import pyarrow as pa

    columns, dates = _coerced(rule, records)
    known = {f.name: f for f in rule.inputs}
    arrays = {n: pa.array(v, type=_arrow_type(known[n].dtype)) for n, v in columns.items()}
    if dates is not None:
        arrays[DATE_COLUMN] = pa.array(dates, type=pa.date32())
    return pa.table(arrays)


def _coerced(rule: Rule, records: Sequence[Mapping[str, Any]]) -> tuple[dict[str, list[Any]], list[Any] | None]:
    """Each input's values in its field's type, and the records' dates (None when none carries one)."""
    known = {f.name: f for f in rule.inputs}
    columns: dict[str, list[Any]] = {f.name: [] for f in rule.inputs}
    has_date = any(DATE_COLUMN in r for r in records)
    dates: list[Any] = []
    for i, record in enumerate(records, start=1):
        unknown = set(record) - set(known) - {DATE_COLUMN}
        if unknown:
            name = sorted(unknown)[0]
            raise InvalidInput(
                name,
                f"is not an input of rule {rule.name} (inputs: {', '.join(known)})",
                row=i if len(records) > 1 else None,
            )
        for f in rule.inputs:
            try:
                columns[f.name].append(coerce(f, record.get(f.name)))
            except InvalidInput as err:
                raise InvalidInput(err.field, err.reason, row=i if len(records) > 1 else None) from None
        if has_date:
            dates.append(parse_date(record.get(DATE_COLUMN)))
    return columns, dates if has_date else None


def _arrow_type(dtype: str) -> pa.DataType:
    import pyarrow as pa

    return {"int64": pa.int64(), "bool": pa.bool_(), "date": pa.date32(), "string": pa.string()}[dtype]


@dataclass
class _Checks:
    """A table's inputs converted to their types, and the conditions that refuse a row (not yet run)."""

    checked: ir.Table  # the inputs converted, with the markers of unreadable values
    table: ir.Table  # the same without the markers
    unreadable: dict[str, ir.Value]
    violations: list[tuple[str, str, ir.BooleanValue]]
    law: Context
    summary: ir.Table  # one row: _rows, _v0 … (rows violating each condition), _first, _last

    def raise_first(self, summary: Mapping[str, Any], rows: int) -> None:
        """Raise ``InvalidInput`` for the first condition violated (per ``summary``), naming its first row."""
        for i, (name, message, cond) in enumerate(self.violations):
            if summary[f"_v{i}"]:
                given = f"_given_{name}" if f"_given_{name}" in self.unreadable else name
                _raise_first(self.checked, name, message, cond, single=rows == 1, shown=given)


def _checks(rule: Rule, table: ir.Table, on: dt.date | None, parameters: ParameterSet) -> _Checks:
    columns = set(table.columns)
    fill: dict[str, Any] = {}
    unreadable: dict[str, ir.Value] = {}  # an optional input given but not of its type, and what was given
    for f in rule.inputs:
        if f.name not in columns:
            if f.required:
                raise InvalidInput(f.name, f"is required: the table has no column {f.name!r}")
            fill[f.name] = _typed(ibis.literal(f.default), f.dtype)
            continue
        raw = table[f.name]
        value = raw
        if str(raw.type()).rstrip("!") != _IBIS_TYPES[f.dtype] and not (f.dtype == "int64" and raw.type().is_integer()):
            value = _convert(raw, f.dtype)
            if not f.required:
                given = (raw.strip() != "") if raw.type().is_string() else raw.notnull()
                unreadable[f"_unreadable_{f.name}"] = given.fill_null(False) & value.isnull()
                unreadable[f"_given_{f.name}"] = raw.cast("string")
        if not f.required:  # an empty cell takes the default, as for one record
            value = value.fill_null(ibis.literal(f.default, type=_IBIS_TYPES[f.dtype]))
        if value is not raw:
            fill[f.name] = value
    if on is None:
        if DATE_COLUMN not in columns:
            raise InvalidInput(DATE_COLUMN, "is required: give --date or a 'date' column")
        if not table[DATE_COLUMN].type().is_date():
            fill[DATE_COLUMN] = _convert(table[DATE_COLUMN], "date")
    checked = table.mutate(**fill, **unreadable) if fill or unreadable else table
    table = checked.drop(*unreadable) if unreadable else checked

    violations = [
        (f.name, f"is not {_KIND[f.dtype]}", checked[f"_unreadable_{f.name}"])
        for f in rule.inputs
        if f"_unreadable_{f.name}" in unreadable
    ]
    law = Context(parameters, on if on is not None else checked[DATE_COLUMN])
    violations += _violations(rule, checked, on is None, law)
    aggregates: dict[str, ir.Value] = {"_rows": checked.count()}
    for i, (_, _, cond) in enumerate(violations):
        aggregates[f"_v{i}"] = cond.cast("int64").sum()
    if on is None:
        aggregates["_first"] = checked[DATE_COLUMN].min()
        aggregates["_last"] = checked[DATE_COLUMN].max()
    return _Checks(checked, table, unreadable, violations, law, checked.aggregate(**aggregates))


def _computed(
    rule: Rule,
    checks: _Checks,
    on: dt.date | None,
    parameters: ParameterSet,
    rows: int,
    first: dt.date | None,
    last: dt.date | None,
) -> TableRun:
    """The rule's outputs added to the checked table (``ParameterNotInForce`` before the law)."""
    table = checks.table
    context = Context(parameters, on if on is not None else table[DATE_COLUMN])
    context.used.update(checks.law.used)  # parameters the checks read belong to the explanation too
    outputs = rule.formula(context, table)
    missing = [f.name for f in rule.outputs if f.name not in outputs]
    if missing:
        raise RuntimeError(f"rule {rule.name} did not compute {missing}")
    if first is not None:
        for name, p in context.used.items():
            if first < p.first_effective:
                raise ParameterNotInForce(name, first, p.first_effective)
    return TableRun(rule, _staged(rule, table, outputs), rows, context, first, last)


def _staged(rule: Rule, table: ir.Table, outputs: Mapping[str, ir.Value]) -> ir.Table:
    """The table with the rule's outputs added, each output computed once.

    A formula builds its totals from its other outputs (``total = employer_total +
    worker_total``); written as one projection, the SQL repeats each part inside every
    output built on it (Ibis does not share subexpressions), which DuckDB must parse,
    bind and optimise: about 10 kB of SQL for ``pu_contributions``, planned in ~10 ms
    for one record. Here an output is added in a projection after the outputs it is
    built on, and refers to their columns instead.
    """
    dtypes = {f.name: f.dtype for f in rule.outputs}
    order = list(table.mutate(**{n: _typed(e, dtypes[n]) for n, e in outputs.items() if n in dtypes}).columns)
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
            added[name] = _typed(expr, dtypes[name])
        current = current.mutate(**added)
        done.update({nodes[name]: name for name in ready})
    return current.select(*order)


def prepare(
    rule: Rule,
    table: ir.Table,
    on: dt.date | None = None,
    parameters: ParameterSet | None = None,
) -> TableRun:
    """Check a table's inputs and add the rule's outputs to it (lazily).

    ``on`` is the date whose law applies to every row; without it the table must
    have a ``date`` column. Raises on the first bad value, naming field and row.
    """
    parameters = parameters or load_parameters()
    checks = _checks(rule, table, on, parameters)
    summary = _rows(checks.summary)[0]
    rows = int(summary["_rows"])
    checks.raise_first(summary, rows)
    first = on if on is not None else summary["_first"]
    last = on if on is not None else summary["_last"]
    return _computed(rule, checks, on, parameters, rows, first, last)


def _convert(column: ir.Value, dtype: str) -> ir.Value:
    """A column in a field's type; a value that does not convert becomes null (then refused).

    Text is trimmed before the cast. Besides allowing spaces, this keeps DuckDB
    (2.0) from pushing the ``TRY_CAST`` into its CSV reader, where it becomes a
    strict cast that fails the whole query on the first bad value. Whole numbers
    written as text must be whole numbers (``5_000_000`` is allowed): ``"1.5"``
    is refused, not rounded.
    """
    if column.type().is_string():
        text = column.strip()
        if dtype == "int64":
            digits = text.replace("_", "")
            return ibis.ifelse(digits.re_search(r"^[+-]?[0-9]+$"), digits.try_cast("int64"), ibis.null("int64"))
        return text.try_cast(_IBIS_TYPES[dtype])
    return column.try_cast(_IBIS_TYPES[dtype])


def _typed(value: ir.Value, dtype: str) -> ir.Value:
    """A value in a field's declared type, cast in the SQL itself.

    Ibis drops a cast to the type it already infers, but DuckDB's own type can
    differ: a date plus an interval is a TIMESTAMP in DuckDB and a date in Ibis; a
    small integer constant is a 32-bit INTEGER. Native writers (``to_parquet``,
    ``write_file``, the batch reader) see DuckDB's type, so the cast is always
    written (DuckDB drops it when the type already matches).
    """
    return ops.Cast(value, to=_IBIS_TYPES[dtype]).to_expr()


def _violations(rule: Rule, t: ir.Table, date_column: bool, law: Context) -> list[tuple[str, str, ir.BooleanValue]]:
    out: list[tuple[str, str, ir.BooleanValue]] = []
    if date_column:
        out.append((DATE_COLUMN, "is missing or not a date (YYYY-MM-DD)", t[DATE_COLUMN].isnull()))
    for f in rule.inputs:
        col = t[f.name]
        if f.required:
            out.append((f.name, f"is missing or not {_KIND[f.dtype]}", col.isnull()))
        if f.minimum is not None:
            out.append((f.name, f"must be at least {f.minimum:,}", col.notnull() & (col < f.minimum)))
        if f.maximum is not None:
            out.append((f.name, f"must be at most {f.maximum:,}", col.notnull() & (col > f.maximum)))
        if f.choices is not None:
            allowed = ", ".join(str(c) for c in f.choices)
            out.append((f.name, f"is not one of {allowed}", col.notnull() & ~col.isin(list(f.choices))))
    for check in rule.checks:
        violated = check.violated(t, law) if check.uses_law else check.violated(t)
        out.append((check.field, check.message, violated.fill_null(False)))
    return out


def _raise_first(
    t: ir.Table, name: str, message: str, cond: ir.BooleanValue, single: bool, shown: str | None = None
) -> None:
    """Raise for the first row violating ``cond``, showing its value (of column ``shown``, else ``name``)."""
    shown = shown or name
    numbered = t.mutate(_row=ibis.row_number() + 1)
    bad = numbered.filter(cond.resolve(numbered) if hasattr(cond, "resolve") else cond)
    first = _rows(bad.order_by("_row").select("_row", shown).limit(1))
    row = int(first[0]["_row"]) if first else None
    value = first[0][shown] if first else None
    shown = (
        f" (got {value:,})"
        if isinstance(value, int) and not isinstance(value, bool)
        else (f" (got {value!r})" if value is not None else "")
    )
    raise InvalidInput(name, f"{message}{shown}", row=None if single else row)


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
        return _result(rule, date, _rows(run.table)[0], run.parameters_used())
    columns, _ = _coerced(rule, [inputs])
    plan = _one_plan(rule, date, load_parameters())
    con = connection().con
    created = _local_sources()
    if plan.source not in created:
        con.execute(plan.create_sql)
        created.add(plan.source)
    # the record goes in as parameters of an INSERT: no Arrow table (pyarrow imports pandas for one)
    con.execute(f"DELETE FROM {plan.source}")
    con.execute(plan.insert_sql, [columns[f.name][0] for f in rule.inputs])
    if any(con.execute(plan.check_sql).fetchall()[0]):
        prepare(rule, records_table(rule, [inputs]), on=date)  # raises InvalidInput naming the field
        raise RuntimeError(f"rule {rule.name}: the record was refused by the plan and accepted by prepare")
    cursor = con.execute(plan.result_sql)  # a DB-API fetch: for one row cheaper than a relation
    values = cursor.fetchall()[0]
    names = [d[0] for d in cursor.description]
    return _result(rule, date, dict(zip(names, values, strict=True)), plan.parameters)


_SQL_TYPES = {"int64": "BIGINT", "bool": "BOOLEAN", "date": "DATE", "string": "VARCHAR"}
_sources = threading.local()


def _local_sources() -> set[str]:
    """The one-record tables created on this thread's connection."""
    created: set[str] | None = getattr(_sources, "created", None)
    if created is None:
        created = _sources.created = set()
    return created


def _result(rule: Rule, date: dt.date, row: Mapping[str, Any], parameters: list[dict[str, Any]]) -> Result:
    outputs = {f.name: row[f.name] for f in rule.outputs if not f.explain_only}
    intermediate = {f.name: row[f.name] for f in rule.outputs if f.explain_only}
    values = {f.name: row[f.name] for f in rule.inputs}
    return Result(rule.name, date, values, outputs, Explanation(parameters, intermediate))


@dataclass(frozen=True)
class _OnePlan:
    """A rule on one record under one date's law, compiled: the record is registered as ``source``."""

    parameter_set: ParameterSet
    source: str  # a temporary table of one row, the record
    create_sql: str
    insert_sql: str
    check_sql: str  # one row: the count of each violated condition
    result_sql: str
    parameters: list[dict[str, Any]]


_PLANS: dict[tuple[str, dt.date, int], _OnePlan] = {}
_PLANS_KEPT = 1024  # rules × dates kept compiled; beyond that the cache starts again
_plans_lock = threading.Lock()


def _one_plan(rule: Rule, on: dt.date, parameters: ParameterSet) -> _OnePlan:
    key = (rule.name, on, id(parameters))
    plan = _PLANS.get(key)
    if plan is not None and plan.parameter_set is parameters:
        return plan
    source = f"_paritrana_one_{rule.name}"
    placeholder = ibis.table(ibis.schema({f.name: _IBIS_TYPES[f.dtype] for f in rule.inputs}), name=source)
    checks = _checks(rule, placeholder, on, parameters)
    violated = [checks.summary[f"_v{i}"] for i in range(len(checks.violations))]
    check = checks.summary.select(*violated) if violated else checks.summary.select(_none=ibis.literal(0))
    run = _computed(rule, checks, on, parameters, 1, on, on)  # ParameterNotInForce before the law
    create = ", ".join(f'"{f.name}" {_SQL_TYPES[f.dtype]}' for f in rule.inputs)
    plan = _OnePlan(
        parameters,
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


def compute_records(rule_name: str, records: Sequence[Mapping[str, Any]], on: Any = None) -> list[dict[str, Any]]:
    """Many records at once (one query); each record may carry its own ``date``."""
    rule = get_rule(rule_name)
    run = prepare(rule, records_table(rule, records), on=parse_date(on) if on is not None else None)
    return _rows(run.table)


def read_file(path: Path, rule: Rule | None = None) -> ir.Table:
    """A CSV or Parquet file as a table of the embedded engine.

    With ``rule``, the CSV columns that are inputs of the rule (and ``date``) are
    read as text and converted by :func:`prepare`, so that a bad value anywhere
    in the file (beyond the rows DuckDB samples to guess the types) is refused
    as :class:`InvalidInput` naming its field and row, not as a parser error.
    """
    con = connection()
    suffix = path.suffix.lower()
    if not path.exists():
        raise InvalidInput("file", f"{path} does not exist")
    if suffix == ".csv":
        table = con.read_csv(str(path))
        if rule is None:
            return table
        wanted = {f.name for f in rule.inputs} | {DATE_COLUMN}
        as_text = {c: "VARCHAR" for c in table.columns if c in wanted and not table[c].type().is_string()}
        return con.read_csv(str(path), types=as_text) if as_text else table
    if suffix in {".parquet", ".pq"}:
        return con.read_parquet(str(path))
    raise InvalidInput("file", f"{path.name}: expected a .csv or .parquet file")


def write_file(
    run: TableRun,
    path: Path,
    progress: Callable[[float], None] | None = None,
    interval: float = 0.2,
) -> None:
    """Write the computed table to a Parquet or CSV file with DuckDB's own writer.

    DuckDB streams and parallelises the write (several times faster than writing
    Arrow batches from Python); Parquet is written in row groups. ``progress``, if
    given, is called on this thread with the fraction done (0 to 1), from DuckDB's
    query progress, while the query runs on a worker thread.
    """
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        options = parquet_options()
    elif suffix == ".csv":
        options = "FORMAT csv, HEADER true"
    else:
        raise InvalidInput("out", f"{path.name}: expected a .parquet or .csv file")
    with registered(run.table):
        run_statement(copy_statement(run.table, path, options), progress, interval)


def file_totals(path: Path, columns: Sequence[str]) -> dict[str, int]:
    """The sum of each of ``columns`` in a Parquet or CSV file written by :func:`write_file`."""
    if not columns:
        return {}
    reader = "read_parquet" if path.suffix.lower() in {".parquet", ".pq"} else "read_csv"
    sums = ", ".join(f"coalesce(sum({_ident(c)}), 0)" for c in columns)
    rows = connection().con.execute(f"SELECT {sums} FROM {reader}({_quote(str(path))})").fetchall()
    row = rows[0]
    return {c: int(v) for c, v in zip(columns, row, strict=True)}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


__all__ = [
    "Explanation",
    "Result",
    "TableRun",
    "compute_one",
    "compute_records",
    "connection",
    "file_totals",
    "prepare",
    "read_file",
    "records_table",
    "write_file",
]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
