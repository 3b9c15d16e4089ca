"""``paritrana calc``: compute a rule for one record or a file."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from paritrana.cli.output import ENGINE_HELP, MASTER_HELP, start_engine
from paritrana.rules.errors import InvalidInput, RuleError

if TYPE_CHECKING:
    from paritrana.rules.base import Rule
    from paritrana.rules.file_stored import FileJob
    from paritrana.rules.one_stored import StoredRule
    from paritrana.rules.result import Result

console = Console()
err_console = Console(stderr=True)


TOTALS_HELP = (
    "with --file: also print the sum of every money output, read back from the written file "
    "(a national file: about 15 % more time)"
)


def fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def calc(
    rule: Annotated[str | None, typer.Argument(help="rule name; see --list")] = None,
    list_rules: Annotated[bool, typer.Option("--list", help="list the rules with their inputs and outputs")] = False,
    date: Annotated[str | None, typer.Option("--date", help="date whose law applies, YYYY-MM-DD")] = None,
    inputs: Annotated[list[str] | None, typer.Option("--input", "-i", help="an input as NAME=VALUE; repeat")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON object")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="add the parameters used and intermediate values")] = False,
    file: Annotated[Path | None, typer.Option("--file", help="a CSV or Parquet file of records")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="where to write the results (.parquet or .csv)")] = None,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP + "; with --file")] = "duckdb",
    spark_master: Annotated[str | None, typer.Option(help=MASTER_HELP)] = None,
    totals: Annotated[bool, typer.Option("--totals", help=TOTALS_HELP)] = False,
) -> None:
    """Compute a rule: one record (--input) or a whole file (--file … --out …)."""
    try:
        if list_rules:
            _list(as_json)
            return
        if rule is None:
            raise fail("name a rule (see: paritrana calc --list)")
        if file is not None and engine != "duckdb":
            _batch_on(start_engine(engine, spark_master), rule, file, out, date, as_json, totals)
        elif file is not None:
            _batch(rule, file, out, date, as_json, totals)
        else:
            _one(rule, date, inputs or [], as_json, explain)
    except RuleError as err:
        raise fail(str(err)) from None


def _list(as_json: bool) -> None:
    from paritrana.rules.base import all_rules

    rules = all_rules()
    if as_json:
        print(json.dumps([r.describe() for r in rules], indent=2, ensure_ascii=False))
        return
    for r in rules:
        table = Table(title=f"[bold]{r.name}[/] — {r.title}", title_justify="left", show_header=True)
        table.add_column("", style="dim")
        table.add_column("name")
        table.add_column("type")
        table.add_column("description")
        for f in r.inputs:
            note = "" if f.required else f" (default {f.default})"
            if f.choices:
                note += f" [choices: {', '.join(map(str, f.choices))}]"
            table.add_row("input", f.name, f.dtype, f.description + note)
        for f in r.outputs:
            table.add_row("intermediate" if f.explain_only else "output", f.name, f.dtype, f.description)
        console.print(table)
        console.print(f"  [dim]{r.reference}[/]\n")


def _one(rule_name: str, date: str | None, pairs: list[str], as_json: bool, explain: bool) -> None:
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(pair, "an input is written NAME=VALUE")
        values[name.strip()] = value
    from paritrana.rules.one_stored import compute_stored

    # the plan stored by an earlier calc of this rule and date: no Ibis imported (decision 0030)
    stored = compute_stored(_plans_folder(), rule_name, date, values) if date is not None else None
    if stored is not None:
        result, rule = stored
    else:
        result, rule = _one_compiled(rule_name, date, values)
    if as_json:
        print(json.dumps(result.as_dict(explain=explain), indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{rule.title} — law of {result.date.isoformat()}", title_justify="left")
    table.add_column("output")
    table.add_column("value", justify="right")
    table.add_column("description", style="dim")
    for f in rule.outputs:
        if f.name in result.outputs:
            table.add_row(f.name, _show(result.outputs[f.name]), f.description)
    console.print(table)
    if explain:
        inter = Table(title="intermediate values", title_justify="left")
        inter.add_column("name")
        inter.add_column("value", justify="right")
        inter.add_column("description", style="dim")
        for f in rule.outputs:
            if f.explain_only:
                inter.add_row(f.name, _show(result.explanation.intermediate[f.name]), f.description)
        console.print(inter)
        params = Table(title="parameters used", title_justify="left")
        for column in ("parameter", "value", "in force since", "reference"):
            params.add_column(column)
        for p in result.explanation.parameters:
            mark = " [yellow](uncertain: " + str(p["why"]) + ")[/]" if p.get("uncertain") else ""
            params.add_row(p["name"], _show(p["value"]), p["effective"], p["reference"] + mark)
        console.print(params)
        console.print(f"[dim]{rule.reference}[/]")


def _one_compiled(rule_name: str, date: str | None, values: dict[str, Any]) -> tuple[Result, StoredRule]:
    """The record computed the general way (the rule's plan compiled with Ibis), the plan then stored."""
    from paritrana.rules.base import get_rule
    from paritrana.rules.engine import compute_one
    from paritrana.rules.one_stored import store

    rule = get_rule(rule_name)
    if date is None:
        raise InvalidInput("date", "is required (--date YYYY-MM-DD)")
    result = compute_one(rule_name, date, values)
    return result, store(_plans_folder(), rule, result.date)


def _plans_folder() -> Path:
    """Where the compiled one-record plans are kept: ``plans`` in the local data folder (``PARITRANA_HOME``,
    else the XDG data folder), as the site's settings find it."""
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "paritrana"
    home = os.environ.get("PARITRANA_HOME") or str(data)
    return Path(home).expanduser() / "cache" / "plans"


def _batch(rule_name: str, file: Path, out: Path | None, date: str | None, as_json: bool, totals: bool) -> None:
    if out is None:
        raise InvalidInput("out", "is required with --file (a .parquet or .csv path)")
    if out.suffix.lower() not in {".parquet", ".csv"}:
        raise InvalidInput("out", f"{out.name}: expected a .parquet or .csv file")
    started = time.perf_counter()
    job = _file_job(rule_name, file, date)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = job.rows
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=as_json or not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task(job.rule.name, total=rows)
        # DuckDB writes the file itself (streaming, on every core); the bar follows its query progress.
        job.write(out, lambda done: progress.update(task, completed=round(done * rows)))
    summary: dict[str, Any] = {"rule": job.rule.name, "rows": rows, "out": str(out)}
    if totals:
        summary["totals"] = _money_totals(out, job.rule, job.con)
    _print_summary(summary, f"{job.rule.title}: {rows:,} rows → {out}", started, as_json)


def _file_job(rule_name: str, file: Path, date: str | None) -> FileJob:
    """The file read and checked: from the plan stored by an earlier run of this rule, date and file layout
    (no Ibis imported, decision 0030), else compiled (and stored). A CSV file, or rows with their own dates,
    go the general way each time."""
    from paritrana.rules import file_stored
    from paritrana.rules.values import parse_date

    on = parse_date(date) if date else None
    parquet = file.suffix.lower() in {".parquet", ".pq"} and file.exists()
    if on is not None and parquet:
        job = file_stored.stored_job(_plans_folder(), rule_name, on, file)
        if job is not None:
            return job
    from paritrana.rules.base import get_rule

    rule = get_rule(rule_name)
    if on is not None and parquet:
        return file_stored.compiled_job(_plans_folder(), rule, on, file)
    from paritrana.rules.duck import connection, inline_shared, sql
    from paritrana.rules.engine import prepare, read_file
    from paritrana.rules.one_stored import rule_content

    run = prepare(rule, read_file(file, rule), on=on)
    return file_stored.FileJob(rule_content(rule)[0], run.rows, inline_shared(sql(run.table)), connection().con)


def _money_totals(path: Path, rule: Rule | StoredRule, con: Any = None) -> dict[str, int]:
    """The sum of each money output (whole rupiah, not an intermediate) of the written file ``path``: one query of
    those columns only (decision 0035: asked for with ``--totals``, it reads the file again)."""
    from paritrana.rules.duck import file_totals

    return file_totals(path, [f.name for f in rule.outputs if f.dtype == "int64" and not f.explain_only], con)


def _batch_on(
    engine: str, rule_name: str, file: Path, out: Path | None, date: str | None, as_json: bool, totals: bool
) -> None:
    """A file on another engine than the embedded one (Spark): read, checked and computed there, written with
    its own writer as a folder of Parquet part files at ``out``; with ``totals``, the sums read back from it."""
    from paritrana.rules import engines
    from paritrana.rules.base import get_rule
    from paritrana.rules.engine import parse_date, prepare

    rule = get_rule(rule_name)
    if out is None or out.suffix.lower() != ".parquet":
        raise InvalidInput("out", f"with --engine {engine}, --out is a .parquet folder (its part files)")
    if file.suffix.lower() not in {".parquet", ".pq"}:
        raise InvalidInput("file", f"{file.name}: with --engine {engine}, the file is Parquet")
    started = time.perf_counter()
    run = prepare(rule, engines.read_parquet(engines.backend(engine), file), on=parse_date(date) if date else None)
    with err_console.status(f"{rule.name} on {engine}: {run.rows:,} rows", spinner="line"):
        engines.write_parquet(run.table, out)
    summary: dict[str, Any] = {"rule": rule.name, "rows": run.rows, "out": str(out), "engine": engine}
    if totals:
        summary["totals"] = _money_totals(out / "*.parquet", rule)
    _print_summary(summary, f"{rule.title}: {run.rows:,} rows → {out} ({engine})", started, as_json)


def _print_summary(summary: dict[str, Any], title: str, started: float, as_json: bool) -> None:
    """A batch's summary (the rows, where they went, the time; the totals if asked): as JSON, or as text with
    the totals as a table."""
    elapsed = time.perf_counter() - started
    summary["seconds"] = round(elapsed, 3)
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    if "totals" in summary:
        table = Table(title=title, title_justify="left")
        table.add_column("output")
        table.add_column("total", justify="right")
        for name, total in summary["totals"].items():
            table.add_row(name, f"{total:,}")
        console.print(table)
    else:
        console.print(title, highlight=False)
    console.print(f"[dim]{elapsed:.2f} s, {summary['rows'] / max(elapsed, 1e-9):,.0f} rows/s[/]")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value)
    return str(value)
