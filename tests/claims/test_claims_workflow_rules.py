"""The workflow's answers the pages and services read, without a database: the next step an officer is held
back from (and why), repeated clicks that change nothing, and the statuses with a decision."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from django.utils import translation

from paritrana.claims import workflow
from paritrana.claims.workflow import APPROVED, PAID, REJECTED, SUBMITTED, VERIFIED, Action, ClaimState, Kind

FILER, VERIFIER, APPROVER, THIRD = 1, 2, 3, 4


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def state(status: str, actor: int | None, **kw: object) -> ClaimState:
    base = ClaimState(
        status=status, actor=actor, processor=actor in (VERIFIER, APPROVER, THIRD), filer=FILER, verified_by=VERIFIER
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_the_verifier_is_told_why_it_cannot_approve_or_pay() -> None:
    for status in (VERIFIED, APPROVED):
        refused = workflow.held_back(state(status, VERIFIER))
        assert refused is not None and refused.kind == Kind.PERSON and "verified this claim" in refused.message
        assert workflow.held_back(state(status, APPROVER)) is None


def test_the_first_approver_is_told_the_second_approval_is_another_officers() -> None:
    waiting = state(VERIFIED, APPROVER, approved_by=APPROVER, needs_second_approval=True)
    refused = workflow.held_back(waiting)
    assert refused is not None and "second approval" in refused.message
    assert workflow.held_back(replace(waiting, actor=THIRD)) is None


def test_nobody_is_held_back_where_there_is_no_next_step_or_no_processor() -> None:
    for status in (SUBMITTED, PAID, REJECTED):
        assert workflow.held_back(state(status, VERIFIER)) is None
    assert workflow.held_back(state(VERIFIED, FILER)) is None  # the filer is no officer: nothing to tell
    assert workflow.next_step(VERIFIED) == Action.APPROVE and workflow.next_step(APPROVED) == Action.PAY
    assert workflow.next_step(SUBMITTED) is None


def test_a_repeated_click_changes_nothing_but_the_verifiers_is_never_one() -> None:
    assert workflow.already_done(Action.APPROVE, state(APPROVED, APPROVER))
    assert workflow.already_done(Action.APPROVE, state(PAID, THIRD))
    assert workflow.already_done(
        Action.APPROVE, state(VERIFIED, APPROVER, approved_by=APPROVER, needs_second_approval=True)
    )
    assert not workflow.already_done(
        Action.APPROVE, state(VERIFIED, THIRD, approved_by=APPROVER, needs_second_approval=True)
    )
    assert not workflow.already_done(Action.APPROVE, state(VERIFIED, APPROVER))
    assert workflow.already_done(Action.PAY, state(PAID, APPROVER))
    assert not workflow.already_done(Action.PAY, state(APPROVED, APPROVER))
    for action in (Action.APPROVE, Action.PAY):
        assert not workflow.already_done(action, state(PAID, VERIFIER))  # refused, not ignored
    assert not workflow.already_done(Action.REJECT, state(REJECTED, APPROVER))


def test_the_statuses_with_a_decision() -> None:
    assert {APPROVED, PAID, REJECTED} == workflow.DECIDED
    assert {PAID, REJECTED} == workflow.CLOSED
    assert not workflow.DECIDED & workflow.OPEN
