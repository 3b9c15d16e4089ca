"""The claim controls in force for a branch: its own row, else the national default (decision 0010)."""

from __future__ import annotations

from dataclasses import dataclass

from paritrana.claims.models import (
    DEFAULT_CORRECTION_REASON_SHARE_BP,
    DEFAULT_SECOND_APPROVAL_THRESHOLD,
    ClaimControls,
)


@dataclass(frozen=True)
class Controls:
    second_approval_threshold: int
    correction_reason_share_bp: int


def controls_for(branch_id: int | None) -> Controls:
    """The branch's controls, else the national row's, else the built-in defaults (no row at all)."""
    rows = {
        row.branch_id: row
        for row in ClaimControls.objects.filter(branch_id__in=[branch_id] if branch_id is not None else [])
        | ClaimControls.objects.filter(branch__isnull=True)
    }
    row = rows.get(branch_id) or rows.get(None)
    if row is None:
        return Controls(DEFAULT_SECOND_APPROVAL_THRESHOLD, DEFAULT_CORRECTION_REASON_SHARE_BP)
    return Controls(row.second_approval_threshold, row.correction_reason_share_bp)
