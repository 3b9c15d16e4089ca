"""Edges of the JP survivor pension, by hand.

- Deeming (Permenaker 29/2015 art 26): a masa iur under 180 months is deemed 180 months only on a death *before*
  the pension date (PP 45/2015 art 15); a death on the pension date itself is not before it, so the accumulated
  contributions and returns are paid at once.
- A masa iur of exactly 180 months is enough (PP 45/2015; UU 40/2004 art 41: "at least 15 years"): nothing is deemed,
  and a death after the pension date still gives the pension.
- The children's benefit is split between two children (this project's reading of the annex, uncertain); the number
  of children does not split a widow's or a parent's benefit.

Amounts (PP 45/2015 art 17(2)): 1 % x 180 / 12 x Rp10,000,000 = Rp1,500,000; the widow's share 50 % (uncertain share)
= Rp750,000, inside the minimum and maximum of art 18 in force (2024: Rp393,500 to Rp4,718,200; 2026 on: Rp411,400
and more) and the wage under the JP wage cap (art 29).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from paritrana.rules import compute_one

# born 15 January 1971: 60 on 15 January 2031, when the pension age is already 61 (from 1 January 2031); 61 on
# 15 January 2032, the pension date (PP 45/2015 art 15(3))
BORN_1971 = dt.date(1971, 1, 15)
WIDOW = {"recipient": "widow_widower", "average_wage": 10_000_000, "lump_sum": 30_000_000}


def _survivor(on: str, **record: Any) -> dict[str, Any]:
    result = compute_one("jp_survivor_benefit", on, {**WIDOW, **record})
    return {**result.outputs, **result.explanation.intermediate}  # the months counted and the pension date explain


@pytest.mark.parametrize(
    ("death", "deemed", "monthly", "lump_sum", "reason"),
    [
        ("2032-01-14", True, 750_000, 0, ""),
        (
            "2032-01-15",
            False,
            0,
            30_000_000,
            "death on or after the pension date with masa iur under 180 months: lump sum",
        ),
    ],
)
def test_a_short_masa_iur_is_deemed_only_on_a_death_before_the_pension_date(
    death: str, deemed: bool, monthly: int, lump_sum: int, reason: str
) -> None:
    out = _survivor(death, participant_birth_date=BORN_1971, contribution_months=100, membership_months=100)
    assert out["pension_date"] == dt.date(2032, 1, 15)
    assert (out["deemed"], out["eligible"], out["monthly_total"], out["lump_sum_payable"], out["reason"]) == (
        deemed,
        deemed,
        monthly,
        lump_sum,
        reason,
    )


@pytest.mark.parametrize(
    ("death", "born"),
    [("2030-06-01", BORN_1971), ("2024-06-01", dt.date(1965, 4, 10))],  # before / after the pension date
)
def test_exactly_180_months_is_enough_and_nothing_is_deemed(death: str, born: dt.date) -> None:
    out = _survivor(death, participant_birth_date=born, contribution_months=180, membership_months=180)
    assert (out["eligible"], out["deemed"], out["months_counted"]) == (True, False, 180)
    assert (out["monthly_total"], out["lump_sum_payable"], out["reason"]) == (750_000, 0, "")


@pytest.mark.parametrize(("recipient", "each"), [("widow_widower", 750_000), ("parent", 411_400), ("child", 375_000)])
def test_only_the_childrens_benefit_is_split_between_two_children(recipient: str, each: int) -> None:
    # the parent's 20 % (Rp300,000) is raised to the 2030 minimum in force (Rp411,400, art 18); the children's 50 %
    # is Rp750,000 together, Rp375,000 each
    out = _survivor(
        "2030-06-01",
        recipient=recipient,
        children=2,
        participant_birth_date=BORN_1971,
        contribution_months=180,
        membership_months=180,
    )
    assert out["monthly_per_recipient"] == each
    assert out["monthly_total"] == (750_000 if recipient == "child" else each)
