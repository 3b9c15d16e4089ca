"""``paritrana jht credit-returns YEAR [--rate-bp N]``: credits a year's return, prints a summary; refusals exit 2."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.contributions.models import JhtEntry
from paritrana.rules import compute_one
from tests.platform.world import World


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _rupiah(amount: int) -> str:
    return f"Rp {amount:,}".replace(",", ".")


def _opening_return(opening: int, year: int, rate_bp: int) -> int:
    inputs = {"opening_balance": opening, "declared_rate_bp": rate_bp}
    result: int = compute_one("jht_yearly_return", dt.date(year, 12, 31), inputs).outputs["yearly_return"]
    return result


def test_credit_returns_credits_each_account_once_and_prints_the_total(world: World) -> None:
    for key, amount in (("W33PU", 1_000_000), ("W35", 2_500_000)):
        JhtEntry.objects.create(worker=world.workers[key], kind="contribution", value_date="2023-07-01", amount=amount)
    result = _run("jht", "credit-returns", "2024", "--rate-bp", "600", "--quiet")
    assert result.exit_code == 0, result.output
    expected = _opening_return(1_000_000, 2024, 600) + _opening_return(2_500_000, 2024, 600)
    assert JhtEntry.objects.filter(kind="return", year=2024).count() == 2
    out = _flat(result.output)
    assert "JHT return 2024: 2 accounts credited" in out and _rupiah(expected) in out

    again = _run("jht", "credit-returns", "2024", "--rate-bp", "600", "--quiet")
    assert again.exit_code == 0, again.output
    out = _flat(again.output)
    assert "0 accounts credited, Rp 0" in out and "nothing new to credit" in out and _rupiah(expected) in out
    assert JhtEntry.objects.filter(kind="return").count() == 2


def test_a_year_without_a_declared_rate_needs_rate_bp(world: World) -> None:
    JhtEntry.objects.create(worker=world.workers["W33PU"], kind="contribution", value_date="2023-07-01", amount=9)
    result = _run("jht", "credit-returns", "2024", "--quiet")
    assert result.exit_code == 2
    out = _flat(result.output)
    assert "--rate-bp" in out and "2024" in out and "nothing was credited" in out
    assert not JhtEntry.objects.filter(kind="return").exists()


def test_a_year_not_ended_is_refused(world: World) -> None:
    year = str(timezone.localdate().year)
    with translation.override("en"):  # the message in English whatever the tests before left active
        result = _run("jht", "credit-returns", year, "--rate-bp", "600", "--quiet")
    assert result.exit_code == 2
    assert "has ended" in _flat(result.output) and "nothing was credited" in _flat(result.output)


def test_a_year_that_is_not_a_number_is_refused(world: World) -> None:
    result = _run("jht", "credit-returns", "last-year", "--quiet")
    assert result.exit_code == 2
    assert "YEAR" in result.output and "integer" in _flat(result.output)
    assert not JhtEntry.objects.exists()
