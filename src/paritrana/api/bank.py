"""The bank's money (decision 0009): statement import, the exceptions queue and its resolution, manual
payments (entered by one officer, confirmed by another), the day's reconciliation."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, StringConstraints

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.api.paging import paged
from paritrana.api.schemas import MAX_ID, MAX_RUPIAH, Body, Message, Page, RowErrorOut
from paritrana.contributions.models import ManualPayment, StatementLine
from paritrana.contributions.services import bank, manual
from paritrana.contributions.services.reconcile import Part, reconcile
from paritrana.core.errors import ValidationFailed

router = Router(tags=["bank"])
payers_router = Router(tags=["bank"])
MAX_STATEMENT_BYTES = 200 * 1024 * 1024
UPLOAD_ERRORS = {**ERRORS, 413: Message}
BASE64 = Annotated[str, StringConstraints(min_length=1, max_length=4 * (manual.MAX_EVIDENCE_BYTES // 3 + 1) + 8)]
TEXT = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
REFERENCE = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^\x00]*$")]


class ImportOut(Schema):
    """An import's result (201), a preview's (200, nothing stored), or (400) a file with errors: nothing
    stored, every error by row and field."""

    detail: str = ""
    statement: int | None = Field(None, description="the stored statement; null when the file had errors")
    file_name: str = ""
    format: str = ""
    lines: int = 0
    credit_total: int = 0
    debit_total: int = 0
    matched: int = 0
    exceptions: int = 0
    already_imported: int = Field(0, description="lines stored before by an overlapping statement, skipped")
    error_count: int = 0
    errors: list[RowErrorOut] = Field(default_factory=list)


class LineOut(Schema):
    id: int
    statement: int
    line: int
    bank_reference: str
    value_date: dt.date
    amount: int
    payment_code: str
    description: str
    payer: int | None
    status: str
    problem: str
    expected: int = Field(description="what the payer owed when the line was matched, rupiah")
    resolution: str
    resolved_by: str | None
    resolved_at: dt.datetime | None
    note: str
    payment: int | None


class LinePage(Page):
    items: list[LineOut]


class ResolveIn(Body):
    action: Literal["allocate", "return", "duplicate"]
    payer: int | None = Field(None, ge=1, le=MAX_ID, description="allocate: the payer (an unknown code needs one)")
    note: TEXT = ""


class EvidenceIn(Body):
    file_name: Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00/\\]+$")]
    content_base64: BASE64 = Field(description="the receipt or slip, base64; a PDF, JPEG or PNG")


class ManualIn(Body):
    amount: int = Field(ge=1, le=MAX_RUPIAH, strict=True, description="rupiah")
    paid_on: dt.date
    reference: REFERENCE = Field(description="the receipt's or the transfer's reference")
    evidence: EvidenceIn


class ManualOut(Schema):
    id: int
    payer: int
    amount: int
    paid_on: dt.date
    reference: str
    evidence_name: str
    evidence_type: str
    status: str
    entered_by: str
    entered_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str
    payment: int | None


class ManualPage(Page):
    items: list[ManualOut]


class RejectIn(Body):
    note: TEXT


class PartOut(Schema):
    count: int
    amount: int


class ReconciliationOut(Schema):
    date: dt.date
    statement: PartOut = Field(description="every credit line of the value date")
    allocated: PartOut = Field(description="matched lines, summed from the payments they became")
    exceptions: PartOut = Field(description="the other lines, open or resolved")
    open: PartOut
    resolved_allocated: PartOut
    returned: PartOut
    duplicate: PartOut
    by_problem: dict[str, PartOut]
    manual: PartOut = Field(description="manual payments confirmed for the day (not on the statement)")
    difference: int = Field(description="statement − allocated − exceptions; 0 when balanced")
    balanced: bool


def _name(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def line_out(line: StatementLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "statement": line.statement_id,
        "line": line.line_no,
        "bank_reference": line.bank_reference,
        "value_date": line.value_date,
        "amount": line.amount,
        "payment_code": line.payment_code,
        "description": line.description,
        "payer": line.payer_id,
        "status": line.status,
        "problem": line.problem,
        "expected": line.expected,
        "resolution": line.resolution,
        "resolved_by": _name(line.resolved_by),
        "resolved_at": line.resolved_at,
        "note": line.resolution_note,
        "payment": line.payment_id,
    }


def manual_out(entry: ManualPayment) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "payer": entry.payer_id,
        "amount": entry.amount,
        "paid_on": entry.paid_on,
        "reference": entry.reference,
        "evidence_name": entry.evidence_name,
        "evidence_type": entry.evidence_type,
        "status": entry.status,
        "entered_by": entry.entered_by.get_username(),
        "entered_at": entry.entered_at,
        "decided_by": _name(entry.decided_by),
        "decided_at": entry.decided_at,
        "note": entry.note,
        "payment": entry.payment_id,
    }


def import_out(result: bank.ImportResult) -> dict[str, Any]:
    return {
        "statement": result.statement.pk if result.statement else None,
        "file_name": result.file_name,
        "format": result.format,
        "lines": result.lines,
        "credit_total": result.credit_total,
        "debit_total": result.debit_total,
        "matched": result.matched,
        "exceptions": result.exceptions,
        "already_imported": result.already_imported,
        "error_count": result.error_count,
        # in the caller's language, as the page shows them (the template translated, its values filled in)
        "errors": [
            {"row": e.row, "field": e.field, "message": _(e.template).format(**e.params)} for e in result.errors
        ],
    }


def _part(p: Part) -> dict[str, int]:
    return {"count": p.count, "amount": p.amount}


@router.post(
    "/statements",
    response={200: ImportOut, 201: ImportOut, **UPLOAD_ERRORS, 400: ImportOut},
    summary="Import a bank statement (CSV or MT940): lines matched by payment code and amount, the rest exceptions",
    description="The agency administrator. A file with a bad row stores nothing (400 with every error by row and "
    "field); a file imported before is refused (422); a line already stored by another statement is skipped.",
)
def post_statement(
    request: HttpRequest,
    file: UploadedFile = File(..., description="the statement file"),  # noqa: B008
    preview: bool = Form(False, description="only show what the import would do: nothing is stored (200)"),
) -> Status[dict[str, Any]]:
    user = caller(request)
    if file.size is not None and file.size > MAX_STATEMENT_BYTES:
        raise ValidationFailed("file", "the file is larger than 200 MB; split it by day")
    with tempfile.TemporaryFile() as tmp:
        for chunk in file.chunks():
            tmp.write(chunk)
        result = bank.import_statement(user, tmp, FilePath(file.name or "statement").name, preview=preview)
    if result.preview:
        return Status(200, {**import_out(result), "detail": "preview: nothing was stored"})
    if result.stored:
        return Status(201, import_out(result))
    return Status(400, {**import_out(result), "detail": _("the file has errors: nothing was stored")})


@router.get("/exceptions", response={200: LinePage, **ERRORS}, summary="The exceptions queue in your scope")
def list_exceptions(
    request: HttpRequest,
    state: Literal["open", "resolved", "all"] = Query("open"),
    problem: Literal["underpaid", "overpaid", "unknown", "duplicate"] | None = Query(None),
    q: Annotated[str, StringConstraints(max_length=60)] = Query("", description="code, reference, text or payer"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    qs = bank.exceptions_queue(caller(request), state=state, search=q, problem=problem or "")
    return paged(qs, limit, offset, line_out)


@router.post(
    "/exceptions/{line_id}/resolve",
    response={200: LineOut, **ERRORS},
    summary="Resolve an exception: allocate (to its payer or one named), return, or mark duplicate",
)
def post_resolve(request: HttpRequest, body: ResolveIn, line_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    line = bank.resolve(caller(request), line_id, body.action, payer_id=body.payer, note=body.note)
    return line_out(line)


@router.get(
    "/reconciliation/{day}", response={200: ReconciliationOut, **ERRORS}, summary="A value date's reconciliation"
)
def get_reconciliation(request: HttpRequest, day: dt.date) -> dict[str, Any]:
    r = reconcile(caller(request), day)
    return {
        "date": r.day,
        "statement": _part(r.statement),
        "allocated": _part(r.allocated),
        "exceptions": _part(r.exceptions),
        "open": _part(r.open),
        "resolved_allocated": _part(r.resolved_allocated),
        "returned": _part(r.returned),
        "duplicate": _part(r.duplicate),
        "by_problem": {k: _part(v) for k, v in r.by_problem.items()},
        "manual": _part(r.manual),
        "difference": r.difference,
        "balanced": r.balanced,
    }


@router.get(
    "/manual-payments", response={200: ManualPage, **ERRORS}, summary="Manual payments awaiting a second officer"
)
def list_manual(
    request: HttpRequest, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=10**7)
) -> dict[str, Any]:
    qs = manual.pending_for(caller(request)).order_by("entered_at", "pk")
    return paged(qs, limit, offset, manual_out)


@router.post(
    "/manual-payments/{entry_id}/confirm",
    response={200: ManualOut, **ERRORS},
    summary="Confirm a manual payment (another officer than its author): it is posted now",
)
def post_confirm(request: HttpRequest, entry_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return manual_out(manual.confirm_manual(caller(request), entry_id))


@router.post(
    "/manual-payments/{entry_id}/reject",
    response={200: ManualOut, **ERRORS},
    summary="Reject a manual payment (another officer than its author), with the reason",
)
def post_reject(request: HttpRequest, body: RejectIn, entry_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return manual_out(manual.reject_manual(caller(request), entry_id, body.note))


@payers_router.post(
    "/{payer_id}/manual-payments",
    response={201: ManualOut, **UPLOAD_ERRORS},
    summary="Enter a manual payment with its evidence (an officer); it waits for a second officer",
)
def post_manual(
    request: HttpRequest, body: ManualIn, payer_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    try:
        content = base64.b64decode(body.evidence.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed("evidence.content_base64", "not base64") from None
    entry = manual.enter_manual(
        caller(request),
        payer_id,
        body.amount,
        body.paid_on,
        body.reference,
        manual.Evidence(body.evidence.file_name, content),
    )
    return Status(201, manual_out(entry))
