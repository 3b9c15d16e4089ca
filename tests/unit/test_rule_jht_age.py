"""JHT at 56 (PP 46/2015 art 26 as amended by PP 60/2015): payable from the 56th birthday, whenever the claim
is made after it; refused the day before. Dates by hand (decision 0042)."""

from __future__ import annotations

import datetime as dt

from paritrana.rules import compute_one

MEMBER = {"event": "age_56", "balance": 40_000_000, "birth_date": dt.date(1968, 3, 10)}
START = {"membership_start": dt.date(2000, 1, 1)}


def test_claimed_months_after_the_56th_birthday_the_whole_balance_payable_from_that_birthday() -> None:
    result = compute_one("jht_withdrawal", "2024-06-01", {**MEMBER, **START, "event_date": dt.date(2024, 5, 1)})
    assert (result.outputs["eligible"], result.outputs["amount"], result.outputs["reason"]) == (True, 40_000_000, "")
    assert result.explanation.intermediate["payable_from"] == dt.date(2024, 3, 10)  # the 56th birthday


def test_the_day_before_the_56th_birthday_not_yet() -> None:
    result = compute_one("jht_withdrawal", "2024-03-09", {**MEMBER, **START, "event_date": dt.date(2024, 3, 9)})
    assert (result.outputs["eligible"], result.outputs["amount"]) == (False, 0)
    assert result.outputs["reason"] == "the member is not yet 56"


def test_the_lump_sum_tax_by_bracket() -> None:
    # PP 68/2009 art 5: 0 % on the first Rp50,000,000 of a JHT lump sum, 5 % on the rest, rounded once half up
    for balance, tax in ((300_000_000, 12_500_000), (50_000_010, 1), (50_000_000, 0), (49_999_990, 0)):
        claim = {**MEMBER, **START, "balance": balance, "event_date": dt.date(2024, 5, 1)}
        out = compute_one("jht_withdrawal", "2024-06-01", claim).outputs
        assert (out["amount"], out["income_tax"], out["net_amount"]) == (balance, tax, balance - tax)
