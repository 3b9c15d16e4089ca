"""``paritrana claims pay-due YYYY-MM``: the monthly run of benefit payments."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from paritrana.cli.demo import setup_django
from paritrana.cli.output import console, fail


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


app = typer.Typer(help="Claims and benefit payments.", no_args_is_help=True, add_completion=False)


@app.command("pay-due")
def pay_due(
    month: Annotated[str, typer.Argument(help="the month paid, YYYY-MM (e.g. 2026-11); not after this month")],
) -> None:
    """Pay MONTH: each JP pension's payment for the month, and every scheduled instalment due by its
    end (JKP months, scholarship years begun), a payment instruction each.

    Idempotent: a rerun adds nothing (one instruction per claim and key). A month after the current
    one is refused: the run pays what has fallen due, never ahead.
    """
    setup_django()
    from django.utils import timezone

    from paritrana.claims.services import claims
    from paritrana.contributions.periods import parse_month
    from paritrana.core.errors import RegistryError, ValidationFailed
    from paritrana.rules.errors import RuleError
    from paritrana.rules.money import rupiah_text

    try:
        period = parse_month(month, "month")
    except ValidationFailed as err:
        raise fail(f"month: {err.reason}") from None
    this_month = timezone.localdate().replace(day=1)
    if period > this_month:
        raise fail(f"month: {period:%Y-%m} has not begun (this month is {this_month:%Y-%m}); nothing is paid ahead")
    started = time.perf_counter()
    try:
        result = claims.pay_due(period)
    except (RuleError, RegistryError) as err:
        raise fail(f"payments {period:%Y-%m}: {err}; nothing was paid") from None
    took = time.perf_counter() - started
    console.print(
        f"paid {period:%Y-%m}: {_count(result.pensions, 'pension')}, {_count(result.instalments, 'instalment')}, "
        f"{rupiah_text(result.amount)} in all, in {took:.1f} s",
        highlight=False,
        soft_wrap=True,
    )
    if result.pensions == 0 and result.instalments == 0:
        console.print(
            "nothing new to pay: the month's pensions and the instalments due were paid before", highlight=False
        )
