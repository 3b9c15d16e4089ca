"""``paritrana bank import FILE`` and ``paritrana bank reconcile DATE``: the bank's statements (decision 0009)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer

from paritrana.cli.demo import setup_django
from paritrana.cli.output import console, fail, stage_progress

app = typer.Typer(help="Bank statements: import and reconcile.", no_args_is_help=True, add_completion=False)
MAX_SHOWN = 20


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="the statement: CSV or MT940", exists=True, dir_okay=False)],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Import FILE as the system: each credit line matched by payment code and amount (exact matches are
    allocated, the rest go to the exceptions queue). A file with a bad row stores nothing (exit 2, the
    errors by row and field); a file is imported once."""
    setup_django()
    from paritrana.contributions.services.bank import import_statement
    from paritrana.core.errors import RegistryError
    from paritrana.rules.money import rupiah_text

    started = time.perf_counter()
    bar, progress = stage_progress({"store": "matching the lines"}, quiet)
    try:
        with bar, file.open("rb") as stream:
            result = import_statement(
                None, stream, file.name, on_line=lambda done, total: progress("store", done, total)
            )
    except RegistryError as err:
        raise fail(f"{file.name}: {getattr(err, 'reason', err)}") from None
    if not result.stored:
        for e in result.errors[:MAX_SHOWN]:
            where = f"row {e.row}, " if e.row is not None else ""
            console.print(f"{where}{e.field}: {e.message}", highlight=False, soft_wrap=True)
        raise fail(f"{file.name}: {result.error_count} error(s); nothing was stored")
    console.print(
        f"imported {file.name} ({result.format}) as statement #{result.statement.pk if result.statement else '?'}: "
        f"{result.lines:,} credit lines, {rupiah_text(result.credit_total)}; {result.matched:,} matched, "
        f"{result.exceptions:,} exceptions, {result.already_imported:,} imported before; "
        f"in {time.perf_counter() - started:.1f} s",
        highlight=False,
        soft_wrap=True,
    )


@app.command("reconcile")
def reconcile_day(day: Annotated[str, typer.Argument(help="the value date, YYYY-MM-DD")]) -> None:
    """The value date's reconciliation: statement total = allocated + exceptions, to the rupiah (exit 1 if not)."""
    setup_django()
    from paritrana.contributions.services.reconcile import reconcile
    from paritrana.rules.money import rupiah_text

    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise fail(f"date: {day[:40]} is not a date; write it as YYYY-MM-DD") from None
    r = reconcile(None, date)
    rows = [
        ("statement total", r.statement),
        ("allocated (matched)", r.allocated),
        ("exceptions", r.exceptions),
        ("  open", r.open),
        ("  allocated to a payer", r.resolved_allocated),
        ("  returned", r.returned),
        ("  duplicate", r.duplicate),
    ]
    console.print(f"reconciliation of {date.isoformat()}", highlight=False)
    for label, part in rows:
        console.print(f"{label:<24}{part.count:>8,}  {rupiah_text(part.amount):>22}", highlight=False)
    console.print(f"{'difference':<24}{'':>8}  {rupiah_text(r.difference):>22}", highlight=False)
    console.print(f"manual payments confirmed that day (not on the statement): {r.manual.count}, "
                  f"{rupiah_text(r.manual.amount)}", highlight=False)  # fmt: skip
    if not r.balanced:
        console.print("NOT BALANCED", highlight=False)
        raise typer.Exit(1)
    console.print("balanced to the rupiah", highlight=False)
