"""A worker's contributions and JHT account: its JHT statement (balance at a date, entries between two dates)
and its PDF, the status of its last months; an employer's compliance.

Who sees what is the use cases' answer (``ledger.statement``, ``status.month_status``,
``status.employer_compliance``): out of scope is 404, like a record that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from paritrana.contributions import documents
from paritrana.contributions.scopes import visible_jht_accounts
from paritrana.registry.errors import NotAllowed, NotFound, ValidationFailed
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
        except NotFound:
            raise access.not_found() from None
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
    except NotFound:
        raise access.not_found() from None
    except NotAllowed:
        raise PermissionDenied from None
    except ValidationFailed as err:
        return HttpResponseBadRequest(translate_message(err.reason))
    return pdf_response(pdf)
