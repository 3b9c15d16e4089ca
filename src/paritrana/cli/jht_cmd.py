"""``paritrana jht credit-returns YEAR [--rate-bp N]``: credit a year's return to every JHT account."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from paritrana.cli.demo import setup_django
from paritrana.cli.output import ENGINE_HELP, MASTER_HELP, console, fail, stage_progress, start_engine

app = typer.Typer(help="JHT individual accounts (old-age savings).", no_args_is_help=True, add_completion=False)
STAGE_LABELS = {"extract": "reading the accounts", "compute": "computing (rules)", "load": "writing the returns"}


@app.command("credit-returns")
def credit_returns(
    year: Annotated[
        int, typer.Argument(metavar="YEAR", help="the calendar year whose return is credited (it must have ended)")
    ],
    rate_bp: Annotated[
        int | None,
        typer.Option(
            "--rate-bp",
            help="the crediting rate BPJS Ketenagakerjaan declared for YEAR, in basis points (600 = 6 %); "
            "without it, the rate on record (parameter jht.return_rate)",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP)] = "duckdb",
    spark_master: Annotated[str | None, typer.Option(help=MASTER_HELP)] = None,
) -> None:
    """Credit the return (hasil pengembangan) of YEAR to every JHT account, by the rule jht_yearly_return.

    Idempotent: an account already credited for YEAR is left alone (a second run credits only new accounts).
    """
    setup_django()
    from paritrana.contributions.services.ledger import credit_yearly_returns, returns_credited
    from paritrana.core.errors import RegistryError, ValidationFailed
    from paritrana.rules.errors import RuleError
    from paritrana.rules.money import rupiah_text

    start_engine(engine, spark_master)
    started = time.perf_counter()
    bar, progress = stage_progress(STAGE_LABELS, quiet)

    _, before = returns_credited(year)
    try:
        with bar:
            credited = credit_yearly_returns(year, declared_rate_bp=rate_bp, progress=progress, engine=engine)
    except ValidationFailed as err:
        hint = "" if err.field != "rate" else " (--rate-bp)"
        raise fail(f"{err.field}{hint}: {err.reason}; nothing was credited") from None
    except (RuleError, RegistryError) as err:
        raise fail(f"JHT returns {year}: {err}; nothing was credited") from None
    took = time.perf_counter() - started
    accounts, total = returns_credited(year)
    console.print(
        f"JHT return {year}: {credited:,} accounts credited, {rupiah_text(total - before)}, in {took:.1f} s "
        f"({year} in all: {accounts:,} accounts, {rupiah_text(total)})",
        highlight=False,
        soft_wrap=True,
    )
    if credited == 0:
        console.print(
            f"nothing new to credit: every account with a return for {year} was already credited", highlight=False
        )
