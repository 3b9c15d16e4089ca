"""Fixtures of the scenarios' database tests: the platform's world, billable, billed for one month."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.contributions.services.billing import run_billing
from paritrana.scenarios.models import Scenario, ScenarioRun
from tests.platform.world import World, build_world, enrol_for_contributions

MONTH = dt.date(2025, 1, 1)


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())


@pytest.fixture
def billed(world: World) -> World:
    run_billing(MONTH)
    return world


def stored_run(scenario: Scenario) -> ScenarioRun:
    """A finished run of ``scenario`` stored as it is kept (for refusal tests: nothing is computed)."""
    results = {"programmes": [], "total": {}, "workers": {}, "by": {}, "payers": [], "budgets": [], "changes": []}
    return ScenarioRun.objects.create(
        scenario=scenario, version=1, parameters="", period=MONTH, status=ScenarioRun.Status.DONE, results=results
    )
