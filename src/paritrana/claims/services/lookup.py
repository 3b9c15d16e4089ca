"""Finding a claim the user sees (and locking it), its workflow state as the user would act on it, the workflow's
refusals as domain errors, and its steps recorded."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.claims import workflow
from paritrana.claims.models import Claim, ClaimStep
from paritrana.claims.scopes import can_process, visible_claims
from paritrana.claims.types import TYPES
from paritrana.core.bulk import history_user
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed

# --- reading -------------------------------------------------------------------------------------


def get_claim(user: AnyUser | None, claim_id: int) -> Claim:
    """The claim if the user may see it; NotFound otherwise (out of scope looks like absent)."""
    qs = Claim.objects.select_related("worker", "branch", "heir") if user is None else visible_claims(user)
    try:
        return qs.get(pk=claim_id)
    except Claim.DoesNotExist:
        raise NotFound(_("no claim %(id)s") % {"id": claim_id}) from None


def claims_for(user: AnyUser | None) -> QuerySet[Claim]:
    return visible_claims(user)


def missing_documents(claim: Claim) -> list[str]:
    have = set(claim.documents.values_list("kind", flat=True))
    return [d.code for d in TYPES[claim.claim_type].documents if d.required and d.code not in have]


def state_of(user: AnyUser | None, claim: Claim, has_scheduled: bool = False) -> workflow.ClaimState:
    """The claim's workflow state as ``user`` would act on it."""
    actor = user.pk if user is not None and user.is_authenticated else None
    return workflow.ClaimState(
        status=claim.status,
        status_label=str(claim.get_status_display()),
        actor=actor,
        processor=can_process(user),
        filer=claim.filed_by_id,
        verified_by=claim.verified_by_id,
        approved_by=claim.approved_by_id,
        needs_second_approval=claim.needs_second_approval,
        has_scheduled=has_scheduled,
    )


def require(user: AnyUser | None, action: workflow.Action, claim: Claim) -> None:
    """Refuse the action as the workflow says: NotAllowed for the person or role, ValidationFailed naming
    ``status`` for the claim's state."""
    refused = workflow.refusal(action, state_of(user, claim))
    if refused is None:
        return
    if refused.kind == workflow.Kind.PERSON:
        raise NotAllowed(refused.message)
    raise ValidationFailed("status", refused.message)


def record_step(claim: Claim, step: str, user: AnyUser | None, note: str = "", at: dt.datetime | None = None) -> None:
    ClaimStep.objects.create(
        claim=claim,
        step=step,
        by=history_user(user),
        at=at or timezone.now(),
        note=note,
    )


def locked(user: AnyUser | None, claim_id: int) -> Claim:
    """The claim row, locked for this transaction, if the user sees it.

    Only the claim's own row (not its worker's), and ``FOR NO KEY UPDATE``: rows that refer to the claim
    (its payments, steps, instalments) can still be written by others, e.g. the monthly run paying one
    instalment while an officer stops another; a full lock would make them wait for each other (deadlock)."""
    get_claim(user, claim_id)
    return Claim.objects.select_for_update(of=("self",), no_key=True).select_related("worker").get(pk=claim_id)


def require_processor(user: AnyUser | None) -> None:
    if not can_process(user):
        raise NotAllowed(_("only an administrator or a branch officer processes claims"))


def awaiting_second_approval(claim: Claim) -> bool:
    return workflow.awaiting_second_approval(state_of(None, claim))
