"""Fixtures of the claims tests: the contributions world (every worker billable); API clients per role come
from tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.platform.world import World, build_world, enrol_for_contributions


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())
