"""The JHT yearly return and withdrawal when each record carries its own law date (a file of many years):
the declared rate of each row's own calendar year, from 1 January to 31 December, and none for a year
without one (jht.return_rate, PP 46/2015 art 22(2)). Amounts by hand: 1,000,000 x the declared rate."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_one, compute_records
from paritrana.rules.errors import ParameterNotInForce, RuleError

OPENING = 1_000_000


def yearly(*dates: str, **extra: int) -> list[dict[str, object]]:
    records = [{"opening_balance": OPENING, "date": d, **extra} for d in dates]
    return compute_records("jht_yearly_return", records)


def test_each_row_earns_the_rate_declared_for_its_own_year_first_to_last_day() -> None:
    rows = yearly("2016-01-01", "2016-12-31", "2017-06-30", "2020-01-01", "2020-12-31", "2011-07-15")
    assert [r["yearly_return"] for r in rows] == [71_900, 71_900, 78_300, 56_300, 56_300, 101_000]
    assert [r["rate_ppm"] for r in rows] == [71_900, 71_900, 78_300, 56_300, 56_300, 101_000]
    assert all(r["rate_declared"] for r in rows)
    assert [r["closing_balance"] for r in rows] == [OPENING + r["yearly_return"] for r in rows]


def test_a_row_of_a_year_without_a_declared_rate_is_refused_unless_the_rate_is_given() -> None:
    with pytest.raises(RuleError, match="declared_rate_bp"):
        yearly("2016-06-30", "2018-01-01")
    given = yearly("2018-01-01", "2016-06-30", declared_rate_bp=600)
    assert [r["yearly_return"] for r in given] == [60_000, 60_000]  # the given 6 % wins over the declared 7.19 %


def test_the_smallest_given_rate_is_used() -> None:
    one_bp = yearly("2018-03-01", declared_rate_bp=1)  # 0.01 %
    assert one_bp[0]["rate_ppm"] == 100 and one_bp[0]["yearly_return"] == 100


def test_a_date_before_any_declared_rate_is_not_in_force_for_one_date() -> None:
    with pytest.raises(ParameterNotInForce):
        compute_one("jht_yearly_return", dt.date(2010, 6, 30), {"opening_balance": OPENING})


def test_withdrawals_dated_per_row_use_each_rows_claim_date() -> None:
    base = {"event": "age_56", "balance": 10_000_000, "birth_date": "1960-05-10", "membership_start": "1990-01-01"}
    rows = compute_records(
        "jht_withdrawal",
        [
            {**base, "event_date": "2016-05-10", "date": "2016-05-10"},
            {**base, "event_date": "2016-05-10", "date": "2016-05-09"},
        ],
    )
    assert [r["eligible"] for r in rows] == [True, False]  # 56 on 10 May 2016, not the day before
    assert [r["amount"] for r in rows] == [10_000_000, 0]
    assert rows[1]["reason"] == "the event date is after the claim date"
