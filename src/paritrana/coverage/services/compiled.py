"""The dashboard's coverage queries, compiled from ``analytics``' Ibis expressions once per process and then run
as plain SQL on Django's connection (decision 0036).

Building and compiling an expression took about as long as running it on the registry (0.15–0.25 s of CPU for
each of a page's three queries); a query is now compiled the first time its arguments are asked for and kept,
so a later page with the same month, view and region runs the SQL alone. The SQL is a function of the
arguments, the database's kind and the code of this process only: nothing is written anywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from dataclasses import dataclass
from typing import Any

import sqlglot
from django.db import connection

from paritrana.coverage import analytics
from paritrana.coverage.sources import registry_tables


@dataclass(frozen=True)
class Rates:
    """``analytics.coverage_rates`` for these arguments."""

    level: str
    months: tuple[dt.date, ...]
    view: str
    within: str | None
    years: tuple[tuple[dt.date, int], ...]  # the denominator year of each month


@dataclass(frozen=True)
class Cube:
    """``analytics.coverage_cube`` of ``months`` in ``view``, limited to a province or a regency (``column`` =
    ``code``) or not."""

    months: tuple[dt.date, ...]
    view: str
    column: str | None = None
    code: str | None = None


def _expression(query: Rates | Cube) -> Any:
    t = registry_tables()
    if isinstance(query, Rates):
        return analytics.coverage_rates(
            t, list(query.months), dict(query.years), query.level, view=query.view, within=query.within
        )
    cube = analytics.coverage_cube(t, list(query.months))
    cube = cube.filter(cube["view"] == query.view)
    if query.column is not None:
        cube = cube.filter(cube[query.column] == query.code)
    return cube


# Ibis's SQL compiler of each database kind: the compiler alone, not the backend, whose import (pandas, for the
# results' conversion, which this module never asks of it) cost a process's first page seconds
_COMPILERS = {"sqlite": "sqlite", "postgresql": "postgres"}


@functools.lru_cache(maxsize=256)
def sql_of(vendor: str, query: Rates | Cube) -> str:
    """The SQL of ``query`` on a database of kind ``vendor`` (compiled once per process and arguments)."""
    if vendor not in _COMPILERS:
        raise RuntimeError(f"coverage runs on SQLite or PostgreSQL, not {vendor}")
    compiler = importlib.import_module(f"ibis.backends.sql.compilers.{_COMPILERS[vendor]}").compiler
    statement = compiler.to_sqlglot(_expression(query))
    return str(statement.sql(dialect=compiler.dialect, copy=False, unsupported_level=sqlglot.ErrorLevel.RAISE))


def rows(query: Rates | Cube) -> list[dict[str, Any]]:
    """The rows of ``query`` on the registry, inside the request's transaction."""
    sql = sql_of(connection.vendor, query)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
