"""Each default a rule declares for an input, pinned by its reading: a record that leaves the field out is
computed as the one giving the default written here (by hand, never read from the rule), and giving another
value changes the result (so the record is one where the default matters; decision 0042).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from paritrana.rules import compute_one


@dataclass(frozen=True)
class Default:
    rule: str
    field: str
    value: Any  # the default, as the law or the practice reads a missing value
    other: Any  # another value, which must change the result for this record
    on: str
    record: dict[str, Any]
    reading: str

    @property
    def id(self) -> str:
        return f"{self.rule}.{self.field}"


PU = {"wage": 5_000_000, "risk_group": 1}
JHT_YEAR = {"opening_balance": 20_000_000, "contributions": 1_200_000}
JKK_PARTIAL = {"wage": 5_000_000, "disability_type": "partial_functional", "body_part": "one_eye"}
JKP = {
    "month": 3,
    "wage": 4_000_000,
    "separation": "termination",
    "contribution_months": 12,
    "consecutive_months": 6,
    "age_at_registration": 30,
    "claim_date": dt.date(2024, 5, 10),
}
JP_SURVIVOR = {
    "recipient": "child",
    "contribution_months": 40,
    "membership_months": 40,
    "average_wage": 2_000_000,
    "participant_birth_date": dt.date(1980, 1, 1),
}
SCHOLARSHIP = {"trigger": "jkm_death", "child_order": 1, "level": "sd", "year_in_level": 1, "child_age": 8}
JHT_WITHDRAWAL = {
    "event": "partial_other",
    "balance": 40_000_000,
    "birth_date": dt.date(1980, 5, 1),
    "event_date": dt.date(2024, 5, 1),
    "membership_start": dt.date(2010, 1, 1),
}

DEFAULTS = [
    Default("pu_contributions", "in_jp", True, False, "2024-05-01", PU, "PP 45/2015 art 4: JP is compulsory"),
    Default("pu_contributions", "in_jkp", True, False, "2024-05-01", PU, "PP 37/2021 art 4: a PU worker is in JKP"),
    Default(
        "pu_contributions",
        "employer_in_arrears",
        False,
        True,
        "2024-05-01",
        PU,
        "arrears are a fact to show (PP 49/2023 art 16A(3)); none is assumed",
    ),
    Default(
        "bpu_contributions",
        "with_jht",
        False,
        True,
        "2024-05-01",
        {"declared_income": 1_000_000},
        "Permenaker 5/2021: JHT is a choice of the BPU participant; JKK and JKM are the compulsory pair",
    ),
    Default(
        "bpu_contributions",
        "months",
        1,
        3,
        "2024-05-01",
        {"declared_income": 1_000_000},
        "a BPU bill is for one month unless several are paid at once",
    ),
    Default(
        "bpu_sponsored_package",
        "months",
        1,
        2,
        "2024-05-01",
        {"persons": 10},
        "a sponsored package is priced for one month unless a longer period is given",
    ),
    Default(
        "jkm_benefit",
        "work_accident",
        False,
        True,
        "2024-05-01",
        {"membership_active": True},
        "PP 44/2015 art 34: JKM unless the death is shown to be from work (then JKK)",
    ),
    Default(
        "jkm_benefit",
        "active_memberships",
        1,
        2,
        "2024-05-01",
        {"membership_active": True},
        "PP 44/2015 art 34: one JKM for the membership of the death",
    ),
    Default(
        "jht_yearly_return",
        "contributions",
        0,
        1_200_000,
        "2020-12-31",
        {"opening_balance": 20_000_000},
        "PP 46/2015 art 22(2): no contribution credited in the year unless given",
    ),
    Default(
        "jht_yearly_return",
        "first_month",
        1,
        7,
        "2020-12-31",
        JHT_YEAR,
        "PP 46/2015 art 22(2): contributions credited from January unless a later first month is given",
    ),
    Default(
        "jht_yearly_return",
        "last_month",
        12,
        6,
        "2020-12-31",
        JHT_YEAR,
        "PP 46/2015 art 22(2): contributions credited to December unless an earlier last month is given",
    ),
    Default(
        "jht_yearly_return",
        "declared_rate_bp",
        0,
        500,
        "2020-12-31",
        JHT_YEAR,
        "0: the rate BPJS TK declared for the year (jht.return_rate) applies",
    ),
    Default(
        "jht_withdrawal",
        "partial_taken_before",
        False,
        True,
        "2024-05-01",
        JHT_WITHDRAWAL,
        "PP 46/2015 art 22(4)-(6): a partial withdrawal is once; none taken unless given",
    ),
    Default(
        "jkk_disability_benefit",
        "function_lost_percent",
        100,
        50,
        "2024-05-01",
        JKK_PARTIAL,
        "PP 44/2015 Lampiran III: a function lost wholly unless a share is assessed",
    ),
    Default(
        "jkk_reimbursement",
        "care_months",
        0,
        13,
        "2024-05-01",
        {"kind": "home_care", "claimed": 10_000_000},
        "PP 82/2019 Lampiran III A.1.m: home care for at most 12 months; none counted unless given",
    ),
    Default(
        "jkp_benefit",
        "citizen",
        True,
        False,
        "2024-05-01",
        JKP,
        "PP 37/2021 art 4: JKP is for Indonesian citizens; a participant is one unless said otherwise",
    ),
    Default(
        "jp_survivor_benefit",
        "children",
        1,
        2,
        "2024-02-29",
        JP_SURVIVOR,
        "PP 45/2015 art 18: the children's pension for one child unless two receive it",
    ),
    Default(
        "jp_survivor_benefit",
        "lump_sum",
        0,
        5_000_000,
        "2024-02-29",
        {**JP_SURVIVOR, "contribution_months": 10, "membership_months": 10, "recipient": "parent"},
        "PP 45/2015 art 18: no accumulated contributions and returns unless given",
    ),
    Default(
        "scholarship_benefit",
        "contribution_months",
        0,
        36,
        "2022-01-10",
        SCHOLARSHIP,
        "PP 82/2019 art 34: a JKM death gives the scholarship after 3 years of contributions; none counted unless"
        " given",
    ),
    Default(
        "scholarship_benefit",
        "married",
        False,
        True,
        "2022-01-10",
        {**SCHOLARSHIP, "trigger": "jkk_death"},
        "Permenaker 5/2021: a child loses the scholarship on marrying; unmarried unless said",
    ),
    Default(
        "scholarship_benefit",
        "working",
        False,
        True,
        "2022-01-10",
        {**SCHOLARSHIP, "trigger": "jkk_death"},
        "Permenaker 5/2021: a child loses the scholarship on working; not working unless said",
    ),
    Default(
        "construction_contributions",
        "wages_known",
        False,
        True,
        "2024-05-01",
        {"contract_value": 80_000_000, "wage": 10_000_000},
        "Permenaker 44/2015 arts 2-3: on the contract value unless the wages are known",
    ),
    Default(
        "migrant_contributions",
        "extra_months",
        0,
        6,
        "2023-03-01",
        {"package_months": 24},
        "Permenaker 4/2023 art 18: the package only, no extension unless given",
    ),
    Default(
        "migrant_contributions",
        "jht_monthly",
        0,
        100_000,
        "2023-03-01",
        {"package_months": 24},
        "Permenaker 18/2018: JHT is voluntary for a migrant worker; none unless given",
    ),
]


def _outputs(rule: str, on: str, record: dict[str, Any]) -> dict[str, Any]:
    return dict(compute_one(rule, on, record).outputs)


@pytest.mark.parametrize("default", DEFAULTS, ids=[d.id for d in DEFAULTS])
def test_a_field_left_out_takes_its_legal_default(default: Default) -> None:
    left_out = _outputs(default.rule, default.on, default.record)
    assert left_out == _outputs(default.rule, default.on, {**default.record, default.field: default.value}), (
        default.reading
    )
    other = _outputs(default.rule, default.on, {**default.record, default.field: default.other})
    assert other != left_out, f"the record does not show the default of {default.field}: choose another"
