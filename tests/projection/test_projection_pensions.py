"""The JP pensions in payment and the survivors' pensions against arithmetic done by hand (decision 0039).

Each case is one cell: pensioners in payment at the start, or members whose deaths leave a widow(er), a child or
a parent; no wage growth, the probabilities of dying set by hand, no entrants."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from paritrana.projection.engine import AGES, MIN_AGE, Cells, Demography, project_jp
from paritrana.projection.pensions import InPayment
from tests.projection.test_projection_closed_form import YEAR

WAGE = 5_000_000


def demography(q: float, at: int | None = None) -> Demography:
    """Everyone dies with probability ``q`` a year (only at the age ``at`` if given), everyone at 100."""
    mortality = np.zeros((AGES, 2))
    if at is None:
        mortality[:] = q
    else:
        mortality[at - MIN_AGE, :] = q
    mortality[-1, :] = 1.0
    zero = np.zeros(AGES)
    return Demography(mortality, zero, zero, 0.0, zero, 0.4)


def years(n: int, **changed: float) -> list:  # type: ignore[type-arg]
    return [dataclasses.replace(YEAR, year=2027 + t, **changed) for t in range(n)]  # type: ignore[arg-type]


def test_one_cell_of_old_age_pensioners_in_payment_by_hand() -> None:
    book = InPayment()
    book.place("old_age", 70, 0, 1000, 1000 * 2_000_000, gap=28, limit=23)
    # indexed 3 % a year; 2 % die each year, half leave a widow on half the pension (the same age, a woman)
    ys = years(3, pension_indexation=0.03, married_share=0.5)
    result = project_jp(Cells.empty(1), demography(0.02), ys, 0, np.array([WAGE]), in_payment=book)
    # year 1: 12 × 1,000 × 2,000,000
    assert result.rows[0].benefits == 24_000_000_000
    # year 2: 980 pensioners at 2,060,000; 10 widows at 1,000,000 × 1.03
    assert result.rows[1].benefits == 12 * (980 * 2_060_000 + 10 * 1_030_000) == 24_349_200_000
    # year 3: 960.4 at 2,121,800; widows 9.8 left + 9.8 new at 1,030,000, all indexed to 1,060,900
    assert result.rows[2].benefits == pytest.approx(12 * (960.4 * 2_121_800 + 19.6 * 1_060_900), abs=1)
    assert result.rows[2].benefits == 24_702_844_320
    assert [round(r.pensioners, 6) for r in result.rows] == [1000, 990, 980]
    for row in result.rows:  # the fund conserves to the rupiah with the pensions in payment
        assert row.fund_end == row.fund_start + row.contributions + row.returns - row.benefits - row.costs
    assert book.old_age.n.sum() == 1000  # the projection took a copy


def test_deaths_of_members_leave_a_widow_a_child_and_a_parent_by_hand() -> None:
    cells = Cells.empty(1)
    a = 40 - MIN_AGE
    cells.jp[a, 0, 0], cells.wage[a, 0, 0], cells.jp_months[a, 0, 0], cells.jp_accrued[a, 0, 0] = (
        1000, WAGE, 240, 1_000_000,
    )  # fmt: skip
    family = {"married_share": 0.6, "children_share": 0.5, "parent_found": 0.5}
    result = project_jp(cells, demography(0.01, at=40), years(13, **family), 0, np.array([WAGE]))
    # 10 die at 40 after a year's accrual: the formula 1,000,000 + 1 % × 5,000,000 = 1,050,000 (masa iur 252)
    # 6 widows at 50 %, 525,000; of the 4 left, half leave a child of 12 at 50 %, 525,000 (to the age of 23);
    # of the 2 left, half a mother at 20 %, 210,000; the last one's heirs take the account, 3 % × 60,000,000
    pensions = 12 * (6 * 525_000 + 2 * 525_000 + 1 * 210_000)
    assert result.rows[0].benefits == 0
    assert result.rows[1].lump_sums == 1_800_000
    assert result.rows[1].benefits == pensions + 1_800_000 == 54_720_000
    # the child is 13 in the second year, 22 in the eleventh: the children's pension ends at 23
    assert [r.benefits for r in result.rows[2:11]] == [pensions] * 9
    assert result.rows[11].benefits == 12 * (6 * 525_000 + 210_000) == 40_320_000
    assert result.rows[1].pensioners == pytest.approx(9)


def test_a_widows_death_passes_the_pension_to_a_child_under_the_limit() -> None:
    book = InPayment()
    book.place("widow_widower", 40, 0, 100, 100 * 600_000, gap=28, limit=23)  # a widow of 40, the husband's age
    assert book.widow.n[40 - MIN_AGE, 1] == 100
    result = project_jp(Cells.empty(1), demography(1.0, at=40), years(13, children_share=1.0), 0,
                        np.array([WAGE]), in_payment=book)  # fmt: skip
    # the widows all die at the end of the first year; their children (12) take 50 % of the same formula benefit
    # (1,200,000): 600,000, from 13 to 22
    assert [r.benefits for r in result.rows[:11]] == [12 * 100 * 600_000] * 11
    assert result.rows[11].benefits == 0


def test_a_childs_pension_in_payment_ends_at_the_age_limit() -> None:
    book = InPayment()
    book.place("child", 40, 0, 1, 500_000, gap=28, limit=23)  # the participant 40: the child taken as 12
    book.place("parent", 40, 0, 1, 200_000, gap=28, limit=23)  # the mother taken as 68
    assert book.child.n[12] == 1 and book.parent.n[68 - MIN_AGE, 1] == 1
    result = project_jp(Cells.empty(1), demography(0.0), years(13), 0, np.array([WAGE]), in_payment=book)
    assert [r.benefits for r in result.rows] == [12 * 700_000] * 11 + [12 * 200_000] * 2
