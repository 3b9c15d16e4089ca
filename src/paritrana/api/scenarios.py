"""Reform scenarios in the REST API (issue 18): list, save a scenario (or a new version), run it over a month or a
calendar year,
read a run's results with each group by its name. Aggregated figures only.

A run is computed in the background as the page's (decision 0044): the POST answers 202 with the run's id, its
status URL and its progress URL (the page's record, read with the web session); the status says queued, running,
done or failed with the reason in the caller's language, with the starter's progress.

Who: policy analysts and administrators; every other role 403, before any scenario is looked up.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.core import progress_store
from paritrana.core.errors import NotFound
from paritrana.scenarios import benefit_present, periods, present, services
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
    month: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}$", description="the registry's month, YYYY-MM (or give year)"
    )
    year: str | None = Field(
        None,
        max_length=8,
        description="a calendar year of the registry, YYYY, 1 January to 31 December (or give month)",
    )


def _scenario(s: Scenario) -> dict[str, Any]:
    return {"id": s.pk, "name": s.name, "description": s.description, "version": s.version,
            "parameters": s.parameters, "updated_at": s.updated_at.isoformat()}  # fmt: skip


def _run(run: ScenarioRun) -> dict[str, Any]:
    by = {d: present.group_rows(run, d) for d in DIMENSIONS}
    return {
        "id": run.pk, "scenario": run.scenario_id, "version": run.version, **_run_period(run),
        "programmes": run.results["programmes"], "total": run.results["total"], "workers": run.results["workers"],
        "by": by, "payers": present.payer_rows(run), "budgets": present.budget_rows(run),
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
    return {**_scenario(found), "runs": [_run_period(r) | {"id": r.pk, "version": r.version} for r in runs]}


def _run_period(run: ScenarioRun) -> dict[str, Any]:
    """A run's period: its span, its month (YYYY-MM) or its year, and in words in the caller's language."""
    year = run.span == ScenarioRun.Span.YEAR
    return {"span": run.span, "month": None if year else f"{run.period:%Y-%m}", "year": run.period.year if year else None,
            "period": run.period_text()}  # fmt: skip


class RunStarted(Schema):
    id: int
    status: str = Field(..., description="queued (or done already, when jobs run inline)")
    status_url: str = Field(..., description="GET it until the status is done or failed")
    progress_url: str | None = Field(None, description="the progress record of the web page (a session reads it)")
    results_url: str = Field(..., description="the run's results, once done")


class RunStatus(Schema):
    id: int
    status: str = Field(..., description="queued, running, done or failed")
    error: str | None = Field(None, description="why it failed, in the caller's language")
    progress: dict[str, Any] | None = Field(None, description="its stage and counts, for the analyst who started it")
    results_url: str | None = Field(None, description="the run's results, when done")


def _urls(run: ScenarioRun) -> dict[str, Any]:
    return {
        "status_url": reverse("api:scenario_run_status", kwargs={"run_id": run.pk}),
        "results_url": reverse("api:scenario_run_detail", kwargs={"run_id": run.pk}),
        "progress_url": reverse("web:progress", args=[run.progress_token]) if run.progress_token else None,
    }


@router.post(
    "/{scenario_id}/runs",
    response={202: RunStarted, **ERRORS},
    summary="Run over a month or a year, in the background",
    description="Answers 202 at once with the run's id and status URL; the run is computed in the background, "
    "as the page's. Poll the status URL: queued, running, then done (read the results URL) or failed (its reason).",
)
def run(request: HttpRequest, scenario_id: int, body: RunIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    services.require_analyst(user)
    first, span = periods.asked(body.month, body.year)
    started = services.start(user, scenario_id, first, span=span)
    started.refresh_from_db(fields=["status"])  # done already when jobs run inline
    return 202, {"id": started.pk, "status": started.status, **_urls(started)}


def _found(request: HttpRequest, run_id: int) -> ScenarioRun:
    services.require_analyst(caller(request))
    found = ScenarioRun.objects.filter(pk=run_id).first()
    if found is None:
        raise NotFound(_("no such scenario run"))
    return found


@runs_router.get(
    "/{run_id}/status", response={200: RunStatus, **ERRORS}, summary="A run's status", url_name="scenario_run_status"
)
def run_status(request: HttpRequest, run_id: int) -> dict[str, Any]:
    found = _found(request, run_id)
    done, failed = found.status == ScenarioRun.Status.DONE, found.status == ScenarioRun.Status.FAILED
    token = found.progress_token
    return {
        "id": found.pk,
        "status": found.status,
        "error": services.failure_reason(found) if failed else None,
        "progress": progress_store.shown(request.user, token) if token else None,
        "results_url": _urls(found)["results_url"] if done else None,
    }


@runs_router.get(
    "/{run_id}", response={200: dict[str, Any], **ERRORS}, summary="A run's results", url_name="scenario_run_detail"
)
def run_detail(request: HttpRequest, run_id: int) -> dict[str, Any]:
    found = _found(request, run_id)
    if found.status != ScenarioRun.Status.DONE:
        raise NotFound(_("the run has no results: read its status"))
    return _run(found)
