"""Fixtures of the award tests: the demo-like data of the coverage tests (the demo generator, billed and paid,
with the demo's denominators and its regional programme)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "coverage"))

from awardkit import AwardWorld, build_award_world


@pytest.fixture
def world(transactional_db: None, tmp_path: Path, settings: Any) -> AwardWorld:
    settings.PARITRANA_AWARD_SNAPSHOTS = str(tmp_path / "snapshots")
    return build_award_world()
