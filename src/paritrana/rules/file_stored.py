"""A rule over a Parquet file, the general way or from a plan stored on disk (decision 0030).

``paritrana calc RULE --date … --file x.parquet --out …`` reads the file as the view ``_paritrana_input``,
checks every row (one aggregate query), then writes the rule's outputs with DuckDB's ``COPY``. The first run
of a rule, date and file layout (its columns and their types) compiles both queries with Ibis and stores
their SQL (as :mod:`~paritrana.rules.one_stored` does for one record); a later run reads it and runs them on
a plain DuckDB connection: no Ibis imported, nothing compiled. The key adds the file's layout to the one
of a record's plan. A file whose checks find a bad row is refused the general way, naming the field and row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paritrana.rules.duck import copy_options, inline_shared, raw_connection, run_statement
from paritrana.rules.one_stored import StoredRule, fingerprint, rule_content, stored_rule, write_whole

if TYPE_CHECKING:
    from paritrana.rules.base import Rule
    from paritrana.rules.batch import TableRun

INPUT = "_paritrana_input"  # the view of the input file the stored SQL reads


@dataclass
class FileJob:
    """A checked input file and the query of the rule's outputs over it, ready to be written."""

    rule: StoredRule
    rows: int
    select_sql: str
    con: Any  # the DuckDB connection the view of the file is on

    def write(self, out: Path, progress: Callable[[float], None] | None = None) -> None:
        """Write the outputs to ``out`` (Parquet in row groups, or CSV) with DuckDB's ``COPY``."""
        quoted = "'" + str(out).replace("'", "''") + "'"
        run_statement(f"COPY ({self.select_sql}) TO {quoted} ({copy_options(out)})", progress, con=self.con)


def input_view(path: Path) -> str:
    return f"CREATE OR REPLACE TEMP VIEW {INPUT} AS SELECT * FROM read_parquet({_quoted(path)})"


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def layout(con: Any) -> str:
    """The input view's columns and types, as DuckDB reads them."""
    return ", ".join(f"{r[0]} {r[1]}" for r in con.execute(f"DESCRIBE {INPUT}").fetchall())


def stored_file(folder: Path, rule_name: str, on: dt.date, columns: str) -> Path:
    key = hashlib.sha256(f"{fingerprint()}\0file\0{rule_name}\0{on.isoformat()}\0{columns}".encode()).hexdigest()
    return folder / f"{rule_name}-file-{key[:32]}.json"


def stored_job(folder: Path, rule_name: str, on: dt.date, path: Path) -> FileJob | None:
    """The file checked by a stored plan (the user's, else one shipped in the package for the rule's own layout,
    decision 0035), or None (no plan for this layout, or a row refused: the general way then names it)."""
    con = raw_connection()
    con.execute(input_view(path))
    plan: tuple[StoredRule, str, str] | None
    try:
        stored = json.loads(stored_file(folder, rule_name, on, layout(con)).read_text(encoding="utf-8"))
        plan = (stored_rule(stored["rule"]), stored["checks"], stored["select"])
    except (OSError, ValueError, KeyError, TypeError):
        plan = _shipped(con, rule_name, on, path)
    job = _checked(con, *plan) if plan is not None else None
    if job is None:
        con.close()
    return job


def _shipped(con: Any, rule_name: str, on: dt.date, path: Path) -> tuple[StoredRule, str, str] | None:
    """The shipped plan for the file's layout, its view then over the file as the plan reads it."""
    from paritrana.rules.file_shipped import shipped_plan

    columns = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {INPUT}").fetchall()]
    shipped = shipped_plan(rule_name, on, columns)
    if shipped is None:
        return None
    con.execute(f"CREATE OR REPLACE TEMP VIEW {INPUT} AS {shipped.view} FROM read_parquet({_quoted(path)})")
    return shipped.rule, shipped.checks, shipped.select


def _checked(con: Any, rule: StoredRule, checks: str, select: str) -> FileJob | None:
    """The job of a plan whose checks pass on every row (None if one is refused, or the plan does not run)."""
    import duckdb

    try:
        cursor = con.execute(checks)
        summary = dict(zip([d[0] for d in cursor.description], cursor.fetchall()[0], strict=True))
        rows = int(summary["_rows"])
    except (duckdb.Error, ValueError, KeyError, TypeError, IndexError):  # a damaged stored plan: compiled again
        return None
    if any(value for name, value in summary.items() if name.startswith("_v")):
        return None
    return FileJob(rule, rows, select, con)


def compiled_job(folder: Path, rule: Rule, on: dt.date, path: Path) -> FileJob:
    """The file checked and its query compiled with Ibis (``InvalidInput`` naming a bad row's field), the plan
    then stored under ``folder``."""
    from paritrana.rules.duck import connection
    from paritrana.rules.parameters import load_parameters

    con = connection()
    con.con.execute(input_view(path))
    plan, run = compile_plan(rule, con.table(INPUT), on, load_parameters())
    kept, described = rule_content(rule)
    write_whole(stored_file(folder, rule.name, on, layout(con.con)), {"rule": described, **plan})
    return FileJob(kept, run.rows, plan["select"], con.con)


def compile_plan(rule: Rule, table: Any, on: dt.date, parameters: Any) -> tuple[dict[str, str], TableRun]:
    """The checks and the query of ``rule`` over the Ibis ``table`` (of the view of the file) under the law of
    ``on``, as SQL; and the prepared run (``InvalidInput`` naming a bad row's field)."""
    from paritrana.rules.batch import prepare
    from paritrana.rules.checks import build_checks
    from paritrana.rules.duck import sql

    run = prepare(rule, table, on=on, parameters=parameters)
    checks = sql(build_checks(rule, table, on, parameters).summary)
    return {"checks": checks, "select": inline_shared(sql(run.table))}, run
