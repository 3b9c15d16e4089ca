"""Fixtures of the coverage tests."""

from __future__ import annotations

import pytest

from tests.coverage.coveragekit import DemoLike, build_demo_like


@pytest.fixture
def demo_like(transactional_db: None) -> DemoLike:
    return build_demo_like()
