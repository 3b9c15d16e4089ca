"""The projection from the registry: the starting cells, the first projected year against the registry's last
year, and who may run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.projection import services
from tests.platform.world import World

NO_ENTRANTS = """projection.new_entrant_rate:
  unit: rate
  description: no new participants
  values:
    2026-01-01: {value: "0", reference: "proposed"}
"""


def test_first_year_against_the_registry_last_year(billed: World, tmp_path: Path) -> None:
    scenario = tmp_path / "closed.yaml"
    scenario.write_text(NO_ENTRANTS)
    report = services.run(billed.users["analyst"], scenario=scenario, horizon=3)
    assert report.projection.start_year == 2026  # the year after the last billed month
    jp, jht = report.actuals["JP"], report.actuals["JHT"]
    # by hand: W33PU (3,000,000) and W35 (4,800,000) pay JP 3 % and JHT 5.7 %, three months billed in 2025
    assert (jp.year, jp.months, jp.contributions) == (2025, 3, 3 * 234_000)
    assert jp.annualised_contributions == 12 * 234_000
    assert jht.contributions == 3 * (171_000 + 273_600)
    first_jp, first_jht = report.projection.jp.rows[0], report.projection.jht.rows[0]
    # the same two wage earners and the same rules, projected for 2026 without entrants: the same 12 months
    assert first_jp.contributions == jp.annualised_contributions == 2_808_000
    assert first_jht.contributions == jht.annualised_contributions == 5_335_200
    assert first_jp.contributors == 2
    # the registry's funds at the start: JP billed less paid out; JHT the ledger (not credited in this world)
    assert first_jp.fund_start == 3 * 234_000


def test_entrants_add_to_the_first_year(billed: World) -> None:
    report = services.run(billed.users["admin"], horizon=2)
    assert report.projection.jp.rows[0].contributions > 2_808_000
    assert report.projection.jp.rows[0].contributors == pytest.approx(2 * 1.05)


@pytest.mark.parametrize("role", ["province", "city", "branch", "hr", "worker", "heir", "assessor"])
def test_other_roles_may_not_run_it(world: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        services.run(world.users[role], horizon=1)


def test_a_bad_scenario_names_the_field(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("jp.employer_rate: [1, 2\n")
    with pytest.raises(ValidationFailed) as err:
        services.run(world.users["analyst"], scenario=bad, horizon=1)
    assert err.value.field == "scenario"
    with pytest.raises(ValidationFailed) as err:
        services.run(world.users["analyst"], horizon=500)
    assert err.value.field == "horizon"
