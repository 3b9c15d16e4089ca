"""The whole model on the baseline assumptions: conservation to the rupiah, the balancing rate, overrides."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import numpy as np
import pytest

from paritrana.projection import assumptions, model
from paritrana.projection.engine import MIN_AGE, Cells, InPayment
from paritrana.rules.errors import ParameterError
from paritrana.rules.overlay import overlay
from paritrana.rules.parameters import Parameter, ParameterSet, ParameterValue


def population() -> tuple[Cells, np.ndarray]:
    """A plausible start: 100,000 participants spread over ages 20–58, both sexes, the six wage bands."""
    rng = np.random.default_rng(18)
    cells = Cells.empty(6)
    wages = np.array([1_800_000, 2_900_000, 4_200_000, 6_500_000, 9_800_000, 16_000_000], dtype=float)
    for age in range(20, 59):
        for sex in (0, 1):
            n = rng.uniform(100, 2000, 6)
            i = age - MIN_AGE
            cells.jht[i, sex] = n
            cells.jp[i, sex] = n * 0.7
            cells.wage[i, sex] = wages
            cells.jp_months[i, sex] = min(120, 12 * (age - 20))
            cells.jp_accrued[i, sex] = 0.01 * np.minimum(wages, 11_086_300) * cells.jp_months[i, sex] / 12
            cells.jht_balance[i, sex] = 0.057 * wages * 12 * min(10, age - 20)
    return cells, wages


@pytest.fixture(scope="module")
def baseline_run() -> model.Projection:
    cells, wages = population()
    return model.run(cells, wages, assumptions.baseline(), 2027, 5_000_000_000_000, 9_000_000_000_000)


def test_conservation_every_year_to_the_rupiah(baseline_run: model.Projection) -> None:
    for result in (baseline_run.jp, baseline_run.jht):
        assert len(result.rows) == 75
        fund = result.rows[0].fund_start
        for row in result.rows:
            for amount in (row.contributions, row.benefits, row.returns, row.costs, row.fund_end):
                assert isinstance(amount, int)
            assert row.fund_start == fund
            assert row.fund_end == row.fund_start + row.contributions + row.returns - row.benefits - row.costs
            fund = row.fund_end
        assert any(r.benefits > 0 for r in result.rows) and any(r.returns != 0 for r in result.rows)


def test_reserve_ratio_exhaustion_and_the_balancing_rate(baseline_run: model.Projection) -> None:
    rows = baseline_run.jp.rows
    for row, following in itertools.pairwise(rows):
        assert row.reserve_ratio == pytest.approx(row.fund_end / following.benefits)
    assert rows[-1].reserve_ratio is None
    exhausted = baseline_run.jp.exhaustion_year
    assert exhausted is None or rows[exhausted - 2027].fund_end < 0 <= rows[exhausted - 2028].fund_end
    level = baseline_run.balancing.level
    # the level rate, run through the model (costs a share of contributions): the fund ends near zero
    balanced = model.run(*population(), _rate(level), 2027, 5_000_000_000_000, 9_000_000_000_000)
    end = balanced.jp.rows[-1].fund_end * balanced.jp.discount[-1] / (1 + 0.07)
    assert abs(end) < 0.02 * sum(r.benefits * d for r, d in zip(balanced.jp.rows, balanced.jp.discount, strict=True))
    path = baseline_run.balancing.path
    assert path[0] == (2027, pytest.approx(0.03)) and len(path) == 6
    assert [y for y, _ in path] == [2027, 2032, 2037, 2042, 2047, 2052]


def _rate(level: float) -> ParameterSet:
    """The baseline with the JP rate set to ``level`` from 2027 (the employer's share moved), as a scenario."""
    ppm = Decimal(round(level * 1_000_000)) / 1_000_000
    value = ParameterValue(dt.date(2027, 1, 1), ppm - Decimal("0.01"), "proposed")
    employer = Parameter("jp.employer_rate", "rate", "raised", (value,), "scenario.yaml")
    return overlay(assumptions.baseline(), {"jp.employer_rate": employer})


def test_a_scenario_file_overrides_law_and_assumptions(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    scenario = folder / "jp-rate.yaml"
    scenario.write_text(
        "jp.employer_rate:\n  unit: rate\n  description: JP employer rate, raised\n  values:\n"
        '    2030-01-01: {value: "0.03", reference: "proposed"}\n'
        "projection.wage_growth:\n  unit: rate\n  description: slower wages\n  values:\n"
        '    2027-01-01: {value: "0.04", reference: "proposed", uncertain: true, why: "a test"}\n'
    )
    params = assumptions.with_scenario(scenario)
    years = assumptions.year_values(params, range(2027, 2032))
    assert [round(y.jp_rate, 6) for y in years] == [0.03, 0.03, 0.03, 0.04, 0.04]
    assert {y.wage_growth for y in years} == {0.04}
    cells, wages = population()
    base = model.run(cells, wages, assumptions.baseline(), 2027, 0, 0, horizon=5)
    raised = model.run(cells, wages, params, 2027, 0, 0, horizon=5)
    # JHT has no cap: its 2030 contributions are the baseline's × (1.04 / 1.06)^3, the wages having grown slower
    ratio = raised.jht.rows[3].contributions / base.jht.rows[3].contributions
    assert ratio == pytest.approx((1.04 / 1.06) ** 3, rel=1e-9)
    # the JP rate alone: 4 % instead of 3 % of the same wages from 2030, and not before
    only_rate = scenario.read_text().split("projection.wage_growth")[0]
    scenario.write_text(only_rate)
    raised = model.run(cells, wages, assumptions.with_scenario(scenario), 2027, 0, 0, horizon=5)
    assert [r.contributions for r in raised.jp.rows[:3]] == [r.contributions for r in base.jp.rows[:3]]
    assert raised.jp.rows[3].contributions / base.jp.rows[3].contributions == pytest.approx(4 / 3, rel=1e-9)
    # refusals: an unknown name, a changed unit, a misspelt key — each named
    for text, words in (
        ('jp.employer_rat:\n  unit: rate\n  description: x\n  values:\n    2030-01-01: {value: "0.03", reference: "p"}\n', "jp.employer_rat"),
        ("jp.wage_cap:\n  unit: rate\n  description: x\n  values:\n    2030-01-01: {value: \"0.03\", reference: \"p\"}\n", "unit"),
        ('jp.worker_rate:\n  unit: rate\n  description: x\n  values:\n    2030-01-01: {value: "0.03", reference: "p", uncertian: true}\n', "uncertian"),
    ):  # fmt: skip
        bad = folder / "bad.yaml"
        bad.write_text(text)
        with pytest.raises(ParameterError, match=words):
            assumptions.with_scenario(bad)


def test_the_mortality_table_is_marked_uncertain_and_named(baseline_run: model.Projection) -> None:
    assert "projection.mortality" in baseline_run.uncertain
    why = assumptions.baseline()["projection.mortality"].values[0].why or ""
    assert "not the official Indonesian table" in why


def test_conservation_with_pensions_in_payment_survivors_and_the_self_employed() -> None:
    cells, wages = population()
    book = InPayment()
    for kind, age, people, monthly in (("old_age", 66, 900, 1_400_000), ("widow_widower", 58, 200, 600_000),
                                       ("child", 45, 50, 500_000), ("parent", 40, 30, 300_000)):  # fmt: skip
        book.place(kind, age, 0, people, people * monthly, gap=28, limit=23)
    bpu = Cells.empty(6)
    bpu.jht[20:40, :, :2] = 300.0
    bpu.wage[20:40, :, :2] = [1_200_000, 2_500_000]
    run = model.run(cells, wages, assumptions.baseline(), 2027, 5_000_000_000_000, 9_000_000_000_000,
                    in_payment=book, bpu=(bpu, wages))  # fmt: skip
    plain = model.run(cells, wages, assumptions.baseline(), 2027, 5_000_000_000_000, 9_000_000_000_000)
    for result in (run.jp, run.jht):
        for row in result.rows:
            assert row.fund_end == row.fund_start + row.contributions + row.returns - row.benefits - row.costs
    # the pensions in payment add their year's payments to the first year; the self-employed their JHT
    in_payment = 12 * (900 * 1_400_000 + 200 * 600_000 + 50 * 500_000 + 30 * 300_000)
    assert run.jp.rows[0].benefits - plain.jp.rows[0].benefits == in_payment
    assert run.jp.rows[0].contributions == plain.jp.rows[0].contributions
    # 2 % of the nominal income (the declared one, inside the bands) of 24,000 members and of the year's 1,200
    # entrants (5 %), half in each band at its entrants' income (here the wage earners' band wages)
    members = 0.02 * 12 * 300 * 40 * (1_200_000 + 2_500_000)
    entrants = 0.02 * 12 * 600 * (wages[0] + wages[1])
    assert run.jht.rows[0].contributions - plain.jht.rows[0].contributions == pytest.approx(members + entrants, abs=1)
