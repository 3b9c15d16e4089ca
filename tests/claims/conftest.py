"""Fixtures of the claims tests: the contributions world (every worker billable) and API clients per role."""

from __future__ import annotations

from typing import Any

import pytest
from claimkit import Api, enrol_for_contributions
from world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())


@pytest.fixture
def api(world: World) -> Any:
    def for_role(role: str) -> Any:
        return Api(world.tokens.get(role))

    return for_role
