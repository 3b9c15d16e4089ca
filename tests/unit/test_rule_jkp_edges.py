"""Edges of the JKP cash benefit (PP 37/2021 arts 19-21, as amended by PP 6/2025), by hand.

- The claim follows the PHK (PP 37/2021 arts 19-20): a claim made on the day of the PHK itself is in time, one dated
  the day before is refused.
"""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_one

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
