"""The yearly JHT return's progress while it reads the ledger (``jht_yearly._rows_of``): every ``FETCH_ROWS`` rows
read from each query (the opening balances, then the monthly movements) it reports the rows kept so far, with
no total yet; then the rows kept out of all of them.

A national run reads millions of rows and reports every 50.000; here the batch is set to 2 rows so that a few
accounts cross it several times (the same code, the same counting; decision 0037: long steps show progress).
"""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services import jht_yearly
from paritrana.contributions.services.ledger import credit_yearly_returns
from tests.platform.world import World


def test_reading_reports_the_rows_kept_after_every_batch_of_each_query(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three accounts with money before 2025 (three opening rows) and four months with money in during 2025 (four
    movement rows): the opening query reports after its 2nd row (2 kept); the movements after their 2nd and 4th
    rows (3 + 2 = 5, then 3 + 4 = 7 kept); then 7 of 7 read, computed, and the 3 returns written."""
    monkeypatch.setattr(jht_yearly, "FETCH_ROWS", 2)
    for key, on in [
        ("W33PU", dt.date(2024, 5, 10)),
        ("W35", dt.date(2024, 6, 1)),
        ("W33BPU", dt.date(2024, 7, 1)),
        ("W33PU", dt.date(2025, 2, 10)),
        ("W33PU", dt.date(2025, 3, 10)),
        ("W35", dt.date(2025, 4, 10)),
        ("W33BPU", dt.date(2025, 5, 10)),
    ]:
        JhtEntry.objects.create(worker=world.workers[key], kind="contribution", value_date=on, amount=100_000)
    seen: list[tuple[str, int, int]] = []
    assert credit_yearly_returns(2025, declared_rate_bp=600, progress=lambda *call: seen.append(call)) == 3
    read = [("extract", 2, 0), ("extract", 5, 0), ("extract", 7, 0), ("extract", 7, 7)]
    assert seen == [*read, ("compute", 0, 7), ("compute", 7, 7), ("load", 3, 3), ("load", 3, 3)]
