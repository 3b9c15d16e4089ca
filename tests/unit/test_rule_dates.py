"""The law of each record's own date: a later month for a period paid in advance (``add_months``), and a value
taking effect on its first day when every record carries its date (the per-row ``CASE`` of
``Context.versioned``). Dates and amounts by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_records
from paritrana.rules.base import add_months

D = dt.date


@pytest.mark.parametrize(
    ("on", "months", "later"),
    [
        (D(2024, 5, 15), 0, D(2024, 5, 15)),
        (D(2024, 5, 15), 12, D(2025, 5, 15)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # a leap February: its last day
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 11, 30), 1, D(2024, 12, 30)),  # into December (the month after it is January)
        (D(2024, 12, 31), 1, D(2025, 1, 31)),  # across the year's end
        (D(2024, 12, 31), 2, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 1, 15), -1, D(2023, 12, 15)),
        (D(2024, 6, 30), 6, D(2024, 12, 30)),
    ],
)
def test_the_same_day_months_later_or_the_last_day_of_a_shorter_month(on: dt.date, months: int, later: dt.date) -> None:
    assert add_months(on, months) == later


def test_a_value_takes_effect_on_its_first_day_for_records_dated_one_by_one() -> None:
    # JKM: PP 44/2015 original (Rp16,200,000 + 24 x Rp200,000 + Rp3,000,000 = Rp24,000,000) to 1 December 2019,
    # PP 82/2019 (Rp20,000,000 + Rp12,000,000 + Rp10,000,000 = Rp42,000,000) from 2 December 2019
    dates = ["2019-12-01", "2019-12-02", "2019-12-03", "2015-07-01"]
    rows = compute_records("jkm_benefit", [{"membership_active": True, "date": d} for d in dates])
    assert [r["total"] for r in rows] == [24_000_000, 42_000_000, 42_000_000, 24_000_000]
    assert [r["lump_sum"] for r in rows] == [16_200_000, 20_000_000, 20_000_000, 16_200_000]


def test_months_paid_in_advance_read_the_law_of_each_later_month_for_records_dated_one_by_one() -> None:
    # BPU on Rp1,000,000 (band nominal Rp1,000,000): JKK 1 % = Rp10,000 and JKM Rp6,800 a month; PP 50/2025 arts 2-4
    # halve both from contribution month April 2026 (Rp8,400). The later months of each record from its own date.
    records = [
        {"declared_income": 1_000_000, "months": 3, "date": "2026-01-01"},  # January to March: 3 x 16,800
        {"declared_income": 1_000_000, "months": 3, "date": "2026-02-15"},  # 15 February, 15 March, 15 April
        {"declared_income": 1_000_000, "months": 3, "date": "2026-03-31"},  # 31 March, 30 April, 31 May
    ]
    rows = compute_records("bpu_contributions", records)
    assert [r["amount_due"] for r in rows] == [50_400, 16_800 + 16_800 + 8_400, 16_800 + 8_400 + 8_400]
