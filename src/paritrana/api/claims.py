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
from django.utils.translation import gettext
from ninja import Path, Query, Router, Status

from paritrana.api.auth import caller
from paritrana.api.claim_schemas import (
    PDF_RESPONSE,
    STATUS,
    TYPE_CODE,
    UPLOAD_ERRORS,
    ClaimDetail,
    ClaimIn,
    ClaimPage,
    ClaimTypeOut,
    DocumentIn,
    DocumentOut,
    RejectIn,
    ReportOut,
    StopIn,
    StopOut,
    VerifyIn,
)
from paritrana.api.errors import ERRORS
from paritrana.api.schemas import MAX_ID
from paritrana.claims import letters, workflow
from paritrana.claims.models import Claim, ClaimDocument
from paritrana.claims.presenters import present
from paritrana.claims.services import claims as svc
from paritrana.claims.services.report import claims_report
from paritrana.claims.types import TYPES
from paritrana.contributions.documents import Pdf
from paritrana.core.errors import ValidationFailed
from paritrana.core.rule_words import rule_text, rule_value

router = Router(tags=["claims"])


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
        "rule_title": gettext(shown.rule_title),
        "rule_reference": shown.rule_reference,
        "bank_account": claim.bank_account,
        "inputs": [
            {"name": i.name, "value": i.value, "source": i.source or "default", "description": gettext(i.description)}
            for i in shown.inputs
        ],
        "outputs": {k: rule_value(v) for k, v in claim.outputs.items()},
        "explanation": {
            "parameters": [asdict(p) for p in shown.parameters],
            "intermediate": {o.name: rule_value(o.value) for o in shown.intermediate},
        },
        "refusal": rule_text(claim.refusal),
        "rejection_reason": rule_text(claim.rejection_reason),
        "steps": [
            {
                "step": s.step,
                "by": s.by.get_username() if s.by is not None else None,
                "at": s.at,
                "note": rule_text(s.note),
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
