"""Claims in the REST API: filing (documents as base64 in the JSON body), the assessment with its sources and
legal references, the workflow (verify with corrections, approve, pay, reject, stop instalments), the decision
letter as PDF and the claims report.

Scope: a claim outside the caller's sight is a 404, the same as one that does not exist; one the caller sees
but may not act on (a worker's own claim, to approve) is a 403. Bad input is a 422 naming the field: the
body's (``["body", "bank_account"]``), an input of the rule (``["body", "event_date"]``), a document
(``["body", "documents[2]"]``: its place in the list, from 1).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field, StringConstraints

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.api.schemas import MAX_ID, Body, Message, Page
from paritrana.claims import letters, workflow
from paritrana.claims.models import Claim, ClaimDocument
from paritrana.claims.presenters import present
from paritrana.claims.services import claims as svc
from paritrana.claims.services.report import claims_report
from paritrana.claims.types import TYPES
from paritrana.contributions.documents import Pdf
from paritrana.registry.errors import ValidationFailed

router = Router(tags=["claims"])

TEXT = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")]
SHORT = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
TYPE_CODE = Annotated[str, StringConstraints(min_length=1, max_length=24, pattern=r"^[a-z_]+$")]
INPUT_NAME = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[a-z_0-9]+$")]
# a rule input's value: text (no NUL, bounded), a whole number within the rules' int64, or yes/no
INPUT_VALUE = (
    Annotated[int, Field(ge=-(10**15), le=10**15, strict=True)]
    | bool
    | Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
    | None
)
# base64 of a document: at most MAX_DOCUMENT_BYTES once decoded (the service checks the exact size)
BASE64 = Annotated[str, StringConstraints(min_length=1, max_length=4 * (svc.MAX_DOCUMENT_BYTES // 3 + 1) + 8)]
PDF_RESPONSE = {
    "responses": {
        "200": {
            "description": "the decision letter as PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
UPLOAD_ERRORS = {**ERRORS, 413: Message}  # a body above Django's DATA_UPLOAD_MAX_MEMORY_SIZE
STATUS = Literal["submitted", "verified", "approved", "paid", "rejected"]


# ---- schemas ----


class DocumentIn(Body):
    kind: Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z_]+$")] = Field(
        description="the checklist item, e.g. id_card, death_certificate (GET /api/claims/types lists them)"
    )
    file_name: Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00/\\]+$")]
    content_base64: BASE64 = Field(description="the file, base64; a PDF, JPEG or PNG (told by its first bytes)")


class ChildIn(Body):
    name: SHORT
    birth_date: dt.date
    level: Annotated[str, StringConstraints(min_length=1, max_length=10, pattern=r"^[a-z]+$")] = Field(
        description="tk, sd, smp, sma or higher"
    )
    year_in_level: int = Field(1, ge=1, le=20)
    school_year: int | None = Field(None, ge=1990, le=2200, description="the school year's first calendar year")
    married: bool = False
    working: bool = False


class ClaimIn(Body):
    claim_type: TYPE_CODE = Field(description="one of the codes of GET /api/claims/types")
    inputs: dict[INPUT_NAME, INPUT_VALUE] = Field(
        default_factory=dict, max_length=20, description="the claimant's inputs of the type's rule, e.g. event_date"
    )
    worker_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="the participant; a worker or heir may leave it out (its own)"
    )
    heir_id: int | None = Field(None, ge=1, le=MAX_ID, description="the heir receiving, when filed for one")
    bank_account: Annotated[str, StringConstraints(max_length=60, pattern=r"^[^\x00]*$")] = Field(
        description="the account the benefit is paid to"
    )
    children: list[ChildIn] | None = Field(None, max_length=10, description="a scholarship's children")
    documents: list[DocumentIn] = Field(default_factory=list, max_length=20)
    received_on: dt.date | None = Field(
        None, description="an officer entering a paper claim: the day it was received (the claim date)"
    )


class VerifyIn(Body):
    corrections: dict[INPUT_NAME, INPUT_VALUE] = Field(
        default_factory=dict, max_length=20, description="rule inputs the officer corrects (the claim is reassessed)"
    )
    note: TEXT = ""
    reason: TEXT = Field(
        "",
        description="why the corrections are made; required when they raise the claim's value by more than the branch's share",
    )


class RejectIn(Body):
    reason: TEXT = Field("", description="the reason the claimant reads; empty: the rules' refusal, if any")


class StopIn(Body):
    reason: TEXT
    child_order: int | None = Field(None, ge=1, le=100, description="a scholarship: only this child's years")


class WorkerRef(Schema):
    id: int
    nik: str
    name: str


class ClaimOut(Schema):
    id: int
    number: str = Field(description="KL-0000001")
    claim_type: str
    title: str
    programme: str
    worker: WorkerRef
    heir: str | None = Field(description="the heir's name, when filed for one")
    branch: str | None = Field(description="the branch code")
    filed_as: str
    status: str
    eligible: bool
    submitted_on: dt.date
    event_date: dt.date | None
    amount: int = Field(description="the amount decided, rupiah (a one-off amount, or the instalments in total)")
    net_amount: int | None = Field(description="JHT full payment: the amount less the final income tax")
    monthly_amount: int = Field(description="a pension: the monthly amount")
    needs_second_approval: bool
    awaiting_second_approval: bool
    service_days: int | None


class ClaimPage(Page):
    items: list[ClaimOut]


class InputOut(Schema):
    name: str
    value: Any
    source: str = Field(description="claimant, registry, officer (a correction), law (fixed) or default")
    description: str


class ParameterOut(Schema):
    name: str
    unit: str
    value: Any
    effective: dt.date
    reference: str = Field(description="the regulation")
    uncertain: bool
    why: str | None


class ExplanationOut(Schema):
    parameters: list[ParameterOut]
    intermediate: dict[str, Any]


class StepOut(Schema):
    step: str
    by: str | None
    at: dt.datetime
    note: str
    reason: str = Field("", description="a correction's reason (required for a raise above the branch's share)")


class PaymentOut(Schema):
    id: int
    reference: str
    key: str = Field(description="what it pays: empty the one-off amount, 2026-11 a pension month, jkp-2, child-1-2027")
    kind: str
    amount: int
    due_on: dt.date
    bank_account: str
    instructed_at: dt.datetime


class InstalmentOut(Schema):
    key: str
    due_on: dt.date | None = Field(description="empty for a JKP month not yet scheduled (before payment)")
    amount: int
    state: str = Field(description="scheduled, paid or stopped; planned before the claim is paid")
    stop_reason: str
    child_order: int | None
    child_name: str
    school_year: int | None
    level: str
    year_in_level: int | None


class DocumentOut(Schema):
    id: int
    kind: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ClaimDetail(ClaimOut):
    law_date: dt.date
    rule: str
    rule_title: str
    rule_reference: str
    bank_account: str
    inputs: list[InputOut]
    outputs: dict[str, Any]
    explanation: ExplanationOut
    refusal: str = Field(description="why the rules refuse it (empty when eligible)")
    rejection_reason: str
    steps: list[StepOut]
    payments: list[PaymentOut]
    instalments: list[InstalmentOut]
    documents: list[DocumentOut]
    missing_documents: list[str]
    verified_by: str | None
    approved_by: str | None
    second_approved_by: str | None
    approval_threshold: int | None = Field(description="the branch's second-approval threshold when assessed, rupiah")
    actions: list[str] = Field(
        description="what the caller may do now (verify, approve, pay, reject, add_document, stop); the verifier"
        " never approves or pays"
    )


class StopOut(Schema):
    stopped: int = Field(description="the instalments stopped")
    claim: ClaimDetail


class ClaimTypeDocument(Schema):
    code: str
    label: str
    required: bool


class ClaimTypeOut(Schema):
    code: str
    programme: str
    title: str
    rule: str
    claimant_fields: list[str]
    registry_fields: list[str]
    documents: list[ClaimTypeDocument]
    filers: list[str] = Field(description="worker and/or heir (officers file any type)")


class ReportRowOut(Schema):
    branch: str | None = Field(description="branch code")
    branch_name: str
    claim_type: str
    counts: dict[str, int] = Field(description="claims by status")
    total: int
    amount_paid: int = Field(description="sum of the claims' payment instructions, rupiah")
    paid_claims: int
    median_service_days: float | None = Field(
        description="median days from claim date to payment of the paid claims: exact, a whole number or a half"
    )


class ReportOut(Schema):
    start: dt.date | None
    end: dt.date | None
    rows: list[ReportRowOut]


# ---- helpers ----


def _title(code: str) -> str:
    t = TYPES.get(code)
    return str(t.title) if t is not None else code


def claim_out(claim: Claim) -> dict[str, Any]:
    ctype = TYPES.get(claim.claim_type)
    return {
        "id": claim.pk,
        "number": claim.number,
        "claim_type": claim.claim_type,
        "title": _title(claim.claim_type),
        "programme": ctype.programme if ctype is not None else "",
        "worker": {"id": claim.worker.pk, "nik": claim.worker.nik, "name": claim.worker.name},
        "heir": claim.heir.name if claim.heir is not None else None,
        "branch": claim.branch.code if claim.branch is not None else None,
        "awaiting_second_approval": svc.awaiting_second_approval(claim),
        **{
            f: getattr(claim, f)
            for f in (
                "filed_as",
                "status",
                "eligible",
                "submitted_on",
                "event_date",
                "amount",
                "net_amount",
                "monthly_amount",
                "needs_second_approval",
                "service_days",
            )
        },
    }


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def claim_detail(claim: Claim, user: Any = None) -> dict[str, Any]:
    """The claim with its assessment (``claims.presenters``) and workflow; ``actions``: what ``user`` may do now."""
    shown = present(claim)
    instalments = shown.instalments()
    scheduled = any(i.state == "scheduled" for i in instalments)
    return {
        **claim_out(claim),
        "law_date": claim.law_date,
        "rule": claim.rule,
        "rule_title": shown.rule_title,
        "rule_reference": shown.rule_reference,
        "bank_account": claim.bank_account,
        "inputs": [
            {"name": i.name, "value": i.value, "source": i.source or "default", "description": i.description}
            for i in shown.inputs
        ],
        "outputs": claim.outputs,
        "explanation": {
            "parameters": [asdict(p) for p in shown.parameters],
            "intermediate": {o.name: o.value for o in shown.intermediate},
        },
        "refusal": claim.refusal,
        "rejection_reason": claim.rejection_reason,
        "steps": [
            {
                "step": s.step,
                "by": s.by.get_username() if s.by is not None else None,
                "at": s.at,
                "note": s.note,
                "reason": s.reason,
            }
            for s in claim.steps.select_related("by")
        ],
        "payments": [
            {
                f: getattr(p, f)
                for f in ("reference", "key", "kind", "amount", "due_on", "bank_account", "instructed_at")
            }
            | {"id": p.pk}
            for p in shown.payments()
        ],
        "instalments": [{k: v for k, v in asdict(i).items() if k != "planned"} for i in instalments],
        "documents": [document_out(d) for d in claim.documents.defer("content")],
        "missing_documents": svc.missing_documents(claim),
        "verified_by": _username(claim.verified_by),
        "approved_by": _username(claim.approved_by),
        "second_approved_by": _username(claim.second_approved_by),
        "approval_threshold": claim.approval_threshold,
        "actions": sorted(workflow.allowed(svc.state_of(user, claim, has_scheduled=scheduled))),
    }


def document_out(doc: ClaimDocument) -> dict[str, Any]:
    return {f: getattr(doc, f) for f in ("id", "kind", "file_name", "content_type", "size", "sha256", "uploaded_at")}


def _upload(doc: DocumentIn, where: str) -> svc.Upload:
    try:
        content = base64.b64decode(doc.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(f"{where}.content_base64", "not base64") from None
    return svc.Upload(doc.kind, doc.file_name, content)


def _detail(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    user = caller(request)
    return claim_detail(svc.get_claim(user, claim_id), user)


def _seen(request: HttpRequest, claim_id: int) -> None:
    """Out of sight is a 404 before anything else (then a role that may not act gets a 403)."""
    svc.get_claim(caller(request), claim_id)


def _pdf(pdf: Pdf) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.file_name}"'
    response["Content-Language"] = pdf.lang
    return response


# ---- reading ----


@router.get("", response={200: ClaimPage, **ERRORS}, summary="The claims you see, newest first")
def list_claims(
    request: HttpRequest,
    status: Annotated[STATUS | None, Query(description="the claims of this status")] = None,
    type: Annotated[TYPE_CODE | None, Query(description="the claims of this type (a code)")] = None,
    worker: int | None = Query(None, ge=1, le=MAX_ID, description="the participant's id"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    qs = svc.claims_for(caller(request))
    if status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(claim_type=type)
    if worker is not None:
        qs = qs.filter(worker_id=worker)
    qs = qs.order_by("-submitted_at", "-id")
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [claim_out(c) for c in qs[offset : offset + limit]],
    }


@router.get("/types", response={200: list[ClaimTypeOut], **ERRORS}, summary="The claim types and their checklists")
def list_types(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": t.code,
            "programme": t.programme,
            "title": str(t.title),
            "rule": t.rule,
            "claimant_fields": list(t.claimant_fields),
            "registry_fields": list(t.registry_fields),
            "documents": [{"code": d.code, "label": str(d.label), "required": d.required} for d in t.documents],
            "filers": sorted(t.filers),
        }
        for t in TYPES.values()
    ]


@router.get(
    "/report",
    response={200: ReportOut, **ERRORS},
    summary="Per branch and type: claims by status, amount paid, median service days (administrators, branch officers)",
)
def get_report(
    request: HttpRequest,
    start: Annotated[dt.date | None, Query(description="claims submitted on or after")] = None,
    end: Annotated[dt.date | None, Query(description="claims submitted on or before")] = None,
) -> dict[str, Any]:
    rows = claims_report(caller(request), start, end)
    return {
        "start": start,
        "end": end,
        "rows": [
            {
                "branch": r.branch_code or None,
                "branch_name": r.branch_name,
                "claim_type": r.claim_type,
                "counts": r.counts,
                "total": r.total,
                "amount_paid": r.amount_paid,
                "paid_claims": r.paid_claims,
                "median_service_days": float(r.median_service_days) if r.median_service_days is not None else None,
            }
            for r in rows
        ],
    }


@router.get("/{claim_id}", response={200: ClaimDetail, **ERRORS}, summary="A claim with its assessment and workflow")
def get_claim(request: HttpRequest, claim_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _detail(request, claim_id)


@router.get(
    "/{claim_id}/letter.pdf",
    response=ERRORS,
    openapi_extra=PDF_RESPONSE,
    summary="The decision letter (approved, paid or rejected) as PDF, in Bahasa Indonesia (id) or English (en)",
)
def get_letter(
    request: HttpRequest,
    claim_id: int = Path(..., ge=1, le=MAX_ID),
    lang: Literal["id", "en"] | None = Query(None, description="the letter's language; the request's when omitted"),
) -> HttpResponse:
    return _pdf(letters.letter_pdf(caller(request), claim_id, lang))


# ---- filing ----


@router.post(
    "", response={201: ClaimDetail, **UPLOAD_ERRORS}, summary="File a claim: it is assessed by its rule at once"
)
def post_claim(request: HttpRequest, body: ClaimIn) -> Status[dict[str, Any]]:
    ctype = TYPES.get(body.claim_type)
    if body.children is not None and (ctype is None or not ctype.takes_children):
        raise ValidationFailed("children", "only a scholarship claim lists children")
    uploads = [_upload(doc, f"documents[{i}]") for i, doc in enumerate(body.documents, start=1)]
    claim = svc.submit(
        caller(request),
        body.claim_type,
        dict(body.inputs),
        uploads,
        worker_id=body.worker_id,
        heir_id=body.heir_id,
        bank_account=body.bank_account,
        children=[c.model_dump() for c in body.children] if body.children is not None else None,
        received_on=body.received_on,
    )
    user = caller(request)
    return Status(201, claim_detail(svc.get_claim(user, claim.pk), user))


@router.post(
    "/{claim_id}/documents",
    response={201: DocumentOut, **UPLOAD_ERRORS},
    summary="Attach a document to an open claim (its filer or an officer)",
)
def post_document(
    request: HttpRequest, body: DocumentIn, claim_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    _seen(request, claim_id)
    doc = svc.add_document(caller(request), claim_id, _upload(body, "documents[1]"))
    return Status(201, document_out(doc))


# ---- the workflow (administrators and branch officers) ----


@router.post(
    "/{claim_id}/verify",
    response={200: ClaimDetail, **ERRORS},
    summary="Verify: all required documents present; corrections of the rule's inputs reassess the claim",
)
def post_verify(request: HttpRequest, body: VerifyIn, claim_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    _seen(request, claim_id)
    svc.verify(caller(request), claim_id, dict(body.corrections) or None, body.note, body.reason)
    return _detail(request, claim_id)


@router.post(
    "/{claim_id}/approve",
    response={200: ClaimDetail, **ERRORS},
    summary="Approve a verified claim; not its verifier (above the threshold it waits for a second approver, a third person)",
)
def post_approve(request: HttpRequest, claim_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    _seen(request, claim_id)
    svc.approve(caller(request), claim_id)
    return _detail(request, claim_id)


@router.post(
    "/{claim_id}/pay",
    response={200: ClaimDetail, **ERRORS},
    summary="Issue the payment instructions of an approved claim, once; not its verifier",
)
def post_pay(request: HttpRequest, claim_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    _seen(request, claim_id)
    svc.pay(caller(request), claim_id)
    return _detail(request, claim_id)


@router.post(
    "/{claim_id}/approve-and-pay",
    response={200: ClaimDetail, **ERRORS},
    summary="Approve, and pay when the approval is complete",
)
def post_approve_and_pay(request: HttpRequest, claim_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    _seen(request, claim_id)
    svc.approve_and_pay(caller(request), claim_id)
    return _detail(request, claim_id)


@router.post(
    "/{claim_id}/reject", response={200: ClaimDetail, **ERRORS}, summary="Reject an open claim with the reason"
)
def post_reject(request: HttpRequest, body: RejectIn, claim_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    _seen(request, claim_id)
    svc.reject(caller(request), claim_id, body.reason)
    return _detail(request, claim_id)


@router.post(
    "/{claim_id}/stop",
    response={200: StopOut, **ERRORS},
    summary="Stop the scheduled instalments (of one child): married, working, left school, a new job",
)
def post_stop(request: HttpRequest, body: StopIn, claim_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    _seen(request, claim_id)
    stopped = svc.stop_instalments(caller(request), claim_id, body.reason, body.child_order)
    return {"stopped": stopped, "claim": _detail(request, claim_id)}
