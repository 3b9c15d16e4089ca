"""The inputs of a rule: values coerced to their fields' types, records as tables, declared types in SQL.

A value of the wrong type or outside the platform's bounds is refused as :class:`InvalidInput` naming
the field (and, for several records, the row) before it reaches an engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Field, Rule
from paritrana.rules.errors import InvalidInput

if TYPE_CHECKING:  # pyarrow (and numpy with it) is imported where a table is made: not for one record
    import pyarrow as pa

DATE_COLUMN = "date"
IBIS_TYPES = {"int64": "int64", "bool": "boolean", "date": "date", "string": "string"}
KIND = {"int64": "a whole number", "date": "a date (YYYY-MM-DD)", "bool": "true or false", "string": "a value"}


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

    columns, dates = coerced(rule, records)
    known = {f.name: f for f in rule.inputs}
    arrays = {n: pa.array(v, type=_arrow_type(known[n].dtype)) for n, v in columns.items()}
    if dates is not None:
        arrays[DATE_COLUMN] = pa.array(dates, type=pa.date32())
    return pa.table(arrays)


def coerced(rule: Rule, records: Sequence[Mapping[str, Any]]) -> tuple[dict[str, list[Any]], list[Any] | None]:
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


def typed(value: ir.Value, dtype: str) -> ir.Value:
    """A value in a field's declared type, cast in the SQL itself.

    Ibis drops a cast to the type it already infers, but DuckDB's own type can
    differ: a date plus an interval is a TIMESTAMP in DuckDB and a date in Ibis; a
    small integer constant is a 32-bit INTEGER. Native writers (``to_parquet``,
    ``write_file``, the batch reader) see DuckDB's type, so the cast is always
    written (DuckDB drops it when the type already matches).

    Ibis keeps a cast whose type differs from the value's in anything, nullability
    included: a value Ibis already types as declared is cast to the non-null type
    first, then to the declared one, both with ``Value.cast`` (decision 0022).
    """
    declared = ibis.dtype(IBIS_TYPES[dtype])
    if value.type() == declared:
        value = value.cast(declared.copy(nullable=False))
    return value.cast(declared)
