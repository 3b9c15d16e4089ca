"""Saving a scenario: checked against the law's parameters (the field and the parameter named), versioned, and
for analysts only — every other role refused with nothing stored or run."""

from __future__ import annotations

import pytest

from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.scenarios import services
from paritrana.scenarios.models import Scenario, ScenarioRun
from tests.platform.world import World
from tests.scenarios.conftest import MONTH
from tests.scenarios.test_scenario_run import DOUBLE_JKM, UNCHANGED

UNKNOWN = """jkm.pu.rates:
  unit: rate
  description: a misspelt name
  values:
    2027-01-01: {value: "0.0060", reference: "proposed"}
"""
OTHER_UNIT = """jkm.pu.rate:
  unit: rupiah
  description: a rate given as an amount
  values:
    2027-01-01: {value: 6000, reference: "proposed"}
"""
NO_REFERENCE = """jkm.pu.rate:
  unit: rate
  description: a value without its source
  values:
    2027-01-01: {value: "0.0060"}
"""


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (UNKNOWN, "'jkm.pu.rates' is neither"),
        (OTHER_UNIT, "must keep the unit 'rate'"),
        (NO_REFERENCE, "reference"),
        ("- a list\n", "expected a mapping"),
        ("", "names no parameter"),
    ],
)
def test_a_scenario_the_law_cannot_read_is_refused_naming_the_parameter(world: World, text: str, said: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.save(world.users["analyst"], "bad", "a bad scenario", text)
    assert refused.value.field == "parameters"
    assert said in refused.value.reason
    assert not Scenario.objects.exists()


def test_a_scenario_needs_a_name_and_a_description(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.save(world.users["analyst"], "  ", "why", UNCHANGED)
    assert refused.value.field == "name"
    with pytest.raises(ValidationFailed) as refused:
        services.save(world.users["analyst"], "named", " ", UNCHANGED)
    assert refused.value.field == "description"


def test_saving_again_under_a_name_is_a_new_version_with_the_old_one_kept(world: World) -> None:
    first = services.save(world.users["analyst"], "JKM", "unchanged first", UNCHANGED)
    second = services.save(world.users["admin"], "JKM", "then doubled", DOUBLE_JKM)
    assert (first.pk, second.version, second.author) == (second.pk, 2, world.users["admin"])
    versions = sorted(second.history.values_list("version", "parameters"))
    assert [v for v, _ in versions] == [1, 2]
    assert versions[0][1] == UNCHANGED and versions[1][1] == DOUBLE_JKM


def test_a_run_keeps_the_version_it_ran(world: World) -> None:
    saved = services.save(world.users["analyst"], "JKM", "doubled", DOUBLE_JKM)
    record = services.run(world.users["analyst"], saved.pk, MONTH)
    services.save(world.users["analyst"], "JKM", "changed back", UNCHANGED)
    record.refresh_from_db()
    assert (record.version, record.parameters, record.status) == (1, DOUBLE_JKM, ScenarioRun.Status.DONE)


def test_a_month_is_given_by_its_first_day(world: World) -> None:
    saved = services.save(world.users["analyst"], "JKM", "doubled", DOUBLE_JKM)
    with pytest.raises(ValidationFailed) as refused:
        services.run(world.users["analyst"], saved.pk, MONTH.replace(day=2))
    assert refused.value.field == "month"
    assert not ScenarioRun.objects.exists()


@pytest.mark.parametrize("role", ["province", "city", "branch", "hr", "worker", "heir", "assessor"])
def test_other_roles_may_neither_write_read_nor_run_scenarios(world: World, role: str) -> None:
    saved = services.save(world.users["analyst"], "JKM", "doubled", DOUBLE_JKM)
    user = world.users[role]
    with pytest.raises(NotAllowed):
        services.save(user, "mine", "mine", UNCHANGED)
    with pytest.raises(NotAllowed):
        services.scenarios(user)
    with pytest.raises(NotAllowed):
        services.run(user, saved.pk, MONTH)
    assert list(Scenario.objects.values_list("name", "version")) == [("JKM", 1)]
    assert not ScenarioRun.objects.exists()


def test_a_value_no_regulation_sets_is_proposed_in_either_language(world: World) -> None:
    from paritrana.rules.parameters import load_parameters
    from paritrana.scenarios import definition

    law = load_parameters()
    text = DOUBLE_JKM.replace('reference: "proposed"}', 'reference: "diusulkan"}', 1)
    changes = definition.changes(law, definition.read(text, law))
    assert [c.proposed for c in changes] == [True, True]
    restated = definition.changes(law, definition.read(UNCHANGED, law))
    assert [c.proposed for c in restated] == [False, False]
