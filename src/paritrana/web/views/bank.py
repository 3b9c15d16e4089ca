"""The bank's money (decision 0009): statements (import, result), the exceptions queue and its
resolution, manual payments awaiting a second officer, the day's reconciliation. Thin: each view
parses, calls a use case of ``contributions.services`` and renders; refusals map as elsewhere
(a role without the right 403, a record out of scope 404)."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from paritrana.contributions import documents
from paritrana.contributions.models import StatementLine
from paritrana.contributions.scopes import (
    can_handle_payments,
    can_import_statements,
    visible_manual_payments,
    visible_statement_lines,
)
from paritrana.contributions.services import bank, manual
from paritrana.contributions.services.reconcile import reconcile
from paritrana.contributions.workflow import manual_actions
from paritrana.core.errors import NotFound, RegistryError, ValidationFailed
from paritrana.web import access
from paritrana.web.domain_text import translate_message
from paritrana.web.views.common import form_error, is_htmx, page_of, valid_with_file
from paritrana.web.views.progress import reports_progress

MAX_STATEMENT_BYTES = 200 * 1024 * 1024
PROBLEMS = [("", gettext_lazy("any problem")), *[(p.value, p.label) for p in StatementLine.Problem if p.value]]
STATES = [("open", gettext_lazy("open")), ("resolved", gettext_lazy("resolved")), ("all", gettext_lazy("all"))]
ACTIONS = [
    ("allocate", gettext_lazy("allocate to the payer")),
    ("return", gettext_lazy("return to the sender")),
    ("duplicate", gettext_lazy("mark duplicate")),
]


class QueueFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("search"), required=False, max_length=60)
    problem = forms.ChoiceField(label=gettext_lazy("problem"), required=False, choices=PROBLEMS)
    state = forms.ChoiceField(label=gettext_lazy("state"), required=False, choices=STATES)


class ResolveForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("action"), choices=ACTIONS)
    payer = forms.IntegerField(label=gettext_lazy("payer number"), required=False, min_value=1, max_value=2**63 - 1)
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=200)


class StatementForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("statement file"),
        help_text=gettext_lazy("CSV (bank_reference, value_date, amount, payment_code, description) or MT940"),
        max_length=255,
    )
    preview = forms.BooleanField(
        label=gettext_lazy("preview only: show what the import would do, store nothing"), required=False
    )


class RejectForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("reason"), max_length=200)


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("value date"), widget=forms.DateInput(attrs={"type": "date"}))


def _officer(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not can_handle_payments(request.user):
        raise PermissionDenied


def _admin(request: HttpRequest) -> None:
    if not can_import_statements(request.user):
        raise PermissionDenied


@login_required
def exceptions(request: HttpRequest) -> HttpResponse:
    _officer(request)
    form = QueueFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = bank.exceptions_queue(
        request.user, state=data.get("state") or "open", search=data.get("q") or "", problem=data.get("problem") or ""
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {
        "form": form,
        "page": page_of(request, qs),
        "query_string": query,
        "query": data.get("q") or "",
        "resolve_form": ResolveForm(),
        "is_admin": can_import_statements(request.user),
    }
    return render(request, "web/bank_exceptions.html", context)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve an exception; from HTMX the line's card comes back in place (its error inside it)."""
    _officer(request)
    form = ResolveForm(request.POST)
    error = ""
    line = None
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        data = form.cleaned_data
        try:
            line = bank.resolve(
                request.user, pk, data["action"], payer_id=data.get("payer"), note=data.get("note") or ""
            )
        except ValidationFailed as err:
            error = translate_message(getattr(err, "reason", str(err)))
    if is_htmx(request):
        shown = line or visible_statement_lines(request.user).filter(pk=pk).first()
        if shown is None:
            raise access.not_found()
        context = {"line": shown, "error": error, "resolve_form": ResolveForm()}
        return render(request, "web/bank_line.html", context)  # 200 with the error inside: HTMX swaps only 2xx
    if error:
        messages.error(request, f"{line_label(pk)}: {error}")
    elif line is not None:
        messages.success(
            request,
            _("%(line)s: %(resolution)s.") % {"line": line_label(line.pk), "resolution": line.get_resolution_display()},
        )
    return redirect("web:bank_exceptions")


def line_label(pk: int) -> str:
    return _("Line %(id)s") % {"id": pk}


@login_required
@reports_progress
def statements(request: HttpRequest) -> HttpResponse:
    _admin(request)
    result = None
    form = StatementForm()
    if request.method == "POST":
        form = StatementForm(request.POST, request.FILES)
        upload = valid_with_file(
            form, "file", MAX_STATEMENT_BYTES, _("the file is larger than 200 MB; split it by day")
        )
        if upload is not None:
            with tempfile.TemporaryFile() as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                try:
                    result = bank.import_statement(
                        request.user, tmp, upload.name or "statement", preview=form.cleaned_data["preview"]
                    )
                except RegistryError as err:
                    form_error(form, err)
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "errors": [{"row": e.row, "field": e.field, "message": _(e.template).format(**e.params)} for e in result.errors]
        if result
        else [],
        "statements": bank.statements(request.user)[:20],
    }
    return render(
        request,
        "web/bank_statements.html",
        context,
        status=422 if result and not result.stored and not result.preview else 200,
    )


@login_required
def manual_list(request: HttpRequest) -> HttpResponse:
    _officer(request)
    pending = manual.pending_for(request.user).order_by("entered_at", "pk")
    decided = visible_manual_payments(request.user).exclude(status="pending").order_by("-decided_at", "-pk")[:20]
    page = page_of(request, pending)
    for entry in page.object_list:
        entry.actions = manual_actions(entry.status, entry.entered_by_id, request.user.pk)
    context = {"page": page, "decided": decided, "reject_form": RejectForm()}
    return render(request, "web/bank_manual.html", context)


@login_required
@require_POST
def manual_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    try:
        entry = manual.confirm_manual(request.user, pk)
    except NotFound:
        raise access.not_found() from None
    except RegistryError as err:
        messages.error(request, translate_message(getattr(err, "reason", str(err))))
    else:
        messages.success(
            request,
            _("Payment %(reference)s of %(amount)s is confirmed and posted.")
            % {"reference": entry.reference, "amount": documents.rupiah(entry.amount)},
        )
    return redirect("web:bank_manual")


@login_required
@require_POST
def manual_reject(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    form = RejectForm(request.POST)
    reason = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        entry = manual.reject_manual(request.user, pk, reason)
    except NotFound:
        raise access.not_found() from None
    except RegistryError as err:
        messages.error(request, translate_message(getattr(err, "reason", str(err))))
    else:
        messages.success(request, _("Payment %(reference)s is rejected.") % {"reference": entry.reference})
    return redirect("web:bank_manual")


@login_required
def manual_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request)
    entry = visible_manual_payments(request.user).filter(pk=pk).first()
    if entry is None:
        raise access.not_found()
    response = HttpResponse(bytes(entry.evidence), content_type=entry.evidence_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{entry.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = DayForm(request.GET or {"date": timezone.localdate().isoformat()})
    day: dt.date = form.cleaned_data["date"] if form.is_valid() else timezone.localdate()
    context = {"form": form, "r": reconcile(request.user, day)}
    return render(request, "web/bank_reconciliation.html", context)
