"""A contribution paid before its due date owes no penalty, however early (an employer's month is due by the 15th
of the following month: PP 44/2015, PP 45/2015, PP 46/2015; 2 % per started month of delay only after it).
By hand (decision 0042)."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_one


@pytest.mark.parametrize("paid", [dt.date(2024, 5, 10), dt.date(2024, 6, 1), dt.date(2024, 6, 15)])
def test_paid_on_or_before_the_due_date_no_penalty(paid: dt.date) -> None:
    # May 2024's contributions: due 15 June 2024
    out = compute_one("late_payment_penalty", "2024-05-01", {"contribution": 1_000_000, "payment_date": paid}).outputs
    assert (out["months_late"], out["penalty"]) == (0, 0)


def test_paid_a_day_after_the_due_date_one_month() -> None:
    out = compute_one(
        "late_payment_penalty", "2024-05-01", {"contribution": 1_000_000, "payment_date": dt.date(2024, 6, 16)}
    ).outputs
    assert (out["months_late"], out["penalty"]) == (1, 20_000)  # 2 % x 1 x Rp1,000,000
