"""Each bound a rule declares on an input, pinned: the bound itself is taken, one past it is refused naming the
field (decision 0042). The bounds are written here by hand with their reading, never read from the rule: a
rule whose bound moved by one (the mutation run's off-by-one) fails here.

Two kinds of bound. A *legal* one says what the law counts: months of a year (1-12), the six JKP benefit
months (PP 37/2021 art 21), the JKP contribution months counted within 24 months before the PHK (PP 37/2021
art 19), at most two children receiving JP (PP 45/2015 art 18), a percentage (0-100), a rate of at most 100 %.
A *plausibility* one guards against typing mistakes and keeps the integer arithmetic within 64 bits (the wage
caps of Rp10 bn a month, balances of Rp1 trillion, 1,200 months = 100 years); no regulation sets it, so it is
pinned as declared, and the reading says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from paritrana.rules import compute_one
from paritrana.rules.errors import InvalidInput

PLAUSIBLE = "plausibility bound (no regulation sets it)"


@dataclass(frozen=True)
class Bound:
    rule: str
    field: str
    low: int | None
    high: int | None
    on: str
    record: dict[str, Any] = field(default_factory=dict)
    reading: str = PLAUSIBLE

    @property
    def id(self) -> str:
        return f"{self.rule}.{self.field}"


JHT_WITHDRAWAL = {
    "event": "age_56",
    "balance": 40_000_000,
    "birth_date": dt.date(1968, 5, 1),
    "event_date": dt.date(2024, 5, 1),
    "membership_start": dt.date(2000, 1, 1),
}
JHT_YEAR = {"opening_balance": 20_000_000, "contributions": 1_200_000, "declared_rate_bp": 500}
JKP = {
    "month": 3,
    "wage": 4_000_000,
    "separation": "termination",
    "contribution_months": 24,
    "consecutive_months": 6,
    "age_at_registration": 30,
    "claim_date": dt.date(2024, 5, 10),
}
JP_OLD_AGE = {"contribution_months": 180, "average_wage": 5_000_000, "birth_date": dt.date(1971, 1, 15)}
JP_SURVIVOR = {
    "recipient": "child",
    "contribution_months": 40,
    "membership_months": 1200,
    "average_wage": 2_000_000,
    "participant_birth_date": dt.date(1980, 1, 1),
}
SCHOLARSHIP = {"trigger": "jkk_death", "child_order": 1, "level": "sd", "year_in_level": 1, "child_age": 8}
MONTHS_OF_A_YEAR = "PP 46/2015 art 22(2): the return is of a calendar year, months 1 (January) to 12 (December)"
RUPIAH_NOT_NEGATIVE = "an amount in rupiah is never negative"

BOUNDS = [
    Bound("jht_withdrawal", "balance", 0, 10**12, "2024-05-01", JHT_WITHDRAWAL, f"{RUPIAH_NOT_NEGATIVE}; {PLAUSIBLE}"),
    Bound("jht_yearly_return", "opening_balance", 0, 10**12, "2020-12-31", JHT_YEAR),
    Bound("jht_yearly_return", "contributions", 0, 10**12, "2020-12-31", JHT_YEAR),
    Bound("jht_yearly_return", "first_month", 1, 12, "2020-12-31", {**JHT_YEAR, "last_month": 12}, MONTHS_OF_A_YEAR),
    Bound("jht_yearly_return", "last_month", 1, 12, "2020-12-31", {**JHT_YEAR, "first_month": 1}, MONTHS_OF_A_YEAR),
    Bound(
        "jht_yearly_return",
        "declared_rate_bp",
        0,
        10_000,
        "2020-12-31",
        JHT_YEAR,
        "basis points of a declared rate: 0 (use the declared jht.return_rate) to 10,000 (100 %)",
    ),
    Bound("jkk_death_benefit", "wage", 0, 10**10, "2024-05-01", {}),
    Bound("jkk_temporary_incapacity", "wage", 0, 10**10, "2024-05-01", {"months": 12}),
    Bound("jkk_temporary_incapacity", "months", 0, 600, "2024-05-01", {"wage": 5_000_000}),
    Bound("jkk_disability_benefit", "wage", 0, 10**10, "2024-05-01", {"disability_type": "total_permanent"}),
    Bound(
        "jkk_disability_benefit",
        "function_lost_percent",
        0,
        100,
        "2024-05-01",
        {"wage": 5_000_000, "disability_type": "partial_anatomical", "body_part": "one_eye"},
        "PP 44/2015 Lampiran III: a share of a function lost, 0 to 100 %",
    ),
    Bound(
        "jkk_disability_benefit",
        "assessed_percent",
        0,
        100,
        "2024-05-01",
        {"wage": 5_000_000, "disability_type": "total_permanent"},
        "PP 44/2015 Lampiran III: a doctor's assessment in per cent, 0 to 100",
    ),
    Bound(
        "jkk_disability_benefit",
        "hearing_loss_db",
        0,
        200,
        "2024-05-01",
        {"wage": 5_000_000, "disability_type": "total_permanent"},
    ),
    Bound("jkk_reimbursement", "claimed", 0, 10**10, "2024-05-01", {"kind": "land"}),
    Bound("jkk_reimbursement", "care_months", 0, 600, "2024-05-01", {"kind": "home_care", "claimed": 1_000_000}),
    Bound("jkm_benefit", "contribution_months", 0, 1200, "2024-05-01", {"membership_active": True}),
    Bound(
        "jkm_benefit",
        "active_memberships",
        1,
        20,
        "2024-05-01",
        {"membership_active": True},
        "PP 44/2015 art 34: JKM is paid for a death during a membership: at least one (one per membership)",
    ),
    Bound("jkp_benefit", "month", 1, 6, "2024-05-01", JKP, "PP 37/2021 art 21: the cash benefit is paid for 6 months"),
    Bound("jkp_benefit", "wage", 0, None, "2024-05-01", JKP, RUPIAH_NOT_NEGATIVE),
    Bound(
        "jkp_benefit",
        "contribution_months",
        0,
        24,
        "2024-05-01",
        {**JKP, "consecutive_months": 0},
        "PP 37/2021 art 19: contributions counted within the 24 months before the PHK",
    ),
    Bound(
        "jkp_benefit",
        "consecutive_months",
        0,
        24,
        "2024-05-01",
        JKP,
        "PP 37/2021 art 19: consecutive months within the same 24 months",
    ),
    Bound("jkp_benefit", "age_at_registration", 0, None, "2024-05-01", JKP, "an age in whole years"),
    Bound("jp_old_age_benefit", "contribution_months", 0, 1200, "2032-02-01", JP_OLD_AGE),
    Bound("jp_old_age_benefit", "average_wage", 0, None, "2032-02-01", JP_OLD_AGE, RUPIAH_NOT_NEGATIVE),
    Bound("jp_old_age_benefit", "lump_sum", 0, None, "2032-02-01", JP_OLD_AGE, RUPIAH_NOT_NEGATIVE),
    Bound(
        "jp_survivor_benefit",
        "children",
        1,
        2,
        "2024-02-29",
        JP_SURVIVOR,
        "PP 45/2015 art 18: the children's pension (MPA) is paid for at most 2 children; a child benefit has one",
    ),
    Bound("jp_survivor_benefit", "contribution_months", 0, 1200, "2024-02-29", JP_SURVIVOR),
    Bound(
        "jp_survivor_benefit",
        "membership_months",
        0,
        1200,
        "2024-02-29",
        {**JP_SURVIVOR, "contribution_months": 0},
    ),
    Bound("jp_survivor_benefit", "average_wage", 0, None, "2024-02-29", JP_SURVIVOR, RUPIAH_NOT_NEGATIVE),
    Bound("jp_survivor_benefit", "lump_sum", 0, None, "2024-02-29", JP_SURVIVOR, RUPIAH_NOT_NEGATIVE),
    Bound("scholarship_benefit", "contribution_months", 0, 1200, "2022-01-10", SCHOLARSHIP),
    Bound(
        "scholarship_benefit",
        "child_order",
        1,
        30,
        "2022-01-10",
        SCHOLARSHIP,
        f"the first child is child 1; the upper end a {PLAUSIBLE}",
    ),
    Bound(
        "scholarship_benefit",
        "year_in_level",
        1,
        20,
        "2022-01-10",
        SCHOLARSHIP,
        f"the first school year is year 1; the upper end a {PLAUSIBLE}",
    ),
    Bound("scholarship_benefit", "child_age", 0, 100, "2022-01-10", SCHOLARSHIP),
    Bound("bpu_contributions", "declared_income", 0, None, "2024-05-01", {}, RUPIAH_NOT_NEGATIVE),
    Bound("bpu_sponsored_package", "persons", 0, 300_000_000, "2024-05-01", {}, "more than Indonesia's population"),
    Bound(
        "bpu_sponsored_package",
        "months",
        1,
        12,
        "2024-05-01",
        {"persons": 1},
        "one month to one budget year (APBN/APBD) paid at once",
    ),
    Bound(
        "construction_contributions",
        "contract_value",
        0,
        10**15,
        "2024-05-01",
        {"wages_known": True, "wage": 10_000_000},
        f"{RUPIAH_NOT_NEGATIVE}; {PLAUSIBLE}",
    ),
    Bound(
        "construction_contributions",
        "wage",
        0,
        10**15,
        "2024-05-01",
        {"contract_value": 80_000_000},
        f"{RUPIAH_NOT_NEGATIVE}; {PLAUSIBLE}",
    ),
    Bound("late_payment_penalty", "contribution", 0, 10**13, "2024-05-01", {"payment_date": dt.date(2024, 6, 15)}),
    Bound("migrant_contributions", "extra_months", 0, 120, "2023-03-01", {"package_months": 24}),
    Bound(
        "migrant_contributions",
        "jht_monthly",
        0,
        None,
        "2023-03-01",
        {"package_months": 24},
        "0 is no JHT (Permenaker 18/2018: JHT is voluntary for a migrant worker)",
    ),
]


def _refusal(bound: Bound, value: int) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        compute_one(bound.rule, bound.on, {**bound.record, bound.field: value})
    return refused.value


@pytest.mark.parametrize("bound", BOUNDS, ids=[b.id for b in BOUNDS])
def test_each_bound_is_taken_and_one_past_it_is_refused_naming_the_field(bound: Bound) -> None:
    for taken in (bound.low, bound.high):
        if taken is not None:
            compute_one(bound.rule, bound.on, {**bound.record, bound.field: taken})  # not refused
    if bound.low is not None:
        assert _refusal(bound, bound.low - 1).field == bound.field, bound.reading
    if bound.high is not None:
        assert _refusal(bound, bound.high + 1).field == bound.field, bound.reading
