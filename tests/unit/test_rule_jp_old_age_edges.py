"""Two edges of the JP old-age pension, by hand.

- The lump sum of a masa iur under 180 months (UU 40/2004 art 41(4); PP 45/2015 art 15(4)) is the accumulated
  contributions and returns the agency knows: when the record does not give it, nothing is paid as a lump sum
  (the reason still says a lump sum is due).
- An unknown bound (PP 45/2015 art 18: the minimum and maximum adjusted each year; a value not found is null) makes
  the benefit of a row of a file unknown, whichever bound is unknown: a benefit bounded by one side only would be
  paid without the law's other limit. With the law in force both bounds are unknown together (March 2017 to
  February 2020), so each case is a scenario over the law (``overlay``) where one bound is unknown from 2030.
"""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_one
from paritrana.rules.base import get_rule
from paritrana.rules.batch import prepare
from paritrana.rules.fetch import rows_of
from paritrana.rules.inputs import records_table
from paritrana.rules.overlay import overlay
from paritrana.rules.parameters import Parameter, ParameterValue, load_parameters

BORN_1965 = {"birth_date": dt.date(1965, 4, 10), "average_wage": 5_000_000}


def test_a_short_masa_iur_without_the_accumulated_amount_pays_no_lump_sum() -> None:
    # PP 45/2015 art 15: born 10 April 1965, 57 on 10 April 2022 when the pension age is 58 (2022-2024), 58 on
    # 10 April 2023: the pension date. A claim of 1 June 2024 with 100 months: no pension, a lump sum.
    out = compute_one("jp_old_age_benefit", "2024-06-01", {**BORN_1965, "contribution_months": 100}).outputs
    assert out["pension_date"] == dt.date(2023, 4, 10)
    assert (out["eligible"], out["monthly_benefit"], out["lump_sum_payable"]) == (False, 0, 0)
    assert out["reason"].startswith("masa iur under 180 months")
    given = compute_one("jp_old_age_benefit", "2024-06-01", {**BORN_1965, "contribution_months": 100, "lump_sum": 1})
    assert given.outputs["lump_sum_payable"] == 1


def _unknown_from_2030(name: str) -> Parameter:
    law = load_parameters()[name]
    unknown = ParameterValue(dt.date(2030, 3, 1), None, "a scenario: the adjustment of 2030 not yet published")
    return Parameter(name, law.unit, law.description, (unknown,), "scenario.yaml", law.columns)


@pytest.mark.parametrize("unknown", ["jp.min_benefit", "jp.max_benefit"])
def test_a_row_dated_when_one_bound_is_unknown_gets_no_benefit(unknown: str) -> None:
    parameters = overlay(load_parameters(), {unknown: _unknown_from_2030(unknown)})
    rule = get_rule("jp_old_age_benefit")
    # 240 months on Rp5,000,000: 1 % x 240 / 12 x 5,000,000 = Rp1,000,000, inside both bounds in force
    claim = {**BORN_1965, "contribution_months": 240}
    records = [{**claim, "date": dt.date(2030, 2, 28)}, {**claim, "date": dt.date(2030, 3, 1)}]
    rows = rows_of(prepare(rule, records_table(rule, records), parameters=parameters).table)
    assert [r["formula_benefit"] for r in rows] == [1_000_000, 1_000_000]
    assert [r["eligible"] for r in rows] == [True, True]
    assert rows[0]["monthly_benefit"] == 1_000_000  # the day before, both bounds known
    assert rows[1]["monthly_benefit"] is None
