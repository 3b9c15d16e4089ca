"""Coverage in the REST API: the figures of the dashboard (Indonesia, a province or a regency/city in a month,
by worker domicile or by employer region), the uncovered segments of a region, the workforce figures.

Who: administrators, branch officers and award assessors everything; a regional officer its own region
(another region is 404); employer HR, workers and heirs 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from paritrana.api.auth import caller
from paritrana.api.contributions import MONTH_PATTERN
from paritrana.api.errors import ERRORS
from paritrana.contributions.periods import parse_month
from paritrana.coverage.models import WorkforceFigure
from paritrana.coverage.services import dashboard as coverage
from paritrana.coverage.services.dashboard import Segment

router = Router(tags=["coverage"])

View = Literal["domicile", "employer"]
REGION = Query(None, pattern=r"^\d{2}(\.\d{2})?$", description="a province (33) or regency/city (33.74) code")


class FigureOut(Schema):
    code: str = Field(description="region code; ID for Indonesia")
    name: str
    month: str = Field(description="YYYY-MM")
    view: str = Field(description="domicile (where workers live) or employer (where their employer is registered)")
    active: int = Field(description="participants paid for the month")
    registered: int = Field(description="participants with a membership in force in the month, or active")
    employed: int | None = Field(description="employed persons of the denominator year")
    rate: float | None = Field(description="active ÷ employed")
    programmes: dict[str, int] = Field(description="active participants per programme (not additive)")
    workers_per_month: int | None = Field(description="workers to add each month to reach the next target")


class TargetOut(Schema):
    year: int
    rate: str = Field(description="the rate to reach by 31 December of the year, an exact fraction")
    reference: str
    uncertain: bool
    why: str | None
    months_left: int


class BreakdownRow(Schema):
    key: str
    active: int
    registered: int


class CoverageOut(Schema):
    month: str
    view: str
    months: list[str]
    total: FigureOut
    trend: list[FigureOut]
    parts_level: str | None
    parts: list[FigureOut]
    target: TargetOut | None
    distance_points: float | None = Field(description="rate − target, percentage points")
    denominator_year: int | None
    breakdowns: dict[str, list[BreakdownRow]]


class SegmentsOut(Schema):
    region: str
    month: str
    view: str
    figure: FigureOut
    segments: list[Segment]  # the service's own record: its fields are the answer's


class WorkforceOut(Schema):
    region: str = Field(description="region code; ID for Indonesia")
    year: int
    employed: int
    kind: str
    source: str


def _month(text: str | None) -> dt.date | None:
    return parse_month(text, "month") if text else None


def _figure(f: coverage.RegionFigure) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "month": f"{f.month:%Y-%m}",
        "view": f.view,
        "active": f.active,
        "registered": f.registered,
        "employed": f.employed,
        "rate": f.rate,
        "programmes": f.programmes,
        "workers_per_month": f.workers_per_month,
    }


@router.get("", response={200: CoverageOut, **ERRORS}, summary="Coverage of Indonesia or a region in a month")
def get_coverage(
    request: HttpRequest,
    region: str | None = REGION,
    month: str | None = Query(None, pattern=MONTH_PATTERN),
    view: View = "domicile",
) -> dict[str, Any]:
    board = coverage.dashboard(caller(request), region_code=region, month=_month(month), view=view)
    target = board.target
    return {
        "month": f"{board.month:%Y-%m}",
        "view": board.view,
        "months": [f"{m:%Y-%m}" for m in board.months],
        "total": _figure(board.total),
        "trend": [_figure(f) for f in board.trend],
        "parts_level": board.parts_level,
        "parts": [_figure(f) for f in board.parts],
        "target": None
        if target is None
        else {
            "year": target.year,
            "rate": str(target.rate),
            "reference": target.reference,
            "uncertain": target.uncertain,
            "why": target.why,
            "months_left": target.months_left,
        },
        "distance_points": board.distance,
        "denominator_year": board.denominator_year,
        "breakdowns": {
            name: [{"key": k, "active": a, "registered": r} for k, a, r in rows]
            for name, rows in board.breakdowns.items()
        },
    }


@router.get("/segments", response={200: SegmentsOut, **ERRORS}, summary="The segments of a region, least covered first")
def get_segments(
    request: HttpRequest,
    region: str = Query(..., pattern=r"^\d{2}(\.\d{2})?$"),
    month: str | None = Query(None, pattern=MONTH_PATTERN),
    view: View = "domicile",
) -> dict[str, Any]:
    found, month_shown, rows, figure = coverage.segments(caller(request), region, month=_month(month), view=view)
    return {
        "region": found.code,
        "month": f"{month_shown:%Y-%m}",
        "view": view,
        "figure": _figure(figure),
        "segments": [
            {
                "scheme": s.scheme,
                "occupation": s.occupation,
                "vulnerable": s.vulnerable,
                "sex": s.sex,
                "age_band": s.age_band,
                "registered": s.registered,
                "active": s.active,
            }
            for s in rows
        ],
    }


@router.get("/workforce", response={200: list[WorkforceOut], **ERRORS}, summary="Employed persons by region")
def get_workforce(request: HttpRequest, year: int = Query(..., ge=1976, le=2100)) -> list[dict[str, Any]]:
    root = coverage.coverage_root(caller(request))
    qs = WorkforceFigure.objects.select_related("region").filter(year=year).order_by("region__code")
    if root is not None:
        qs = qs.filter(Q(region__code=root.code) | Q(region__code__startswith=root.code + "."))
    return [
        {
            "region": f.region.code if f.region else coverage.NATIONAL,
            "year": f.year,
            "employed": f.employed,
            "kind": f.kind,
            "source": f.source,
        }
        for f in qs
    ]
