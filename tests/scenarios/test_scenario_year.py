"""A reform scenario over a calendar year (issue 18, decision 0046): the additive figures are the sum of the twelve
months (computed here month by month with the month's own computation, not the year's), the winners and losers
are those of each worker's yearly change (not a sum of twelve monthly counts), a regional budget covers the
workers its yearly cost per worker-month allows, and a value dated 1 July applies from July only."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from paritrana.contributions.models import WageReport
from paritrana.core.errors import ValidationFailed
from paritrana.coverage.snapshot import export_snapshot
from paritrana.programmes.models import Programme
from paritrana.registry.models import Sponsor
from paritrana.rules.parameters import load_parameters
from paritrana.scenarios import benefits, compute, definition, extract, rollup, services, sources
from paritrana.scenarios.models import ScenarioRun
from tests.platform.world import World, build_world, enrol_for_contributions
from tests.scenarios.test_scenario_benefit_payments import MINIMUM_900K, pension_claimed_in_march
from tests.scenarios.test_scenario_run import DOUBLE_JKM

YEAR = dt.date(2025, 1, 1)
MONTHS = [dt.date(2025, m, 1) for m in range(1, 13)]
# the worker's JP share moved in January 2025 and again from 1 July 2025 (the law: 1 %, PP 45/2015 art 28(1));
# the BPU JKM doubled from 1 July (the law: Rp 6.800, PP 44/2015)
SHARE_MOVES = """jp.worker_rate:
  unit: rate
  description: the worker's JP share moved in January, again from July
  values:
    2025-01-01: {value: "JANUARY", reference: "proposed"}
    2025-07-01: {value: "JULY", reference: "proposed"}
bpu.jkm_amount:
  unit: rupiah
  description: BPU JKM doubled from July
  values:
    2025-07-01: {value: 13600, reference: "proposed"}
"""


def jp_share_moves(january: str, july: str) -> str:
    """The worker's JP share set to ``january`` from 1 January 2025 and ``july`` from 1 July; the BPU JKM doubled
    from July."""
    return SHARE_MOVES.replace("JANUARY", january).replace("JULY", july)


# the worker's JP share halved in January, doubled from July
HALF_THEN_DOUBLE = jp_share_moves("0.005", "0.02")
BUDGET = 12_000_000


def _year(world: World, name: str, text: str) -> dict[str, Any]:
    analyst = world.users["analyst"]
    saved = services.save(analyst, name, f"{name} (test)", text)
    run = services.run(analyst, saved.pk, YEAR, span="year")
    assert (run.span, run.period, run.status) == ("year", YEAR, ScenarioRun.Status.DONE)
    return run.results


def _months(text: str) -> list[tuple[Any, Any, Any]]:
    """The cubes of each month of the year, each computed alone by the month's computation (``compute.run``)."""
    law = load_parameters()
    reform = definition.reform(law, definition.read(text, law))
    out = []
    for month in MONTHS:
        with sources.arrow_inputs(extract.month_tables(month), "duckdb") as t:
            out.append(compute.run(t.pu, t.bpu, t.people, month, law, reform))
    return out


def _summed(rows_per_month: list[list[dict[str, Any]]], key: str) -> dict[Any, Counter[str]]:
    out: dict[Any, Counter[str]] = {}
    for rows in rows_per_month:
        for row in rows:
            out.setdefault(row[key], Counter()).update({m: row[m] for m in (*rollup.MONEY, "lines")})
    return out


def _money(rows: list[dict[str, Any]], key: str) -> dict[Any, Counter[str]]:
    return {row[key]: Counter({m: row[m] for m in (*rollup.MONEY, "lines")}) for row in rows}


def wages_change(world: World) -> World:
    """W35 reports 9.000.000 from January and 2.000.000 from July (W33PU keeps its registered 3.000.000); Kota
    Semarang's programme (the sponsor of W33CITY) has a budget of Rp 12.000.000 for 2025."""
    w35 = world.workers["W35"]
    WageReport.objects.create(worker=w35, employer=w35.employer, period=dt.date(2025, 1, 1), wage=9_000_000)
    WageReport.objects.create(worker=w35, employer=w35.employer, period=dt.date(2025, 7, 1), wage=2_000_000)
    return with_budget(world)


def with_budget(world: World) -> World:
    """Kota Semarang's programme (the sponsor of W33CITY) with a budget of Rp 12.000.000 for 2025."""
    Programme.objects.create(
        sponsor=Sponsor.objects.get(name="Program Kota Semarang"), region=world.regions["33.74"],
        name="Program Kota Semarang", legal_basis_type="perda", legal_basis_number="1/2025",
        legal_basis_date=dt.date(2025, 1, 2), budget_year=2025, budget_amount=BUDGET, funding_source="apbd",
        regency_share_bp=10_000,
    )  # fmt: skip
    return world


@dataclass(frozen=True)
class Moved:
    """The year of :data:`HALF_THEN_DOUBLE` over the world of :func:`wages_change` (its run's results), the cubes
    of its twelve months each computed alone (``_months``), and the id of Kota Semarang's sponsor."""

    year: dict[str, Any]
    months: list[tuple[Any, Any, Any]]
    sponsor: int


@pytest.fixture(scope="module")
def moved(django_db_setup: None, django_db_blocker: Any) -> Iterator[Moved]:
    """:class:`Moved`, computed once for the tests that read it (the run and the twelve months are the time of
    each, about 10 s on a loaded machine): on the world made in a transaction rolled back once they are computed,
    so the database is as before; the tests read the results only (an ``ScenarioRun`` kept is no part of them)."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = wages_change(enrol_for_contributions(build_world()))
        computed = Moved(
            year=_year(world, "JP share moves", HALF_THEN_DOUBLE),
            months=_months(HALF_THEN_DOUBLE),
            sponsor=Sponsor.objects.get(name="Program Kota Semarang").pk,
        )
        transaction.set_rollback(True)
    yield computed


def test_a_year_adds_up_its_months_but_counts_winners_and_losers_on_the_year(moved: Moved) -> None:
    year, months = moved.year, moved.months
    # additive: contributions, payers' cost and workers' share (take-home) by programme, by province, in total
    by_programme = [rollup.money(programmes, ["programme"]) for programmes, _, _ in months]
    assert _money(year["programmes"], "programme") == _summed(by_programme, "programme")
    by_province = [rollup.money(programmes, ["province"]) for programmes, _, _ in months]
    assert _money(year["by"]["province"], "province") == _summed(by_province, "province")
    assert year["total"]["reform_worker"] == sum(r["reform_worker"] for rows in by_programme for r in rows)

    # W33PU (3.000.000): gains 1.500 x 6 in January-June, loses 30.000 x 6 from July: a loser of the year
    # W35: gains 0,5 % x 9.000.000 = 45.000 x 6, loses 1 % x 2.000.000 = 20.000 x 6: a winner of the year
    jp = next(r for r in year["programmes"] if r["programme"] == "JP")
    assert jp["delta_worker"] == 6 * (-15_000 + 30_000) + 6 * (-45_000 + 20_000)
    # and the self-paying W33BPU pays its own JKM, Rp 6.800 more from July: a loser of the year too
    assert year["workers"] == {"workers": 4, "gaining": 1, "losing": 2}
    # the sum of the twelve monthly counts would say 12 gains (both wage earners, January to June) and 18 losses
    # (both wage earners and W33BPU, July to December)
    monthly = [(rollup.people(people, []) or [{}])[0] for _, people, _ in months]
    assert (sum(m["gaining"] for m in monthly), sum(m["losing"] for m in monthly)) == (12, 18)
    # the reform dated 1 July: the months before keep the law's value
    assert [r["delta_worker"] for r in rollup.money(months[5][0], ["programme"], programme="JP")] == [-15_000 - 45_000]
    assert [r["delta_worker"] for r in rollup.money(months[6][0], ["programme"], programme="JP")] == [30_000 + 20_000]
    jkm = [rollup.money(m[0], ["programme"], programme="JKM")[0]["delta_amount"] for m in months]
    assert jkm == [0] * 6 + [6_800 * 2] * 6  # W33BPU's own and W33CITY's sponsored JKM, from July


def test_a_regional_budget_covers_the_yearly_cost_per_worker(moved: Moved) -> None:
    year, months = moved.year, moved.months
    sponsor = ("sponsor", moved.sponsor)
    monthly = [
        next(
            r for r in rollup.payers(payers, ("payer_kind", "party_id")) if (r["payer_kind"], r["party_id"]) == sponsor
        )
        for _, _, payers in months
    ]
    base, new = (sum(m[f"{side}_payer"] for m in monthly) for side in ("baseline", "reform"))
    # by hand: the sponsor pays W33CITY's JKK and JKM every month; the JKM is Rp 6.800 more a month from July
    january = monthly[0]["baseline_payer"]
    assert (base, new) == (12 * january, 12 * january + 6 * 6_800)
    (budget,) = year["budgets"]
    assert (budget["baseline_cost"], budget["reform_cost"]) == (base, new)
    # one worker covered twelve months: the year's budget ÷ the year's price of a worker
    assert budget["baseline_covered"] == BUDGET // (12 * january)
    assert budget["reform_covered"] == BUDGET // (12 * january + 6 * 6_800)
    assert budget["reform_covered"] < budget["baseline_covered"]


def test_a_doubled_jkm_rate_doubles_the_years_jkm_contributions_by_region(world: World) -> None:
    year = _year(world, "JKM x2", DOUBLE_JKM)
    by_province = {row["province"]: row for row in year["jkm_by_province"]}
    assert len(by_province) >= 2
    for province, row in by_province.items():
        assert row["reform_amount"] == 2 * row["baseline_amount"] > 0, province
    # W35 (4.800.000 registered, no report) pays 0,30 % twelve times under the law
    assert by_province["35"]["baseline_amount"] == 12 * 14_400


def test_a_year_is_given_by_its_first_day(world: World) -> None:
    saved = services.save(world.users["analyst"], "JKM x2", "doubled", DOUBLE_JKM)
    with pytest.raises(ValidationFailed) as refused:
        services.run(world.users["analyst"], saved.pk, dt.date(2025, 3, 1), span="year")
    assert refused.value.field == "year"
    assert not ScenarioRun.objects.exists()


def test_the_benefits_of_a_year_are_every_payment_due_in_it(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monthly = pension_claimed_in_march(world, monkeypatch)  # February's month (back pay) and March's
    saved = services.save(world.users["analyst"], "JP minimum", "minimum pension raised", MINIMUM_900K)
    said: list[tuple[str, int, int]] = []
    run = services.run(
        world.users["analyst"], saved.pk, dt.date(2032, 1, 1), span="year", progress=lambda *a: said.append(a)
    )
    (jp,) = run.results["benefits"]["by_kind"]
    assert (jp["kind"], jp["payments"], jp["baseline"], jp["reform"]) == ("monthly", 2, 2 * monthly, 2 * 900_000)
    months = [benefits.of_scenario(dt.date(2032, m, 1), MINIMUM_900K)["programmes"] for m in range(1, 13)]
    assert [len(m) for m in months] == [0, 1, 1] + [0] * 9
    assert run.results["benefits"]["programmes"] == [
        {**months[1][0], **{k: months[1][0][k] + months[2][0][k] for k in ("payments", "baseline", "reform", "delta")}}
    ]
    # the progress counts the months of the year, then the roll-ups
    assert [s for s in said if s[0] == "month"] == [("month", n, 12) for n in range(13)]
    assert said[-1] == ("rollup", 0, 0)


def test_a_year_over_a_snapshot_gives_the_registrys_figures(world: World, tmp_path: Path) -> None:
    w35 = world.workers["W35"]  # the snapshot holds January's wage reports, the registry's only ones
    WageReport.objects.create(worker=w35, employer=w35.employer, period=dt.date(2025, 1, 1), wage=9_000_000)
    export_snapshot(tmp_path / "snap")
    analyst = world.users["analyst"]
    saved = services.save(analyst, "JP share moves", "test", HALF_THEN_DOUBLE)
    snapshot = sources.SnapshotSource(tmp_path / "snap")
    on_registry = services.run(analyst, saved.pk, YEAR, span="year")
    on_snapshot = services.run(analyst, saved.pk, YEAR, span="year", source=snapshot)
    assert on_snapshot.results["total"]["delta_worker"] != 0
    assert on_snapshot.results == on_registry.results
    with pytest.raises(ValidationFailed) as other:
        services.run(analyst, saved.pk, dt.date(2026, 1, 1), span="year", source=snapshot)
    assert other.value.field == "year" and "2025-01" in other.value.reason
