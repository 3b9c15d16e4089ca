"""A rule over a file: CSV or Parquet read by the embedded engine, the result written by DuckDB's own writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ibis.expr.types as ir

from paritrana.rules.base import Rule
from paritrana.rules.batch import TableRun
from paritrana.rules.duck import connection, copy_options, copy_statement, file_totals, registered, run_statement
from paritrana.rules.errors import InvalidInput
from paritrana.rules.inputs import DATE_COLUMN


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
    with registered(run.table):
        run_statement(copy_statement(run.table, path, copy_options(path)), progress, interval)


__all__ = ["file_totals", "read_file", "write_file"]
