from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from paritrana.api.errors import ERRORS
from paritrana.api.schemas import REGION_CODE, RegionOut, RegionPage
from paritrana.core.errors import NotFound
from paritrana.registry.models import Region

router = Router(tags=["regions"])


@router.get("", response={200: RegionPage, **ERRORS}, summary="Kemendagri regions (idn-area-data, ODbL 1.0)")
def list_regions(
    request: HttpRequest,
    level: Region.Level | None = None,
    parent: REGION_CODE | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10**7),
) -> dict[str, object]:
    qs = Region.objects.select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": list(qs[offset : offset + limit])}


@router.get("/{code}", response={200: RegionOut, **ERRORS})
def get_region(request: HttpRequest, code: REGION_CODE) -> Region:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise NotFound(f"there is no region with code {code}")
    return region
