"""Two imports of the same bank statement at the same time (must-show 4; decision 0009).

Two threads, each with its own Django connection, are released together at a barrier and import the
same file; each holds its transaction open a moment after the import (as if its request were still
running). The first inserts the statement row, whose SHA-256 is unique: on PostgreSQL the second's
insert waits on that unique index until the first commits, then fails, and the second import is
refused ("imported once") with nothing stored. The money is allocated once, the lines stored once,
and the day's reconciliation counts the file once.

What fails without the constraints (reasoned from the code, layer by layer; not each tried):
- without the unique SHA-256, the second import goes on to its lines; the line "already stored?"
  check cannot see the first's uncommitted lines, so the unique (account, bank reference) of the
  lines is what stops it (the insert waits, then fails: the import is refused as concurrent);
- without that too, the payer's row lock in ``record_payment`` serialises the two postings and the
  second finds the first's payment with the same reference: it is not paid twice, but the second
  file's lines are stored again as "duplicate" exceptions and the day's statement total doubles, so
  ``statement.amount == once`` below fails.
On SQLite write transactions are serialised; a thread that meets "table is locked" retries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from paritrana.contributions.models import BankStatement, Bill, Payer, Payment, StatementLine
from paritrana.contributions.services.bank import import_statement
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.reconcile import reconcile
from paritrana.core.errors import ValidationFailed
from tests.concurrency import at_once
from tests.contributions.bankkit import code, csv_statement
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
DAY = dt.date(2025, 3, 10)
HOLD = 0.5


def import_at_once(admin: Any, content: bytes, threads: int = 2) -> list[dict[str, Any]]:
    def call(i: int) -> Any:
        return lambda: import_statement(admin, csv_statement_bytes(content), f"same-{i}.csv", today=dt.date(2026, 1, 1))

    return at_once([call(i) for i in range(threads)], hold=HOLD, attempts=1000, pause=0.01, wait=10)


def csv_statement_bytes(content: bytes) -> Any:
    import io

    return io.BytesIO(content)


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_statement_allocate_once(world: World) -> None:
    run_billing(MARCH)
    e33 = Payer.objects.get(employer=world.employers["E33"])
    e35 = Payer.objects.get(employer=world.employers["E35"])
    bill33 = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    bill35 = Bill.objects.get(payer=e35, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    rows = [
        ("C-1", DAY, bill33.amount, code(e33.pk), "IURAN"),
        ("C-2", DAY, bill35.amount + 9_000, code(e35.pk), "LEBIH"),
    ]
    once = bill33.amount + bill35.amount + 9_000

    outcomes = import_at_once(world.users["admin"], csv_statement(rows).getvalue())

    stored = [o for o in outcomes if "result" in o]
    refused = [o["error"] for o in outcomes if "error" in o]
    assert len(stored) == 1 and stored[0]["result"].matched == 1, outcomes
    assert len(refused) == 1 and isinstance(refused[0], ValidationFailed), outcomes
    assert refused[0].field == "file"
    bill33.refresh_from_db()
    assert bill33.paid == bill33.amount
    assert Payment.objects.count() == 1 and BankStatement.objects.count() == 1
    assert StatementLine.objects.count() == 2
    day = reconcile(None, DAY)
    assert day.statement.amount == once and day.allocated.amount == bill33.amount and day.balanced
