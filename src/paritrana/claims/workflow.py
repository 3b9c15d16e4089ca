"""What may be done with a claim, by whom: the workflow's rules in one pure place (decision 0010).

Segregation of duties at every amount: the officer who verifies a claim (and corrects its inputs) neither
approves nor pays it; a claim whose value reaches the branch's threshold needs a second approver, who is
neither the verifier nor the first approver. The services enforce these answers, the pages show only the
actions they allow, and the API refuses the others with the same messages. No database here: a claim's
state is given as plain values, so the rules are unit-tested without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from paritrana.core.workflow import Kind

SUBMITTED, VERIFIED, APPROVED, PAID, REJECTED = "submitted", "verified", "approved", "paid", "rejected"
OPEN = frozenset({SUBMITTED, VERIFIED})
CLOSED = frozenset({PAID, REJECTED})  # nothing more is decided
DECIDED = frozenset({APPROVED, PAID, REJECTED})  # the claim has its decision (and its letter)


class Action(StrEnum):
    VERIFY = "verify"
    APPROVE = "approve"  # the first approval, or the second one when the value reaches the threshold
    PAY = "pay"
    REJECT = "reject"
    ADD_DOCUMENT = "add_document"
    STOP = "stop"


@dataclass(frozen=True)
class Refusal:
    kind: Kind
    message: str


@dataclass(frozen=True)
class ClaimState:
    """The facts of a claim the workflow reads, and who asks.

    ``processor``: the actor is an administrator or a branch officer who sees the claim; ``actor``, ``filer``,
    ``verified_by``, ``approved_by``: user ids (None: nobody, or an anonymous caller)."""

    status: str
    actor: int | None
    processor: bool
    status_label: str = ""  # the status in the reader's language, for the messages
    filer: int | None = None
    verified_by: int | None = None
    approved_by: int | None = None
    needs_second_approval: bool = False
    has_scheduled: bool = False


def awaiting_second_approval(state: ClaimState) -> bool:
    return state.status == VERIFIED and state.approved_by is not None


def is_verifier(state: ClaimState) -> bool:
    """Whether the actor verified the claim (and so may neither approve nor pay it)."""
    return _same(state.actor, state.verified_by)


def _status(state: ClaimState) -> dict[str, str]:
    return {"s": state.status_label or state.status}


def _same(a: int | None, b: int | None) -> bool:
    return a is not None and a == b


def refusal(action: Action, state: ClaimState) -> Refusal | None:
    """Why ``action`` is not allowed on the claim for its actor; None when it is."""
    if action == Action.ADD_DOCUMENT:
        if state.status not in OPEN:
            return Refusal(Kind.STATE, _("documents are added only before approval"))
        if not state.processor and not _same(state.actor, state.filer):
            return Refusal(Kind.PERSON, _("only the filer or a branch officer adds documents"))
        return None
    if not state.processor:
        return Refusal(Kind.PERSON, _("only an administrator or a branch officer processes claims"))
    if action == Action.VERIFY:
        if state.status != SUBMITTED:
            return Refusal(Kind.STATE, _("only a submitted claim is verified (this one is %(s)s)") % _status(state))
        return None
    if action == Action.REJECT:
        if state.status not in OPEN:
            return Refusal(Kind.STATE, _("a claim is rejected before approval (this one is %(s)s)") % _status(state))
        return None
    if action == Action.STOP:
        if not state.has_scheduled:
            return Refusal(Kind.STATE, _("this claim has no scheduled payment to stop"))
        return None
    if action == Action.APPROVE:
        if is_verifier(state):  # whatever the status: the verifier's click is never an approval
            return Refusal(Kind.PERSON, _("you verified this claim: another officer approves it"))
        if state.status != VERIFIED:
            return Refusal(Kind.STATE, _("a claim is approved after verification (this one is %(s)s)") % _status(state))
        if awaiting_second_approval(state) and _same(state.actor, state.approved_by):
            return Refusal(Kind.PERSON, _("you approved this claim: the second approval is another officer's"))
        return None
    if action == Action.PAY:
        if is_verifier(state):
            return Refusal(Kind.PERSON, _("you verified this claim: another officer pays it"))
        if state.status != APPROVED:
            return Refusal(Kind.STATE, _("only an approved claim is paid (this one is %(s)s)") % _status(state))
        return None
    raise ValueError(action)  # pragma: no cover - every action is handled above


def allowed(state: ClaimState) -> frozenset[Action]:
    """The actions the actor may take on the claim now."""
    return frozenset(a for a in Action if refusal(a, state) is None)


def next_step(status: str) -> Action | None:
    """The officers' next step on a claim of ``status`` that another officer may have to take."""
    return {VERIFIED: Action.APPROVE, APPROVED: Action.PAY}.get(status)


def held_back(state: ClaimState) -> Refusal | None:
    """Why a processor may not take the claim's next step because of who it is (e.g. its verifier, about the
    approval), to tell it so; None when it may, or when only the status stands in the way."""
    step = next_step(state.status)
    if not state.processor or step is None:
        return None
    refused = refusal(step, state)
    return refused if refused is not None and refused.kind == Kind.PERSON else None


def already_done(action: Action, state: ClaimState) -> bool:
    """A click repeated by someone allowed to make it changes nothing: the approval of an approved or paid claim,
    the first approver's again while the claim waits for its second, the payment of a paid claim. The verifier's
    click is never this (it is refused)."""
    if is_verifier(state):
        return False
    if action == Action.APPROVE:
        return state.status in (APPROVED, PAID) or (
            awaiting_second_approval(state) and _same(state.actor, state.approved_by)
        )
    if action == Action.PAY:
        return state.status == PAID
    return False


def completes_approval(state: ClaimState) -> bool:
    """Whether an (allowed) approval by the actor makes the claim approved: a single approval below the
    threshold, or the second one above it."""
    return not state.needs_second_approval or state.approved_by is not None


def raise_needs_reason(before: int, after: int, share_bp: int) -> bool:
    """A correction raising the claim's value from ``before`` to ``after`` by more than ``share_bp`` basis
    points of ``before`` needs a reason (any raise from nothing does)."""
    if after <= before:
        return False
    return (after - before) * 10_000 > before * share_bp
