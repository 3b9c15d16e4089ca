"""Fixtures of the contributions tests: the platform's small world (tests/platform/world.py), every worker
billable (``enrol_for_contributions``); API clients per role come from tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.platform.world import World, build_world, enrol_for_contributions


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())
