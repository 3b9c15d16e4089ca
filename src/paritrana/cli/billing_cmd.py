"""``paritrana billing run YYYY-MM``: bill a contribution month for the whole registry."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from paritrana.cli.demo import setup_django
from paritrana.cli.output import ENGINE_HELP, MASTER_HELP, console, fail, stage_progress, start_engine

app = typer.Typer(help="Monthly contribution bills.", no_args_is_help=True, add_completion=False)
STAGE_LABELS = {"extract": "reading the registry", "compute": "computing (rules)", "load": "writing the lines"}


@app.command("run")
def run(
    month: Annotated[str, typer.Argument(help="the contribution month, YYYY-MM (e.g. 2025-03)")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "duckdb",
    spark_master: Annotated[str | None, typer.Option(help=MASTER_HELP)] = None,
) -> None:
    """Bill MONTH: a bill per payer, a line per worker and programme, computed by the rules.

    Idempotent: running it again adds only what changed (an adjustment line when a wage
    was corrected), nothing otherwise.
    """
    setup_django()
    from paritrana.contributions.periods import parse_month
    from paritrana.contributions.services.billing import run_billing
    from paritrana.core.errors import RegistryError, ValidationFailed
    from paritrana.rules.errors import RuleError
    from paritrana.rules.money import rupiah_text

    try:
        period = parse_month(month, "month")
    except ValidationFailed as err:
        raise fail(f"month: {err.reason}") from None
    start_engine(engine, spark_master)
    started = time.perf_counter()
    bar, progress = stage_progress(STAGE_LABELS, quiet)

    try:
        with bar:
            result = run_billing(period, progress=progress, engine=engine)
    except (RuleError, RegistryError) as err:
        raise fail(f"billing {month}: {err}; nothing was stored") from None
    took = time.perf_counter() - started
    console.print(
        f"billed {period:%Y-%m} (run #{result.pk}): {result.workers:,} workers, {result.lines_added:,} lines "
        f"added ({result.adjustments:,} adjustments) on {result.bills_touched:,} bills, "
        f"{rupiah_text(result.amount_added)} added, in {took:.1f} s",
        highlight=False,
        soft_wrap=True,
    )
    if result.lines_added == 0:
        console.print("nothing new to bill: the month was already billed as computed", highlight=False)
