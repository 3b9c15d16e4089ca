"""JP old age on the pension date itself (PP 45/2015 art 15(3): age 61 for 2031-2033, so a participant born
15 January 1971 reaches it on 15 January 2032) and the day before: the pension (art 17(2): 1 % x 180/12 x
Rp5,000,000 = Rp750,000) or, under 180 months, the lump sum (UU 40/2004 art 41) only from that day. By hand."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_one

BORN = {"average_wage": 5_000_000, "birth_date": dt.date(1971, 1, 15)}


@pytest.mark.parametrize(("on", "monthly"), [("2032-01-15", 750_000), ("2032-01-14", 0)])
def test_the_pension_from_the_pension_date_itself(on: str, monthly: int) -> None:
    out = compute_one("jp_old_age_benefit", on, {**BORN, "contribution_months": 180}).outputs
    assert out["pension_date"] == dt.date(2032, 1, 15)
    assert (out["eligible"], out["monthly_benefit"]) == (monthly > 0, monthly)


@pytest.mark.parametrize(("on", "lump_sum"), [("2032-01-15", 30_000_000), ("2032-01-14", 0)])
def test_the_lump_sum_of_a_short_masa_iur_from_the_pension_date_only(on: str, lump_sum: int) -> None:
    claim = {**BORN, "contribution_months": 100, "lump_sum": 30_000_000}
    out = compute_one("jp_old_age_benefit", on, claim).outputs
    assert (out["eligible"], out["monthly_benefit"], out["lump_sum_payable"]) == (False, 0, lump_sum)
