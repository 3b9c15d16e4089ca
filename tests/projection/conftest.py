"""Fixtures of the projection's database tests: the platform's world, billable, billed for three months."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.contributions.services.billing import run_billing
from tests.platform.world import World, build_world, enrol_for_contributions

BILLED = [dt.date(2025, m, 1) for m in (1, 2, 3)]


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())


@pytest.fixture
def billed(world: World) -> World:
    for month in BILLED:
        run_billing(month)
    return world
