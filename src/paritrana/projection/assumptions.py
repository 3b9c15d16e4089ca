"""The projection's assumptions and the law's parameters, as one dated set a scenario file can override.

The assumptions are a parameter file (``assumptions/baseline.yaml``) in the format of the law's
(``rules/parameters``), read and checked by the same code. A scenario file in that format overrides any
assumption or any of the law's parameters (``jp.employer_rate``, ``jp.wage_cap``, ``jp.pension_age`` …)
from the first date it gives: the values before it are kept, its own replace the rest (decision 0024).
Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paritrana.rules.errors import ParameterError
from paritrana.rules.overlay import overlay
from paritrana.rules.parameters import Parameter, ParameterSet, load_parameter_file, load_parameters

ASSUMPTIONS_DIR = Path(__file__).parent / "assumptions"


def baseline() -> ParameterSet:
    """The law's parameters and the baseline assumptions, one set."""
    law = dict(load_parameters())
    own = load_parameters(ASSUMPTIONS_DIR)
    return ParameterSet({**law, **dict(own)})


def with_scenario(path: Path | None) -> ParameterSet:
    """The baseline, overridden by the scenario file at ``path`` if any (checked like the law's files)."""
    base = baseline()
    return base if path is None else overlay(base, load_parameter_file(path))


@dataclass(frozen=True)
class YearAssumptions:
    """The values in force in one projected year (on 1 July), as floats for the expected-value arithmetic."""

    year: int
    wage_growth: float
    inflation: float
    pension_indexation: float
    return_jp: float
    return_jht: float
    jht_credited: float
    cost_rate: float
    jp_rate: float
    jht_rate: float
    wage_cap: float
    min_benefit: float
    max_benefit: float
    accrual: float
    pension_age: int
    min_months: int
    survivor_share: float  # the widow(er)'s share of the participant's pension
    child_share: float  # the children's (together)
    parent_share: float  # a parent's
    child_age_limit: int  # the children's pension ends at this age
    married_share: float  # of those who die: leaving a widow(er)
    children_share: float  # of the rest: leaving a child (when the generation gap makes one young enough)
    parent_found: float  # of those leaving neither: leaving a parent
    generation_gap: int
    disabled_extra_mortality: float
    bpu_jht_rate: float = 0.0  # the self-employed's JHT rate, of their band's nominal income
    bpu_bands: tuple[tuple[float | None, float | None], ...] = ()  # (up to, nominal: None = the income itself)


def _f(value: Any) -> float:
    return float(value)


def _indexed(p: Parameter, on: dt.date, growth: list[float]) -> float:
    """A published amount (the JP wage cap, minimum, maximum) in force on ``on``; after its last known value it
    grows each year by ``growth`` (the assumption of the years after the value took effect)."""
    value = p.at(on)
    if value.value is None:  # an unknown past value: the projection starts later
        raise ParameterError(f"{p.name} on {on} is not known")
    amount = float(value.value)
    last = p.values[-1]
    if value is last and on.year > last.effective.year:
        for y in range(last.effective.year + 1, on.year + 1):
            amount *= 1 + growth[y]
    return amount


def year_values(params: Mapping[str, Parameter], years: range) -> list[YearAssumptions]:
    """The assumptions and law in force in each of ``years``."""
    horizon = range(min(years) - 60, max(years) + 1)
    on = {y: dt.date(y, 7, 1) for y in horizon}

    def rate(name: str, y: int, key: str | None = None) -> float:
        p = params[name]
        value = p.at(max(on[y], p.first_effective)).value
        return _f(value[key] if key is not None else value)

    gdp = {y: rate("projection.gdp_growth", y) for y in horizon}
    infl = {y: rate("projection.inflation", y) for y in horizon}
    gdp_list = [gdp.get(y, 0.0) for y in range(max(years) + 1)]
    infl_list = [infl.get(y, 0.0) for y in range(max(years) + 1)]
    out = []
    for y in years:
        out.append(
            YearAssumptions(
                year=y,
                wage_growth=rate("projection.wage_growth", y),
                inflation=infl[y],
                pension_indexation=rate("projection.pension_indexation", y),
                return_jp=rate("projection.investment_return", y, "jp"),
                return_jht=rate("projection.investment_return", y, "jht"),
                jht_credited=rate("projection.jht_credited_return", y),
                cost_rate=rate("projection.cost_rate", y),
                jp_rate=rate("jp.employer_rate", y) + rate("jp.worker_rate", y),
                jht_rate=rate("jht.pu.employer_rate", y) + rate("jht.pu.worker_rate", y),
                wage_cap=_indexed(params["jp.wage_cap"], on[y], gdp_list),
                min_benefit=_indexed(params["jp.min_benefit"], on[y], infl_list),
                max_benefit=_indexed(params["jp.max_benefit"], on[y], infl_list),
                accrual=rate("jp.accrual_rate", y),
                pension_age=int(params["jp.pension_age"].at(dt.date(y, 1, 1)).value),
                min_months=int(params["jp.min_contribution_months"].at(on[y]).value),
                survivor_share=rate("jp.survivor_share", y, "widow_widower"),
                child_share=rate("jp.survivor_share", y, "child"),
                parent_share=rate("jp.survivor_share", y, "parent"),
                child_age_limit=int(rate("jp.child_age_limit", y)),
                married_share=rate("projection.married_share", y),
                children_share=rate("projection.children_share", y),
                parent_found=rate("projection.parent_share", y),
                generation_gap=int(rate("projection.generation_gap", y)),
                disabled_extra_mortality=rate("projection.disabled_extra_mortality", y),
                bpu_jht_rate=rate("bpu.jht_rate", y),
                bpu_bands=tuple(
                    (
                        _f(r["upto"]) if r["upto"] is not None else None,
                        _f(r["nominal"]) if r["nominal"] is not None else None,
                    )
                    for r in table(params, "bpu.income_band", y)
                ),
            )
        )
    return out


def table(params: Mapping[str, Parameter], name: str, year: int) -> tuple[dict[str, Any], ...]:
    """The rows of a table assumption in force in ``year``."""
    return tuple(params[name].at(dt.date(year, 7, 1)).value)
