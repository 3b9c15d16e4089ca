"""Wage reports of an employer: the reports by month, reporting one worker's wage, uploading a wage file,
an upload's result (its per-row errors, storing only the valid rows), and a file to fill in.

Employer HR sees only its own company; branch officers and administrators the employers in their scope
(``contributions.services.wages`` decides: an employer out of scope is a 404, a role without wages a 403).
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from paritrana.contributions.documents import rupiah
from paritrana.contributions.models import Payer, WageUpload
from paritrana.contributions.services import wage_uploads, wages
from paritrana.contributions.wagefile import CellError, month_label, parse_month_cell
from paritrana.core.errors import RegistryError, ValidationFailed
from paritrana.core.spreadsheet import append_row, csv_writer
from paritrana.core.tabular import Msg as TableMsg
from paritrana.core.uploads import saved
from paritrana.registry.models import Employer
from paritrana.web.table_uploads import row_errors_csv, shown_row_errors, table_file_field
from paritrana.web.views.common import MONTH_INPUT, checked_upload, form_error, is_htmx, page_of
from paritrana.web.views.progress import reports_progress

ERRORS_SHOWN = 1_000  # the reader keeps at most UPLOAD_LIMITS errors_shown (then one counting the rest)
FIELD_LABELS = {
    "nik": gettext_lazy("NIK"),
    "period": gettext_lazy("month"),
    "wage": gettext_lazy("wage"),
    "file": gettext_lazy("file"),
}


class WageReportForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK of the worker"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "list": "wage-earners"}),
    )
    period = forms.CharField(label=gettext_lazy("month"), max_length=7, widget=forms.TextInput(attrs=MONTH_INPUT))
    wage = forms.CharField(
        label=gettext_lazy("monthly wage, rupiah"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("whole rupiah, e.g. 3500000 or 3.500.000"),
    )


class WageUploadForm(forms.Form):
    file = table_file_field(
        label=gettext_lazy("wage file (CSV or XLSX)"),
        help_text=gettext_lazy(
            "a header row with the columns nik, period (or bulan) and wage (or upah); a row per worker and month"
        ),
    )
    keep_valid = forms.BooleanField(
        label=gettext_lazy("Keep only the valid rows: store them even if other rows have errors"),
        required=False,
    )

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data["file"])


class MonthFilterForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("month"), required=False, max_length=7, widget=forms.TextInput(attrs=MONTH_INPUT)
    )


def _employer_or_error(request: HttpRequest, pk: int) -> Employer:
    return wages.wage_employer(request.user, pk)


def bills_url(employer: Employer) -> str:
    """The employer's bills page (``web:bills`` filtered to its payer), else the employer's page."""
    payer = Payer.objects.filter(employer=employer).first()
    try:
        url = reverse("web:bills")
    except NoReverseMatch:
        return reverse("web:employer", args=[employer.pk])
    return f"{url}?payer={payer.pk}" if payer is not None else reverse("web:employer", args=[employer.pk])


def _month_filter(request: HttpRequest) -> tuple[MonthFilterForm, Any]:
    form = MonthFilterForm(request.GET or None)
    period = None
    if form.is_valid() and form.cleaned_data.get("period"):
        try:
            period = parse_month_cell(form.cleaned_data["period"])
        except CellError as err:
            form.add_error("period", _(err.template).format(**err.params))
    return form, period


def _page(
    request: HttpRequest,
    employer: Employer,
    report_form: WageReportForm | None = None,
    upload_form: WageUploadForm | None = None,
) -> HttpResponse:
    user = request.user
    filter_form, period = _month_filter(request)
    reports = wages.wage_reports(user, employer.pk, period if filter_form.is_valid() else None)
    context = {
        "employer": employer,
        "filter_form": filter_form,
        "period": period,
        "page": page_of(request, reports),
        "query": month_label(period) if period else "",
    }
    if is_htmx(request) and request.method == "GET":
        return render(request, "web/partials/wage_reports.html", context)
    this_month = month_label(timezone.localdate().replace(day=1))
    context.update(
        report_form=report_form or WageReportForm(initial={"period": this_month, "nik": request.GET.get("nik", "")}),
        upload_form=upload_form or WageUploadForm(),
        wage_earners=wages.wage_earners(user, employer.pk)[:1000],
        uploads=wages.wage_uploads(user, employer.pk)[:10],
        bills_url=bills_url(employer),
    )
    return render(request, "web/wages.html", context)


@login_required
def wage_list(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer_or_error(request, pk)
    return _page(request, employer)


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer_or_error(request, pk)
    form = WageReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            worker = wages.find_worker(request.user, employer.pk, data["nik"])
            saved = wages.report_wage(request.user, worker.pk, data["period"], data["wage"], employer_id=employer.pk)
        except ValidationFailed as err:
            if err.field == "worker":
                form.add_error("nik", err.reason)
            else:
                form_error(form, err)
        except RegistryError as err:
            form_error(form, err)
        else:
            messages.success(
                request,
                _("The wage of %(name)s for %(month)s is recorded: %(wage)s.")
                % {"name": worker.name, "month": month_label(saved.period), "wage": rupiah(saved.wage)},
            )
            return redirect(f"{reverse('web:wages', args=[employer.pk])}?period={month_label(saved.period)}")
    return _page(request, employer, report_form=form)


@login_required
@require_POST
@reports_progress
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer_or_error(request, pk)
    form = WageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, employer, upload_form=form)
    uploaded = form.cleaned_data["file"]
    with saved(uploaded) as path:
        result = wage_uploads.import_wage_file(
            request.user, employer.pk, path, uploaded.name or path.name, keep_valid=form.cleaned_data["keep_valid"]
        )
    return redirect("web:wage_upload", pk=result.pk)


def _upload_or_404(request: HttpRequest, pk: int) -> WageUpload:
    return wages.get_upload(request.user, pk)


def hidden_errors(result: WageUpload) -> int:
    """Errors counted but not kept (the last stored error says how many), less that summary row itself."""
    counts = [
        int((e.get("params") or {}).get("count", 0)) for e in result.errors if e.get("template") == TableMsg.MORE_ERRORS
    ]
    return sum(counts) - len(counts)


def error_rows(result: WageUpload) -> list[dict[str, Any]]:
    """The upload's errors for a person: row, field label, message in the active language."""
    return shown_row_errors(result.errors, FIELD_LABELS, wages.translated)


@login_required
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = _upload_or_404(request, pk)
    rows = error_rows(result)
    context = {
        "upload": result,
        "employer": result.employer,
        "errors": rows[:ERRORS_SHOWN],
        "error_count": len(rows) + hidden_errors(result),
        "more_errors": max(0, len(rows) - ERRORS_SHOWN),
        "pending_count": len(result.pending_rows),
        "upload_form": WageUploadForm(),
        "bills_url": bills_url(result.employer),
        "rejected": result.status == WageUpload.Status.REJECTED,
    }
    return render(request, "web/wages_upload.html", context)


@login_required
@require_POST
@reports_progress
def store_valid(request: HttpRequest, pk: int) -> HttpResponse:
    _upload_or_404(request, pk)
    try:
        result = wage_uploads.store_valid_rows(request.user, pk)
    except ValidationFailed as err:
        messages.error(request, err.reason)
        return redirect("web:wage_upload", pk=pk)
    message = ngettext(
        "%(count)s valid row is stored; the rows with errors are left out.",
        "%(count)s valid rows are stored; the rows with errors are left out.",
        result.stored_count,
    )
    messages.success(request, message % {"count": result.stored_count})
    return redirect("web:wage_upload", pk=pk)


@login_required
def upload_errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload's errors as a CSV file (row, field, message), to work through beside the spreadsheet."""
    result = _upload_or_404(request, pk)
    return row_errors_csv(error_rows(result), f"wage-upload-{result.pk}-errors.csv")


@login_required
def template_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A wage file to fill in: the header and a row per wage earner (NIK, this month, no wage yet, the name).

    ``?format=xlsx`` gives a workbook whose NIK column is text (a spreadsheet keeps only 15 digits of a number).
    """
    employer = _employer_or_error(request, pk)
    month = month_label(timezone.localdate().replace(day=1))
    rows = wages.template_rows(request.user, employer.pk)
    header = ["nik", "period", "wage", "name"]
    stem = f"wages-{employer.registration_number}-{month}"
    if request.GET.get("format") == "xlsx":
        import openpyxl  # type: ignore[import-untyped]

        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "wages"
        append_row(ws, header)
        for nik, name in rows:
            append_row(ws, [nik, month, None, name])
        for column in ("A", "B"):
            for cell in ws[column]:
                cell.number_format = "@"
        ws.column_dimensions["A"].width = 20
        ws.column_dimensions["D"].width = 30
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(header)
    for nik, name in rows:
        writer.writerow([nik, month, "", name])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response
