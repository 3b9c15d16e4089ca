"""The cohort projection of JP and JHT, year by year, over cells of participants (age × sex × wage band).

Pure (numpy; no Django). Numbers of people and amounts per person are expected values (floats); each year's
money totals (contributions, benefits, returns, costs) are rounded half up to the rupiah, and the fund is an
integer carried as fund(t+1) = fund(t) + contributions + returns − benefits − costs (decision 0024).

Timing: entries and retirements on 1 January; contributions, pensions and the lump sums due are paid at the
start of the year (an annuity-due), the return earned on the fund after those flows over the year; deaths,
disability and exits at the end of the year (their lump sums are paid the next year); then everyone is a year
older, wages grow and pensions are indexed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from paritrana.projection.assumptions import YearAssumptions

MIN_AGE, MAX_AGE = 15, 100
AGES = MAX_AGE - MIN_AGE + 1
SEXES = ("M", "F")
Array = np.ndarray[Any, np.dtype[np.float64]]


def rupiah(amount: float) -> int:
    """A year's total, half up to the rupiah (the one rounding of the projection's money)."""
    return math.floor(amount + 0.5)


@dataclass
class Cells:
    """Participants at the start of the projection, by age (15–100) × sex × wage band."""

    jp: Array  # JP contributors
    jht: Array  # JHT contributors
    wage: Array  # average monthly wage, rupiah
    jp_months: Array  # average masa iur (months of JP paid)
    jp_accrued: Array  # average accrued monthly JP pension (1 % × the indexed wages counted so far)
    jht_balance: Array  # average JHT balance

    @classmethod
    def empty(cls, bands: int) -> Cells:
        shape = (AGES, 2, bands)
        return cls(*(np.zeros(shape) for _ in range(6)))

    @property
    def bands(self) -> int:
        return int(self.jp.shape[2])


@dataclass(frozen=True)
class Demography:
    """Yearly probabilities by age (index 0 = age 15) and sex; entrants' ages, sexes and wage bands."""

    mortality: Array  # (AGES, 2)
    disability: Array  # (AGES,)
    exit: Array  # (AGES,)
    entrant_rate: float
    entrant_ages: Array  # (AGES,) shares
    entrant_female: float


@dataclass
class YearRow:
    year: int
    contributions: int
    benefits: int
    lump_sums: int  # of which lump sums
    returns: int
    costs: int
    fund_start: int
    fund_end: int
    contributors: float
    pensioners: float
    reserve_ratio: float | None = None  # fund at the end ÷ next year's benefits


@dataclass
class CohortRate:
    year: int
    birth_year: int
    new_pensioners: float
    average_pension: float
    average_final_wage: float

    @property
    def replacement_rate(self) -> float:
        return self.average_pension / self.average_final_wage if self.average_final_wage else 0.0


@dataclass
class ProgrammeResult:
    programme: str
    rows: list[YearRow] = field(default_factory=list)
    cohorts: list[CohortRate] = field(default_factory=list)
    contribution_base: list[float] = field(default_factory=list)  # the year's wages on which the rate is paid
    discount: list[float] = field(default_factory=list)  # value at the start of the first year of 1 rupiah
    rates: list[float] = field(default_factory=list)  # the contribution rate of each year

    @property
    def exhaustion_year(self) -> int | None:
        return next((r.year for r in self.rows if r.fund_end < 0), None)


def _merge(n: Array, x: Array, n_add: Array, x_add: Array | float) -> Array:
    """The average of ``x`` after ``n_add`` people with ``x_add`` join the ``n`` people with ``x``."""
    total = n + n_add
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, (n * x + n_add * x_add) / np.where(total > 0, total, 1), 0.0)
    return np.asarray(out, dtype=np.float64)


def _join(n: Array, x: Array, people: Array, values: Array) -> tuple[Array, Array]:
    """A group of beneficiaries by age and sex (``n`` people with the average ``x``) after ``people`` with
    ``values`` (by age, sex and wage band) join it: its new count and average."""
    per_age = people.sum(axis=2)
    average = np.divide((people * values).sum(axis=2), per_age, where=per_age > 0, out=np.zeros_like(per_age))
    return n + per_age, _merge(n, x, per_age, average)


def _older(a: Array) -> Array:
    """Everyone a year older; the oldest age is left empty (its probability of dying is 1)."""
    out = np.zeros_like(a)
    out[1:] = a[:-1]
    return out


def _entrants(demo: Demography, start_total: float, band_share: Array) -> Array:
    sex = np.array([1 - demo.entrant_female, demo.entrant_female])
    return demo.entrant_rate * start_total * demo.entrant_ages[:, None, None] * sex[None, :, None] * band_share


def _bounded(amount: Array, y: YearAssumptions) -> Array:
    return np.clip(amount, y.min_benefit, y.max_benefit)


Progress = Callable[[int, int], None]


def project_jp(
    cells: Cells,
    demo: Demography,
    years: Sequence[YearAssumptions],
    fund: int,
    band_wage: Array,
    progress: Progress | None = None,
) -> ProgrammeResult:
    """JP: contributions on the wage up to the cap; old-age, disability and widow(er)s' pensions, the lump
    sums under 15 years of masa iur; the fund with its returns and costs."""
    ages = np.arange(MIN_AGE, MAX_AGE + 1)
    n, w, p, m = cells.jp.copy(), cells.wage.copy(), cells.jp_accrued.copy(), cells.jp_months.copy()
    # the lump-sum account per person (contributions plus returns): what was paid before is not in the cells
    acc = np.zeros_like(n)
    start_total = float(n.sum())
    band_share = n.sum(axis=(0, 1)) / start_total if start_total else np.full(cells.bands, 1 / cells.bands)
    entrant_wage = band_wage.copy()
    dn, dp, dm, dacc = (np.zeros_like(n) for _ in range(4))  # deferred members (left covered work)
    shape2 = (AGES, 2)
    rn, rb, inn, ib, sn, sb = (np.zeros(shape2) for _ in range(6))  # old-age, disabled, survivors: count, pension
    pending = 0.0  # lump sums of the year's deaths, paid the next year
    result = ProgrammeResult("JP")
    discount = 1.0
    for t, y in enumerate(years):
        # entries
        new = _entrants(demo, start_total, band_share)
        w = _merge(n, w, new, entrant_wage[None, None, :])
        p, m, acc = _merge(n, p, new, 0.0), _merge(n, m, new, 0.0), _merge(n, acc, new, 0.0)
        n = n + new
        # retirements (actives and deferred at or above the pension age of the year)
        retiring = (ages >= y.pension_age)[:, None, None]
        lump = 0.0
        cohort_n = cohort_pension = cohort_wage = 0.0
        for count, pension, months, account, is_active in ((n, p, m, acc, True), (dn, dp, dm, dacc, False)):
            eligible = retiring & (months >= y.min_months)
            paid = np.where(eligible, _bounded(pension, y), 0.0)
            people = np.where(eligible, count, 0.0)
            rn, rb = _join(rn, rb, people, paid)
            lump += float(np.where(retiring & ~eligible, count * account, 0.0).sum())
            if is_active:
                cohort_n += float(people.sum())
                cohort_pension += float((people * paid).sum())
                cohort_wage += float((people * w).sum())
        n, dn = np.where(retiring, 0.0, n), np.where(retiring, 0.0, dn)
        if cohort_n > 0:
            result.cohorts.append(
                CohortRate(y.year, y.year - y.pension_age, cohort_n, cohort_pension / cohort_n, cohort_wage / cohort_n)
            )
        # the year's money
        basis = np.minimum(w, y.wage_cap) * 12
        base = float((n * basis).sum())
        contributions = rupiah(y.jp_rate * base)
        costs = rupiah(y.cost_rate * contributions)
        pensions = 12 * float((rn * rb).sum() + (inn * ib).sum() + (sn * sb).sum())
        lump_sums = rupiah(lump + pending)
        benefits = rupiah(pensions) + lump_sums
        invested = fund + contributions - benefits - costs
        returns = rupiah(y.return_jp * invested)
        end = invested + returns
        result.rows.append(
            YearRow(
                y.year,
                contributions,
                benefits,
                lump_sums,
                returns,
                costs,
                fund,
                end,
                float(n.sum()),
                float(rn.sum() + inn.sum() + sn.sum()),
            )
        )
        result.contribution_base.append(base)
        result.discount.append(discount)
        result.rates.append(y.jp_rate)
        discount /= 1 + y.return_jp
        fund = end
        # accrual of the year's contributions
        p = p + y.accrual * basis / 12
        m = m + 12
        acc = acc + y.jp_rate * basis
        # end-of-year decrements
        q = demo.mortality[:, :, None]
        d = np.where(ages < y.pension_age, demo.disability, 0.0)[:, None, None]
        e = np.where(ages < y.pension_age, demo.exit, 0.0)[:, None, None]
        deaths, disabled = n * q, n * (1 - q) * d
        exits = n * (1 - q) * (1 - d) * e
        deemed = _bounded(p * np.maximum(1.0, 180 / np.maximum(m, 1)), y)
        # pensioners and survivors die first (new widow(er)s join after)
        q_disabled = np.minimum(1.0, demo.mortality + y.disabled_extra_mortality)
        dying_old, dying_disabled = rn * demo.mortality, inn * q_disabled
        rn, inn, sn = rn - dying_old, inn - dying_disabled, sn * (1 - demo.mortality)
        for dying, pension in ((dying_old, rb), (dying_disabled, ib)):
            widow = np.clip(y.survivor_share * pension, y.min_benefit, y.max_benefit)
            sn, sb = _add_survivors(sn, sb, dying[:, :, None] * y.married_share, widow[:, :, None])
        pending = 0.0
        for count, pension, months, account in (
            (deaths, deemed, m, acc),
            (dn * q, _bounded(dp * np.maximum(1.0, 180 / np.maximum(dm, 1)), y), dm, dacc),
        ):
            covered = months >= 12
            widows = np.where(covered, count * y.married_share, 0.0)
            share = np.clip(y.survivor_share * pension, y.min_benefit, y.max_benefit)
            sn, sb = _add_survivors(sn, sb, widows, share)
            pending += float(np.where(covered, count * (1 - y.married_share) * account, count * account).sum())
        inn, ib = _join(inn, ib, disabled, deemed)
        dp, dm, dacc = _merge(dn, dp, exits, p), _merge(dn, dm, exits, m), _merge(dn, dacc, exits, acc)
        dn = dn * (1 - demo.mortality[:, :, None]) + exits
        n = n - deaths - disabled - exits
        # a year older; wages grow, the wages counted and the pensions are indexed
        n, w, p, m, acc = (
            _older(n),
            _older(w) * (1 + y.wage_growth),
            _older(p) * (1 + y.inflation),
            _older(m),
            _older(acc) * (1 + y.return_jp),
        )
        dn, dp, dm, dacc = _older(dn), _older(dp) * (1 + y.inflation), _older(dm), _older(dacc) * (1 + y.return_jp)
        rn, rb = _older(rn), _older(rb) * (1 + y.pension_indexation)
        inn, ib = _older(inn), _older(ib) * (1 + y.pension_indexation)
        sn, sb = _older(sn), _older(sb) * (1 + y.pension_indexation)
        entrant_wage = entrant_wage * (1 + y.wage_growth)
        if progress:
            progress(t + 1, len(years))
    _reserve_ratios(result.rows)
    return result


def _add_survivors(sn: Array, sb: Array, count: Array, pension: Array) -> tuple[Array, Array]:
    """Widow(er)s of the same age and the other sex join the survivors with ``pension`` each."""
    per = count.sum(axis=2)[:, ::-1]
    amount = (count * np.broadcast_to(pension, count.shape)).sum(axis=2)[:, ::-1]
    average = np.divide(amount, per, where=per > 0, out=np.zeros_like(per))
    return sn + per, _merge(sn, sb, per, average)


def project_jht(
    cells: Cells,
    demo: Demography,
    years: Sequence[YearAssumptions],
    fund: int,
    band_wage: Array,
    retirement_age: int | None = None,
    progress: Progress | None = None,
) -> ProgrammeResult:
    """JHT: contributions on the whole wage, balances credited each year, paid out on exit, disability,
    death and on retirement (at ``retirement_age``, else the year's JP pension age: people work, and pay, until
    they retire; the full-payment age of 56 is below it); the fund earns the investment return."""
    ages = np.arange(MIN_AGE, MAX_AGE + 1)
    n, w, j = cells.jht.copy(), cells.wage.copy(), cells.jht_balance.copy()
    start_total = float(n.sum())
    band_share = n.sum(axis=(0, 1)) / start_total if start_total else np.full(cells.bands, 1 / cells.bands)
    entrant_wage = band_wage.copy()
    pending = 0.0
    result = ProgrammeResult("JHT")
    discount = 1.0
    for t, y in enumerate(years):
        new = _entrants(demo, start_total, band_share)
        w, j = _merge(n, w, new, entrant_wage[None, None, :]), _merge(n, j, new, 0.0)
        n = n + new
        age = retirement_age if retirement_age is not None else y.pension_age
        retiring = (ages >= age)[:, None, None] & np.ones_like(n, dtype=bool)
        paid_out = float((n * j)[retiring].sum())
        n = np.where(retiring, 0.0, n)
        base = float((n * w * 12).sum())
        contributions = rupiah(y.jht_rate * base)
        costs = rupiah(y.cost_rate * contributions)
        lump_sums = rupiah(paid_out + pending)
        invested = fund + contributions - lump_sums - costs
        returns = rupiah(y.return_jht * invested)
        end = invested + returns
        result.rows.append(
            YearRow(y.year, contributions, lump_sums, lump_sums, returns, costs, fund, end, float(n.sum()), 0.0)
        )
        result.contribution_base.append(base)
        result.discount.append(discount)
        result.rates.append(y.jht_rate)
        discount /= 1 + y.return_jht
        fund = end
        j = (j + y.jht_rate * w * 12) * (1 + y.jht_credited)
        q = demo.mortality[:, :, None]
        d = demo.disability[:, None, None]
        e = demo.exit[:, None, None]
        leaving = n * (q + (1 - q) * d + (1 - q) * (1 - d) * e)
        pending = float((leaving * j).sum())
        n = n - leaving
        n, w, j = _older(n), _older(w) * (1 + y.wage_growth), _older(j)
        entrant_wage = entrant_wage * (1 + y.wage_growth)
        if progress:
            progress(t + 1, len(years))
    _reserve_ratios(result.rows)
    return result


def _reserve_ratios(rows: list[YearRow]) -> None:
    for row, following in itertools.pairwise(rows):
        row.reserve_ratio = row.fund_end / following.benefits if following.benefits else None
