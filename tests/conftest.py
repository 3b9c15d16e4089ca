"""Shared test set-up: the repository root, and API clients per role of the package's ``world``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.platform.client import Api

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def api(world: Any) -> Callable[[str], Api]:
    """``api(role)``: a client with that role's bearer token (an unknown role: anonymous).

    ``world`` is the package's own fixture (each package builds the world its tests need)."""

    def for_role(role: str) -> Api:
        return Api(world.tokens.get(role))

    return for_role
