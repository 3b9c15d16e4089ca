"""Wage reports in the REST API: report one worker's wage, list an employer's reports, upload a wage file
(CSV or XLSX) and read its per-row errors, store the valid rows of a rejected upload.

Employer HR reports for its own company; branch officers and administrators for employers in their scope.
An employer, worker or upload outside the caller's scope is a 404; a role without wages a 403.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FilePath
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, model_validator

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.api.paging import paged
from paritrana.api.schemas import MAX_ID, MAX_RUPIAH, NIK, Body, Page, RowErrorOut, WorkerRef, stored_rows_out
from paritrana.contributions.models import WageReport, WageUpload
from paritrana.contributions.services import wage_uploads, wages
from paritrana.contributions.wagefile import CellError, month_label, parse_month_cell
from paritrana.core.errors import ValidationFailed
from paritrana.core.uploads import saved, upload_problem

employers_router = Router(tags=["wages"])
uploads_router = Router(tags=["wages"])

MONTH_PATTERN = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$"


# ---- schemas ----


class WageReportIn(Body):
    worker: int | None = Field(None, ge=1, le=MAX_ID, description="the worker's id (or give its NIK)")
    nik: NIK | None = Field(None, description="the worker's NIK (or give its id)")
    period: str = Field(pattern=MONTH_PATTERN, description="the month, YYYY-MM")
    wage: int = Field(ge=0, le=MAX_RUPIAH, description="the monthly wage, whole rupiah")

    @model_validator(mode="after")
    def _one_worker(self) -> WageReportIn:
        if (self.worker is None) == (self.nik is None):
            raise ValueError("give the worker's id (worker) or its NIK (nik), one of the two")
        return self


class WageReportOut(Schema):
    id: int
    worker: WorkerRef
    employer: int = Field(description="the employer's id")
    period: str = Field(description="the month, YYYY-MM")
    wage: int = Field(description="the monthly wage, rupiah")
    upload: int | None = Field(description="the wage file it came from, if any")
    reported_at: dt.datetime


class WageReportPage(Page):
    items: list[WageReportOut]


class WageUploadOut(Schema):
    id: int
    employer: int
    file_name: str
    status: str = Field(
        description="stored (every row), partial (the valid rows only) or rejected (nothing stored; see errors)"
    )
    uploaded_at: dt.datetime
    row_count: int = Field(description="rows of wages in the file")
    stored_count: int = Field(description="rows stored")
    pending_count: int = Field(description="valid rows of a rejected upload, waiting to be stored on request")
    errors: list[RowErrorOut]


def report_out(report: WageReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "worker": {"id": report.worker.pk, "nik": report.worker.nik, "name": report.worker.name},
        "employer": report.employer_id,
        "period": month_label(report.period),
        "wage": report.wage,
        "upload": report.upload_id,
        "reported_at": report.reported_at,
    }


def upload_out(upload: WageUpload) -> dict[str, Any]:
    return {
        "id": upload.pk,
        "employer": upload.employer_id,
        "file_name": upload.file_name,
        "status": upload.status,
        "uploaded_at": upload.uploaded_at,
        "row_count": upload.row_count,
        "stored_count": upload.stored_count,
        "pending_count": len(upload.pending_rows),
        "errors": stored_rows_out(upload.errors),
    }


# ---- endpoints ----


def _month(text: str) -> Any:
    """A month of a query or body (a month out of the readers' years is a 422 naming ``period``)."""
    try:
        return parse_month_cell(text)
    except CellError as err:
        raise ValidationFailed("period", gettext(err.template).format(**err.params)) from None


@employers_router.post(
    "/{employer_id}/wage-reports",
    response={200: WageReportOut, 201: WageReportOut, **ERRORS},
    summary="Report a worker's wage for a month (201); a second report of the month corrects it (200)",
)
def post_wage_report(
    request: HttpRequest, body: WageReportIn, employer_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    user = caller(request)
    wages.wage_employer(user, employer_id)
    worker_id = body.worker
    if worker_id is None:
        worker_id = wages.find_worker(user, employer_id, body.nik or "").pk
    before = WageReport.objects.filter(worker_id=worker_id, period=_month(body.period)).exists()
    report = wages.report_wage(user, worker_id, body.period, body.wage, employer_id=employer_id)
    return Status(200 if before else 201, report_out(report))


@employers_router.get(
    "/{employer_id}/wage-reports",
    response={200: WageReportPage, **ERRORS},
    summary="An employer's wage reports, newest month first",
)
def list_wage_reports(
    request: HttpRequest,
    employer_id: int = Path(..., ge=1, le=MAX_ID),
    period: str = Query("", pattern=r"^$|" + MONTH_PATTERN, description="only this month, YYYY-MM"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    month = _month(period) if period else None
    qs = wages.wage_reports(caller(request), employer_id, month)
    return paged(qs, limit, offset, report_out)


@employers_router.post(
    "/{employer_id}/wage-uploads",
    response={201: WageUploadOut, **ERRORS},
    summary="Upload a wage file (CSV or XLSX: columns nik, period, wage); its per-row errors in the answer",
    description=(
        "A file with any error stores nothing (status `rejected`; its valid rows wait for "
        "`POST /api/wage-uploads/{id}/store-valid`), unless `keep_valid` is true (status `partial`). "
        "A clean file: status `stored`. The employer's bills of the months changed are computed again."
    ),
)
def post_wage_upload(
    request: HttpRequest,
    employer_id: int = Path(..., ge=1, le=MAX_ID),
    file: UploadedFile = File(..., description="the wage file, .csv or .xlsx"),  # noqa: B008
    keep_valid: bool = Form(False, description="store the valid rows even if other rows have errors"),
) -> Status[dict[str, Any]]:
    user = caller(request)
    wages.wage_employer(user, employer_id)
    if (problem := upload_problem(file)) is not None:
        raise ValidationFailed("file", problem)
    name = FilePath(file.name or "").name
    with saved(file) as path:
        upload = wage_uploads.import_wage_file(user, employer_id, path, name or "upload", keep_valid=keep_valid)
    return Status(201, upload_out(upload))


@uploads_router.get("/{upload_id}", response={200: WageUploadOut, **ERRORS}, summary="A wage upload and its errors")
def get_wage_upload(request: HttpRequest, upload_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return upload_out(wages.get_upload(caller(request), upload_id))


@uploads_router.post(
    "/{upload_id}/store-valid",
    response={200: WageUploadOut, **ERRORS},
    summary="Store only the valid rows of a rejected upload (checked again); it becomes partial",
)
def store_valid(request: HttpRequest, upload_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return upload_out(wage_uploads.store_valid_rows(caller(request), upload_id))
