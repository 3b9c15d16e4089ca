"""Fixtures of the platform tests: a small world; API clients per role come from tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.platform.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()
