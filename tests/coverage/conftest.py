"""Fixtures of the coverage tests."""

from __future__ import annotations

import pytest

from tests.coverage.coveragekit import DemoLike
from tests.worlds import Recorded


@pytest.fixture
def demo_like(demo_like_recorded: Recorded[DemoLike], db: None) -> DemoLike:
    """The demo-like data as a fresh build leaves it, laid down from the run's one build (tests/conftest.py): in
    the test's transaction, undone after it (for a test marked ``coveragekit.COMMITTED``: committed, and the
    tables emptied after it)."""
    return demo_like_recorded.laid_down()
