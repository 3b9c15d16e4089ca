"""The JHT ledger's edges that the mutation run (docs/mutation.md) found unpinned, each with its reading.

An entry of the ledger is value-dated by the calendar day (PP 46/2015 art 22(2): the balance is what was
paid in, and its returns, on a date): a withdrawal or a statement given a moment of a day, or a text, is
refused naming the field, never stored with a time nor read as a date.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import statement, withdraw
from paritrana.core.errors import ValidationFailed
from tests.platform.world import World


def test_a_withdrawal_dated_with_a_time_or_a_text_is_refused_naming_the_date(world: World) -> None:
    worker = world.workers["W33PU"]
    JhtEntry.objects.create(worker=worker, kind="contribution", value_date=dt.date(2024, 2, 10), amount=9_000)
    for on in (dt.datetime(2025, 3, 1, 9, 30), "2025-03-01"):
        with pytest.raises(ValidationFailed) as refused:
            withdraw(world.users["admin"], worker.pk, 5_000, on, "KLAIM-1")  # type: ignore[arg-type]
        assert refused.value.field == "on", on
    assert not JhtEntry.objects.filter(kind="withdrawal").exists()


def test_a_statement_between_moments_or_texts_is_refused_naming_its_first_day(world: World) -> None:
    worker = world.workers["W33PU"]
    for start, end in (
        (dt.datetime(2025, 1, 1, 0, 0), dt.date(2025, 12, 31)),
        (dt.date(2025, 1, 1), dt.datetime(2025, 12, 31, 23, 59)),
        ("2025-01-01", dt.date(2025, 12, 31)),
    ):
        with pytest.raises(ValidationFailed) as refused:
            statement(world.users["admin"], worker.pk, start, end)  # type: ignore[arg-type]
        assert refused.value.field == "start", (start, end)


def test_a_withdrawal_may_be_dated_today_not_tomorrow(world: World) -> None:
    """A claim paid today is debited today (the value date of the payment order); only a date after today is
    refused (it would lower a balance that statements of today still show whole)."""
    worker = world.workers["W33PU"]
    JhtEntry.objects.create(worker=worker, kind="contribution", value_date=dt.date(2024, 2, 10), amount=9_000)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as refused:
        withdraw(world.users["admin"], worker.pk, 4_000, today + dt.timedelta(days=1), "KLAIM-2")
    assert refused.value.field == "on"
    entry = withdraw(world.users["admin"], worker.pk, 4_000, today, "KLAIM-1")
    assert (entry.value_date, entry.amount) == (today, -4_000)
