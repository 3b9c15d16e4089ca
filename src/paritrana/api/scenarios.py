"""Reform scenarios in the REST API (issue 18): list, save a scenario (or a new version), run it over a month,
read a run's results with each group by its name. Aggregated figures only.

Who: policy analysts and administrators; every other role 403, before any scenario is looked up.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.contributions.wagefile import CellError, parse_month_cell
from paritrana.core.errors import NotFound, ValidationFailed
from paritrana.scenarios import benefit_present, present, services
from paritrana.scenarios.compute import DIMENSIONS
from paritrana.scenarios.definition import MAX_TEXT
from paritrana.scenarios.models import Scenario, ScenarioRun

router = Router(tags=["scenarios"])
runs_router = Router(tags=["scenarios"])


class ScenarioIn(Schema):
    name: str = Field(..., max_length=120, description="a new name, or an existing one for its next version")
    description: str = Field(..., max_length=4000, description="what the scenario changes and why")
    parameters: str = Field(..., max_length=MAX_TEXT, description="dated values of the law's parameters (YAML)")


class RunIn(Schema):
    month: str = Field(..., pattern=r"^\d{4}-\d{2}$", description="the registry's month, YYYY-MM")


def _scenario(s: Scenario) -> dict[str, Any]:
    return {"id": s.pk, "name": s.name, "description": s.description, "version": s.version,
            "parameters": s.parameters, "updated_at": s.updated_at.isoformat()}  # fmt: skip


def _run(run: ScenarioRun) -> dict[str, Any]:
    by = {d: present.group_rows(run, d) for d in DIMENSIONS}
    return {
        "id": run.pk, "scenario": run.scenario_id, "version": run.version, "month": f"{run.period:%Y-%m}",
        "programmes": run.results["programmes"], "total": run.results["total"], "workers": run.results["workers"],
        "by": by, "payers": present.payer_rows(run), "budgets": run.results["budgets"],
        "changes": present.changes(run), "source": run.source, "engine": run.engine,
        "benefits": benefit_present.benefit_rows(run),
    }  # fmt: skip


@router.get("", response={200: list[dict[str, Any]], **ERRORS}, summary="The saved scenarios")
def listing(request: HttpRequest) -> list[dict[str, Any]]:
    return [_scenario(s) for s in services.scenarios(caller(request))]


@router.post("", response={201: dict[str, Any], **ERRORS}, summary="Save a scenario, or its next version")
def save(request: HttpRequest, body: ScenarioIn) -> tuple[int, dict[str, Any]]:
    return 201, _scenario(services.save(caller(request), body.name, body.description, body.parameters))


@router.get("/{scenario_id}", response={200: dict[str, Any], **ERRORS}, summary="A scenario and its runs")
def detail(request: HttpRequest, scenario_id: int) -> dict[str, Any]:
    found = services.scenario(caller(request), scenario_id)
    runs = found.runs.filter(status=ScenarioRun.Status.DONE)
    return {**_scenario(found), "runs": [{"id": r.pk, "version": r.version, "month": f"{r.period:%Y-%m}"}
                                          for r in runs]}  # fmt: skip


@router.post("/{scenario_id}/runs", response={201: dict[str, Any], **ERRORS}, summary="Run over a month")
def run(request: HttpRequest, scenario_id: int, body: RunIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    services.require_analyst(user)
    try:
        month = parse_month_cell(body.month)
    except CellError:
        raise ValidationFailed("month", _("give the month as YYYY-MM, e.g. 2026-03")) from None
    return 201, _run(services.run(user, scenario_id, month))


@runs_router.get("/{run_id}", response={200: dict[str, Any], **ERRORS}, summary="A run's results")
def run_detail(request: HttpRequest, run_id: int) -> dict[str, Any]:
    services.require_analyst(caller(request))
    found = ScenarioRun.objects.filter(pk=run_id, status=ScenarioRun.Status.DONE).first()
    if found is None:
        raise NotFound(_("no such scenario run"))
    return _run(found)
