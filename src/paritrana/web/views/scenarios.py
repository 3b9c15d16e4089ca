"""Reform scenarios' pages (issue 18): the list and a new scenario (or version) from an uploaded file; a scenario
with its changes, a run over a month, its tables by group, the JP fund under the reform, and the PDF brief.

Who: policy analysts and administrators; every other role 403 (before any scenario is looked up).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from paritrana.contributions.documents import render_pdf
from paritrana.core import progress_store
from paritrana.core.errors import NotFound, ValidationFailed
from paritrana.projection import present as projection_present
from paritrana.projection import services as projection
from paritrana.scenarios import benefit_present, periods, present, services
from paritrana.scenarios.compute import DIMENSIONS
from paritrana.scenarios.models import ScenarioRun
from paritrana.web.views.common import MONTH_INPUT, checked_upload, form_error

FUND_YEARS = 75
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScenarioForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=120)
    description = forms.CharField(label=gettext_lazy("description"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(
        label=gettext_lazy("scenario file (YAML)"),
        help_text=gettext_lazy(
            "dated values of the law's parameters, in the parameters' format; each value's reference is the "
            "regulation and article, or proposed"
        ),
    )

    def clean_file(self) -> str:
        uploaded = checked_upload(self.cleaned_data["file"])
        try:
            return str(uploaded.read().decode("utf-8"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("the file is not UTF-8 text")) from None


class RunForm(forms.Form):
    """A run over a month (``period``) or a calendar year (``year``), as ``span`` says (a month when not said)."""

    span = forms.ChoiceField(
        label=gettext_lazy("period of the run"), choices=ScenarioRun.Span.choices, initial=ScenarioRun.Span.MONTH,
        required=False, widget=forms.RadioSelect,
    )  # fmt: skip
    period = forms.CharField(
        label=gettext_lazy("month"), max_length=7, required=False, widget=forms.TextInput(attrs=MONTH_INPUT)
    )
    year = forms.CharField(
        label=gettext_lazy("year"), max_length=4, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "placeholder": "YYYY"}),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("span") == ScenarioRun.Span.YEAR
        try:  # the chosen span's field only (the other may still hold an earlier entry)
            data["first"], data["span"] = periods.asked(
                None if year else data.get("period", ""), data.get("year", "") if year else None
            )
        except ValidationFailed as err:
            self.add_error("year" if year else "period", err.reason)
        return data


def _analyst(request: HttpRequest) -> None:
    if not services.can_analyse(request.user):
        raise PermissionDenied


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    _analyst(request)
    form = ScenarioForm(request.POST, request.FILES) if request.method == "POST" else ScenarioForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save(request.user, data["name"], data["description"], data["file"])
        except ValidationFailed as err:
            form_error(form, err if err.field != "parameters" else ValidationFailed("file", err.reason))
        else:
            return redirect("web:scenario", scenario_id=saved.pk)
    context = {"form": form, "scenarios": services.scenarios(request.user), "title": _("Reform scenarios")}
    return render(request, "web/scenarios.html", context)


def _fund_chart(run: ScenarioRun) -> str | None:
    """The JP fund and reserve ratio projected under the scenario, as the run stored them (decision 0039); a run
    kept before the projection was stored is projected once and keeps the rows. ``None`` where the projection
    cannot take the scenario."""
    if "fund" not in run.results:
        run.results["fund"] = projection.for_scenario(run.parameters)
        run.save(update_fields=["results"])
    fund = run.results["fund"]
    return projection_present.fund_chart_svg("JP", fund["jp"]) if fund else None


@login_required
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    _analyst(request)
    found = services.scenario(request.user, scenario_id)
    form = RunForm(request.POST) if request.method == "POST" else RunForm()
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            started = services.start(request.user, found.pk, data["first"], span=data["span"])
        except ValidationFailed as err:
            form_error(form, ValidationFailed("period", err.reason) if err.field == "month" else err)
        else:
            return redirect(f"{request.path}?run={started.pk}#results")
    runs = list(found.runs.filter(status=ScenarioRun.Status.DONE)[:20])
    run = _chosen_run(request, found, runs)
    asked = request.GET.get("by", "")
    dimension = asked if asked in DIMENSIONS else "province"
    context: dict[str, Any] = {
        "scenario": found, "form": form, "runs": runs, "run": run, "dimension": dimension,
        "dimensions": [(d, present.DIMENSION_TITLES[d]) for d in DIMENSIONS], "title": found.name,
    }  # fmt: skip
    if run is not None and run.status == ScenarioRun.Status.DONE:
        context |= _run_context(run, dimension) | {"fund_chart": _fund_chart(run)}
    elif run is not None:
        context |= _waiting_context(request, run)
    return render(request, "web/scenario.html", context)


def _chosen_run(request: HttpRequest, found: Any, runs: list[ScenarioRun]) -> ScenarioRun | None:
    """The run asked for (``?run=``, of any status: a queued or running one shows its progress), else the
    latest done."""
    wanted = request.GET.get("run")
    if wanted is None:
        return runs[0] if runs else None
    return found.runs.filter(pk=int(wanted)).first() if wanted.isdigit() and len(wanted) < 10 else None


def _waiting_context(request: HttpRequest, run: ScenarioRun) -> dict[str, Any]:
    """A run not done: its progress as last recorded (polled by the page's script until it is over), or why it
    failed, in the reader's language."""
    shown = progress_store.shown(request.user, run.progress_token) if run.progress_token else None
    failed = run.status == ScenarioRun.Status.FAILED
    failure = services.failure_reason(run) if failed else ""
    return {
        "waiting": run.status in (ScenarioRun.Status.QUEUED, ScenarioRun.Status.RUNNING),
        "progress": shown,
        "progress_url": reverse("web:progress", args=[run.progress_token]) if run.progress_token else "",
        "failure": failure,
    }


def _run_context(run: ScenarioRun, dimension: str) -> dict[str, Any]:
    return {
        "groups": present.group_rows(run, dimension),
        "dimension_title": present.DIMENSION_TITLES[dimension],
        "programmes": run.results["programmes"],
        "total": run.results["total"],
        "workers": run.results["workers"],
        "payers": present.payer_rows(run),
        "budgets": present.budget_rows(run),
        "changes": present.changes(run),
        "contributions_chart": present.contributions_chart_svg(run),
        "benefits": benefit_present.benefit_rows(run),
    }


@login_required
def scenario_brief(request: HttpRequest, run_id: int) -> HttpResponse:
    """The PDF brief of a run, in the reader's language: what changes (with its reference or "proposed"), the
    month's figures, by province, who gains and loses, the regional budgets, the JP fund under the reform; with
    ``?format=xlsx`` every table of the run as a workbook."""
    _analyst(request)
    run = ScenarioRun.objects.filter(pk=run_id, status=ScenarioRun.Status.DONE).select_related("scenario").first()
    if run is None:
        raise NotFound(_("no such scenario run"))
    context = _run_context(run, "province") | {
        "scenario": run.scenario, "run": run, "fund_chart": _fund_chart(run),
    }  # fmt: skip
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(present.workbook(run), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="scenario-{run.scenario_id}-{run.period_code}.xlsx"'
        return response
    lang = get_language() or "id"
    response = HttpResponse(render_pdf("documents/scenario_brief.html", context, lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="scenario-{run.scenario_id}-{run.period_code}.pdf"'
    return response
