"""Manual payments (decision 0009): cash at a branch, a transfer that came without a payment code.

An officer enters the payment with its evidence (a PDF, JPEG or PNG scan, told by its first bytes as
claims' documents are); it changes nothing until a second, different officer confirms it, and only
then is it posted (``payments.record_payment``: the same allocation, penalties and JHT as a bank
line). The author cannot confirm or reject its own entry (checked here, and by a database
constraint). The entry is locked while it is decided: two officers confirming at once post once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.contributions.models import Bill, ManualPayment, Payment
from paritrana.contributions.periods import shown_date
from paritrana.contributions.scopes import can_handle_payments, visible_manual_payments, visible_payers
from paritrana.contributions.services.payments import REFERENCE_LENGTH, check_paid_on, record_payment
from paritrana.contributions.workflow import ManualRefusal, manual_refusal
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed

MAX_EVIDENCE_BYTES = getattr(settings, "PARITRANA_MAX_DOCUMENT_BYTES", 5 * 1024 * 1024)
SIGNATURES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
MAX_RUPIAH = 10**13


@dataclass(frozen=True)
class Evidence:
    file_name: str
    content: bytes


def check_evidence(evidence: Evidence | None) -> str:
    """The evidence's content type, told by its first bytes; ValidationFailed('evidence') otherwise."""
    if evidence is None or not evidence.content:
        raise ValidationFailed("evidence", _("attach the evidence: the receipt or transfer slip (PDF, JPEG or PNG)"))
    name = evidence.file_name[:80]
    if len(evidence.content) > MAX_EVIDENCE_BYTES:
        raise ValidationFailed(
            "evidence",
            _("%(name)s is %(size)s bytes; at most %(max)s")
            % {"name": name, "size": len(evidence.content), "max": MAX_EVIDENCE_BYTES},
        )
    for signature, content_type in SIGNATURES.items():
        if evidence.content.startswith(signature):
            return content_type
    raise ValidationFailed("evidence", _("%(name)s is not a PDF, JPEG or PNG file") % {"name": name})


def _officer(user: AnyUser | None) -> None:
    if not can_handle_payments(user):
        raise NotAllowed(
            _("payments are recorded from the bank's statement, or entered by an officer and confirmed by another")
        )


def enter_manual(
    user: AnyUser | None,
    payer_id: int,
    amount: int,
    paid_on: dt.date,
    reference: str,
    evidence: Evidence | None,
) -> ManualPayment:
    """Enter a manual payment, awaiting a second officer. ``NotFound`` for a payer out of scope (checked
    first, as if absent), ``NotAllowed`` for a role other than the officers', ``ValidationFailed``
    naming the field for a bad amount, date (future, before 2014, before the payer's first billed
    month), reference (empty, too long, already posted or awaiting) or evidence."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("a manual payment is entered by a signed-in officer"))
    payer = visible_payers(user).filter(pk=payer_id).first() if isinstance(payer_id, int) else None
    if payer is None:
        raise NotFound(_("no payer with id %(id)s") % {"id": payer_id})
    _officer(user)
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount < MAX_RUPIAH:
        raise ValidationFailed("amount", _("the amount must be a whole number of rupiah above zero"))
    check_paid_on(paid_on)
    first = Bill.objects.filter(payer=payer).aggregate(first=Min("period"))["first"]
    if first is not None and paid_on < first:
        raise ValidationFailed(
            "paid_on",
            _("%(date)s is before the payer's first billed month (%(month)s)")
            % {"date": shown_date(paid_on), "month": f"{first:%Y-%m}"},
        )
    reference = " ".join((reference or "").split()) if isinstance(reference, str) else ""
    if not reference:
        raise ValidationFailed("reference", _("give the receipt's or the transfer's reference"))
    if len(reference) > REFERENCE_LENGTH:
        raise ValidationFailed(
            "reference", _("at most %(n)s characters, not %(got)s") % {"n": REFERENCE_LENGTH, "got": len(reference)}
        )
    if (
        Payment.objects.filter(payer=payer, reference=reference).exists()
        or ManualPayment.objects.filter(payer=payer, reference=reference, status=ManualPayment.Status.PENDING).exists()
    ):
        raise ValidationFailed(
            "reference", _("%(reference)s is already recorded for this payer") % {"reference": reference}
        )
    content_type = check_evidence(evidence)
    assert evidence is not None
    return ManualPayment.objects.create(
        payer=payer,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        evidence_name=evidence.file_name[:255],
        evidence_type=content_type,
        evidence_sha256=hashlib.sha256(evidence.content).hexdigest(),
        evidence=evidence.content,
        entered_by_id=user.pk,
    )


def _decidable(user: AnyUser | None, entry_id: int) -> ManualPayment:
    """The entry, locked, if the user may decide it (in scope, an officer, pending, not its author)."""
    if not isinstance(entry_id, int) or not visible_manual_payments(user).filter(pk=entry_id).exists():
        raise NotFound(_("no manual payment with id %(id)s") % {"id": entry_id})
    entry = ManualPayment.objects.select_for_update().get(pk=entry_id)
    refusal = manual_refusal(entry.status, entry.entered_by_id, user.pk if user is not None else None)
    if refusal == ManualRefusal.DECIDED:
        raise ValidationFailed(
            "status", _("this payment is already %(status)s") % {"status": entry.get_status_display()}
        )
    if refusal is not None:
        raise NotAllowed(_("you entered this payment: a second officer confirms it"))
    return entry


def confirm_manual(user: AnyUser | None, entry_id: int) -> ManualPayment:
    """A second officer confirms: the payment is posted now."""
    _officer(user)
    with transaction.atomic():
        entry = _decidable(user, entry_id)
        entry.payment = record_payment(
            None, entry.payer_id, entry.amount, entry.paid_on, entry.reference, recorded_by=user
        )
        entry.status = ManualPayment.Status.CONFIRMED
        entry.decided_by_id = user.pk if user is not None else None
        entry.decided_at = timezone.now()
        entry.save()
    return entry


def reject_manual(user: AnyUser | None, entry_id: int, reason: str) -> ManualPayment:
    """A second officer rejects the entry (a reason is required); nothing is posted."""
    _officer(user)
    reason = " ".join((reason or "").split()) if isinstance(reason, str) else ""
    if not reason or len(reason) > 200:
        raise ValidationFailed("note", _("give the reason (at most 200 characters)"))
    with transaction.atomic():
        entry = _decidable(user, entry_id)
        entry.status = ManualPayment.Status.REJECTED
        entry.decided_by_id = user.pk if user is not None else None
        entry.decided_at = timezone.now()
        entry.note = reason
        entry.save()
    return entry


def pending_for(user: AnyUser | None) -> QuerySet[ManualPayment]:
    _officer(user)
    return visible_manual_payments(user).filter(status=ManualPayment.Status.PENDING)
