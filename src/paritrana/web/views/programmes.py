"""Regional programmes: the list, a new programme, a programme's budget use and bills, uploading a
beneficiary list → its preview (bad rows with their reasons) → confirming it, the beneficiaries, the
budget planner, renewal, and the employers' compliance follow-up list.

``programmes.services`` decides who sees what: a programme outside the caller's scope is a 404; a role
that sees it but may not change it (a branch officer) gets 403; roles without programmes get 403 on lists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from paritrana.accounts.models import Role
from paritrana.contributions.periods import parse_month
from paritrana.core.errors import ValidationFailed
from paritrana.core.uploads import saved
from paritrana.programmes.listfile import COLUMNS, REQUIRED
from paritrana.programmes.models import FundingSource, LegalBasis, Programme
from paritrana.programmes.scopes import MANAGERS, can_manage
from paritrana.programmes.services import budget, compliance, lists, programmes
from paritrana.programmes.workflow import Action, allowed
from paritrana.registry.models import VULNERABLE_OCCUPATIONS, Occupation
from paritrana.web import access
from paritrana.web.domain_text import translate_message
from paritrana.web.listing import Column, ListSpec, SearchField, list_page, render_list
from paritrana.web.money_input import RupiahField
from paritrana.web.table_uploads import row_errors_csv, shown_row_errors, table_file_field
from paritrana.web.views.common import MONTH_INPUT, checked_upload, form_error, page_of
from paritrana.web.views.progress import reports_progress

ROWS_SHOWN = 1_000
FIELD_LABELS = {
    "nik": gettext_lazy("NIK"),
    "name": gettext_lazy("name"),
    "birth_date": gettext_lazy("birth date"),
    "sex": gettext_lazy("sex"),
    "occupation": gettext_lazy("occupation"),
    "village": gettext_lazy("village"),
    "address": gettext_lazy("address"),
    "file": gettext_lazy("file"),
}


# --- forms -------------------------------------------------------------------------------------------


class ProgrammeForm(forms.Form):
    region = forms.CharField(
        label=gettext_lazy("region code (province or regency/city)"), max_length=13, required=False
    )
    name = forms.CharField(label=gettext_lazy("name"), max_length=160)
    legal_basis_type = forms.ChoiceField(label=gettext_lazy("legal basis"), choices=LegalBasis.choices)
    legal_basis_number = forms.CharField(label=gettext_lazy("number of the legal basis"), max_length=80)
    legal_basis_date = forms.DateField(
        label=gettext_lazy("date of the legal basis"), widget=forms.DateInput(attrs={"type": "date"})
    )
    budget_year = forms.IntegerField(label=gettext_lazy("budget year"), min_value=2015, max_value=2100)
    budget_amount = RupiahField(
        label=gettext_lazy("budget, rupiah"), min_value=1, max_value=10**15, help_text=gettext_lazy("whole rupiah")
    )
    funding_source = forms.ChoiceField(label=gettext_lazy("funding source"), choices=FundingSource.choices)
    province_share = forms.IntegerField(
        label=gettext_lazy("province's share of the cost, %"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=gettext_lazy("for a regency's or city's programme the province co-funds; empty: none"),
    )
    occupations = forms.MultipleChoiceField(
        label=gettext_lazy("eligible occupations"),
        choices=Occupation.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=sorted(str(o) for o in VULNERABLE_OCCUPATIONS),
    )
    min_age = forms.IntegerField(label=gettext_lazy("minimum age"), min_value=0, max_value=120, initial=18)
    max_age = forms.IntegerField(label=gettext_lazy("maximum age"), min_value=0, max_value=120, initial=65)


class ListUploadForm(forms.Form):
    file = table_file_field(
        label=gettext_lazy("beneficiary list (CSV or XLSX)"),
        help_text=gettext_lazy("a header row naming the columns of the table below; a row per person"),
    )

    @staticmethod
    def columns() -> list[dict[str, Any]]:
        """The file's columns for the instructions: the names a header may use (Indonesian first), the meaning."""
        return [
            {"names": [*aliases[1:], aliases[0]], "meaning": FIELD_LABELS[column], "required": column in REQUIRED}
            for column, aliases in COLUMNS.items()
        ]

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data["file"])


class RenewForm(forms.Form):
    legal_basis_number = forms.CharField(label=gettext_lazy("number of the legal basis"), max_length=80)
    legal_basis_date = forms.DateField(
        label=gettext_lazy("date of the legal basis"), widget=forms.DateInput(attrs={"type": "date"})
    )
    budget_amount = RupiahField(label=gettext_lazy("budget, rupiah"), min_value=1, max_value=10**15)


class PlannerForm(forms.Form):
    start = forms.CharField(
        label=gettext_lazy("from the month"), max_length=7, widget=forms.TextInput(attrs=MONTH_INPUT)
    )
    months = forms.IntegerField(label=gettext_lazy("months"), min_value=1, max_value=12)
    budget = forms.IntegerField(label=gettext_lazy("budget, rupiah"), min_value=1, max_value=10**15, required=False)
    target = forms.IntegerField(
        label=gettext_lazy("coverage target, people"), min_value=1, max_value=300_000_000, required=False
    )
    transport = forms.BooleanField(label=gettext_lazy("transport sector (ojek and other drivers)"), required=False)


class MonthForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("month"), max_length=7, required=False, widget=forms.TextInput(attrs=MONTH_INPUT)
    )
    region = forms.CharField(label=gettext_lazy("region code"), max_length=13, required=False)


# --- pages -------------------------------------------------------------------------------------------


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    qs = programmes.list_programmes(request.user).annotate(enrolled=Count("beneficiaries"))
    context = {"page": page_of(request, qs), "can_create": access.role_of(request.user) in MANAGERS}
    return render(request, "web/programme_list.html", context)


@login_required
def programme_new(request: HttpRequest) -> HttpResponse:
    role = access.role_of(request.user)
    if role not in MANAGERS:
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if role == Role.REGIONAL_OFFICER:
        form.fields.pop("region")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        share = data.pop("province_share", None)
        if share is not None:
            data["province_share_bp"] = share * 100
        try:
            created = programmes.create_programme(request.user, **data)
        except ValidationFailed as err:
            if isinstance(err, ValidationFailed) and err.field == "province_share_bp":
                form.add_error("province_share", translate_message(err.reason))
            else:
                form_error(form, err)
        else:
            messages.success(request, _("The programme %(name)s is created.") % {"name": str(created)})
            return redirect("web:programme", pk=created.pk)
    return render(request, "web/programme_form.html", {"form": form, "today": timezone.localdate()})


def _detail(request: HttpRequest, programme: Programme, upload_form: ListUploadForm | None = None) -> HttpResponse:
    manages = can_manage(request.user, programme)
    this_month = timezone.localdate().replace(day=1)
    context = {
        "programme": programme,
        "use": budget.budget_use(programme),
        "manages": manages,
        "upload_form": upload_form or (ListUploadForm() if manages else None),
        "renew_form": RenewForm()
        if manages and not Programme.objects.filter(renewed_from=programme).exists()
        else None,
        "lists": lists.programme_lists(request.user, programme.pk)[:10],
        "price": budget.package_price(this_month),
        "price_month": this_month,
        "occupations": [Occupation(o).label for o in programme.occupations if o in Occupation.values],
        "province_share": programme.province_share_bp / 100,
        "regency_share": programme.regency_share_bp / 100,
    }
    return render(request, "web/programme_detail.html", context)


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, programmes.get_programme(request.user, pk))


@login_required
@require_POST
@reports_progress
def programme_upload(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programmes.managed_programme(request.user, pk)
    form = ListUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, programme, upload_form=form)
    uploaded = form.cleaned_data["file"]
    try:
        with saved(uploaded) as path:
            result = lists.preview_list(request.user, programme.pk, path, uploaded.name or path.name)
    except ValidationFailed as err:
        messages.error(request, translate_message(err.reason))
        return redirect("web:programme", pk=programme.pk)
    return redirect("web:beneficiary_list", pk=result.pk)


def row_messages(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return shown_row_errors(stored, FIELD_LABELS, lambda e: translate_message(lists.translated(e)))


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lst = lists.get_list(request.user, pk)
    errors = row_messages(lst.errors)
    reported = row_messages(lst.reported)
    context = {
        "lst": lst,
        "programme": lst.programme,
        "errors": errors[:ROWS_SHOWN],
        "more_errors": max(0, lst.error_count - ROWS_SHOWN),
        "reported": reported[:ROWS_SHOWN],
        "more_reported": max(0, lst.reported_count - ROWS_SHOWN),
        "can_confirm": Action.CONFIRM
        in allowed(lists.list_state(request.user, lst.programme, timezone.localdate(), lst)),
        "upload_form": ListUploadForm() if can_manage(request.user, lst.programme) else None,
    }
    return render(request, "web/programme_list_preview.html", context)


@login_required
@require_POST
@reports_progress
def list_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        result = lists.confirm_list(request.user, pk)
    except ValidationFailed as err:
        messages.error(request, translate_message(err.reason))
        return redirect("web:beneficiary_list", pk=pk)
    messages.success(
        request,
        _("%(count)s people are enrolled from %(date)s.") % {"count": result.enrolled_count, "date": result.enrol_on},
    )
    return redirect("web:beneficiary_list", pk=pk)


@login_required
def list_errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The list's bad and reported rows as CSV (row, field, message), to work through beside the spreadsheet."""
    lst = lists.get_list(request.user, pk)
    rows = sorted(row_messages(lst.errors) + row_messages(lst.reported), key=lambda e: e["row"] or 0)
    return row_errors_csv(rows, f"beneficiary-list-{lst.pk}-rows.csv")


BENEFICIARY_LIST = ListSpec(
    columns=(
        Column("name", gettext_lazy("name"), ("worker__name",), text=True),
        Column("nik", gettext_lazy("NIK"), ("worker__nik",)),
        Column("village", gettext_lazy("village"), ("village_name",), text=True),
        Column("enrolled", gettext_lazy("enrolled on"), ("enrolled_on",)),
        Column("until", gettext_lazy("sponsored until"), ("ends_on",)),
    ),
    default_sort="name",
    search=(
        SearchField("worker__nik", "prefix"),
        SearchField("worker__name"),
        SearchField("village_name"),
        SearchField("village_code", "prefix"),
    ),
)


@login_required
def beneficiary_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's beneficiaries, searched by NIK, name or village and sorted by any of its columns."""
    programme = programmes.get_programme(request.user, pk)
    listing = list_page(request, lists.beneficiaries(request.user, pk), BENEFICIARY_LIST)
    return render_list(
        request,
        listing,
        "web/programme_beneficiaries.html",
        "web/partials/beneficiary_results.html",
        programme=programme,
    )


@login_required
def planner(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programmes.get_programme(request.user, pk)
    use = budget.budget_use(programme)
    this_month = timezone.localdate().replace(day=1)
    start = max(this_month, dt.date(programme.budget_year, 1, 1))
    initial = {
        "start": f"{start:%Y-%m}",
        "months": budget.months_left(start, programme.budget_year),
        "budget": max(use.uncommitted, 1),
    }
    form = PlannerForm(request.GET or initial)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            month = parse_month(data["start"], "start")
            result = budget.plan(
                month, data["months"], budget=data.get("budget"), target=data.get("target"), transport=data["transport"]
            )
        except ValidationFailed as err:
            form_error(form, err)
    return render(
        request, "web/programme_planner.html", {"programme": programme, "form": form, "plan": result, "use": use}
    )


@login_required
@require_POST
def programme_renew(request: HttpRequest, pk: int) -> HttpResponse:
    programmes.managed_programme(request.user, pk)
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "; ".join(f"{form.fields[k].label}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        )
        return redirect("web:programme", pk=pk)
    try:
        renewed = programmes.renew_programme(request.user, pk, **form.cleaned_data)
    except ValidationFailed as err:
        messages.error(request, translate_message(err.reason))
        return redirect("web:programme", pk=pk)
    messages.success(
        request,
        _("Renewed for %(year)s: upload the verified list to the renewed programme.") % {"year": renewed.budget_year},
    )
    return redirect("web:programme", pk=renewed.pk)


@login_required
def follow_up(request: HttpRequest) -> HttpResponse:
    if access.role_of(request.user) not in compliance.READERS:
        raise PermissionDenied
    form = MonthForm(request.GET or None)
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    period, region, result = last_month, "", None
    if form.is_valid():
        try:
            if form.cleaned_data.get("period"):
                period = parse_month(form.cleaned_data["period"])
            region = form.cleaned_data.get("region") or ""
        except ValidationFailed as err:
            form_error(form, err)
    if not form.errors:
        try:
            result = compliance.follow_up(request.user, period, region)
        except ValidationFailed as err:
            form_error(form, err)
    context = {"form": form, "period": period, "result": result}
    return render(request, "web/programme_follow_up.html", context)
