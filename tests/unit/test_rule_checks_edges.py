"""The checks a rule declares across several inputs, at their edges: the record on the edge is taken, the one just
past it is refused naming the field (decision 0042). Each edge is written by hand with its reading; none is read
from the rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from paritrana.rules import compute_one
from paritrana.rules.errors import InvalidInput

JHT_WITHDRAWAL = {"event": "age_56", "balance": 40_000_000, "birth_date": dt.date(1968, 5, 1)}
JKP = {
    "month": 1,
    "wage": 4_000_000,
    "separation": "termination",
    "age_at_registration": 30,
    "claim_date": dt.date(2024, 5, 10),
}
JP_SURVIVOR = {
    "recipient": "widow_widower",
    "average_wage": 2_000_000,
    "participant_birth_date": dt.date(1980, 1, 1),
}

# (rule, date, record on the edge (taken), record just past it (refused), the field named, the reading)
EDGES: list[tuple[str, str, dict[str, Any], dict[str, Any], str, str]] = [
    (
        "jht_yearly_return",
        "2020-12-31",
        {"opening_balance": 1_000_000, "contributions": 120_000, "first_month": 7, "last_month": 7},
        {"opening_balance": 1_000_000, "contributions": 120_000, "first_month": 7, "last_month": 6},
        "last_month",
        "PP 46/2015 art 22(2): contributions of one month only (first = last) are a year's credit; a last month"
        " before the first is not",
    ),
    (
        "jht_withdrawal",
        "2024-05-01",
        {**JHT_WITHDRAWAL, "membership_start": dt.date(1968, 5, 1), "event_date": dt.date(2024, 5, 1)},
        {**JHT_WITHDRAWAL, "membership_start": dt.date(1968, 4, 30), "event_date": dt.date(2024, 5, 1)},
        "membership_start",
        "a membership cannot start before the participant's birth (the day of birth is the edge)",
    ),
    (
        "jht_withdrawal",
        "2024-05-01",
        {
            **JHT_WITHDRAWAL,
            "event": "death",
            "membership_start": dt.date(1968, 5, 1),
            "event_date": dt.date(1968, 5, 1),
        },
        {
            **JHT_WITHDRAWAL,
            "event": "death",
            "membership_start": dt.date(1968, 5, 1),
            "event_date": dt.date(1968, 4, 30),
        },
        "event_date",
        "an event of the participant's life cannot come before the birth (the day of birth is the edge)",
    ),
    (
        "jkp_benefit",
        "2024-05-01",
        {**JKP, "contribution_months": 12, "consecutive_months": 12},
        {**JKP, "contribution_months": 12, "consecutive_months": 13},
        "consecutive_months",
        "PP 37/2021 art 19: the consecutive months are among the contribution months, never more",
    ),
    (
        "jp_survivor_benefit",
        "2024-02-29",
        {**JP_SURVIVOR, "contribution_months": 40, "membership_months": 40},
        {**JP_SURVIVOR, "contribution_months": 41, "membership_months": 40},
        "contribution_months",
        "PP 45/2015: contributions are paid during the membership, so never for more months than it lasted",
    ),
    (
        "construction_contributions",
        "2024-05-01",
        {"wages_known": True, "wage": 1},
        {"wages_known": True, "wage": 0},
        "wage",
        "Permenaker 44/2015 art 3: with the wages known the contribution is on the wages: some must be given",
    ),
    (
        "construction_contributions",
        "2024-05-01",
        {"wages_known": False, "contract_value": 1},
        {"wages_known": False, "contract_value": 0},
        "contract_value",
        "Permenaker 44/2015 art 2: without the wages the contribution is on the contract value: it must be given",
    ),
    (
        "jkk_disability_benefit",
        "2024-05-01",
        {
            "wage": 5_000_000,
            "disability_type": "partial_functional",
            "body_part": "one_eye",
            "function_lost_percent": 1,
        },
        {
            "wage": 5_000_000,
            "disability_type": "partial_functional",
            "body_part": "one_eye",
            "function_lost_percent": 0,
        },
        "function_lost_percent",
        "PP 44/2015 Lampiran III: a partial functional disability has lost some function",
    ),
    (
        "jkk_disability_benefit",
        "2024-05-01",
        {"wage": 5_000_000, "disability_type": "total_permanent", "body_part": ""},
        {"wage": 5_000_000, "disability_type": "partial_anatomical", "body_part": ""},
        "body_part",
        "PP 44/2015 Lampiran III: a partial disability is of a body part of the table; a total one of none",
    ),
    (
        "migrant_contributions",
        "2023-03-01",
        {"package_months": 24, "jht_monthly": 50_000},
        {"package_months": 24, "jht_monthly": 49_999},
        "jht_monthly",
        "Permenaker 18/2018: a migrant worker's voluntary JHT is at least Rp50,000 a month",
    ),
    (
        "migrant_contributions",
        "2023-03-01",
        {"package_months": 24, "jht_monthly": 600_000},
        {"package_months": 24, "jht_monthly": 600_001},
        "jht_monthly",
        "Permenaker 18/2018: a migrant worker's voluntary JHT is at most Rp600,000 a month",
    ),
]


@pytest.mark.parametrize(
    ("rule", "on", "taken", "refused", "field", "reading"), EDGES, ids=[f"{e[0]}.{e[4]}" for e in EDGES]
)
def test_a_check_takes_its_edge_and_refuses_one_past_it(
    rule: str, on: str, taken: dict[str, Any], refused: dict[str, Any], field: str, reading: str
) -> None:
    compute_one(rule, on, taken)  # not refused
    with pytest.raises(InvalidInput) as error:
        compute_one(rule, on, refused)
    assert error.value.field == field, reading
