"""Filing a claim: the filer and the participant, the documents (checked by their first bytes), the assessment
at once; documents added later."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of, visible_workers
from paritrana.claims import workflow
from paritrana.claims.models import Claim, ClaimDocument, ClaimStep
from paritrana.claims.scopes import can_file, can_process
from paritrana.claims.services.assessment import Assessment, assess
from paritrana.claims.services.controls import controls_for
from paritrana.claims.services.lookup import locked, record_step, state_of
from paritrana.claims.types import HEIR, TYPES, WORKER, ClaimType
from paritrana.core.bulk import history_user
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.core.text import clean_text
from paritrana.registry.models import Branch, Heir, Worker

MAX_DOCUMENT_BYTES: int = settings.PARITRANA_MAX_DOCUMENT_BYTES
# what a document may be, told by its first bytes (the name and the declared type are not trusted)
SIGNATURES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


@dataclass(frozen=True)
class Upload:
    kind: str
    file_name: str
    content: bytes


def branch_of(worker: Worker) -> Branch | None:
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
        uploaded_by=history_user(user),
    )


def apply_assessment(claim: Claim, a: Assessment) -> None:
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
            branch=branch_of(worker),
            filed_by=history_user(user),
            filed_as=role,
            submitted_at=now,
            submitted_on=today,
            event_date=dt.date.fromisoformat(str(inputs["event_date"])) if inputs.get("event_date") else None,
            bank_account=bank_account,
        )
        apply_assessment(claim, assessment)
        claim.save()
        for doc, content_type in zip(documents, types, strict=True):
            _store_document(claim, doc, content_type, user)
        note = "" if assessment.eligible else _("the rules refuse it: %(why)s") % {"why": assessment.refusal}
        record_step(claim, ClaimStep.Step.SUBMITTED, user, note, at=now)
    return claim


def add_document(user: AnyUser | None, claim_id: int, upload: Upload) -> ClaimDocument:
    """Attach a document to an open claim (its filer, or an officer)."""
    with transaction.atomic():
        claim = locked(user, claim_id)
        refused = workflow.refusal(workflow.Action.ADD_DOCUMENT, state_of(user, claim))
        if refused is not None and refused.kind == workflow.Kind.STATE:
            raise ValidationFailed("claim", refused.message)
        if refused is not None:
            raise NotAllowed(refused.message)
        content_type = check_upload(upload, TYPES[claim.claim_type])
        doc = _store_document(claim, upload, content_type, user)
        record_step(claim, ClaimStep.Step.DOCUMENT, user, upload.kind)
        return doc
