"""Edges of the JKP cash benefit (PP 37/2021 arts 19-21, as amended by PP 6/2025), by hand.

- The claim follows the PHK (PP 37/2021 arts 19-20): a claim made on the day of the PHK itself is in time, one dated
  the day before is refused.
- A participant is under 54 when registered (art 4): 54 and every older age are refused.
- The consecutive months are within the 24 months before the PHK (art 19): 25 is refused as outside that window.
"""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_one
from paritrana.rules.errors import InvalidInput

# eligible otherwise: 12 months within 24, 6 consecutive, registered at 30 (PP 37/2021 arts 4 and 19)
PHK_1_MAY_2024 = {
    "month": 1,
    "wage": 4_000_000,
    "separation": "termination",
    "contribution_months": 12,
    "consecutive_months": 6,
    "age_at_registration": 30,
}


@pytest.mark.parametrize(
    ("claim_date", "benefit", "reason"),
    [
        (dt.date(2024, 5, 1), 1_800_000, ""),  # 45 % of Rp4,000,000 in month 1 (PP 37/2021 art 21(1))
        (dt.date(2024, 4, 30), 0, "the claim date is before the PHK date"),
    ],
)
def test_a_claim_on_the_day_of_the_phk_is_in_time_the_day_before_is_refused(
    claim_date: dt.date, benefit: int, reason: str
) -> None:
    out = compute_one("jkp_benefit", "2024-05-01", {**PHK_1_MAY_2024, "claim_date": claim_date}).outputs
    assert (out["eligible"], out["benefit"], out["reason"]) == (benefit > 0, benefit, reason)
    assert out["total_6_months"] == (8_400_000 if benefit else 0)  # 3 x 1,800,000 + 3 x 1,000,000


@pytest.mark.parametrize("age", [54, 55, 60])
def test_a_worker_registered_at_54_or_older_gets_no_jkp(age: int) -> None:
    # PP 37/2021 art 4: a participant is under 54 when registered; every older age is refused as 54 is
    record = {**PHK_1_MAY_2024, "age_at_registration": age, "claim_date": dt.date(2024, 5, 10)}
    out = compute_one("jkp_benefit", "2024-05-01", record).outputs
    assert (out["eligible"], out["benefit"], out["total_6_months"]) == (False, 0, 0)
    assert out["reason"] == "the worker was not under 54 when registered"


def test_more_consecutive_months_than_the_24_month_window_are_refused_as_out_of_it() -> None:
    # PP 37/2021 art 19: the consecutive months are counted within the 24 months before the PHK; 25 is refused for
    # the window itself, not only for exceeding the contribution months
    record = {**PHK_1_MAY_2024, "contribution_months": 24, "consecutive_months": 25, "claim_date": dt.date(2024, 5, 10)}
    with pytest.raises(InvalidInput) as refused:
        compute_one("jkp_benefit", "2024-05-01", record)
    assert refused.value.field == "consecutive_months"
    assert "at most 24" in str(refused.value)
