"""Contributions in the REST API: bills (with their lines and PDF), payers (credit, arrears), payments,
arrears, a worker's month status and JHT statement, an employer's compliance.

Every answer is limited to the caller's scope: a bill, payer, worker or employer outside it is a 404,
the same as one that does not exist; one the caller sees but may not act on is a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import F, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Path, Query, Router, Status

from paritrana.api.auth import caller
from paritrana.api.contributions_schemas import (
    ArrearsPage,
    BillDetail,
    BillPage,
    ComplianceOut,
    PayerOut,
    PayerPage,
    PaymentIn,
    PaymentOut,
    PaymentPage,
    StatementOut,
    WorkerStatusOut,
)
from paritrana.api.errors import ERRORS
from paritrana.api.paging import paged
from paritrana.api.schemas import MAX_ID
from paritrana.contributions import documents
from paritrana.contributions.models import Payer, Payment
from paritrana.contributions.paycode import payment_code
from paritrana.contributions.periods import parse_month
from paritrana.contributions.scopes import visible_bills, visible_jht_accounts, visible_payers, visible_payments
from paritrana.contributions.services import payments, status
from paritrana.contributions.workflow import BillStatus
from paritrana.core.errors import NotFound
from paritrana.registry import services as registry_services

bills_router = Router(tags=["contributions"])
payers_router = Router(tags=["contributions"])
arrears_router = Router(tags=["contributions"])
workers_router = Router(tags=["contributions"])
employers_router = Router(tags=["contributions"])

MONTH_PATTERN = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$"
PDF_RESPONSE = {
    "responses": {
        "200": {
            "description": "the document as PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


# ---- helpers ----


def payment_out(payment: Payment) -> dict[str, Any]:
    allocations = payment.allocations.select_related("bill").order_by("id")
    return {
        "id": payment.pk,
        "payer": payment.payer_id,
        "amount": payment.amount,
        "paid_on": payment.paid_on,
        "reference": payment.reference,
        "allocations": [
            {"bill": a.bill_id, "period": f"{a.bill.period:%Y-%m}", "amount": a.amount} for a in allocations
        ],
        "payer_credit": Payer.objects.values_list("credit", flat=True).get(pk=payment.payer_id),
    }


def _payer(request: HttpRequest, payer_id: int) -> Payer:
    payer = visible_payers(caller(request)).filter(pk=payer_id).first()
    if payer is None:
        raise NotFound(f"payer {payer_id} does not exist")
    return payer


# ---- bills ----


@bills_router.get("", response={200: BillPage, **ERRORS}, summary="Bills in your scope, newest month first")
def list_bills(
    request: HttpRequest,
    payer: int | None = Query(None, ge=1, le=MAX_ID, description="payer id"),
    period: str | None = Query(None, pattern=MONTH_PATTERN, description="month, YYYY-MM"),
    status: Literal["open", "overdue", "paid"] | None = Query(None),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    today = timezone.localdate()
    qs = documents.bill_queryset(caller(request))
    if payer is not None:
        qs = qs.filter(payer_id=payer)
    if period:
        qs = qs.filter(period=parse_month(period))
    if status:
        qs = qs.with_status(status, today)
    qs = qs.order_by("-period", "payer_id", "kind", "pk")
    return paged(qs, limit, offset, lambda b: documents.bill_summary(b, today))


@bills_router.get("/{bill_id}", response={200: BillDetail, **ERRORS}, summary="A bill with its lines and payments")
def get_bill(request: HttpRequest, bill_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return documents.bill_document(caller(request), bill_id).as_api(timezone.localdate())


@bills_router.get(
    "/{bill_id}/pdf",
    response=ERRORS,
    openapi_extra=PDF_RESPONSE,
    summary="The bill as PDF, in Bahasa Indonesia (id) or English (en)",
)
def get_bill_pdf(
    request: HttpRequest,
    bill_id: int = Path(..., ge=1, le=MAX_ID),
    lang: Literal["id", "en"] | None = Query(None, description="the document's language; the request's when omitted"),
) -> HttpResponse:
    return documents.bill_pdf(caller(request), bill_id, lang).response()


# ---- payers and payments ----


@payers_router.get("", response={200: PayerPage, **ERRORS}, summary="Payers in your scope")
def list_payers(
    request: HttpRequest,
    kind: Literal["employer", "worker", "sponsor"] | None = Query(None),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    qs = visible_payers(caller(request))
    if kind:
        qs = qs.filter(kind=kind)
    qs = qs.annotate(
        open_amount=Sum(F("bills__amount") - F("bills__paid"), filter=Q(bills__paid__lt=F("bills__amount")))
    ).order_by("kind", "pk")
    items = [
        {**documents.payer_summary(p), "credit": p.credit, "open_amount": p.open_amount or 0}
        for p in qs[offset : offset + limit]
    ]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@payers_router.get("/{payer_id}", response={200: PayerOut, **ERRORS}, summary="A payer: credit, open bills, arrears")
def get_payer(request: HttpRequest, payer_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    payer = _payer(request, payer_id)
    today = timezone.localdate()
    open_bills = visible_bills(caller(request)).filter(payer=payer).with_status(BillStatus.OPEN, timezone.localdate())
    arrears = payments.arrears(caller(request), payer.pk, today)
    return {
        **documents.payer_summary(payer),
        "employer": payer.employer_id,
        "worker": payer.worker_id,
        "sponsor": payer.sponsor_id,
        "credit": payer.credit,
        "payment_code": payment_code(payer.pk),
        "open_amount": sum(b.outstanding for b in open_bills),
        "arrears_amount": sum(a.outstanding for a in arrears),
        "arrears": [
            {
                "bill": a.bill.pk,
                "period": f"{a.bill.period:%Y-%m}",
                "kind": a.bill.kind,
                "due_date": a.due_date,
                "outstanding": a.outstanding,
                "months_late": a.months_late,
                "penalty_if_paid_today": a.penalty_if_paid_on,
            }
            for a in arrears
        ],
    }


@payers_router.get("/{payer_id}/payments", response={200: PaymentPage, **ERRORS}, summary="A payer's payments")
def list_payments(
    request: HttpRequest,
    payer_id: int = Path(..., ge=1, le=MAX_ID),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    payer = _payer(request, payer_id)
    qs = visible_payments(caller(request)).filter(payer=payer).order_by("-paid_on", "-pk")
    return paged(qs, limit, offset, payment_out)


@payers_router.post(
    "/{payer_id}/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Refused: payments come from the bank (POST /api/bank/statements) or a confirmed manual entry",
    description=(
        "Kept so that a client recording a payment by its word gets a clear refusal: 404 for a payer "
        "outside the caller's scope, 403 for every role that sees it, nothing stored (decision 0009). "
        "Officers enter a manual payment at POST /api/payers/{id}/manual-payments; a second officer confirms it."
    ),
)
def post_payment(
    request: HttpRequest, body: PaymentIn, payer_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    payment = payments.record_payment(caller(request), payer_id, body.amount, body.paid_on, body.reference.strip())
    return Status(201, payment_out(payment))


# ---- arrears ----


@arrears_router.get("", response={200: ArrearsPage, **ERRORS}, summary="Payers in your scope with overdue bills")
def list_arrears(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    today = timezone.localdate()
    qs: Any = documents.payers_in_arrears(caller(request), today)  # annotated with the overdue figures
    items = [
        {
            **documents.payer_summary(p),
            "overdue_bills": p.overdue_bills,
            "oldest_due": p.oldest_due,
            "overdue_amount": p.overdue_amount,
        }
        for p in qs[offset : offset + limit]
    ]
    return {"count": qs.count(), "limit": limit, "offset": offset, "on": today, "items": items}


# ---- a worker's JHT account ----


def _jht_account(request: HttpRequest, worker_id: int) -> None:
    """Out of scope is 404 whatever else is wrong with the request."""
    if not visible_jht_accounts(caller(request)).filter(pk=worker_id).exists():
        raise NotFound(f"no JHT account of worker {worker_id}")


@workers_router.get(
    "/{worker_id}/jht-statement",
    response={200: StatementOut, **ERRORS},
    summary="A worker's JHT account: balance before start and at end, the entries between",
)
def get_jht_statement(
    request: HttpRequest,
    worker_id: int = Path(..., ge=1, le=MAX_ID),
    start: Annotated[dt.date | None, Query(description="first day; 1 January of this year when omitted")] = None,
    end: Annotated[dt.date | None, Query(description="last day, whose balance is shown; today when omitted")] = None,
) -> dict[str, Any]:
    _jht_account(request, worker_id)
    today = timezone.localdate()
    doc = documents.statement_document(caller(request), worker_id, start or today.replace(month=1, day=1), end or today)
    s = doc.statement
    return {
        "worker": {"id": s.worker.pk, "nik": s.worker.nik, "name": s.worker.name},
        "start": s.start,
        "end": s.end,
        "opening_balance": s.opening_balance,
        "closing_balance": s.closing_balance,
        "totals": s.totals,
        "entries": [
            {
                "value_date": e.value_date,
                "kind": e.kind,
                "amount": e.amount,
                "balance": e.balance,
                "reference": e.entry.reference,
                "year": e.entry.year,
            }
            for e in s.entries
        ],
        "rules": [{"name": r.name, "title": r.title, "reference": r.reference, "law_dates": []} for r in doc.rules],
    }


@workers_router.get(
    "/{worker_id}/jht-statement/pdf",
    response=ERRORS,
    openapi_extra=PDF_RESPONSE,
    summary="A worker's JHT statement as PDF, in Bahasa Indonesia (id) or English (en)",
)
def get_jht_statement_pdf(
    request: HttpRequest,
    worker_id: int = Path(..., ge=1, le=MAX_ID),
    start: Annotated[dt.date | None, Query(description="first day")] = None,
    end: Annotated[dt.date | None, Query(description="last day")] = None,
    lang: Literal["id", "en"] | None = Query(None),
) -> HttpResponse:
    _jht_account(request, worker_id)
    today = timezone.localdate()
    pdf = documents.statement_pdf(
        caller(request), worker_id, start or today.replace(month=1, day=1), end or today, lang
    )
    return pdf.response()


# ---- a worker's months, an employer's compliance ----


def last_months(count: int, today: dt.date) -> list[dt.date]:
    months = [today.replace(day=1)]
    while len(months) < count:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return months


@workers_router.get(
    "/{worker_id}/status",
    response={200: WorkerStatusOut, **ERRORS},
    summary="A worker's contribution months: paid, unpaid, not yet due or not billed",
)
def get_worker_status(
    request: HttpRequest,
    worker_id: int = Path(..., ge=1, le=MAX_ID),
    months: int = Query(12, ge=1, le=120, description="how many months up to this one"),
) -> dict[str, Any]:
    today = timezone.localdate()
    wanted = last_months(months, today)
    worker = registry_services.get_worker(caller(request), worker_id)
    statuses = status.month_status(caller(request), worker_id, wanted, on=today)
    return {
        "worker": {"id": worker.pk, "nik": worker.nik, "name": worker.name},
        "on": today,
        "months": [{"month": f"{m:%Y-%m}", "status": str(statuses[m])} for m in wanted],
    }


@employers_router.get(
    "/{employer_id}/compliance",
    response={200: ComplianceOut, **ERRORS},
    summary="An employer's compliance for a month: share paid up, partial-registration indicators",
)
def get_compliance(
    request: HttpRequest,
    employer_id: int = Path(..., ge=1, le=MAX_ID),
    period: str | None = Query(None, pattern=MONTH_PATTERN, description="YYYY-MM; the previous month when omitted"),
) -> dict[str, Any]:
    month = (
        parse_month(period) if period else (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    )
    c = status.employer_compliance(caller(request), employer_id, month)
    minimum = c.minimum_wage
    return {
        "employer": c.employer.pk,
        "period": f"{c.period:%Y-%m}",
        "workers": c.workers,
        "paid_up": c.paid_up,
        "share_paid_up": f"{c.share.numerator}/{c.share.denominator}" if c.share is not None else None,
        "required_programmes": list(c.required_programmes),
        "minimum_wage": {
            "region": minimum.region.code,
            "valid_from": minimum.valid_from,
            "amount": minimum.amount,
            "reference": minimum.reference,
        }
        if minimum is not None
        else None,
        "below_minimum_wage": c.below_minimum_wage,
        "missing_programme": c.missing_programme,
        "flagged": [
            {
                "worker": {"id": f.worker.pk, "nik": f.worker.nik, "name": f.worker.name},
                "wage": f.wage,
                "below_minimum_wage": f.below_minimum_wage,
                "missing_programmes": list(f.missing_programmes),
                "reasons": list(f.reasons),
            }
            for f in c.flagged
        ],
    }
