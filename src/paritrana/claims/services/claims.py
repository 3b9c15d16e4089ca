"""Claims: intake, documents, verification, approval (never by the verifier; a second approver above the
branch's threshold), payment exactly once, rejection with a reason, and the instalments paid later. Who may
take which step is ``claims.workflow``'s answer (decision 0010).

Payment exactly once: ``pay`` locks the claim row, then creates its payment instructions; each has
a key unique per claim (a database constraint), so a second click, or twenty concurrent calls,
find the claim paid and return the instruction already made. A JHT payment debits the JHT ledger
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of, visible_workers
from paritrana.claims import workflow
from paritrana.claims.dates import add_months, month_start
from paritrana.claims.models import BenefitPayment, Claim, ClaimDocument, ClaimStep, Instalment, Status
from paritrana.claims.scopes import can_file, can_process, visible_claims
from paritrana.claims.services.assessment import Assessment, assess
from paritrana.claims.services.controls import controls_for
from paritrana.claims.types import HEIR, TYPES, WORKER, ClaimType, Payout
from paritrana.contributions.services import ledger
from paritrana.core.text import clean_text
from paritrana.registry.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Branch, Heir, Worker
from paritrana.rules.money import rupiah_text

MAX_DOCUMENT_BYTES: int = settings.PARITRANA_MAX_DOCUMENT_BYTES
# what a document may be, told by its first bytes (the name and the declared type are not trusted)
SIGNATURES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


@dataclass(frozen=True)
class Upload:
    kind: str
    file_name: str
    content: bytes


def _by(user: AnyUser | None) -> Any:
    """The user to record as the actor (none for the system or an anonymous caller)."""
    return user if user is not None and user.is_authenticated else None


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


def _require(user: AnyUser | None, action: workflow.Action, claim: Claim) -> None:
    """Refuse the action as the workflow says: NotAllowed for the person or role, ValidationFailed naming
    ``status`` for the claim's state."""
    refused = workflow.refusal(action, state_of(user, claim))
    if refused is None:
        return
    if refused.kind == workflow.Kind.PERSON:
        raise NotAllowed(refused.message)
    raise ValidationFailed("status", refused.message)


# --- intake --------------------------------------------------------------------------------------


def _branch_of(worker: Worker) -> Branch | None:
    if worker.employer_id is not None:
        return worker.employer.branch  # type: ignore[union-attr]
    code = worker.region.code
    prefixes = [".".join(code.split(".")[:n]) for n in range(len(code.split(".")), 0, -1)]
    for prefix in prefixes:
        branch = Branch.objects.filter(regions__code=prefix).order_by("id").first()
        if branch is not None:
            return branch
    return None


def _filer_worker(user: AnyUser | None, ctype: ClaimType, worker_id: int | None) -> tuple[Worker, str]:
    """The participant the user may file this type for, and the role it files as."""
    if not can_file(user):
        raise NotAllowed(_("your role cannot file claims"))
    role = role_of(user)
    profile = profile_of(user)
    if role in (Role.WORKER, Role.HEIR):
        assert profile is not None
        if profile.worker_id is None:
            raise NotAllowed(_("your account is not linked to a participant"))
        if worker_id is not None and worker_id != profile.worker_id:
            raise NotFound(_("no worker with id %(id)s") % {"id": worker_id})
        kind = WORKER if role == Role.WORKER else HEIR
        if kind not in ctype.filers:
            raise NotAllowed(
                _("a claim of this type is filed by the heirs")
                if kind == WORKER
                else _("a claim of this type is filed by the participant")
            )
        return Worker.objects.select_related("employer__branch", "region").get(pk=profile.worker_id), str(role)
    if worker_id is None:
        raise ValidationFailed("worker", _("choose the participant"))
    try:
        worker = visible_workers(user).select_related("employer__branch", "region").get(pk=worker_id)
    except Worker.DoesNotExist:
        raise NotFound(_("no worker with id %(id)s") % {"id": worker_id}) from None
    return worker, str(role)


def check_upload(upload: Upload, ctype: ClaimType, index: int = 1) -> str:
    """The checked content type of an uploaded document; ValidationFailed naming the document otherwise."""
    where = f"documents[{index}]"
    codes = {d.code for d in ctype.documents}
    if upload.kind not in codes:
        raise ValidationFailed(where, _("%(kind)s is not on this claim's checklist") % {"kind": upload.kind})
    if not upload.content:
        raise ValidationFailed(where, _("%(name)s is empty") % {"name": upload.file_name})
    if len(upload.content) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(
            where,
            _("%(name)s is %(size)s bytes; at most %(max)s")
            % {"name": upload.file_name, "size": len(upload.content), "max": MAX_DOCUMENT_BYTES},
        )
    for signature, content_type in SIGNATURES.items():
        if upload.content.startswith(signature):
            return content_type
    raise ValidationFailed(where, _("%(name)s is not a PDF, JPEG or PNG file") % {"name": upload.file_name})


def _store_document(claim: Claim, upload: Upload, content_type: str, user: AnyUser | None) -> ClaimDocument:
    return ClaimDocument.objects.create(
        claim=claim,
        kind=upload.kind,
        file_name=clean_text(upload.file_name)[:255],
        content_type=content_type,
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        content=upload.content,
        uploaded_by=_by(user),
    )


def _step(claim: Claim, step: str, user: AnyUser | None, note: str = "", at: dt.datetime | None = None) -> None:
    ClaimStep.objects.create(
        claim=claim,
        step=step,
        by=_by(user),
        at=at or timezone.now(),
        note=note,
    )


def _apply(claim: Claim, a: Assessment) -> None:
    claim.rule = a.rule
    claim.law_date = a.law_date
    claim.inputs = a.inputs
    claim.input_sources = a.sources
    claim.outputs = a.outputs
    claim.explanation = a.explanation
    claim.eligible = a.eligible
    claim.refusal = a.refusal
    claim.amount = a.amount
    claim.net_amount = a.net_amount
    claim.monthly_amount = a.monthly_amount
    limit = controls_for(claim.branch_id).second_approval_threshold
    claim.approval_threshold = limit
    claim.needs_second_approval = a.value >= limit
    claim.extra = {
        **{k: v for k, v in claim.extra.items() if k != "schedule"},
        "schedule": [
            {
                "key": p.key,
                "due_on": None if p.due_on == dt.date.min else p.due_on.isoformat(),
                "amount": p.amount,
                "child_order": p.child_order,
                "child_name": p.child_name,
                "school_year": p.school_year,
                "level": p.level,
                "year_in_level": p.year_in_level,
            }
            for p in a.instalments
        ],
    }


def submit(
    user: AnyUser | None,
    claim_type: str,
    inputs: dict[str, Any],
    documents: Sequence[Upload] = (),
    *,
    worker_id: int | None = None,
    heir_id: int | None = None,
    bank_account: str = "",
    children: list[dict[str, Any]] | None = None,
    received_on: dt.date | None = None,
) -> Claim:
    """File a claim; it is assessed by its rule at once. Every required document must be attached.

    ``received_on``: an officer entering a claim received on paper gives the day it was received (the
    claim date: the law date of JHT and JP old-age claims, and the start of the service time)."""
    if claim_type not in TYPES:
        raise ValidationFailed("claim_type", _("choose one of: %(c)s") % {"c": ", ".join(TYPES)})
    ctype = TYPES[claim_type]
    worker, role = _filer_worker(user, ctype, worker_id)
    bank_account = clean_text(bank_account or "")
    if not bank_account:
        raise ValidationFailed("bank_account", _("give the bank account the benefit is paid to"))
    if len(bank_account) > 60:
        raise ValidationFailed("bank_account", _("at most 60 characters"))
    heir = None
    if heir_id is not None:
        heir = Heir.objects.filter(pk=heir_id, worker=worker).first()
        if heir is None:
            raise ValidationFailed("heir", _("not an heir of this participant"))
    types = [check_upload(doc, ctype, i) for i, doc in enumerate(documents, start=1)]
    given = {d.kind for d in documents}
    for item in ctype.documents:
        if item.required and item.code not in given:
            raise ValidationFailed(f"documents.{item.code}", _("attach: %(label)s") % {"label": item.label})
    now = timezone.now()
    today = timezone.localdate()
    if received_on is not None and received_on != today:
        if not can_process(user):
            raise NotAllowed(_("only an officer enters a claim received on an earlier day"))
        if received_on > today:
            raise ValidationFailed("received_on", _("%(date)s is in the future") % {"date": received_on.isoformat()})
        today = received_on
    assessment = assess(ctype, worker, dict(inputs), today, children=children)
    with transaction.atomic():
        claim = Claim(
            claim_type=claim_type,
            worker=worker,
            heir=heir,
            branch=_branch_of(worker),
            filed_by=_by(user),
            filed_as=role,
            submitted_at=now,
            submitted_on=today,
            event_date=dt.date.fromisoformat(str(inputs["event_date"])) if inputs.get("event_date") else None,
            bank_account=bank_account,
        )
        _apply(claim, assessment)
        claim.save()
        for doc, content_type in zip(documents, types, strict=True):
            _store_document(claim, doc, content_type, user)
        note = "" if assessment.eligible else _("the rules refuse it: %(why)s") % {"why": assessment.refusal}
        _step(claim, ClaimStep.Step.SUBMITTED, user, note, at=now)
    return claim


def add_document(user: AnyUser | None, claim_id: int, upload: Upload) -> ClaimDocument:
    """Attach a document to an open claim (its filer, or an officer)."""
    with transaction.atomic():
        claim = _locked(user, claim_id)
        refused = workflow.refusal(workflow.Action.ADD_DOCUMENT, state_of(user, claim))
        if refused is not None and refused.kind == workflow.Kind.STATUS:
            raise ValidationFailed("claim", refused.message)
        if refused is not None:
            raise NotAllowed(refused.message)
        content_type = check_upload(upload, TYPES[claim.claim_type])
        doc = _store_document(claim, upload, content_type, user)
        _step(claim, ClaimStep.Step.DOCUMENT, user, upload.kind)
        return doc


# --- workflow ------------------------------------------------------------------------------------


def _locked(user: AnyUser | None, claim_id: int) -> Claim:
    """The claim row, locked for this transaction, if the user sees it.

    Only the claim's own row (not its worker's), and ``FOR NO KEY UPDATE``: rows that refer to the claim
    (its payments, steps, instalments) can still be written by others, e.g. the monthly run paying one
    instalment while an officer stops another; a full lock would make them wait for each other (deadlock)."""
    get_claim(user, claim_id)
    return Claim.objects.select_for_update(of=("self",), no_key=True).select_related("worker").get(pk=claim_id)


def _processor(user: AnyUser | None) -> None:
    if not can_process(user):
        raise NotAllowed(_("only an administrator or a branch officer processes claims"))


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
    _processor(user)
    reason = clean_text(reason or "")
    with transaction.atomic():
        claim = _locked(user, claim_id)
        _require(user, workflow.Action.VERIFY, claim)
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
            reassessed = assess(ctype, claim.worker, given, claim.submitted_on, corrections, children=children)
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
            _apply(claim, reassessed)
            if "event_date" in corrections:  # a JHT claim's event date is a rule input the officer may correct
                claim.event_date = dt.date.fromisoformat(str(claim.inputs["event_date"]))
            ClaimStep.objects.create(
                claim=claim,
                step=ClaimStep.Step.CORRECTED,
                by=_by(user),
                at=timezone.now(),
                note=", ".join(f"{k}={v}" for k, v in corrections.items()),
                reason=reason,
            )
        claim.status = Status.VERIFIED
        claim.verified_by = user  # type: ignore[assignment]
        claim.verified_at = timezone.now()
        claim.save()
        _step(claim, ClaimStep.Step.VERIFIED, user, note)
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
    _require(user, workflow.Action.APPROVE, claim)
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
        _step(claim, ClaimStep.Step.APPROVED, user)
        if not claim.needs_second_approval:
            claim.status = Status.APPROVED
    else:
        claim.second_approved_by = user  # type: ignore[assignment]
        claim.second_approved_at = now
        claim.status = Status.APPROVED
        _step(claim, ClaimStep.Step.SECOND_APPROVAL, user)
    claim.save()
    return claim


def approve(user: AnyUser | None, claim_id: int) -> Claim:
    """Approve a verified claim (not by its verifier). Above the threshold it waits for a second approver,
    neither the verifier nor the first approver."""
    _processor(user)
    with transaction.atomic():
        return _approve_locked(user, _locked(user, claim_id))


def awaiting_second_approval(claim: Claim) -> bool:
    return workflow.awaiting_second_approval(state_of(None, claim))


def _pay_locked(user: AnyUser | None, claim: Claim) -> list[BenefitPayment]:
    if workflow.already_done(workflow.Action.PAY, state_of(user, claim)):
        return list(claim.payments.all())  # paid already: the instructions made
    _require(user, workflow.Action.PAY, claim)
    now = timezone.now()
    today = timezone.localdate()
    ctype = TYPES[claim.claim_type]
    payments: list[BenefitPayment] = []

    def instruct(key: str, kind: str, amount: int, due: dt.date) -> BenefitPayment:
        p = BenefitPayment.objects.create(
            claim=claim,
            key=key,
            kind=kind,
            amount=amount,
            due_on=due,
            instructed_at=now,
            instructed_by=_by(user),
            bank_account=claim.bank_account,
        )
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
        for month in _pension_months(claim, today):
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
    _step(
        claim,
        ClaimStep.Step.PAID,
        user,
        _("%(n)s payment(s), Rp%(total)s") % {"n": len(payments), "total": f"{total:,}".replace(",", ".")},
        at=now,
    )
    return payments


def instalment_number(key: str) -> int:
    """The month of an instalment planned relative to the payment: its key's last number (``jkp-2``: 2)."""
    return int(key.rsplit("-", 1)[1])


def instalment_due(item: dict[str, Any], paid_on: dt.date) -> dt.date:
    """When a planned instalment falls due: its date, else its month counted from the payment (month 1 with it)."""
    if item.get("due_on"):
        return dt.date.fromisoformat(str(item["due_on"]))
    return add_months(paid_on, instalment_number(str(item["key"])) - 1)


def first_pension_month(claim: Claim) -> dt.date:
    """The first month a pension is paid: the month after the pension date (old age) or after the death."""
    dated_by = TYPES[claim.claim_type].first_payment_output
    if dated_by and claim.outputs.get(dated_by):
        return month_start(dt.date.fromisoformat(claim.outputs[dated_by]))
    base = claim.event_date or claim.submitted_on
    return add_months(month_start(base), 1)


def _pension_months(claim: Claim, today: dt.date) -> list[dt.date]:
    """The months of a pension due by ``today`` (back pay from the first month on)."""
    month = first_pension_month(claim)
    out = []
    while month <= month_start(today):
        out.append(month)
        month = add_months(month, 1)
    return out


def pay(user: AnyUser | None, claim_id: int) -> list[BenefitPayment]:
    """Issue the payment instructions of an approved claim, once (not by its verifier): a paid claim returns
    the ones it has."""
    _processor(user)
    with transaction.atomic():
        return _pay_locked(user, _locked(user, claim_id))


def approve_and_pay(user: AnyUser | None, claim_id: int) -> list[BenefitPayment]:
    """Approve, and pay when the approval is complete; one transaction on the locked claim row. The verifier
    can do neither, so one person never takes a claim from its assessment to its payment."""
    _processor(user)
    with transaction.atomic():
        claim = _approve_locked(user, _locked(user, claim_id))
        if claim.status in (Status.APPROVED, Status.PAID):
            return _pay_locked(user, claim)
        return []


def reject(user: AnyUser | None, claim_id: int, reason: str) -> Claim:
    """Reject an open claim with the reason the claimant will read."""
    _processor(user)
    reason = clean_text(reason or "")
    with transaction.atomic():
        claim = _locked(user, claim_id)
        if not reason:
            reason = claim.refusal
        if not reason:
            raise ValidationFailed("reason", _("give the reason of the rejection"))
        _require(user, workflow.Action.REJECT, claim)
        claim.status = Status.REJECTED
        claim.rejected_by = user  # type: ignore[assignment]
        claim.rejected_at = timezone.now()
        claim.rejection_reason = reason
        claim.save()
        _step(claim, ClaimStep.Step.REJECTED, user, reason)
        return claim


# --- later payments ------------------------------------------------------------------------------


PAY_DUE_LOCK = 0x636C  # the advisory-lock class of the monthly runs (PostgreSQL)


def _lock_run(month: dt.date) -> None:
    """Serialise the runs of one month. Two runs at once would both read a pension month as unpaid; the
    unique key stores it once, but both would count it as paid by them (PostgreSQL: an advisory lock until
    the end of the transaction, taken before the run reads anything; SQLite: the write transaction already
    locks the database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PAY_DUE_LOCK, month.year * 100 + month.month])


@dataclass
class RunResult:
    month: dt.date
    pensions: int
    instalments: int
    amount: int


def pay_due(month: dt.date, user: AnyUser | None = None) -> RunResult:
    """The monthly run: each pension's payment for ``month``, and every scheduled instalment due by the
    end of ``month`` (JKP months, scholarship years begun). Idempotent: a rerun adds nothing."""
    month = month_start(month)
    end = add_months(month, 1) - dt.timedelta(days=1)
    now = timezone.now()
    by = _by(user)
    pensions = instalments = amount = 0
    with transaction.atomic():
        _lock_run(month)
        pensioners = Claim.objects.filter(status=Status.PAID, monthly_amount__gt=0).exclude(
            payments__key=f"{month:%Y-%m}"
        )
        new = []
        for claim in pensioners.only(
            "id", "claim_type", "outputs", "event_date", "submitted_on", "monthly_amount", "bank_account"
        ):
            if first_pension_month(claim) <= month:
                new.append(
                    BenefitPayment(
                        claim=claim,
                        key=f"{month:%Y-%m}",
                        kind=BenefitPayment.Kind.MONTHLY,
                        amount=claim.monthly_amount,
                        due_on=month,
                        instructed_at=now,
                        instructed_by=by,
                        bank_account=claim.bank_account,
                    )
                )
        BenefitPayment.objects.bulk_create(new, ignore_conflicts=True)
        pensions = len(new)
        amount += sum(p.amount for p in new)
        due = (
            Instalment.objects.select_for_update(of=("self",))  # not the claims: see _locked
            .select_related("claim")
            .filter(state=Instalment.State.SCHEDULED, due_on__lte=end, claim__status=Status.PAID)
        )
        for inst in due:
            kind = TYPES[inst.claim.claim_type].instalment_payment
            inst.payment = BenefitPayment.objects.create(
                claim=inst.claim,
                key=inst.key,
                kind=kind,
                amount=inst.amount,
                due_on=inst.due_on,
                instructed_at=now,
                instructed_by=by,
                bank_account=inst.claim.bank_account,
            )
            inst.state = Instalment.State.PAID
            inst.save(update_fields=["payment", "state"])
            instalments += 1
            amount += inst.amount
    return RunResult(month, pensions, instalments, amount)


def stop_instalments(user: AnyUser | None, claim_id: int, reason: str, child_order: int | None = None) -> int:
    """Stop the scheduled instalments of a claim (or of one child): the child married, works or left school,
    the JKP right ended (a new job). Returns how many were stopped."""
    _processor(user)
    reason = clean_text(reason or "")
    if not reason:
        raise ValidationFailed("reason", _("give the reason the payments stop"))
    with transaction.atomic():
        claim = _locked(user, claim_id)
        qs = claim.instalments.filter(state=Instalment.State.SCHEDULED)
        if child_order is not None:
            qs = qs.filter(child_order=child_order)
        count = qs.update(state=Instalment.State.STOPPED, stop_reason=reason)
        if count:
            _step(claim, ClaimStep.Step.STOPPED, user, reason)
        return count
