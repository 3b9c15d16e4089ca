"""The claim workflow's rules without a database: who may take which step, at which status (decision 0010)."""

from __future__ import annotations

from dataclasses import replace

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
    allowed,
    awaiting_second_approval,
    completes_approval,
    raise_needs_reason,
    refusal,
)

FILER, VERIFIER, APPROVER, THIRD = 1, 2, 3, 4


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


def state(status: str, actor: int | None, **kw: object) -> ClaimState:
    base = ClaimState(status=status, actor=actor, processor=actor in (VERIFIER, APPROVER, THIRD), filer=FILER)
    return replace(base, **kw)  # type: ignore[arg-type]


def verified(actor: int, **kw: object) -> ClaimState:
    return state(VERIFIED, actor, verified_by=VERIFIER, **kw)


def test_a_submitted_claim_is_verified_or_rejected_by_an_officer_and_documented_by_its_filer() -> None:
    assert allowed(state(SUBMITTED, VERIFIER)) == {Action.VERIFY, Action.REJECT, Action.ADD_DOCUMENT}
    assert allowed(state(SUBMITTED, FILER)) == {Action.ADD_DOCUMENT}
    assert allowed(state(SUBMITTED, 99)) == frozenset()  # neither officer nor filer
    refused = refusal(Action.VERIFY, state(SUBMITTED, FILER))
    assert refused is not None and refused.kind == Kind.PERSON


def test_the_verifier_never_approves_at_any_amount() -> None:
    for needs_second in (False, True):
        own = verified(VERIFIER, needs_second_approval=needs_second)
        assert Action.APPROVE not in allowed(own)
        refused = refusal(Action.APPROVE, own)
        assert refused is not None and refused.kind == Kind.PERSON
        assert refused.message == "you verified this claim: another officer approves it"
        # nor once another has approved, nor after the approval (a late click is still refused, not ignored)
        for later in (
            verified(VERIFIER, needs_second_approval=needs_second, approved_by=APPROVER),
            replace(own, status=APPROVED, approved_by=APPROVER),
            replace(own, status=PAID, approved_by=APPROVER),
        ):
            refused = refusal(Action.APPROVE, later)
            assert refused is not None and refused.kind == Kind.PERSON, later
        # another officer may, and may still reject
        assert {Action.APPROVE, Action.REJECT} <= allowed(verified(APPROVER, needs_second_approval=needs_second))


def test_above_the_threshold_a_third_person_gives_the_second_approval() -> None:
    waiting = verified(APPROVER, needs_second_approval=True, approved_by=APPROVER)
    assert awaiting_second_approval(waiting)
    refused = refusal(Action.APPROVE, waiting)  # the first approver again
    assert refused is not None and refused.kind == Kind.PERSON
    assert refusal(Action.APPROVE, replace(waiting, actor=VERIFIER)) is not None  # the verifier
    third = replace(waiting, actor=THIRD)
    assert refusal(Action.APPROVE, third) is None
    assert completes_approval(third)
    # below the threshold one approval completes it; above, the first does not
    assert completes_approval(verified(APPROVER))
    assert not completes_approval(verified(APPROVER, needs_second_approval=True))


def test_the_verifier_does_not_pay_and_only_an_approved_claim_is_paid() -> None:
    approved = state(APPROVED, APPROVER, verified_by=VERIFIER, approved_by=APPROVER)
    assert Action.PAY in allowed(approved)  # the approver pays what it approved (verified by another)
    assert Action.PAY in allowed(replace(approved, actor=THIRD))
    refused = refusal(Action.PAY, replace(approved, actor=VERIFIER))
    assert refused is not None and refused.kind == Kind.PERSON
    assert refused.message == "you verified this claim: another officer pays it"
    for status in (SUBMITTED, VERIFIED, REJECTED):
        refused = refusal(Action.PAY, replace(approved, status=status, status_label=status))
        assert refused is not None and refused.kind == Kind.STATE
        assert refused.message == f"only an approved claim is paid (this one is {status})"


def test_a_decided_claim_takes_no_more_steps_but_a_stop_of_its_schedule() -> None:
    for status in (APPROVED, PAID, REJECTED):
        closed = state(status, THIRD, verified_by=VERIFIER, approved_by=APPROVER)
        assert not {Action.VERIFY, Action.REJECT, Action.ADD_DOCUMENT, Action.APPROVE} & allowed(closed)
    paid = state(PAID, VERIFIER, verified_by=VERIFIER, approved_by=APPROVER)
    assert allowed(replace(paid, has_scheduled=True)) == {Action.STOP}
    assert allowed(paid) == frozenset()
    assert Action.STOP not in allowed(replace(paid, actor=FILER, processor=False, has_scheduled=True))


def test_a_raise_beyond_the_share_needs_a_reason() -> None:
    share = 1_000  # 10 %
    assert not raise_needs_reason(1_000_000, 1_100_000, share)  # exactly 10 %: no
    assert raise_needs_reason(1_000_000, 1_100_001, share)  # a rupiah more: yes
    assert not raise_needs_reason(1_000_000, 400_000, share)  # a lowering never
    assert not raise_needs_reason(0, 0, share)
    assert raise_needs_reason(0, 1, share)  # from nothing to anything
    assert raise_needs_reason(850_000, 2_000_000_000, share)  # the probe's correction
    assert not raise_needs_reason(850_000, 2_000_000_000, 10**9)  # a branch that allows any raise
    assert raise_needs_reason(850_000, 850_001, 0)  # a branch that wants a reason for every raise
