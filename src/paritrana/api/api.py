"""The REST API: /api/ (OpenAPI at /api/openapi.json, documentation at /api/docs)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI

from paritrana.accounts import scopes
from paritrana.api import award as award_api
from paritrana.api import bank, calculator, claims, contributions, coverage, employers, errors, regions, wages, workers
from paritrana.api import programmes as programmes_api
from paritrana.api import projection as projection_api
from paritrana.api import scenarios as scenarios_api
from paritrana.api.auth import AUTH, caller
from paritrana.api.errors import ERRORS
from paritrana.api.schemas import Me

api = NinjaAPI(
    title="Paritrana API",
    version="1",
    description=(
        "Registry and calculator of Paritrana. Authenticate with `Authorization: Bearer <token>` "
        "(`paritrana token USERNAME`) or the web session. Every answer is limited to the caller's scope. "
        "Region data: idn-area-data 4.0.1 © Fityan (fityannugroho), ODbL 1.0."
    ),
    auth=AUTH,
    urls_namespace="api",
)
errors.install(api)
api.add_router("/regions", regions.router)
api.add_router("/employers", employers.router)
api.add_router("/employers", wages.employers_router)
api.add_router("/wage-uploads", wages.uploads_router)
api.add_router("/workers", workers.router)
api.add_router("/rules", calculator.router)
api.add_router("/bills", contributions.bills_router)
api.add_router("/payers", contributions.payers_router)
api.add_router("/arrears", contributions.arrears_router)
api.add_router("/bank", bank.router)
api.add_router("/payers", bank.payers_router)
api.add_router("/workers", contributions.workers_router)
api.add_router("/employers", contributions.employers_router)
api.add_router("/coverage", coverage.router)
api.add_router("/projection", projection_api.router)
api.add_router("/scenarios", scenarios_api.router)
api.add_router("/scenario-runs", scenarios_api.runs_router)
api.add_router("/claims", claims.router)
api.add_router("/programmes", programmes_api.programmes_router)
api.add_router("/beneficiary-lists", programmes_api.lists_router)
api.add_router("/follow-up", programmes_api.follow_up_router)
api.add_router("/award", award_api.router)


@api.get("/me", response={200: Me, **ERRORS}, tags=["accounts"], summary="Who you are: role and scope")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = caller(request)
    profile = scopes.profile_of(user)
    return {
        "username": user.get_username(),
        "role": scopes.role_of(user),
        "branch": profile.branch.code if profile and profile.branch else None,
        "region": profile.region.code if profile and profile.region else None,
        "employer": profile.employer_id if profile else None,
        "worker": profile.worker_id if profile else None,
    }
