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

import numpy as np

from paritrana.projection import pensions
from paritrana.projection.assumptions import YearAssumptions
from paritrana.projection.axes import AGES, MAX_AGE, MIN_AGE, SEXES, Array, merge, older
from paritrana.projection.pensions import InPayment, bounded

__all__ = ["AGES", "MAX_AGE", "MIN_AGE", "SEXES", "Array", "Cells", "Demography", "InPayment"]


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
    child_mortality: Array = field(default_factory=lambda: np.zeros(pensions.CHILD_AGES))  # ages 0–29


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


def _entrants(demo: Demography, start_total: float, band_share: Array) -> Array:
    sex = np.array([1 - demo.entrant_female, demo.entrant_female])
    return demo.entrant_rate * start_total * demo.entrant_ages[:, None, None] * sex[None, :, None] * band_share


Progress = Callable[[int, int], None]


def project_jp(
    cells: Cells,
    demo: Demography,
    years: Sequence[YearAssumptions],
    fund: int,
    band_wage: Array,
    progress: Progress | None = None,
    in_payment: InPayment | None = None,
) -> ProgrammeResult:
    """JP: contributions on the wage up to the cap; the pensions in payment at the start (``in_payment``) and
    those the years add (old age, disability, widow(er)s, children, parents: ``pensions``), the lump sums under
    15 years of masa iur; the fund with its returns and costs."""
    ages = np.arange(MIN_AGE, MAX_AGE + 1)
    n, w, p, m = cells.jp.copy(), cells.wage.copy(), cells.jp_accrued.copy(), cells.jp_months.copy()
    # the lump-sum account per person (contributions plus returns): what was paid before is not in the cells
    acc = np.zeros_like(n)
    start_total = float(n.sum())
    band_share = n.sum(axis=(0, 1)) / start_total if start_total else np.full(cells.bands, 1 / cells.bands)
    entrant_wage = band_wage.copy()
    dn, dp, dm, dacc = (np.zeros_like(n) for _ in range(4))  # deferred members (left covered work)
    book = in_payment.copy() if in_payment is not None else InPayment()
    pending = 0.0  # lump sums of the year's deaths, paid the next year
    result = ProgrammeResult("JP")
    discount = 1.0
    for t, y in enumerate(years):
        # entries
        new = _entrants(demo, start_total, band_share)
        w = merge(n, w, new, entrant_wage[None, None, :])
        p, m, acc = merge(n, p, new, 0.0), merge(n, m, new, 0.0), merge(n, acc, new, 0.0)
        n = n + new
        # retirements (actives and deferred at or above the pension age of the year); children's pensions end
        retiring = (ages >= y.pension_age)[:, None, None]
        lump = 0.0
        cohort_n = cohort_pension = cohort_wage = 0.0
        for count, pension, months, account, is_active in ((n, p, m, acc, True), (dn, dp, dm, dacc, False)):
            eligible = retiring & (months >= y.min_months)
            paid = np.where(eligible, bounded(pension, y), 0.0)
            people = np.where(eligible, count, 0.0)
            per_age = people.sum(axis=2)
            book.old_age.join(per_age, np.divide((people * paid).sum(axis=2), per_age, where=per_age > 0,
                                                 out=np.zeros_like(per_age)))  # fmt: skip
            lump += float(np.where(retiring & ~eligible, count * account, 0.0).sum())
            if is_active:
                cohort_n += float(people.sum())
                cohort_pension += float((people * paid).sum())
                cohort_wage += float((people * w).sum())
        n, dn = np.where(retiring, 0.0, n), np.where(retiring, 0.0, dn)
        pensions.start_of_year(book, y)
        if cohort_n > 0:
            result.cohorts.append(
                CohortRate(y.year, y.year - y.pension_age, cohort_n, cohort_pension / cohort_n, cohort_wage / cohort_n)
            )
        # the year's money
        basis = np.minimum(w, y.wage_cap) * 12
        base = float((n * basis).sum())
        contributions = rupiah(y.jp_rate * base)
        costs = rupiah(y.cost_rate * contributions)
        lump_sums = rupiah(lump + pending)
        benefits = rupiah(12 * book.monthly()) + lump_sums
        invested = fund + contributions - benefits - costs
        returns = rupiah(y.return_jp * invested)
        end = invested + returns
        result.rows.append(
            YearRow(
                y.year, contributions, benefits, lump_sums, returns, costs, fund, end, float(n.sum()), book.people()
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
        # end-of-year decrements: the pensioners first (their survivors join), then the members
        q = demo.mortality[:, :, None]
        d = np.where(ages < y.pension_age, demo.disability, 0.0)[:, None, None]
        e = np.where(ages < y.pension_age, demo.exit, 0.0)[:, None, None]
        deaths, disabled = n * q, n * (1 - q) * d
        exits = n * (1 - q) * (1 - d) * e
        # the formula benefit with the masa iur deemed 15 years (Permenaker 29/2015 art 26)
        formula = p * np.maximum(1.0, 180 / np.maximum(m, 1))
        pensions.year_end(book, demo.mortality, demo.child_mortality, y)
        pending = 0.0
        for count, benefit, months, account in (
            (deaths, formula, m, acc),
            (dn * q, dp * np.maximum(1.0, 180 / np.maximum(dm, 1)), dm, dacc),
        ):
            covered = months >= 12
            none = pensions.survivors(book, np.where(covered, count, 0.0), benefit, y)
            pending += float((none * account).sum() + np.where(covered, 0.0, count * account).sum())
        disabled_per_age = disabled.sum(axis=2)
        deemed = (disabled * bounded(formula, y)).sum(axis=2)
        average = np.divide(deemed, disabled_per_age, where=disabled_per_age > 0, out=np.zeros_like(deemed))
        book.disability.join(disabled_per_age, average)
        pensions.a_year_older(book, y)
        dp, dm, dacc = merge(dn, dp, exits, p), merge(dn, dm, exits, m), merge(dn, dacc, exits, acc)
        dn = dn * (1 - demo.mortality[:, :, None]) + exits
        n = n - deaths - disabled - exits
        # a year older; wages grow, the wages counted are indexed by inflation (art 17(3))
        n, w, p, m, acc = (
            older(n),
            older(w) * (1 + y.wage_growth),
            older(p) * (1 + y.inflation),
            older(m),
            older(acc) * (1 + y.return_jp),
        )
        dn, dp, dm, dacc = older(dn), older(dp) * (1 + y.inflation), older(dm), older(dacc) * (1 + y.return_jp)
        entrant_wage = entrant_wage * (1 + y.wage_growth)
        if progress:
            progress(t + 1, len(years))
    _reserve_ratios(result.rows)
    return result


def bpu_nominal(income: Array, y: YearAssumptions) -> Array:
    """The nominal income of a self-employed (BPU) member's band (``bpu.income_band``): the first row whose limit
    is at or above the declared income; a row without a nominal value stands for the income itself."""
    out = np.full_like(income, np.nan)
    for upto, nominal in y.bpu_bands:
        fits = np.isnan(out) & (income <= upto if upto is not None else True)
        out = np.where(fits, income if nominal is None else nominal, out)
    return np.nan_to_num(out)


@dataclass
class _Savers:
    """One scheme's JHT members by age, sex and band: their number, wage (or declared income) and balance."""

    n: Array
    w: Array
    j: Array
    entrant_wage: Array
    start_total: float
    band_share: Array
    rate: Callable[[YearAssumptions], float]
    basis: Callable[[Array, YearAssumptions], Array]  # the monthly amount the rate is paid on

    @classmethod
    def of(
        cls,
        cells: Cells,
        band_wage: Array,
        rate: Callable[[YearAssumptions], float],
        basis: Callable[[Array, YearAssumptions], Array],
    ) -> _Savers:
        n = cells.jht.copy()
        total = float(n.sum())
        share = n.sum(axis=(0, 1)) / total if total else np.full(cells.bands, 1 / cells.bands)
        return cls(n, cells.wage.copy(), cells.jht_balance.copy(), band_wage.copy(), total, share, rate, basis)

    def yearly(self, y: YearAssumptions) -> Array:
        """Each member's contributions of the year."""
        return self.rate(y) * self.basis(self.w, y) * 12


def project_jht(
    cells: Cells,
    demo: Demography,
    years: Sequence[YearAssumptions],
    fund: int,
    band_wage: Array,
    retirement_age: int | None = None,
    progress: Progress | None = None,
    bpu: Cells | None = None,
    bpu_band_wage: Array | None = None,
) -> ProgrammeResult:
    """JHT: the wage earners' contributions on the whole wage, the self-employed's (``bpu``) on their band's
    nominal income (``bpu.jht_rate``, PP 46/2015 as amended); balances credited each year, paid out on exit,
    disability, death and on retirement (at ``retirement_age``, else the year's JP pension age: people work, and
    pay, until they retire; the full-payment age of 56 is below it); the fund earns the investment return."""
    ages = np.arange(MIN_AGE, MAX_AGE + 1)
    savers = [_Savers.of(cells, band_wage, lambda y: y.jht_rate, lambda w, y: w)]
    if bpu is not None:
        wages = bpu_band_wage if bpu_band_wage is not None else band_wage
        savers.append(_Savers.of(bpu, wages, lambda y: y.bpu_jht_rate, bpu_nominal))
    pending = 0.0
    result = ProgrammeResult("JHT")
    discount = 1.0
    for t, y in enumerate(years):
        age = retirement_age if retirement_age is not None else y.pension_age
        retiring = (ages >= age)[:, None, None]
        paid_out = due = base = members = 0.0
        for s in savers:
            new = _entrants(demo, s.start_total, s.band_share)
            s.w, s.j = merge(s.n, s.w, new, s.entrant_wage[None, None, :]), merge(s.n, s.j, new, 0.0)
            s.n = s.n + new
            paid_out += float(np.where(retiring, s.n * s.j, 0.0).sum())
            s.n = np.where(retiring, 0.0, s.n)
            due += float((s.n * s.yearly(y)).sum())
            base += float((s.n * s.basis(s.w, y) * 12).sum())
            members += float(s.n.sum())
        contributions = rupiah(due)
        costs = rupiah(y.cost_rate * contributions)
        lump_sums = rupiah(paid_out + pending)
        invested = fund + contributions - lump_sums - costs
        returns = rupiah(y.return_jht * invested)
        end = invested + returns
        result.rows.append(
            YearRow(y.year, contributions, lump_sums, lump_sums, returns, costs, fund, end, members, 0.0)
        )
        result.contribution_base.append(base)
        result.discount.append(discount)
        result.rates.append(y.jht_rate)
        discount /= 1 + y.return_jht
        fund = end
        q = demo.mortality[:, :, None]
        d = demo.disability[:, None, None]
        e = demo.exit[:, None, None]
        pending = 0.0
        for s in savers:
            s.j = (s.j + s.yearly(y)) * (1 + y.jht_credited)
            leaving = s.n * (q + (1 - q) * d + (1 - q) * (1 - d) * e)
            pending += float((leaving * s.j).sum())
            s.n = older(s.n - leaving)
            s.w, s.j = older(s.w) * (1 + y.wage_growth), older(s.j)
            s.entrant_wage = s.entrant_wage * (1 + y.wage_growth)
        if progress:
            progress(t + 1, len(years))
    _reserve_ratios(result.rows)
    return result


def _reserve_ratios(rows: list[YearRow]) -> None:
    for row, following in itertools.pairwise(rows):
        row.reserve_ratio = row.fund_end / following.benefits if following.benefits else None
