"""The long-term projection's page (decision 0024): the baseline, or a scenario file's overrides uploaded in the
form; the fund and reserve-ratio chart drawn on the server, the yearly table, the XLSX download.

Who: policy analysts and administrators; every other role 403.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.core.errors import ValidationFailed
from paritrana.projection import present, services
from paritrana.web.views.common import checked_upload, form_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProjectionForm(forms.Form):
    years = forms.IntegerField(label=gettext_lazy("years projected"), min_value=1, max_value=services.MAX_HORIZON,
                               initial=75)  # fmt: skip
    scenario = forms.FileField(
        label=gettext_lazy("scenario (YAML, optional)"),
        required=False,
        help_text=gettext_lazy("dated values overriding assumptions or law parameters, in the parameters' format"),
    )

    def clean_scenario(self) -> Any:
        uploaded = self.cleaned_data.get("scenario")
        return checked_upload(uploaded) if uploaded else None


def _run(request: HttpRequest, form: ProjectionForm) -> services.Report | None:
    """The projection the valid form asks for; ``None`` with the error shown next to its field."""
    uploaded = form.cleaned_data.get("scenario")
    years = form.cleaned_data["years"]
    try:
        if uploaded is None:
            return services.run(request.user, horizon=years)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(uploaded.name).name
            with path.open("wb") as out:
                for chunk in uploaded.chunks():
                    out.write(chunk)
            return services.run(request.user, horizon=years, scenario=path)
    except ValidationFailed as err:
        form_error(form, err)
        return None


@login_required
def projection(request: HttpRequest) -> HttpResponse:
    if not services.can_project(request.user):
        raise PermissionDenied
    form = ProjectionForm(request.POST, request.FILES) if request.method == "POST" else ProjectionForm({"years": 75})
    report = _run(request, form) if form.is_valid() else None
    if report is not None and request.POST.get("format") == "xlsx":
        response = HttpResponse(present.workbook(report), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="projection.xlsx"'
        return response
    context: dict[str, Any] = {"form": form, "report": report}
    if report is not None:
        p = report.projection
        jp_rows, jht_rows = present.year_rows(p.jp), present.year_rows(p.jht)
        context |= {
            "summary": present.summary(report),
            "jp_rows": jp_rows,
            "jht_rows": jht_rows,
            "cohorts": present.cohort_rows(p.jp)[:: max(1, len(p.jp.cohorts) // 15)],
            "jp_chart": present.fund_chart_svg("JP", jp_rows),
            "jht_chart": present.fund_chart_svg("JHT", jht_rows),
            "checks": [
                {"programme": k, "actual": report.actuals[k], "first": r.rows[0]}
                for k, r in (("JP", p.jp), ("JHT", p.jht))
            ],
            "title": _("Long-term projection of JP and JHT"),
        }
    return render(request, "web/projection.html", context)
