"""Fixtures of the scenarios' database tests: the platform's world, billable, billed for one month."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.contributions.services.billing import run_billing
from tests.platform.world import World, build_world, enrol_for_contributions

MONTH = dt.date(2025, 1, 1)


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())


@pytest.fixture
def billed(world: World) -> World:
    run_billing(MONTH)
    return world
