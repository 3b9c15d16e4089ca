from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router

from paritrana.api.errors import ERRORS
from paritrana.api.schemas import ComputeIn, ComputeOut, RuleOut
from paritrana.rules import all_rules, compute_one

router = Router(tags=["calculator"])


@router.get("", response={200: list[RuleOut], **ERRORS}, summary="The rules the calculator knows, with their inputs")
def list_rules(request: HttpRequest) -> list[dict[str, Any]]:
    return [r.describe() for r in sorted(all_rules(), key=lambda r: r.name)]


@router.post("/{name}", response={200: ComputeOut, **ERRORS}, summary="Compute one record under the law of a date")
def compute(
    request: HttpRequest, body: ComputeIn, name: str = Path(..., max_length=100, pattern=r"^[a-z0-9_]+$")
) -> dict[str, Any]:
    result = compute_one(name, body.date, body.inputs)
    return result.as_dict(explain=True)
