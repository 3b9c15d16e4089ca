"""The claim workflow's rules pinned where the mutation run (docs/mutation.md) found them unproven: the
"awaiting a second approval" flag the pages and the API show on every claim, a verified claim verified
again, and the status named in the reader's language in a refusal."""

from __future__ import annotations

import pytest
from django.utils import translation

from paritrana.claims.workflow import (
    APPROVED,
    PAID,
    REJECTED,
    SUBMITTED,
    VERIFIED,
    Action,
    ClaimState,
    Kind,
    awaiting_second_approval,
    refusal,
)

VERIFIER, APPROVER = 2, 3


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


def claim(status: str, **kw: object) -> ClaimState:
    return ClaimState(status=status, actor=APPROVER, processor=True, verified_by=VERIFIER, **kw)  # type: ignore[arg-type]


def test_only_a_verified_claim_with_one_approval_awaits_the_second() -> None:
    assert awaiting_second_approval(claim(VERIFIED, approved_by=APPROVER))
    assert not awaiting_second_approval(claim(VERIFIED))  # verified, nobody approved yet
    # decided claims keep their approver: they await nothing (the API's flag on an approved or paid claim)
    for status in (APPROVED, PAID, REJECTED, SUBMITTED):
        assert not awaiting_second_approval(claim(status, approved_by=APPROVER)), status


def test_a_claim_is_verified_once_only_from_submitted() -> None:
    assert refusal(Action.VERIFY, claim(SUBMITTED)) is None
    for status in (VERIFIED, APPROVED, PAID, REJECTED):
        refused = refusal(Action.VERIFY, claim(status, status_label=status))
        assert refused is not None and refused.kind == Kind.STATE, status
        assert refused.message == f"only a submitted claim is verified (this one is {status})"


def test_a_refusal_names_the_status_in_the_readers_words_else_by_its_code() -> None:
    refused = refusal(Action.VERIFY, claim(APPROVED, status_label="Approved (awaiting payment)"))
    assert refused is not None
    assert refused.message == "only a submitted claim is verified (this one is Approved (awaiting payment))"
    unlabelled = refusal(Action.REJECT, claim(PAID))
    assert unlabelled is not None
    assert unlabelled.message == "a claim is rejected before approval (this one is paid)"
