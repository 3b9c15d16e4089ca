"""``paritrana bank import FILE`` and ``paritrana bank reconcile DATE`` (decision 0009)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.contributions.models import Bill, Payer, Payment, StatementLine
from paritrana.contributions.paycode import payment_code
from paritrana.contributions.services.billing import run_billing
from tests.platform.world import World


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_import_then_reconcile(world: World, tmp_path: Path) -> None:
    run_billing(dt.date(2025, 3, 1))
    e33 = Payer.objects.get(employer=world.employers["E33"])
    bill = Bill.objects.get(payer=e33, kind="contribution")
    path = tmp_path / "rekening.csv"
    path.write_text(
        "bank_reference,value_date,amount,payment_code\n"
        f"K-1,2025-03-10,{bill.amount},{payment_code(e33.pk)}\n"
        f"K-2,2025-03-10,77000,{payment_code(e33.pk)[:-1]}0\n"
    )
    result = _run("bank", "import", str(path), "--quiet")
    assert result.exit_code == 0, result.output
    assert "1 matched" in _flat(result.output) and "1 exceptions" in _flat(result.output)
    assert Payment.objects.count() == 1 and StatementLine.objects.count() == 2
    again = _run("bank", "import", str(path), "--quiet")
    assert again.exit_code == 2 and Payment.objects.count() == 1
    day = _run("bank", "reconcile", "2025-03-10")
    assert day.exit_code == 0, day.output
    out = _flat(day.output)
    assert "balanced to the rupiah" in out and f"{bill.amount + 77_000:,}".replace(",", ".") in out
    assert _run("bank", "reconcile", "2025-13-01").exit_code == 2


def test_a_bad_file_stores_nothing_and_names_the_row(world: World, tmp_path: Path) -> None:
    path = tmp_path / "rusak.csv"
    path.write_text("bank_reference,value_date,amount\nA,2025-03-10,1000\nB,kemarin,1000\n")
    result = _run("bank", "import", str(path), "--quiet")
    assert result.exit_code == 2 and "row 3, value_date" in _flat(result.output)
    assert not StatementLine.objects.exists()
