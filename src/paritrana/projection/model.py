"""A whole projection: the demography from the assumptions, JP and JHT over the horizon, the balancing JP rate.

Pure: no Django. ``run`` takes the cells (from the registry or a snapshot, see ``cells``) and a parameter set
(``assumptions.baseline()`` or a scenario's overlay).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from paritrana.projection import engine
from paritrana.projection.assumptions import table, year_values
from paritrana.projection.engine import AGES, MAX_AGE, MIN_AGE, Array, Cells, Demography, ProgrammeResult
from paritrana.projection.pensions import CHILD_AGES, InPayment
from paritrana.rules.parameters import Parameter

HORIZON = 75
STEP_EVERY, STEPS = 5, 5  # the step path: a rise every 5 years, 5 rises


def _interpolated(rows: tuple[dict[str, object], ...], column: str, first: int = MIN_AGE) -> Array:
    """Yearly probabilities from rows every few years: log-linear between rows, 1 from the last row's age; under
    the first row's age, the first row's."""
    xs = np.array([int(str(r["age"])) for r in rows], dtype=float)
    qs = np.array([float(str(r[column])) for r in rows])
    ages = np.arange(first, first + (AGES if first == MIN_AGE else CHILD_AGES), dtype=float)
    logq = np.interp(ages, xs, np.log(np.maximum(qs, 1e-12)))
    out = np.minimum(1.0, np.exp(logq))
    out[ages >= xs[-1]] = 1.0
    return out


def _steps(rows: tuple[dict[str, object], ...], column: str) -> Array:
    """A value by age from rows that each hold from their age on."""
    ages = np.arange(MIN_AGE, MAX_AGE + 1)
    out = np.zeros(AGES)
    for row in sorted(rows, key=lambda r: int(str(r["age"]))):
        out[ages >= int(str(row["age"]))] = float(str(row[column]))
    return out


def demography(params: Mapping[str, Parameter], year: int) -> Demography:
    mortality = np.stack(
        [_interpolated(table(params, "projection.mortality", year), c) for c in ("male", "female")], axis=1
    )
    entrant_ages = np.zeros(AGES)
    for row in table(params, "projection.entrant_age", year):
        entrant_ages[int(str(row["age"])) - MIN_AGE] += float(str(row["share"]))
    on = dt.date(year, 7, 1)
    children = np.mean(
        [_interpolated(table(params, "projection.mortality", year), c, first=0) for c in ("male", "female")], axis=0
    )
    return Demography(
        mortality=mortality,
        disability=_steps(table(params, "projection.disability", year), "rate"),
        exit=_steps(table(params, "projection.exit", year), "rate"),
        entrant_rate=float(params["projection.new_entrant_rate"].at(on).value),
        entrant_ages=entrant_ages / entrant_ages.sum() if entrant_ages.sum() else entrant_ages,
        entrant_female=float(params["projection.entrant_female_share"].at(on).value),
        child_mortality=children,
    )


def band_limits(params: Mapping[str, Parameter], year: int) -> list[int | None]:
    return [row["upto"] for row in table(params, "projection.wage_bands", year)]


@dataclass(frozen=True)
class BalancingRate:
    level: float  # the JP rate that balances the fund over the horizon
    step: float  # the size of each rise of the step path
    path: tuple[tuple[int, float], ...]  # (from year, rate)


@dataclass
class Projection:
    start_year: int
    jp: ProgrammeResult
    jht: ProgrammeResult
    balancing: BalancingRate
    uncertain: tuple[str, ...]  # the names of the assumptions and parameters used that are marked uncertain


def balancing_rate(result: ProgrammeResult, current: float, cost_rate: float, start_year: int) -> BalancingRate:
    """The JP rate (a level, and a step path from today's) whose contributions, at the assumed returns, pay the
    benefits and costs of the horizon from the fund at its start: fund(0) + PV(rate × (1 − costs) × wages) =
    PV(pensions) + PV(lump sums). The lump sums (the contributions, with their returns, of members with under
    15 years) are proportional to the rate: each year's are taken as the rate of its year × the baseline's
    lump sums ÷ the baseline's rate (exact for a level rate, the accounts starting empty; near for the steps)."""
    d = np.array(result.discount)
    base = np.array(result.contribution_base)
    lumps = np.array([r.lump_sums for r in result.rows], dtype=float)
    pensions = np.array([r.benefits for r in result.rows], dtype=float) - lumps
    per_rate = np.divide(lumps, result.rates, out=np.zeros_like(lumps), where=np.array(result.rates) > 0)
    need = float((pensions * d).sum()) - result.rows[0].fund_start
    pv_base = float((base * d).sum()) * (1 - cost_rate) - float((per_rate * d).sum())
    level = need / pv_base if pv_base else 0.0
    k = np.array([min(STEPS, t // STEP_EVERY) for t in range(len(base))], dtype=float)
    pv_steps = float((k * base * d).sum()) * (1 - cost_rate) - float((k * per_rate * d).sum())
    step = (need - current * pv_base) / pv_steps if pv_steps else 0.0
    path = tuple((start_year + i * STEP_EVERY, current + i * step) for i in range(STEPS + 1))
    return BalancingRate(level, step, path)


def uncertain_names(params: Mapping[str, Parameter], used: tuple[str, ...], start: dt.date) -> tuple[str, ...]:
    out = []
    for name in used:
        p = params[name]
        if any(v.uncertain for v in p.values if v.effective >= start) or p.at(max(start, p.first_effective)).uncertain:
            out.append(name)
    return tuple(out)


USED = (
    "projection.wage_growth", "projection.gdp_growth", "projection.inflation", "projection.pension_indexation",
    "projection.investment_return", "projection.jht_credited_return", "projection.cost_rate",
    "projection.mortality", "projection.disabled_extra_mortality", "projection.disability", "projection.exit",
    "projection.new_entrant_rate", "projection.entrant_age", "projection.entrant_female_share",
    "projection.married_share", "projection.children_share", "projection.parent_share",
    "projection.generation_gap", "jp.child_age_limit", "jp.employer_rate", "jp.worker_rate", "jp.wage_cap", "jp.min_benefit",
    "jp.max_benefit", "jp.accrual_rate", "jp.pension_age", "jp.survivor_share", "jht.pu.employer_rate",
    "jht.pu.worker_rate", "bpu.jht_rate", "bpu.income_band",
)  # fmt: skip


def run(
    cells: Cells,
    band_wage: Array,
    params: Mapping[str, Parameter],
    start_year: int,
    jp_fund: int,
    jht_fund: int,
    horizon: int = HORIZON,
    progress: engine.Progress | None = None,
    in_payment: InPayment | None = None,
    bpu: tuple[Cells, Array] | None = None,
) -> Projection:
    """The projection of ``cells`` (the wage earners at the start), ``bpu`` (the self-employed in JHT, with the
    average income of each band) and ``in_payment`` (the JP pensions being paid)."""
    years = year_values(params, range(start_year, start_year + horizon))
    demo = demography(params, start_year)

    def half(offset: int) -> engine.Progress | None:
        return None if progress is None else (lambda done, total: progress(offset + done, 2 * total))

    jp = engine.project_jp(cells, demo, years, jp_fund, band_wage, half(0), in_payment)
    bpu_cells, bpu_wage = bpu if bpu is not None else (None, None)
    jht = engine.project_jht(cells, demo, years, jht_fund, band_wage, None, half(horizon), bpu_cells, bpu_wage)
    balancing = balancing_rate(jp, years[0].jp_rate, years[0].cost_rate, start_year)
    return Projection(start_year, jp, jht, balancing, uncertain_names(params, USED, dt.date(start_year, 1, 1)))
