"""The inputs of a rule: values coerced to their fields' types, records as tables, declared types in SQL.

A value of the wrong type or outside the platform's bounds is refused as :class:`InvalidInput` naming
the field (and, for several records, the row) before it reaches an engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.base import Rule
from paritrana.rules.values import DATE_COLUMN, KIND, coerce, coerced, parse_date

if TYPE_CHECKING:  # pyarrow (and numpy with it) is imported where a table is made: not for one record
    import pyarrow as pa

IBIS_TYPES = {"int64": "int64", "bool": "boolean", "date": "date", "string": "string"}
__all__ = [
    "DATE_COLUMN",
    "IBIS_TYPES",
    "KIND",
    "coerce",
    "coerced",
    "parse_date",
    "records_arrow",
    "records_table",
    "typed",
]


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
