"""The claims API's bodies and answers (django-ninja schemas); ``api/claims.py`` fills them from
``claims.presenters``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from paritrana.api.errors import ERRORS
from paritrana.api.schemas import MAX_ID, Body, Message, Page
from paritrana.claims.services import claims as svc

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
