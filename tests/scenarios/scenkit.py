"""Helpers of the scenario tests: a parameter of a reform as YAML text, a claim paid through the workflow."""

from __future__ import annotations

from typing import Any

from paritrana.claims.models import Claim, Status
from paritrana.claims.services import claims as svc
from tests.claims.claimkit import documents_for
from tests.platform.world import World

OLD_RECORDS = "months from the branch's old records"


def parameter_text(name: str, unit: str, first: str, value: str, reference: str = "proposed") -> str:
    return f'{name}:\n  unit: {unit}\n  description: {name}\n  values:\n    {first}: {{value: {value}, reference: "{reference}"}}\n'


def paid(
    world: World, claim_type: str, given: dict[str, Any], corrections: dict[str, Any], filer: Any = None, **kw: Any
) -> Claim:
    """A claim filed by ``filer`` (the branch officer unless given), verified by the branch officer with
    ``corrections`` (from the old records), and approved and paid by another officer (and the administrator, when
    it needs a second approval)."""
    officer = world.users["branch"]
    claim = svc.submit(filer or officer, claim_type, given, documents_for(claim_type), bank_account="BRI 1", **kw)
    svc.verify(officer, claim.pk, corrections=corrections, reason=OLD_RECORDS)
    svc.approve_and_pay(world.users["branch2"], claim.pk)
    claim.refresh_from_db()
    if claim.needs_second_approval:
        svc.approve_and_pay(world.users["admin"], claim.pk)
        claim.refresh_from_db()
    assert claim.status == Status.PAID, claim.refusal
    return claim
