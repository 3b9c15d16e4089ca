from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.api.schemas import MAX_ID, WorkerDetail, WorkerIn, WorkerPage, WorkerPatch
from paritrana.registry import services
from paritrana.registry.models import Worker

router = Router(tags=["workers"])


def _as_detail(worker: Worker) -> dict[str, Any]:
    return {
        **{f: getattr(worker, f) for f in ("id", "nik", "name", "birth_date", "sex", "occupation", "scheme", "wage")},
        "region": worker.region,
        "employer": worker.employer,
        "sponsor": worker.sponsor,
        "memberships": list(worker.memberships.all()),
        "heirs": list(worker.heirs.all()),
    }


@router.get("", response={200: WorkerPage, **ERRORS}, summary="Search the workers in your scope by NIK or name")
def list_workers(
    request: HttpRequest,
    nik: str = Query("", max_length=16, pattern=r"^[0-9]*$", description="NIK starts with"),
    q: str = Query("", max_length=100, pattern=r"^[^\x00]*$", description="name contains"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, object]:
    qs = services.search_workers(caller(request), query=q, nik=nik)
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": list(qs[offset : offset + limit])}


@router.post(
    "", response={201: WorkerDetail, **ERRORS}, summary="Register a worker (PU through an employer, BPU individually)"
)
def create_worker(request: HttpRequest, body: WorkerIn) -> Status[dict[str, Any]]:
    data = body.model_dump(exclude_none=True)
    worker = services.register_worker(caller(request), **data)
    return Status(201, _as_detail(services.get_worker(caller(request), worker.pk)))


@router.get("/{worker_id}", response={200: WorkerDetail, **ERRORS})
def get_worker(request: HttpRequest, worker_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _as_detail(services.get_worker(caller(request), worker_id))


@router.patch("/{worker_id}", response={200: WorkerDetail, **ERRORS}, summary="Change a worker's details")
def update_worker(
    request: HttpRequest, body: WorkerPatch, worker_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    services.update_worker(caller(request), worker_id, **body.model_dump(exclude_unset=True, exclude_none=True))
    return _as_detail(services.get_worker(caller(request), worker_id))
