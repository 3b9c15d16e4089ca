"""Fixtures of the web page tests: the small world of tests/web_world.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web_world import build_world


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return build_world()
