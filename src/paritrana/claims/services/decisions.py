"""Deciding a claim: verification (corrections reassess it), approval (never by the verifier; a second approver
above the threshold), payment exactly once, rejection with a reason (decision 0010).

Payment exactly once: ``pay`` locks the claim row, then creates its payment instructions; each has a key unique
per claim (a database constraint), so a second click, or twenty concurrent calls, find the claim paid and return
the instruction already made. A JHT payment debits the JHT ledger in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.claims import workflow
from paritrana.claims.models import BenefitPayment, Claim, ClaimStep, Instalment, Status
from paritrana.claims.services.assessment import assess
from paritrana.claims.services.controls import controls_for
from paritrana.claims.services.intake import apply_assessment
from paritrana.claims.services.lookup import (
    locked,
    missing_documents,
    record_step,
    require,
    require_processor,
    state_of,
)
from paritrana.claims.services.payouts import instalment_due, instruction, pension_months
from paritrana.claims.types import TYPES, ClaimType, Payout
from paritrana.contributions.services import ledger
from paritrana.core.bulk import history_user
from paritrana.core.errors import ValidationFailed
from paritrana.core.text import clean_text
from paritrana.registry.models import Worker
from paritrana.rules.money import rupiah_text


def verify(
    user: AnyUser | None,
    claim_id: int,
    corrections: dict[str, Any] | None = None,
    note: str = "",
    reason: str = "",
) -> Claim:
    """The documents are checked (all required present) and the facts confirmed; ``corrections`` of the rule's
    inputs (e.g. contribution months from the old records) are recorded and the claim reassessed. A correction
    raising the claim's value by more than the branch's share needs a ``reason``, kept on the step and shown in
    the letter. The verifier will neither approve nor pay the claim."""
    require_processor(user)
    reason = clean_text(reason or "")
    with transaction.atomic():
        claim = locked(user, claim_id)
        require(user, workflow.Action.VERIFY, claim)
        missing = missing_documents(claim)
        if missing:
            raise ValidationFailed("documents", _("documents missing: %(m)s") % {"m": ", ".join(missing)})
        if corrections:
            ctype = TYPES[claim.claim_type]
            given = {k: claim.inputs[k] for k in ctype.claimant_fields if k in claim.inputs}
            if "event_date" in ctype.claimant_fields and claim.event_date is not None:
                given["event_date"] = claim.event_date.isoformat()  # the law date, not a rule input of every type
            children = claim.inputs.get("children")
            before = claim.amount + 12 * claim.monthly_amount
            reassessed = assess(
                ctype, claim.worker, given, claim.submitted_on, corrections=corrections, children=children
            )
            share = controls_for(claim.branch_id).correction_reason_share_bp
            if not reason and workflow.raise_needs_reason(before, reassessed.value, share):
                raise ValidationFailed(
                    "reason",
                    _(
                        "the corrections raise the claim's value from %(before)s to %(after)s, more than"
                        " %(share)s %%: give the reason"
                    )
                    % {
                        "before": rupiah_text(before),
                        "after": rupiah_text(reassessed.value),
                        "share": f"{share / 100:g}".replace(".", ","),
                    },
                )
            apply_assessment(claim, reassessed)
            if "event_date" in corrections:  # a JHT claim's event date is a rule input the officer may correct
                claim.event_date = dt.date.fromisoformat(str(claim.inputs["event_date"]))
            ClaimStep.objects.create(
                claim=claim,
                step=ClaimStep.Step.CORRECTED,
                by=history_user(user),
                at=timezone.now(),
                note=", ".join(f"{k}={v}" for k, v in corrections.items()),
                reason=reason,
            )
        claim.status = Status.VERIFIED
        claim.verified_by = user  # type: ignore[assignment]
        claim.verified_at = timezone.now()
        claim.save()
        record_step(claim, ClaimStep.Step.VERIFIED, user, note)
        return claim


def _excluding_types(ctype: ClaimType) -> set[str]:
    """The types a claim of ``ctype`` is not approved beside: its own when paid once, and those paid instead."""
    codes = {ctype.code} if ctype.once else set()
    codes |= ctype.exclusive_with
    codes |= {t.code for t in TYPES.values() if ctype.code in t.exclusive_with}
    return codes


def _check_once(claim: Claim, codes: set[str]) -> None:
    """A benefit paid once per participant (or paid instead of another): refuse the approval while another claim
    of the types is approved, paid or waiting for its second approval. The participant's row is locked first, so
    two claims approved at the same moment are checked one after the other."""
    Worker.objects.select_for_update(of=("self",), no_key=True).filter(pk=claim.worker_id).values_list("pk").get()
    other = (
        Claim.objects.filter(worker_id=claim.worker_id, claim_type__in=codes)
        .exclude(pk=claim.pk)
        .filter(Q(status__in=(Status.APPROVED, Status.PAID)) | Q(status=Status.VERIFIED, approved_by__isnull=False))
        .order_by("id")
        .first()
    )
    if other is None:
        return
    if other.claim_type != claim.claim_type:
        raise ValidationFailed(
            "claim",
            _("%(other)s (%(type)s) for the same participant is paid instead of this claim: reject this one")
            % {"other": other.number, "type": TYPES[other.claim_type].title},
        )
    message = (
        _("%(other)s, a claim of this type for the same participant, is already paid: reject this one")
        if other.status == Status.PAID
        else _("%(other)s, a claim of this type for the same participant, is already approved: reject this one")
    )
    raise ValidationFailed("claim", message % {"other": other.number})


def _check_balance(claim: Claim) -> None:
    """A JHT claim debits the account when it is paid: refuse to approve an amount the account no longer holds
    (another withdrawal since the assessment), else the approved claim could be neither paid nor rejected."""
    available = ledger.balance(claim.worker_id, timezone.localdate())
    if claim.amount > available:
        raise ValidationFailed(
            "amount",
            _("the JHT account holds %(balance)s today, less than the %(amount)s assessed: reject this claim")
            % {"balance": rupiah_text(max(available, 0)), "amount": rupiah_text(claim.amount)},
        )


def _approve_locked(user: AnyUser | None, claim: Claim) -> Claim:
    if workflow.already_done(workflow.Action.APPROVE, state_of(user, claim)):
        return claim  # clicked twice, or the first approver again while the claim waits for its second
    require(user, workflow.Action.APPROVE, claim)
    if not claim.eligible:
        raise ValidationFailed(
            "eligible", _("the rules refuse this claim: %(why)s; reject it with that reason") % {"why": claim.refusal}
        )
    ctype = TYPES[claim.claim_type]
    excluding = _excluding_types(ctype)
    if excluding:
        _check_once(claim, excluding)
    if ctype.paid_from_jht_account:
        _check_balance(claim)
    now = timezone.now()
    if claim.approved_by_id is None:
        claim.approved_by = user  # type: ignore[assignment]
        claim.approved_at = now
        record_step(claim, ClaimStep.Step.APPROVED, user)
        if not claim.needs_second_approval:
            claim.status = Status.APPROVED
    else:
        claim.second_approved_by = user  # type: ignore[assignment]
        claim.second_approved_at = now
        claim.status = Status.APPROVED
        record_step(claim, ClaimStep.Step.SECOND_APPROVAL, user)
    claim.save()
    return claim


def approve(user: AnyUser | None, claim_id: int) -> Claim:
    """Approve a verified claim (not by its verifier). Above the threshold it waits for a second approver,
    neither the verifier nor the first approver."""
    require_processor(user)
    with transaction.atomic():
        return _approve_locked(user, locked(user, claim_id))


def _pay_locked(user: AnyUser | None, claim: Claim) -> list[BenefitPayment]:
    if workflow.already_done(workflow.Action.PAY, state_of(user, claim)):
        return list(claim.payments.all())  # paid already: the instructions made
    require(user, workflow.Action.PAY, claim)
    now = timezone.now()
    today = timezone.localdate()
    ctype = TYPES[claim.claim_type]
    payments: list[BenefitPayment] = []

    def instruct(key: str, kind: str, amount: int, due: dt.date) -> BenefitPayment:
        p = instruction(claim, key, kind, amount, due, now, history_user(user))
        p.save(force_insert=True)
        payments.append(p)
        return p

    if ctype.payout == Payout.INSTALMENTS:
        for item in claim.extra.get("schedule", []):
            inst = Instalment.objects.create(
                claim=claim,
                key=item["key"],
                due_on=instalment_due(item, today),
                amount=item["amount"],
                child_order=item.get("child_order"),
                child_name=item.get("child_name") or "",
                school_year=item.get("school_year"),
                level=item.get("level") or "",
                year_in_level=item.get("year_in_level"),
            )
            if inst.due_on <= today:
                inst.payment = instruct(inst.key, ctype.instalment_payment, inst.amount, inst.due_on)
                inst.state = Instalment.State.PAID
                inst.save()
    elif ctype.payout == Payout.PENSION and claim.monthly_amount > 0:
        for month in pension_months(claim, today):
            instruct(f"{month:%Y-%m}", BenefitPayment.Kind.MONTHLY, claim.monthly_amount, month)
    elif claim.amount > 0:
        paid_out = claim.net_amount if claim.net_amount is not None else claim.amount
        payment = instruct("", BenefitPayment.Kind.LUMP_SUM, paid_out, today)
        if ctype.paid_from_jht_account:
            entry = ledger.withdraw(None, claim.worker_id, claim.amount, today, claim.number)
            payment.jht_entry = entry
            payment.save(update_fields=["jht_entry"])
    claim.status = Status.PAID
    claim.paid_at = now
    claim.service_days = (today - claim.submitted_on).days
    claim.save()
    total = sum(p.amount for p in payments)
    record_step(
        claim,
        ClaimStep.Step.PAID,
        user,
        _("%(n)s payment(s), Rp%(total)s") % {"n": len(payments), "total": f"{total:,}".replace(",", ".")},
        at=now,
    )
    return payments


def pay(user: AnyUser | None, claim_id: int) -> list[BenefitPayment]:
    """Issue the payment instructions of an approved claim, once (not by its verifier): a paid claim returns
    the ones it has."""
    require_processor(user)
    with transaction.atomic():
        return _pay_locked(user, locked(user, claim_id))


def approve_and_pay(user: AnyUser | None, claim_id: int) -> list[BenefitPayment]:
    """Approve, and pay when the approval is complete; one transaction on the locked claim row. The verifier
    can do neither, so one person never takes a claim from its assessment to its payment."""
    require_processor(user)
    with transaction.atomic():
        claim = _approve_locked(user, locked(user, claim_id))
        if claim.status in (Status.APPROVED, Status.PAID):
            return _pay_locked(user, claim)
        return []


def reject(user: AnyUser | None, claim_id: int, reason: str) -> Claim:
    """Reject an open claim with the reason the claimant will read."""
    require_processor(user)
    reason = clean_text(reason or "")
    with transaction.atomic():
        claim = locked(user, claim_id)
        if not reason:
            reason = claim.refusal
        if not reason:
            raise ValidationFailed("reason", _("give the reason of the rejection"))
        require(user, workflow.Action.REJECT, claim)
        claim.status = Status.REJECTED
        claim.rejected_by = user  # type: ignore[assignment]
        claim.rejected_at = timezone.now()
        claim.rejection_reason = reason
        claim.save()
        record_step(claim, ClaimStep.Step.REJECTED, user, reason)
        return claim
