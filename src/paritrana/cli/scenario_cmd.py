"""``paritrana scenario``: reform scenarios (a file of dated parameter values overriding the law's) saved,
listed and run over a month or a calendar year of the registry, baseline beside reform (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from paritrana.cli.demo import setup_django
from paritrana.cli.output import ENGINE_HELP, console, fail, stage_progress

app = typer.Typer(help="Reform scenarios over the registry.", no_args_is_help=True, add_completion=False)


@app.command("save")
def save(
    file: Annotated[Path, typer.Argument(help="the scenario: dated parameter values in the law's YAML format")],
    name: Annotated[str, typer.Option(help="the scenario's name (a new version if it exists)")],
    description: Annotated[str, typer.Option(help="what it changes and why")],
) -> None:
    """Check a scenario file against the law's parameters and save it (a new version of a known name)."""
    setup_django()
    from paritrana.core.errors import ValidationFailed
    from paritrana.scenarios import services

    if not file.is_file():
        raise fail(f"file: {file} does not exist")
    try:
        saved = services.save(services.OPERATOR, name, description, file.read_text(encoding="utf-8"))
    except (ValidationFailed, UnicodeDecodeError) as err:
        raise fail(str(err)) from None
    console.print(f"saved: {saved.name}, version {saved.version}", highlight=False)


@app.command("list")
def listing() -> None:
    """The saved scenarios, their versions and last runs."""
    setup_django()
    from paritrana.scenarios import services

    table = Table()
    for column in ("name", "version", "description", "runs"):
        table.add_column(column)
    for s in services.scenarios(services.OPERATOR):
        table.add_row(s.name, str(s.version), s.description, str(s.runs.count()))
    console.print(table)


@app.command("run")
def run(
    name: Annotated[str, typer.Argument(help="the scenario's name")],
    month: Annotated[str | None, typer.Option(help="the month of the registry to run over, YYYY-MM")] = None,
    year: Annotated[
        str | None, typer.Option(help="or a calendar year to run over, YYYY (1 January to 31 December)")
    ] = None,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "duckdb",
    snapshot: Annotated[
        Path | None, typer.Option(help="a snapshot's folder (paritrana snapshot export) instead of the registry")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Run the scenario's current version over a month (--month) or a calendar year (--year) of the registry or
    of a snapshot: contributions, payers' cost, workers' share, by group."""
    setup_django()
    from paritrana.core.errors import NotFound, ValidationFailed
    from paritrana.rules.errors import RuleError
    from paritrana.scenarios import periods, services, sources

    try:
        period, span = periods.asked(month, year)
    except ValidationFailed as err:
        raise fail(f"--{err.field}: {err.reason}") from None
    labels = {"read": "registry rows read", "compute": "baseline and reform", "month": "months computed",
              "rollup": "roll-ups"}  # fmt: skip
    bar, progress = stage_progress(labels, quiet or as_json)
    try:
        found = services.by_name(services.OPERATOR, name)
        source = sources.source_of(snapshot)
        with bar:
            record = services.run(
                services.OPERATOR, found.pk, period, engine=engine, progress=progress, source=source, span=span
            )
    except (NotFound, ValidationFailed, RuleError) as err:
        raise fail(str(err)) from None
    if as_json:
        console.print_json(json.dumps(record.results))
        return
    _print(record.results)


def _print(results: dict[str, Any]) -> None:
    from paritrana.rules.money import rupiah_text

    year = results.get("span") == "year"
    shown = (
        f"{results['period'][:4]}: baseline and reform, over the year"
        if year
        else f"{results['period'][:7]}: baseline and reform, per month"
    )
    table = Table(title=shown)
    for column in ("programme", "contributions", "reform", "change", "payers' change", "workers' change"):
        table.add_column(column, justify="right")
    for row in [*results["programmes"], {**results["total"], "programme": "all"}]:
        money = (row["baseline_amount"], row["reform_amount"], row["delta_amount"], row["delta_payer"],
                 row["delta_worker"])  # fmt: skip
        table.add_row(row["programme"], *(rupiah_text(m) for m in money))
    console.print(table)
    w = results["workers"]
    console.print(f"workers: {w['workers']}, take-home up: {w['gaining']}, down: {w['losing']}", highlight=False)
    _print_benefits(results.get("benefits"), "year" if year else "month")


def _print_benefits(found: dict[str, Any] | None, span: str) -> None:
    """The period's benefit payments by programme and kind (a run over the registry; decision 0043)."""
    from paritrana.rules.money import rupiah_text

    if not found or not found.get("by_kind"):
        return
    table = Table(title=f"benefit payments due in the {span}, baseline and reform")
    for column in ("programme", "kind", "payments", "baseline", "reform", "change"):
        table.add_column(column, justify="right")
    for row in found["by_kind"]:
        money = (rupiah_text(row[side]) for side in ("baseline", "reform", "delta"))
        table.add_row(row["programme"], row["kind"].replace("_", " "), str(row["payments"]), *money)
    console.print(table)
