"""The projection against arithmetic done by hand: one cohort, constant rates, no decrement but the last age.

A cohort of 1,000 participants aged 50 earning Rp 5,000,000 a month (under the cap) pays 3 % of it for the
years 50 to 59, retires at 60 with 1 % × its indexed wages counted (already 20 years' worth, 240 months, at
the start), and is paid that pension from 60 to 100 (41 payments, all at the start of the year). No wage
growth, no inflation, no indexation, no cost; the fund earns 7 % a year. The fund after the last payment
must be the value of those flows computed with the annuity formulas (rounding: at most half a rupiah per flow
and year)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from paritrana.projection.assumptions import YearAssumptions
from paritrana.projection.engine import AGES, MIN_AGE, Cells, Demography, project_jht, project_jp

N, WAGE, RATE, RETURN = 1000.0, 5_000_000, 0.03, 0.07
YEARS = 55  # ages 50 to 104: the cohort is gone at 101

YEAR = YearAssumptions(
    year=2030, wage_growth=0.0, inflation=0.0, pension_indexation=0.0, return_jp=RETURN, return_jht=RETURN,
    jht_credited=0.05, cost_rate=0.0, jp_rate=RATE, jht_rate=0.057, wage_cap=12_000_000, min_benefit=100_000,
    max_benefit=9_000_000, accrual=0.01, pension_age=60, min_months=180, survivor_share=0.5, child_share=0.5,
    parent_share=0.2, child_age_limit=23, married_share=0.0, children_share=0.0, parent_found=0.0,
    generation_gap=28, disabled_extra_mortality=0.0,
)  # fmt: skip


def one_cohort(accrued: float) -> Cells:
    cells = Cells.empty(1)
    a = 50 - MIN_AGE
    cells.jp[a, 0, 0] = cells.jht[a, 0, 0] = N
    cells.wage[a, 0, 0] = WAGE
    cells.jp_months[a, 0, 0] = 240
    cells.jp_accrued[a, 0, 0] = accrued
    return cells


def no_decrement() -> Demography:
    mortality = np.zeros((AGES, 2))
    mortality[-1, :] = 1.0  # everyone dies at the end of the year of age 100
    zero = np.zeros(AGES)
    return Demography(mortality, zero, zero, 0.0, zero, 0.4)


def years() -> list[YearAssumptions]:
    return [dataclasses.replace(YEAR, year=2030 + t) for t in range(YEARS)]


def test_one_cohort_against_the_annuity_by_hand() -> None:
    accrued = 0.01 * WAGE * 20  # 20 years already counted: Rp 1,000,000 a month
    result = project_jp(one_cohort(accrued), no_decrement(), years(), 0, np.array([WAGE]))
    v = 1 / (1 + RETURN)
    d = 1 - v
    # by hand: 10 contributions (ages 50-59) of 3 % × 5,000,000 × 12 × 1,000, an annuity-due
    contributions = RATE * WAGE * 12 * N * (1 - v**10) / d
    # the pension at 60: 1,000,000 + 1 % × 5,000,000 × 10 years = 1,500,000 a month; 41 payments from 60 to 100
    pension = accrued + 0.01 * WAGE * 10
    assert pension == 1_500_000
    benefits = 12 * pension * N * (1 - v**41) / d * v**10
    expected_end = (contributions - benefits) * (1 + RETURN) ** YEARS
    tolerance = 2 * YEARS * (1 + RETURN) ** YEARS  # two roundings of half a rupiah a year, grown to the end
    assert result.rows[-1].fund_end == pytest.approx(expected_end, abs=tolerance)
    # each year's flows, as the hand would write them
    assert [r.contributions for r in result.rows[:11]] == [1_800_000_000] * 10 + [0]
    assert {r.benefits for r in result.rows[10:51]} == {18_000_000_000}
    assert [r.benefits for r in result.rows[51:]] == [0] * (YEARS - 51)
    # the cohort's replacement rate: 1,500,000 / 5,000,000
    (cohort,) = result.cohorts
    assert (cohort.year, cohort.birth_year, cohort.new_pensioners) == (2040, 1980, N)
    assert cohort.replacement_rate == pytest.approx(0.3)


def test_under_fifteen_years_the_lump_sum_is_the_contributions_with_their_returns() -> None:
    cells = one_cohort(0.0)
    cells.jp_months[:] = 0  # 10 years of masa iur at 60: under 180 months, a lump sum
    result = project_jp(cells, no_decrement(), years(), 0, np.array([WAGE]))
    yearly = RATE * WAGE * 12 * N
    # the account: each year's contribution grown at 7 % to the start of the year of 60
    by_hand = sum(yearly * (1 + RETURN) ** (10 - k) for k in range(10))
    assert result.rows[10].lump_sums == pytest.approx(by_hand, abs=1)
    assert all(r.benefits == 0 for r in result.rows[11:])


def test_jht_balance_paid_on_retirement_by_hand() -> None:
    result = project_jht(one_cohort(0.0), no_decrement(), years(), 0, np.array([WAGE]), retirement_age=56)
    yearly = 0.057 * WAGE * 12
    balance = sum(yearly * 1.05 ** (6 - k) for k in range(6))  # ages 50-55, credited 5 % a year
    assert result.rows[6].benefits == pytest.approx(balance * N, abs=1)
    assert [r.contributions for r in result.rows[:7]] == [3_420_000_000] * 6 + [0]


def test_the_self_employed_pay_jht_on_their_band_s_nominal_income_by_hand() -> None:
    bpu = Cells.empty(3)
    a = 30 - MIN_AGE
    incomes = [500_000, 3_000_000, 25_000_000]  # under the first band; a declared income; over the top
    bpu.jht[a, 1] = [100, 50, 10]
    bpu.wage[a, 1] = incomes
    bands = ((1_000_000.0, 1_000_000.0), (20_700_000.0, None), (None, 20_700_000.0))  # bpu.income_band of 2015
    ys = [dataclasses.replace(y, bpu_jht_rate=0.02, bpu_bands=bands) for y in years()[:2]]
    result = project_jht(Cells.empty(3), no_decrement(), ys, 0, np.zeros(3), bpu=bpu, bpu_band_wage=np.zeros(3))
    nominal = 100 * 1_000_000 + 50 * 3_000_000 + 10 * 20_700_000
    assert result.rows[0].contributions == 0.02 * 12 * nominal == 109_680_000
    assert result.rows[0].contributors == 160
    # the balances credited at 5 % are paid at retirement: none yet, the fund only grows
    assert result.rows[1].benefits == 0 and result.rows[1].contributions == 109_680_000
