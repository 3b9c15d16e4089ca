"""Small results of an expression as Python rows, asked of the engine whose tables the expression reads."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir
from ibis.common.exceptions import IbisError

from paritrana.rules.duck import registered, sql


def rows_of(expr: ir.Table) -> list[dict[str, Any]]:
    """The rows of a (small) result as dicts, each column in the type Ibis gives it.

    On the tables of another engine (Spark: ``paritrana.rules.engines``) the result is asked of that engine.
    """
    if is_foreign(expr):
        from paritrana.rules.engines import to_arrow as engine_to_arrow

        foreign: list[dict[str, Any]] = engine_to_arrow(expr).to_pylist()
        return foreign
    # DuckDB's own Python values (a sum as a Python int, a date as a date): no Arrow table to convert,
    # whose casts import pyarrow.compute (seconds on a cold start, for a row of counts)
    with registered(expr) as con:
        return named_rows(con.con.execute(sql(expr)))


def named_rows(cursor: Any) -> list[dict[str, Any]]:
    """The rows of a DuckDB cursor's result as dicts by column name (each row holds a value per column)."""
    names = [d[0] for d in cursor.description]
    return [{name: row[i] for i, name in enumerate(names)} for row in cursor.fetchall()]


def is_foreign(expr: ir.Expr) -> bool:
    """Whether ``expr`` reads tables of a backend other than DuckDB (in-memory tables alone are DuckDB's)."""
    from ibis.backends.duckdb import Backend as DuckDB  # the class, not ``ibis.duckdb`` (an entry-point look-up)

    try:
        found = expr.get_backend()  # in-memory tables alone: Ibis's default backend, a DuckDB
    except IbisError:
        return False
    return not isinstance(found, DuckDB)
