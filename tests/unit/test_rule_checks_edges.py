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

Edge = tuple[str, str, dict[str, Any], dict[str, Any], str, str]


def edge(rule: str, on: str, record: dict[str, Any], changed: str, taken: Any, refused: Any, reading: str) -> Edge:
    """The record with ``changed`` on the edge (taken) and just past it (refused, naming ``changed``)."""
    return rule, on, {**record, changed: taken}, {**record, changed: refused}, changed, reading


# (rule, date, record on the edge (taken), record just past it (refused), the field named, the reading)
YEAR = {"opening_balance": 1_000_000, "contributions": 120_000, "first_month": 7}
BIRTH = {**JHT_WITHDRAWAL, "membership_start": dt.date(1968, 5, 1), "event_date": dt.date(2024, 5, 1)}
PARTIAL = {"wage": 5_000_000, "disability_type": "partial_functional", "body_part": "one_eye"}
JHT_MIGRANT = "Permenaker 18/2018: a migrant worker's voluntary JHT is at least Rp50,000 and at most Rp600,000 a month"
ONE_MONTH = "PP 46/2015 art 22(2): one month's contributions (first = last) are credited; a last before the first not"
BORN = "an event of the participant's life cannot come before the birth (the day of birth is the edge)"
AMONG = "PP 37/2021 art 19: the consecutive months are among the contribution months, never more"
DURING = "PP 45/2015: contributions are paid during the membership, so never for more months than it lasted"
ON_WAGES = "Permenaker 44/2015 art 3: with the wages known the contribution is on the wages: some must be given"
ON_VALUE = "Permenaker 44/2015 art 2: without the wages the contribution is on the contract value: it must be given"
SOME_LOST = "PP 44/2015 Lampiran III: a partial functional disability has lost some function"
OF_A_PART = "PP 44/2015 Lampiran III: a partial disability is of a body part of the table; a total one of none"
D = dt.date
EDGES: list[Edge] = [
    edge("jht_yearly_return", "2020-12-31", YEAR, "last_month", 7, 6, ONE_MONTH),
    edge("jht_withdrawal", "2024-05-01", BIRTH, "membership_start", D(1968, 5, 1), D(1968, 4, 30), BORN),
    edge(
        "jht_withdrawal", "2024-05-01", {**BIRTH, "event": "death"}, "event_date", D(1968, 5, 1), D(1968, 4, 30), BORN
    ),
    edge("jkp_benefit", "2024-05-01", {**JKP, "contribution_months": 12}, "consecutive_months", 12, 13, AMONG),
    edge(
        "jp_survivor_benefit",
        "2024-02-29",
        {**JP_SURVIVOR, "membership_months": 40},
        "contribution_months",
        40,
        41,
        DURING,
    ),
    edge("construction_contributions", "2024-05-01", {"wages_known": True}, "wage", 1, 0, ON_WAGES),
    edge("construction_contributions", "2024-05-01", {"wages_known": False}, "contract_value", 1, 0, ON_VALUE),
    edge("jkk_disability_benefit", "2024-05-01", PARTIAL, "function_lost_percent", 1, 0, SOME_LOST),
    (
        "jkk_disability_benefit",
        "2024-05-01",
        {"wage": 5_000_000, "disability_type": "total_permanent", "body_part": ""},
        {"wage": 5_000_000, "disability_type": "partial_anatomical", "body_part": ""},
        "body_part",
        OF_A_PART,
    ),
    edge("migrant_contributions", "2023-03-01", {"package_months": 24}, "jht_monthly", 50_000, 49_999, JHT_MIGRANT),
    edge("migrant_contributions", "2023-03-01", {"package_months": 24}, "jht_monthly", 600_000, 600_001, JHT_MIGRANT),
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
