"""The checks of a table's inputs, run before any output is computed.

Each input is converted to its field's type (a value given that does not convert, such as a fraction for a
whole number, becomes null, then is refused showing what was written: never rounded), and every
condition that refuses a row (a required value missing, out of range, not one of the choices, a rule's
own checks) is counted in one aggregate query; the first violated condition is raised as
:class:`InvalidInput` naming the field and its first row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Context, Rule
from paritrana.rules.errors import InvalidInput
from paritrana.rules.fetch import rows_of
from paritrana.rules.inputs import DATE_COLUMN, IBIS_TYPES, KIND, typed
from paritrana.rules.parameters import ParameterSet
from paritrana.rules.values import Field, at_least, at_most, beyond, whole_bounds

# What a condition says of a row refused: words (the value refused is added), or the reason told by the value
Message = str | Callable[[Any], str]
Violation = tuple[str, Message, ir.BooleanValue]


@dataclass
class Checks:
    """A table's inputs converted to their types, and the conditions that refuse a row (not yet run)."""

    checked: ir.Table  # the inputs converted, with the markers of unreadable values
    table: ir.Table  # the same without the markers
    unreadable: dict[str, ir.Value]
    violations: list[Violation]
    law: Context
    summary: ir.Table  # one row: rows_of, _v0 … (rows violating each condition), _first, _last

    def raise_first(self, summary: Mapping[str, Any], rows: int) -> None:
        """Raise ``InvalidInput`` for the first condition violated (per ``summary``), naming its first row."""
        unreadable = sum(1 for marker in self.unreadable if marker.startswith("_unreadable_"))  # the first conditions
        for i, (name, message, cond) in enumerate(self.violations):
            if summary[f"_v{i}"]:
                shown = f"_given_{name}" if i < unreadable else name  # what was written, else the value converted
                _raise_first(self.checked, name, message, cond, single=rows == 1, shown=shown)


def build_checks(
    rule: Rule,
    table: ir.Table,
    on: dt.date | None,
    parameters: ParameterSet,
    within: tuple[dt.date, dt.date] | None = None,
) -> Checks:
    columns = set(table.columns)
    whole = [f.name for f in rule.inputs if f.dtype == "int64" and f.name in columns]
    float32 = {name for name in whole if _is_float32(table[name])}
    texts = {name for name in whole if table[name].type().is_string()}  # whole numbers written as text
    fill: dict[str, Any] = {}
    unreadable: dict[str, ir.Value] = {}  # an optional input given but not of its type, and what was given
    for f in rule.inputs:
        if f.name not in columns:
            if f.required:
                raise InvalidInput(f.name, f"is required: the table has no column {f.name!r}")
            fill[f.name] = typed(ibis.literal(f.default), f.dtype)
            continue
        raw = table[f.name]
        value = raw
        if str(raw.type()).rstrip("!") != IBIS_TYPES[f.dtype] and not (f.dtype == "int64" and raw.type().is_integer()):
            value = _convert(raw, f.dtype)
            # a value given but not of the field's type is refused showing it (an empty cell: missing, or the default)
            given = (raw.strip() != "") if raw.type().is_string() else raw.notnull()
            unreadable[f"_unreadable_{f.name}"] = given.fill_null(False) & value.isnull()
            unreadable[f"_given_{f.name}"] = raw.cast("string")
        if not f.required:  # an empty cell takes the default, as for one record
            value = value.fill_null(ibis.literal(f.default, type=IBIS_TYPES[f.dtype]))
        if value is not raw:
            fill[f.name] = value
    if on is None:
        if DATE_COLUMN not in columns:
            raise InvalidInput(DATE_COLUMN, "is required: give --date or a 'date' column")
        if not table[DATE_COLUMN].type().is_date():
            fill[DATE_COLUMN] = _convert(table[DATE_COLUMN], "date")
    checked = table.mutate(**fill, **unreadable) if fill or unreadable else table
    table = checked.drop(*unreadable) if unreadable else checked

    violations: list[Violation] = [
        (f.name, _not_whole(f) if f.name in texts else f"is not {KIND[f.dtype]}", checked[f"_unreadable_{f.name}"])
        for f in rule.inputs
        if f"_unreadable_{f.name}" in unreadable
    ]
    law = Context(parameters, on if on is not None else checked[DATE_COLUMN], within)
    violations += _bounds(rule, checked, float32)
    violations += _violations(rule, checked, on is None, law)
    aggregates: dict[str, ir.Value] = {"_rows": checked.count()}
    for i, (_, _, cond) in enumerate(violations):
        aggregates[f"_v{i}"] = cond.cast("int64").sum()
    if on is None:
        aggregates["_first"] = checked[DATE_COLUMN].min()
        aggregates["_last"] = checked[DATE_COLUMN].max()
    return Checks(checked, table, unreadable, violations, law, checked.aggregate(**aggregates))


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
        return text.try_cast(IBIS_TYPES[dtype])
    if dtype == "int64" and (column.type().is_floating() or column.type().is_decimal()):
        return _whole(column)
    return column.try_cast(IBIS_TYPES[dtype])


# A 64-bit float holds every whole number exactly up to 2^53 (about 9 x 10^15 rupiah, far above any amount);
# beyond, it is not known to be the number written, and beyond 2^63 it is no 64-bit integer.
EXACT_WHOLE = 2**53


def _whole(column: ir.NumericValue) -> ir.Value:
    """A column of floats or decimals feeding a whole-number field (a Parquet file written from a spreadsheet): a
    whole value (``5000000.0``) is taken; one with a fraction (``5000000.5``), NaN, an infinity or beyond
    :data:`EXACT_WHOLE` becomes null (then refused naming its row), never rounded as DuckDB's cast rounds (half
    to even). The test is written out, not left to ``TRY_CAST``: reading Parquet, DuckDB takes the ``TRY_CAST``
    of a column whose statistics say every value fits (writers leave NaN out of them) for never null."""
    whole = (column.abs() <= EXACT_WHOLE) & (column % 1 == 0)  # not floor(): Ibis casts it to an integer, strictly
    if column.type().is_floating():
        whole = ~column.isnan() & whole  # said outright: NaN equals itself in DuckDB and Spark, and is above any bound
    return ibis.ifelse(whole, column.try_cast("int64"), ibis.null("int64"))


# A 32-bit float holds every whole number exactly only up to 2^24: a larger one in a float32 column may not be the
# number its writer had (20,000,001 is stored as 20,000,000), so it is refused (decision 0049).
EXACT_FLOAT32 = 2**24
FLOAT32_INEXACT = (
    f"is beyond {EXACT_FLOAT32:,}, the largest whole number a 32-bit float holds exactly: "
    "write money columns as integers or 64-bit floats"
)


def _is_float32(column: ir.Value) -> bool:
    kind = column.type()
    return kind.is_floating() and kind.nbytes == 4


def _bounds(rule: Rule, t: ir.Table, float32: set[str]) -> list[Violation]:
    """The bounds of every whole-number input, refused in the words one record is (``values.whole_bounds``) and
    checked before the field's own conditions as for one record; a float32 column's values beyond 2^24 first.

    One condition per field, ``NOT BETWEEN`` (null for a missing value, which the counts skip), its side told by
    the value refused: two comparisons each counted cost the checks' query about twice its time (decision 0049)."""
    out: list[Violation] = []
    for f in (f for f in rule.inputs if f.dtype == "int64"):
        col = t[f.name]
        if f.name in float32:
            out.append((f.name, FLOAT32_INEXACT, ~col.between(-EXACT_FLOAT32, EXACT_FLOAT32)))
        lowest, highest = whole_bounds(f)
        out.append((f.name, partial(beyond, f), ~col.between(lowest, highest)))
    return out


def _not_whole(f: Field) -> Callable[[Any], str]:
    """The reason a whole number written as text is refused: digits beyond a 64-bit integer are beyond the bounds,
    in the words of one record; anything else is not a whole number."""

    def reason(given: Any) -> str:
        digits = str(given).strip().replace("_", "")
        if _DIGITS.fullmatch(digits):
            return beyond(f, int(digits))
        return f"is not {KIND[f.dtype]}{_got(given)}"

    return reason


_DIGITS = re.compile(r"[+-]?[0-9]+")  # as _convert reads a whole number written as text


def _violations(rule: Rule, t: ir.Table, date_column: bool, law: Context) -> list[Violation]:
    out: list[Violation] = []
    if date_column:
        out.append((DATE_COLUMN, "is missing or not a date (YYYY-MM-DD)", t[DATE_COLUMN].isnull()))
    for f in rule.inputs:
        col = t[f.name]
        if f.required:
            out.append((f.name, f"is missing or not {KIND[f.dtype]}", col.isnull()))
        if f.minimum is not None:
            out.append((f.name, at_least(f.minimum), col.notnull() & (col < f.minimum)))
        if f.maximum is not None:
            out.append((f.name, at_most(f.maximum), col.notnull() & (col > f.maximum)))
        if f.choices is not None:
            allowed = ", ".join(str(c) for c in f.choices)
            out.append((f.name, f"is not one of {allowed}", col.notnull() & ~col.isin(list(f.choices))))
    for check in rule.checks:
        violated = check.violated(t, law) if check.uses_law else check.violated(t)
        out.append((check.field, check.message, violated.fill_null(False)))
    return out


def _raise_first(
    t: ir.Table, name: str, message: Message, cond: ir.BooleanValue, single: bool, shown: str | None = None
) -> None:
    """Raise for the first row violating ``cond``, showing its value (of column ``shown``, else ``name``)."""
    shown = shown or name
    numbered = t.mutate(_row=ibis.row_number() + 1)
    bad = numbered.filter(cond.resolve(numbered) if hasattr(cond, "resolve") else cond)
    first = rows_of(bad.order_by("_row").select("_row", shown).limit(1))
    row = int(first[0]["_row"]) if first else None
    value = first[0][shown] if first else None
    reason = message(value) if callable(message) else f"{message}{_got(value)}"
    raise InvalidInput(name, reason, row=None if single else row)


def _got(value: Any) -> str:
    """The value refused, as a reason shows it: a whole number with its thousands, anything else as written."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f" (got {value:,})"
    return f" (got {value!r})" if value is not None else ""
