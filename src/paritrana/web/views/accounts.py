"""A worker's contributions and JHT account: its JHT statement (balance at a date, entries between two dates)
and its PDF, the status of its last months; an employer's compliance.

Who sees what is the use cases' answer (``ledger.statement``, ``status.month_status``,
``status.employer_compliance``): out of scope is 404, like a record that does not exist.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from paritrana.contributions import documents
from paritrana.contributions.periods import parse_month
from paritrana.contributions.scopes import visible_jht_accounts, visible_payers
from paritrana.contributions.services import status
from paritrana.core.errors import ValidationFailed
from paritrana.registry import services as registry_services
from paritrana.web import access
from paritrana.web.domain_text import translate_message
from paritrana.web.views.bills import pdf_response
from paritrana.web.views.common import form_error


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("to (the balance is shown on this day)"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


def statement_period(request: HttpRequest) -> tuple[PeriodForm, dt.date | None, dt.date | None]:
    """The statement's dates from the query: this year up to today when none are given."""
    today = timezone.localdate()
    data = request.GET if ("start" in request.GET or "end" in request.GET) else None
    form = PeriodForm(data, initial={"start": today.replace(month=1, day=1), "end": today})
    if data is None:
        return form, today.replace(month=1, day=1), today
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["start"], form.cleaned_data["end"]


def _jht_account_or_404(request: HttpRequest, pk: int) -> None:
    """Out of scope is 404 whatever else is wrong with the request."""
    if not visible_jht_accounts(request.user).filter(pk=pk).exists():
        raise access.not_found()


@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    _jht_account_or_404(request, pk)
    form, start, end = statement_period(request)
    doc = None
    if start is not None and end is not None:
        try:
            doc = documents.statement_document(request.user, pk, start, end)
        except ValidationFailed as err:
            form_error(form, err)
    context: dict[str, Any] = {"form": form, "doc": doc, "s": doc.statement if doc else None, "worker_pk": pk}
    if doc is not None:
        context["query_string"] = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    return render(request, "web/statement.html", context)


@login_required
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _jht_account_or_404(request, pk)
    form, start, end = statement_period(request)
    if start is None or end is None:
        return HttpResponseBadRequest("; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()))
    try:
        pdf = documents.statement_pdf(request.user, pk, start, end, request.GET.get("lang", ""))
    except ValidationFailed as err:
        return HttpResponseBadRequest(translate_message(err.reason))
    return pdf_response(pdf)


# ---- a worker's months ----

MONTHS_SHOWN = 12
MAX_MONTHS = 60


def last_months(count: int, today: dt.date) -> list[dt.date]:
    """The ``count`` months up to and including the one of ``today``, newest first."""
    months = [today.replace(day=1)]
    while len(months) < count:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return months


def share_percent(share: Fraction | None) -> str | None:
    """An exact share as a percentage with one decimal, rounded half up (for a person to read)."""
    if share is None:
        return None
    tenths = (share * 1000 + Fraction(1, 2)).__floor__()
    return f"{tenths // 10}.{tenths % 10}"


@login_required
def month_status(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    text = request.GET.get("months", "")
    count = int(text) if text.isdigit() and 1 <= int(text) <= MAX_MONTHS else MONTHS_SHOWN
    months = last_months(count, today)
    worker = registry_services.get_worker(request.user, pk)
    statuses = status.month_status(request.user, pk, months, on=today)
    rows = [{"month": m, "status": statuses[m], "label": statuses[m].label} for m in months]
    context = {
        "worker": worker,
        "rows": rows,
        "count": count,
        "today": today,
        "paid": sum(1 for r in rows if r["status"] == status.MonthStatus.PAID),
        "can_see_statement": visible_jht_accounts(request.user).filter(pk=pk).exists(),
    }
    return render(request, "web/statement_months.html", context)


# ---- an employer's compliance ----


def _previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@login_required
def compliance(request: HttpRequest, pk: int) -> HttpResponse:
    employer = registry_services.get_employer(request.user, pk)
    text = request.GET.get("period", "").strip()
    error = None
    period = _previous_month(timezone.localdate())
    if text:
        try:
            period = parse_month(text, "period")
        except ValidationFailed as err:
            error = translate_message(err.reason)
    result = status.employer_compliance(request.user, employer.pk, period)
    context = {
        "employer": employer,
        "c": result,
        "period_text": text or f"{period:%Y-%m}",
        "error": error,
        "share": share_percent(result.share),
        "payer": visible_payers(request.user).filter(employer=employer).first(),
    }
    return render(request, "web/compliance.html", context)
