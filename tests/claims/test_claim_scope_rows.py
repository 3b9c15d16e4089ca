"""The claims' scope (claims/scopes.py) on real claims of two branches: the heir's JKM claim for W33PU; a medical
claim of W33PU filed by the branch (its heir did not file it); W33BPU's own and one the branch filed for it;
W35's, filed by the administrator at the East Java branch. A claim is personal data: a branch officer sees its
branch's, a worker the claims about itself, an heir those it filed; no one else. A refused decision leaves the
claim as it was (status, deciders, steps); an allowed one is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from paritrana.claims.models import Claim, Status
from paritrana.claims.scopes import can_file, can_process, visible_claims
from paritrana.claims.services import claims as svc
from paritrana.core.errors import NotAllowed, NotFound
from tests.claims.claimkit import documents_for, file_jkm
from tests.platform.world import ROLES, World


def _medical(filer: Any, worker: Any) -> Claim:
    day = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    inputs = {"event_date": day, "kind": "land", "claimed": 800_000}
    return svc.submit(
        filer, "jkk_medical", inputs, documents_for("jkk_medical"), worker_id=worker.pk, bank_account="BRI 7"
    )


@pytest.fixture
def claims(world: World) -> dict[str, Claim]:
    w, u = world.workers, world.users
    return {
        "HEIR_JKM": file_jkm(world),
        "W33PU_BY_BRANCH": _medical(u["branch"], w["W33PU"]),
        "W33BPU_OWN": _medical(u["worker"], w["W33BPU"]),
        "W33BPU_BY_BRANCH": _medical(u["branch"], w["W33BPU"]),
        "W35_BY_ADMIN": _medical(u["admin"], w["W35"]),
    }


SEEN = {
    "admin": {"HEIR_JKM", "W33PU_BY_BRANCH", "W33BPU_OWN", "W33BPU_BY_BRANCH", "W35_BY_ADMIN"},
    "branch": {"HEIR_JKM", "W33PU_BY_BRANCH", "W33BPU_OWN", "W33BPU_BY_BRANCH"},  # its branch's (KC-33)
    "worker": {"W33BPU_OWN", "W33BPU_BY_BRANCH"},  # about itself, whoever filed them
    "heir": {"HEIR_JKM"},  # those it filed, not the branch's claim about its participant
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_claims_written_out_for_it(world: World, claims: dict[str, Claim], role: str) -> None:
    user = world.users[role]
    by_pk = {c.pk: key for key, c in claims.items()}
    assert {by_pk[c.pk] for c in visible_claims(user)} == SEEN.get(role, set())
    for key, claim in claims.items():
        if key in SEEN.get(role, set()):
            assert svc.get_claim(user, claim.pk).pk == claim.pk
        else:
            with pytest.raises(NotFound):
                svc.get_claim(user, claim.pk)
    assert can_process(user) == (role in ("admin", "branch"))
    assert can_file(user) == (role in ("admin", "branch", "worker", "heir"))


def _state(claim: Claim) -> tuple[Any, ...]:
    row = Claim.objects.filter(pk=claim.pk).values_list("status", "verified_by", "rejected_by", "rejection_reason")
    return (*row.get(), claim.steps.count())


@pytest.mark.parametrize(
    ("role", "key", "refusal"),
    [
        ("branch", "W35_BY_ADMIN", NotFound),  # another branch's claim: as if absent
        ("branch2", "W35_BY_ADMIN", NotFound),
        ("hr", "W33PU_BY_BRANCH", NotAllowed),  # no processor: refused before the claim is looked up
        ("city", "W33BPU_OWN", NotAllowed),
        ("worker", "W33BPU_OWN", NotAllowed),  # its own claim: seen, not decided
        ("heir", "HEIR_JKM", NotAllowed),
    ],
)
def test_a_refused_verification_or_rejection_leaves_the_claim_as_it_was(
    world: World, claims: dict[str, Claim], role: str, key: str, refusal: type
) -> None:
    claim = claims[key]
    before = _state(claim)
    with pytest.raises(refusal):
        svc.verify(world.users[role], claim.pk, note="seen")
    with pytest.raises(refusal):
        svc.reject(world.users[role], claim.pk, "not legible")
    assert _state(claim) == before and before[0] == Status.SUBMITTED


def test_the_branch_officer_verifies_and_rejects_its_branchs_claims(world: World, claims: dict[str, Claim]) -> None:
    branch = world.users["branch"]
    verified = svc.verify(branch, claims["W33BPU_OWN"].pk, note="seen")
    assert (verified.status, verified.verified_by) == (Status.VERIFIED, branch)
    svc.reject(branch, claims["W33PU_BY_BRANCH"].pk, "not from work")
    rejected = Claim.objects.get(pk=claims["W33PU_BY_BRANCH"].pk)
    assert (rejected.status, rejected.rejected_by, rejected.rejection_reason) == (
        Status.REJECTED,
        branch,
        "not from work",
    )
