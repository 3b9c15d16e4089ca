"""Fixtures of the award tests: the demo-like data of the coverage tests (the demo generator, billed and paid,
with the demo's denominators and its regional programme) and the award's users."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.award.awardkit import AwardWorld
from tests.worlds import Recorded


@pytest.fixture
def world(award_world_recorded: Recorded[AwardWorld], db: None, tmp_path: Path, settings: Any) -> AwardWorld:
    """The award world as a fresh build leaves it (laid down from the run's one build, tests/conftest.py), in the
    test's transaction: undone after it."""
    settings.PARITRANA_AWARD_SNAPSHOTS = str(tmp_path / "snapshots")
    return award_world_recorded.laid_down()
