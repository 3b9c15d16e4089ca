"""Every legal test case in tests/rules/*.yaml, one pytest test each."""

from __future__ import annotations

from pathlib import Path

import pytest

from paritrana.rules.cases import LegalCase, load_cases, run_case

CASES = load_cases([Path(__file__).parent / "rules"])


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 80, f"the legal suite has {len(CASES)} cases; the issue asks for at least 80"


def test_every_rule_has_cases() -> None:
    from paritrana.rules import all_rules

    covered = {c.rule for c in CASES}
    missing = [r.name for r in all_rules() if r.name not in covered]
    assert not missing, f"rules without a legal test case: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_legal_case(case: LegalCase) -> None:
    outcome = run_case(case)
    assert outcome.passed, "; ".join(
        f"{what}: expected {want!r}, got {got!r}" for what, want, got in outcome.differences
    )
