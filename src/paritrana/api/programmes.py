"""Regional programmes in the REST API: programmes (list, create, one with its budget use, renew),
beneficiary lists (upload → preview with the bad rows, confirm), beneficiaries, the budget planner,
and the employers' compliance follow-up list.

A regional officer sees and manages its own region's programmes; an administrator all; a branch officer
reads those of its territory. Out of scope by id: 404; seen but not the caller's to change: 403.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

from django.http import HttpRequest
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.api.programme_schemas import (
    MAX_BUDGET,
    MONTH_PATTERN,
    BeneficiaryPage,
    FollowUpOut,
    ListOut,
    PlanOut,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammePage,
    RenewIn,
    detail_out,
    list_out,
    programme_out,
)
from paritrana.api.schemas import MAX_ID
from paritrana.contributions.periods import parse_month
from paritrana.core.errors import ValidationFailed
from paritrana.core.uploads import saved, upload_problem
from paritrana.programmes.services import budget, compliance, lists, programmes

programmes_router = Router(tags=["programmes"])
lists_router = Router(tags=["programmes"])
follow_up_router = Router(tags=["programmes"])


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
