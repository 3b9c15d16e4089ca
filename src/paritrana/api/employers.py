from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.api.schemas import MAX_ID, EmployerIn, EmployerOut, EmployerPage, EmployerPatch
from paritrana.registry import services
from paritrana.registry.models import Employer

router = Router(tags=["employers"])


@router.get("", response={200: EmployerPage, **ERRORS}, summary="Employers in your scope")
def list_employers(
    request: HttpRequest,
    q: str = Query(
        "", max_length=100, pattern=r"^[^\x00]*$", description="name contains, or registration number starts with"
    ),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, object]:
    qs = services.search_employers(caller(request), q)
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": list(qs[offset : offset + limit])}


@router.post("", response={201: EmployerOut, **ERRORS}, summary="Register an employer")
def create_employer(request: HttpRequest, body: EmployerIn) -> Status[Employer]:
    data = body.model_dump(exclude_none=True)
    employer = services.register_employer(caller(request), **data)
    return Status(201, services.get_employer(caller(request), employer.pk))


@router.get("/{employer_id}", response={200: EmployerOut, **ERRORS})
def get_employer(request: HttpRequest, employer_id: int = Path(..., ge=1, le=MAX_ID)) -> Employer:
    return services.get_employer(caller(request), employer_id)


@router.patch("/{employer_id}", response={200: EmployerOut, **ERRORS}, summary="Change an employer's details")
def update_employer(
    request: HttpRequest, body: EmployerPatch, employer_id: int = Path(..., ge=1, le=MAX_ID)
) -> Employer:
    services.update_employer(caller(request), employer_id, **body.model_dump(exclude_unset=True, exclude_none=True))
    return services.get_employer(caller(request), employer_id)
