"""``paritrana billing run YYYY-MM``: bills the registry, prints a summary; a bad month is refused (exit 2)."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.contributions.models import Bill, BillingRun, BillLine, Payer
from tests.platform.world import World, build_world


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def world(db: None) -> World:
    return build_world()  # every worker in JKK from 2024-01-01


def test_billing_run_bills_the_month_once(world: World) -> None:
    result = _run("billing", "run", "2025-03")
    assert result.exit_code == 0, result.output
    run = BillingRun.objects.get()
    lines = BillLine.objects.filter(bill__period="2025-03-01")
    assert run.lines_added == lines.count() == 4  # JKK of each of the four workers
    out = _flat(result.output)
    assert "billed 2025-03" in out and "4 workers" in out and "4 lines added" in out
    assert f"Rp {sum(line.amount for line in lines):,}".replace(",", ".") in out

    again = _run("billing", "run", "2025-03")
    assert again.exit_code == 0, again.output
    assert "0 lines added" in _flat(again.output) and "nothing new to bill" in _flat(again.output)
    assert BillLine.objects.count() == 4


@pytest.mark.parametrize("month", ["2025-13", "March", "2025-3-1"])
def test_a_bad_month_is_refused(world: World, month: str) -> None:
    result = _run("billing", "run", month)
    assert result.exit_code == 2
    assert month in _flat(result.output) and "YYYY-MM" in result.output
    assert not BillingRun.objects.exists()


def test_a_month_before_the_law_is_refused_and_nothing_is_stored(world: World) -> None:
    result = _run("billing", "run", "2010-01")
    assert result.exit_code == 2
    out = _flat(result.output)
    assert "billing 2010-01" in out and "no value in force" in out and "nothing was stored" in out
    assert not BillingRun.objects.exists() and not Bill.objects.exists() and not Payer.objects.exists()
