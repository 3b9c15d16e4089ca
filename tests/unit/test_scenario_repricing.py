"""How a benefit payment's amount is read from its claim's rule outputs (``scenarios.repricing.Payment``), without
a database: each kind of payment takes what its claim pays, a scholarship year what is left of the most a child
can receive after the earlier years."""

from __future__ import annotations

import datetime as dt
from typing import Any

from paritrana.claims.types import TYPES
from paritrana.scenarios.repricing import Kind, Payment, SchoolYear

ON = dt.date(2025, 1, 1)


def _year(eligible: bool, amount: int, most: int = 25) -> dict[str, Any]:
    return {"eligible": eligible, "amount": amount, "max_total_per_child": most}


def _scholarship(years: int) -> Payment:
    schedule = tuple(SchoolYear(1, "sd", n, 2024 + n) for n in range(1, years + 1))
    child = {"birth_date": "2015-01-01", "married": False, "working": False}
    inputs = {"trigger": "jkm_death", "contribution_months": 60, "children": [child]}
    return Payment(1, Kind.SCHOLARSHIP, f"child-1-{2024 + years}", TYPES["scholarship"], inputs, ON, schedule)


def test_a_scholarship_year_is_what_is_left_of_the_most_per_child() -> None:
    assert _scholarship(3).amount([_year(True, 10)] * 3) == 5  # 10 + 10 paid before: 5 left of 25
    assert _scholarship(2).amount([_year(True, 10)] * 2) == 10
    assert _scholarship(4).amount([_year(True, 10)] * 4) == 0  # nothing left: the schedule ended before
    # a refused earlier year ends the child's schedule: the later year pays nothing
    assert _scholarship(2).amount([_year(False, 0), _year(True, 10)]) == 0


def test_a_scholarship_year_is_computed_from_each_school_year_up_to_it() -> None:
    records = _scholarship(2).records()
    assert [(r["level"], r["year_in_level"], r["child_order"]) for r in records] == [("sd", 1, 1), ("sd", 2, 1)]
    assert [r["child_age"] for r in records] == [10, 11]  # on 1 July 2025 and 2026
    assert all(r["trigger"] == "jkm_death" and r["contribution_months"] == 60 for r in records)


def test_a_jkp_month_is_the_rule_for_its_month() -> None:
    jkp = Payment(1, Kind.INSTALMENT, "jkp-4", TYPES["jkp"], {"wage": 1, "month": 1}, ON)
    assert jkp.records() == [{"wage": 1, "month": 4}]
    assert jkp.amount([{"eligible": True, "benefit": 1_000_000}]) == 1_000_000
    assert jkp.amount([{"eligible": False, "benefit": 1_000_000}]) == 0


def test_a_lump_sum_pays_the_net_amount_where_the_rule_gives_one_and_a_pension_its_month() -> None:
    jht = Payment(1, Kind.LUMP_SUM, "", TYPES["jht_full"], {}, ON)
    assert jht.amount([{"eligible": True, "amount": 100, "net_amount": 95}]) == 95
    assert jht.amount([{"eligible": True, "amount": 100, "net_amount": None}]) == 100
    assert jht.amount([{"eligible": False, "amount": 100, "net_amount": 95}]) == 0
    out = {"eligible": True, "monthly_benefit": 750_000, "lump_sum_payable": 0}
    assert Payment(2, Kind.MONTHLY, "2032-03", TYPES["jp_old_age"], {}, ON).amount([out]) == 750_000
    lump = {"eligible": False, "monthly_benefit": 0, "lump_sum_payable": 31_000_000}
    assert Payment(3, Kind.LUMP_SUM, "", TYPES["jp_old_age"], {}, ON).amount([lump]) == 31_000_000
