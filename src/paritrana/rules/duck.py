"""The embedded DuckDB connection of the rules engine: its settings, and running an Ibis expression on it.

One connection per thread (DuckDB connections are not shared across threads), opened with the
out-of-core settings (decision 0014):

- ``memory_limit``: what DuckDB may hold in memory before it spills to ``temp_directory``
  (``PARITRANA_DUCKDB_MEMORY_LIMIT``, e.g. ``4GB``; DuckDB's default is 80 % of the machine's memory);
- ``temp_directory``: where it spills (``PARITRANA_DUCKDB_TEMP_DIRECTORY``; DuckDB's default is
  ``.tmp`` in the working folder);
- ``threads`` (``PARITRANA_DUCKDB_THREADS``; DuckDB's default: every core).

:func:`configure` changes them for this process (the connections already open and the later ones).

In-memory tables (``ibis.memtable``) are registered on the connection for the one query that
reads them and unregistered after it, through DuckDB's own ``register`` (Ibis keeps every
memtable it registers until the process exits).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paritrana.rules.errors import InvalidInput

if TYPE_CHECKING:  # Ibis is imported where an expression is run: a stored plan runs without it (decision 0030)
    import ibis.expr.types as ir
    import pyarrow as pa

ENVIRONMENT = {
    "memory_limit": "PARITRANA_DUCKDB_MEMORY_LIMIT",
    "temp_directory": "PARITRANA_DUCKDB_TEMP_DIRECTORY",
    "threads": "PARITRANA_DUCKDB_THREADS",
}
PARQUET_ROW_GROUP_SIZE = 122_880  # rows per Parquet row group (DuckDB's default, written explicitly)

_local = threading.local()
_lock = threading.Lock()
_settings: dict[str, str] = {}  # set by configure(); the environment gives the rest
_version = [0]  # bumped by configure(): a thread's connection applies the new settings on its next use


def settings() -> dict[str, str]:
    """The settings a new connection gets: :func:`configure`'s, else the environment's."""
    out = {key: os.environ[env] for key, env in ENVIRONMENT.items() if os.environ.get(env, "").strip()}
    with _lock:
        out.update(_settings)
    return out


def raw_connection() -> Any:
    """A new plain DuckDB connection with this process's settings and the rules' macros, as Ibis's session has
    them (for a stored plan's SQL, run without Ibis)."""
    import duckdb

    from paritrana.rules.macros import DUCKDB_MACROS

    con = duckdb.connect()
    for statement in (*SESSION, *DUCKDB_MACROS):
        con.execute(statement)
    _apply(con, settings())
    return con


# the session settings Ibis gives its DuckDB connections, under which its compiled SQL runs
SESSION = ("SET TimeZone = 'UTC'", "SET python_enable_replacements = false")


def _apply(con: Any, values: Mapping[str, str]) -> None:
    import duckdb

    for key, value in values.items():
        if key == "temp_directory":
            Path(value).mkdir(parents=True, exist_ok=True)
        try:
            con.execute(f"SET {key} = {_quote(str(value))}")
        except duckdb.Error as err:
            raise InvalidInput(key, f"{value!r} is not accepted by DuckDB: {err}") from None


def configure(
    memory_limit: str | None = None, temp_directory: str | Path | None = None, threads: int | None = None
) -> None:
    """Set DuckDB's memory limit, spill folder or threads for this process (``InvalidInput`` if refused)."""
    given = {
        key: str(value)
        for key, value in (("memory_limit", memory_limit), ("temp_directory", temp_directory), ("threads", threads))
        if value is not None
    }
    _apply(connection().con, given)  # a refused value raises here, before it is kept
    with _lock:
        _settings.update(given)
        _version[0] += 1


def connection() -> Any:
    """This thread's Ibis DuckDB backend (created on first use, with :func:`settings`)."""
    con = getattr(_local, "con", None)
    if con is None:
        # the backend class itself: ``ibis.duckdb`` looks the backend up among the entry points first
        from ibis.backends.duckdb import Backend

        from paritrana.rules.macros import DUCKDB_MACROS

        con = Backend().connect()
        for macro in DUCKDB_MACROS:  # the functions the rules' SQL calls that DuckDB does not have
            con.con.execute(macro)
        _local.con = con
        _local.version = -1
    if _local.version != _version[0]:
        _local.version = _version[0]
        for key in ENVIRONMENT:
            con.con.execute(f"RESET {key}")
        _apply(con.con, settings())
    return con


def reset() -> None:
    """Forget what :func:`configure` set: the environment's settings, else DuckDB's defaults."""
    with _lock:
        _settings.clear()
        _version[0] += 1


def current_setting(name: str) -> str:
    """A DuckDB setting of this thread's connection, as DuckDB shows it."""
    rows = connection().con.execute("SELECT current_setting(?)", [name]).fetchall()
    return str(rows[0][0])


@contextmanager
def registered(expr: ir.Expr) -> Iterator[Any]:
    """This thread's connection, with the in-memory tables ``expr`` reads registered while inside."""
    import ibis.expr.operations as ops

    con = connection()
    names = []
    try:
        for op in expr.op().find(ops.InMemoryTable):
            con.con.register(op.name, op.data.to_pyarrow(op.schema))
            names.append(op.name)
        yield con
    finally:
        for name in names:
            con.con.unregister(name)


def sql(expr: ir.Expr) -> str:
    """The DuckDB SQL of an expression."""
    return str(connection().compile(expr))


def to_arrow(expr: ir.Table) -> pa.Table:
    """The result of ``expr`` as Arrow, fetched straight from DuckDB.

    Not through Ibis's ``to_pyarrow``, whose result conversion imports pandas (seconds on a cold
    start) and copies the result once more. Types are DuckDB's (see ``engine._typed``).
    """
    with registered(expr) as con:
        table: pa.Table = con.con.sql(con.compile(expr)).to_arrow_table()
    return table


def typed_arrow(table: pa.Table, schema: Any) -> pa.Table:
    """``table`` in the types of an Ibis ``schema`` (``expr.schema()``): a sum DuckDB gives as HUGEINT
    (an Arrow decimal) becomes the 64-bit integer Ibis declares. Every column stays nullable."""
    import pyarrow as pa

    target = pa.schema([f.with_nullable(True) for f in schema.to_pyarrow()])
    return table.cast(target) if table.schema != target else table


def copy_statement(expr: ir.Table, path: Path | str, options: str) -> str:
    """``COPY (expr) TO path (options)``: DuckDB's streaming writer (call inside :func:`registered`).

    The statement's common table expressions are inlined (:func:`inline_shared`): a national job's
    result is written as it streams, never first stored whole.
    """
    return f"COPY ({inline_shared(sql(expr))}) TO {_quote(str(path))} ({options})"


def inline_shared(statement: str) -> str:
    """``statement`` with each of its common table expressions marked ``NOT MATERIALIZED``.

    Ibis writes a table read by several parts of a query (the rules' outputs read by each programme's
    lines of a billing month) as a ``WITH`` clause, and DuckDB 2.0 stores such a table whole before
    reading it: at 40M workers, 40M rows of 13 columns, spilled to disk past the memory limit. Inlined,
    each part streams from the file (decision 0022). The clauses are found by the form Ibis gives them
    (``WITH "t3" AS (`` and ``), "t5" AS (``; sqlglot cannot parse back the ``div`` function Ibis writes).
    """
    return _CTE.sub(r"\1\2 AS NOT MATERIALIZED (", statement)


_CTE = re.compile(r'(\bWITH\s+|\),\s*)("t\d+") AS \(')


def file_totals(path: Path, columns: Sequence[str], con: Any = None) -> dict[str, int]:
    """The sum of each of ``columns`` in a Parquet or CSV file written by :func:`write_file`."""
    if not columns:
        return {}
    reader = "read_parquet" if path.suffix.lower() in {".parquet", ".pq"} else "read_csv"
    sums = ", ".join(f"coalesce(sum({_ident(c)}), 0)" for c in columns)
    con = con if con is not None else connection().con
    rows = con.execute(f"SELECT {sums} FROM {reader}({_quote(str(path))})").fetchall()
    row = rows[0]
    return {c: int(v) for c, v in zip(columns, row, strict=True)}


def copy_options(path: Path) -> str:
    """The options of DuckDB's ``COPY`` writing ``path``: Parquet in row groups, or CSV with a header."""
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return parquet_options()
    if suffix == ".csv":
        return "FORMAT csv, HEADER true"
    raise InvalidInput("out", f"{path.name}: expected a .parquet or .csv file")


def parquet_options(row_group_size: int = PARQUET_ROW_GROUP_SIZE) -> str:
    """Parquet written in row groups of ``row_group_size`` rows (DuckDB's default compression, Snappy)."""
    return f"FORMAT parquet, ROW_GROUP_SIZE {int(row_group_size)}"


def run_statement(
    statement: str,
    progress: Callable[[float], None] | None = None,
    interval: float = 0.2,
    ordered: bool = True,
    con: Any = None,
) -> None:
    """Run a statement on this thread's connection to its end.

    With ``progress``, the statement runs on a worker thread while this thread calls
    ``progress(fraction done)`` from DuckDB's query progress every ``interval`` seconds
    (an interruption here, Ctrl-C, interrupts the query). ``ordered=False`` lets DuckDB write
    the rows in any order (``preserve_insertion_order``: to keep the order of a union or a
    grouping it buffers what its threads produce; for a national table that is gigabytes). ``con``: a DuckDB
    connection (by default this thread's).
    """
    con = con if con is not None else connection().con
    if not ordered:
        con.execute("SET preserve_insertion_order = false").fetchall()
    try:
        _run(con, statement, progress, interval)
    finally:
        if not ordered:
            con.execute("RESET preserve_insertion_order").fetchall()


def _run(con: Any, statement: str, progress: Callable[[float], None] | None, interval: float) -> None:
    if progress is None:
        con.execute(statement).fetchall()
        return
    con.execute("SET enable_progress_bar = true").fetchall()
    con.execute("SET enable_progress_bar_print = false").fetchall()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            con.execute(statement).fetchall()
        except BaseException as err:  # re-raised on the calling thread
            failure.append(err)

    worker = threading.Thread(target=work, name="paritrana-write", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(interval)
            done = con.query_progress()
            if done >= 0:
                progress(min(done, 100.0) / 100)
    except BaseException:
        con.interrupt()
        worker.join()
        raise
    if failure:
        raise failure[0]
    progress(1.0)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
