"""A stored plan's folder is made when missing, with the folders above it (a first ``calc`` in a fresh home)."""

from __future__ import annotations

from pathlib import Path

from paritrana.rules import get_rule, one_stored


def test_a_plan_is_stored_in_a_folder_made_with_its_missing_parents(tmp_path: Path) -> None:
    folder = tmp_path / "fresh home" / "plans"
    record = {"wage": 5_000_000, "risk_group": 1}
    one_stored.store(folder, get_rule("pu_contributions"), one_stored.parse_date("2025-03-01"))
    stored = one_stored.compute_stored(folder, "pu_contributions", "2025-03-01", record)
    assert stored is not None
    # PP 44/2015 art 16 (JKK, risk group 1: 0.24 % of the wage) and art 18 (JKM: 0.30 %)
    result, _ = stored
    assert result.outputs["jkk"] == 12_000 and result.outputs["jkm"] == 15_000
