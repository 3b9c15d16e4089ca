"""Fixtures of the coverage tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coveragekit import DemoLike, build_demo_like


@pytest.fixture
def demo_like(transactional_db: None) -> DemoLike:
    return build_demo_like()
