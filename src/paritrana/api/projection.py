"""The long-term projection of JP and JHT in the REST API (decision 0024): the baseline (GET) or a scenario's
overrides sent as the text of a YAML file (POST); aggregated figures only.

Who: policy analysts and administrators; every other role 403.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.core.errors import ValidationFailed
from paritrana.projection import present, services

router = Router(tags=["projection"])
MAX_SCENARIO_BYTES = 256 * 1024


class ProjectionIn(Schema):
    years: int = Field(75, ge=1, le=services.MAX_HORIZON, description="the horizon, in years")
    start_year: int | None = Field(
        None, ge=services.START_YEARS[0], le=services.START_YEARS[1], description="the first projected year"
    )
    scenario: str = Field("", description="a YAML file of dated values overriding assumptions or law parameters")


def _answer(report: services.Report) -> dict[str, Any]:
    return {
        **present.summary(report),
        "jp": present.year_rows(report.projection.jp),
        "jht": present.year_rows(report.projection.jht),
        "replacement_rates": present.cohort_rows(report.projection.jp),
    }


@router.get("", response={200: dict[str, Any], **ERRORS}, summary="The baseline projection of JP and JHT")
def baseline(request: HttpRequest, years: int = 75, start_year: int | None = None) -> dict[str, Any]:
    user = caller(request)
    services.require_analyst(user)
    if not 1 <= years <= services.MAX_HORIZON:
        raise ValidationFailed("years", _("must be between 1 and %(n)s years") % {"n": services.MAX_HORIZON})
    return _answer(services.run(user, horizon=years, start_year=start_year))


@router.post("", response={200: dict[str, Any], **ERRORS}, summary="A projection with a scenario's overrides")
def with_scenario(request: HttpRequest, body: ProjectionIn) -> dict[str, Any]:
    user = caller(request)
    services.require_analyst(user)  # refused before the scenario is read
    if len(body.scenario.encode()) > MAX_SCENARIO_BYTES:
        raise ValidationFailed(
            "scenario", _("the scenario file is larger than %(n)s bytes") % {"n": MAX_SCENARIO_BYTES}
        )
    if not body.scenario.strip():
        return _answer(services.run(user, horizon=body.years, start_year=body.start_year))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(body.scenario, encoding="utf-8")
        return _answer(services.run(user, horizon=body.years, start_year=body.start_year, scenario=path))
