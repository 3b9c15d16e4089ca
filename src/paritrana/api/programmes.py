"""Regional programmes in the REST API: programmes (list, create, one with its budget use, renew),
beneficiary lists (upload → preview with the bad rows, confirm), beneficiaries, the budget planner,
and the employers' compliance follow-up list.

A regional officer sees and manages its own region's programmes; an administrator all; a branch officer
reads those of its territory. Out of scope by id: 404; seen but not the caller's to change: 403.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FilePath
from typing import Any

from django.http import HttpRequest
from ninja import File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.api.schemas import MAX_ID, Body, Page
from paritrana.contributions.periods import parse_month
from paritrana.core.uploads import saved, upload_problem
from paritrana.programmes.models import BeneficiaryList, FundingSource, LegalBasis, Programme
from paritrana.programmes.services import budget, compliance, lists, programmes
from paritrana.registry.errors import ValidationFailed

programmes_router = Router(tags=["programmes"])
lists_router = Router(tags=["programmes"])
follow_up_router = Router(tags=["programmes"])

MONTH_PATTERN = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$"
MAX_BUDGET = 10**15


class ProgrammeIn(Body):
    region: str | None = Field(None, max_length=13, description="region code; a regional officer: its own (default)")
    name: str = Field(max_length=160)
    legal_basis_type: str = Field(description=", ".join(LegalBasis.values))
    legal_basis_number: str = Field(max_length=80)
    legal_basis_date: dt.date
    budget_year: int = Field(ge=2015, le=2100)
    budget_amount: int = Field(ge=1, le=MAX_BUDGET, description="whole rupiah")
    funding_source: str = Field("apbd", description=", ".join(FundingSource.values))
    province_share_bp: int | None = Field(
        None, ge=0, le=10_000, description="the province's share of the cost, basis points (3000 = 30 %)"
    )
    occupations: list[str] = Field(default_factory=list, max_length=30, description="eligible occupations (codes)")
    min_age: int = Field(18, ge=0, le=120)
    max_age: int = Field(65, ge=0, le=120)


class RenewIn(Body):
    legal_basis_number: str = Field(max_length=80)
    legal_basis_date: dt.date
    budget_amount: int = Field(ge=1, le=MAX_BUDGET)


class ProgrammeOut(Schema):
    id: int
    name: str
    region: str = Field(description="region code")
    region_name: str
    legal_basis_type: str
    legal_basis_number: str
    legal_basis_date: dt.date
    budget_year: int
    budget_amount: int
    funding_source: str
    province_share_bp: int
    regency_share_bp: int
    occupations: list[str]
    min_age: int
    max_age: int
    package: str
    sponsor: int = Field(description="the registry sponsor the billing bills")
    renewed_from: int | None


class MonthUseOut(Schema):
    period: str
    people: int
    price: int
    committed: int
    billed: int
    paid: int
    billed_people: int


class BillRef(Schema):
    id: int
    period: str
    kind: str
    amount: int
    paid: int


class BudgetOut(Schema):
    budget: int
    spent: int = Field(description="payments recorded on the programme's payer")
    remaining: int = Field(description="budget − spent")
    billed: int
    outstanding: int
    committed: int = Field(description="the enrolled people to 31 December, each month at its price")
    uncommitted: int
    enrolled: int
    payer: int | None
    months: list[MonthUseOut]
    bills: list[BillRef]


class ProgrammeDetailOut(ProgrammeOut):
    budget_use: BudgetOut


class ProgrammePage(Page):
    items: list[ProgrammeOut]


class RowOut(Schema):
    row: int | None = Field(description="the row as the spreadsheet numbers it (header = row 1); null: the file")
    field: str
    message: str


class ListOut(Schema):
    id: int
    programme: int
    file_name: str
    status: str = Field(description="preview (nobody enrolled yet), confirmed, discarded")
    uploaded_at: dt.datetime
    enrol_on: dt.date
    row_count: int
    valid_count: int = Field(description="rows that the confirmation enrols")
    error_count: int
    reported_count: int = Field(description="valid rows of people already protected: not enrolled")
    enrolled_count: int
    errors: list[RowOut]
    reported: list[RowOut]


class BeneficiaryOut(Schema):
    id: int
    worker: int
    nik: str
    name: str
    occupation: str
    village_code: str
    enrolled_on: dt.date
    ends_on: dt.date


class BeneficiaryPage(Page):
    items: list[BeneficiaryOut]


class PlanRowOut(Schema):
    months: int
    per_person: int
    people: int


class PlanOut(Schema):
    start: str
    months: int
    transport: bool
    per_person_month: int
    per_person: int
    budget: int | None
    people_for_budget: int | None
    leftover: int | None
    target: int | None
    cost_for_target: int | None
    table: list[PlanRowOut]
    rule: str


class FollowUpRow(Schema):
    employer: int
    name: str
    region: str
    workers: int
    paid_up: int
    below_minimum_wage: int
    missing_programme: int
    signs: list[str]


class FollowUpOut(Schema):
    period: str
    employers: int
    truncated: bool
    items: list[FollowUpRow]


def programme_out(p: Programme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "region": p.region.code,
        "region_name": p.region.name,
        "legal_basis_type": p.legal_basis_type,
        "legal_basis_number": p.legal_basis_number,
        "legal_basis_date": p.legal_basis_date,
        "budget_year": p.budget_year,
        "budget_amount": p.budget_amount,
        "funding_source": p.funding_source,
        "province_share_bp": p.province_share_bp,
        "regency_share_bp": p.regency_share_bp,
        "occupations": list(p.occupations),
        "min_age": p.min_age,
        "max_age": p.max_age,
        "package": p.package,
        "sponsor": p.sponsor_id,
        "renewed_from": p.renewed_from_id,
    }


def detail_out(p: Programme) -> dict[str, Any]:
    use = budget.budget_use(p)
    months = [
        {
            "period": f"{m.period:%Y-%m}",
            "people": m.people,
            "price": m.price,
            "committed": m.committed,
            "billed": m.billed,
            "paid": m.paid,
            "billed_people": m.billed_people,
        }
        for m in use.months
    ]
    bills = [
        {"id": b.pk, "period": f"{b.period:%Y-%m}", "kind": b.kind, "amount": b.amount, "paid": b.paid}
        for b in use.bills
    ]
    return {
        **programme_out(p),
        "budget_use": {
            "budget": use.budget,
            "spent": use.spent,
            "remaining": use.remaining,
            "billed": use.billed,
            "outstanding": use.outstanding,
            "committed": use.committed,
            "uncommitted": use.uncommitted,
            "enrolled": use.enrolled,
            "payer": use.payer.pk if use.payer else None,
            "months": months,
            "bills": bills,
        },
    }


def _rows(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"row": e.get("row"), "field": e.get("field", ""), "message": lists.translated(e)} for e in stored]


def list_out(lst: BeneficiaryList) -> dict[str, Any]:
    return {
        "id": lst.pk,
        "programme": lst.programme_id,
        "file_name": lst.file_name,
        "status": lst.status,
        "uploaded_at": lst.uploaded_at,
        "enrol_on": lst.enrol_on,
        "row_count": lst.row_count,
        "valid_count": lst.valid_count,
        "error_count": lst.error_count,
        "reported_count": lst.reported_count,
        "enrolled_count": lst.enrolled_count,
        "errors": _rows(lst.errors),
        "reported": _rows(lst.reported),
    }


@programmes_router.get("", response={200: ProgrammePage, **ERRORS}, summary="Programmes in your scope")
def list_programmes(
    request: HttpRequest, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=10**7)
) -> dict[str, Any]:
    qs = programmes.list_programmes(caller(request))
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [programme_out(p) for p in qs[offset : offset + limit]],
    }


@programmes_router.post(
    "", response={201: ProgrammeDetailOut, **ERRORS}, summary="Create a programme (and its sponsor)"
)
def post_programme(request: HttpRequest, body: ProgrammeIn) -> Status[dict[str, Any]]:
    data = body.model_dump(exclude_none=True)
    if not data.get("occupations"):
        data.pop("occupations", None)
    created = programmes.create_programme(caller(request), **data)
    return Status(201, detail_out(created))


@programmes_router.get(
    "/{programme_id}", response={200: ProgrammeDetailOut, **ERRORS}, summary="A programme and its budget use"
)
def get_programme(request: HttpRequest, programme_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return detail_out(programmes.get_programme(caller(request), programme_id))


@programmes_router.post(
    "/{programme_id}/renewal", response={201: ProgrammeDetailOut, **ERRORS}, summary="Renew for the next budget year"
)
def post_renewal(
    request: HttpRequest, body: RenewIn, programme_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    renewed = programmes.renew_programme(caller(request), programme_id, **body.model_dump())
    return Status(201, detail_out(renewed))


@programmes_router.get(
    "/{programme_id}/beneficiaries",
    response={200: BeneficiaryPage, **ERRORS},
    summary="The people a programme enrolled",
)
def list_beneficiaries(
    request: HttpRequest,
    programme_id: int = Path(..., ge=1, le=MAX_ID),
    q: str = Query("", max_length=40, description="a NIK (or its start) or part of the name"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    qs = lists.beneficiaries(caller(request), programme_id, q)
    items = [
        {
            "id": b.pk,
            "worker": b.worker_id,
            "nik": b.worker.nik,
            "name": b.worker.name,
            "occupation": b.worker.occupation,
            "village_code": b.village_code,
            "enrolled_on": b.enrolled_on,
            "ends_on": b.ends_on,
        }
        for b in qs[offset : offset + limit]
    ]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@programmes_router.post(
    "/{programme_id}/beneficiary-lists",
    response={201: ListOut, **ERRORS},
    summary="Upload a beneficiary list (CSV or XLSX): its preview, with every bad row and its reason",
    description=(
        "Columns nik, name, birth_date, sex, occupation, village, address. Nobody is enrolled until "
        "`POST /api/beneficiary-lists/{id}/confirm`."
    ),
)
def post_list(
    request: HttpRequest,
    programme_id: int = Path(..., ge=1, le=MAX_ID),
    file: UploadedFile = File(..., description="the list, .csv or .xlsx"),  # noqa: B008
) -> Status[dict[str, Any]]:
    user = caller(request)
    programmes.managed_programme(user, programme_id)
    if (problem := upload_problem(file)) is not None:
        raise ValidationFailed("file", problem)
    name = FilePath(file.name or "").name or "list.csv"
    with saved(file) as path:
        lst = lists.preview_list(user, programme_id, path, name)
    return Status(201, list_out(lst))


@programmes_router.get("/{programme_id}/planner", response={200: PlanOut, **ERRORS}, summary="The budget planner")
def get_plan(
    request: HttpRequest,
    programme_id: int = Path(..., ge=1, le=MAX_ID),
    start: str = Query(..., pattern=MONTH_PATTERN, description="the first month, YYYY-MM"),
    months: int = Query(12, ge=1, le=12),
    budget_amount: int | None = Query(None, ge=1, le=MAX_BUDGET, alias="budget"),
    target: int | None = Query(None, ge=1, le=300_000_000, description="people to cover"),
    transport: bool = Query(False),
) -> dict[str, Any]:
    programmes.get_programme(caller(request), programme_id)
    p = budget.plan(parse_month(start, "start"), months, budget=budget_amount, target=target, transport=transport)
    return {
        "start": f"{p.start:%Y-%m}",
        "months": p.months,
        "transport": p.transport,
        "per_person_month": p.per_person_month,
        "per_person": p.per_person,
        "budget": p.budget,
        "people_for_budget": p.people_for_budget,
        "leftover": p.leftover,
        "target": p.target,
        "cost_for_target": p.cost_for_target,
        "table": [{"months": r.months, "per_person": r.per_person, "people": r.people} for r in p.table],
        "rule": p.rule,
    }


@lists_router.get("/{list_id}", response={200: ListOut, **ERRORS}, summary="A beneficiary list: its preview or outcome")
def get_list(request: HttpRequest, list_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return list_out(lists.get_list(caller(request), list_id))


@lists_router.post(
    "/{list_id}/confirm",
    response={200: ListOut, **ERRORS},
    summary="Enrol the valid rows of a list in preview (checked again; one transaction)",
)
def confirm(request: HttpRequest, list_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return list_out(lists.confirm_list(caller(request), list_id))


@follow_up_router.get(
    "", response={200: FollowUpOut, **ERRORS}, summary="Employers with signs of partial registration in a month"
)
def get_follow_up(
    request: HttpRequest,
    period: str = Query(..., pattern=MONTH_PATTERN, description="the month, YYYY-MM"),
    region: str = Query("", max_length=13, description="only employers in this region (code)"),
) -> dict[str, Any]:
    result = compliance.follow_up(caller(request), parse_month(period), region)
    items = [
        {
            "employer": r.compliance.employer.pk,
            "name": r.compliance.employer.name,
            "region": r.compliance.employer.region.code,
            "workers": r.compliance.workers,
            "paid_up": r.compliance.paid_up,
            "below_minimum_wage": r.compliance.below_minimum_wage,
            "missing_programme": r.compliance.missing_programme,
            "signs": list(r.signs),
        }
        for r in result.rows
    ]
    return {"period": period, "employers": result.employers, "truncated": result.truncated, "items": items}
