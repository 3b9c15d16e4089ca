"""The officers' pages of a claim: verify (with corrections), approve, pay, reject, stop the instalments, add a
document (the filer too), and the claims report. Each action runs the use case on a claim the user sees and
comes back to the claim with its message, or the error naming its field; a claim out of scope is a 404 and a
role that may not act a 403 (the use cases' errors rise to ``web/errors.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from paritrana.claims import workflow
from paritrana.claims.models import Claim, Status
from paritrana.claims.scopes import can_process
from paritrana.claims.services import claims as svc
from paritrana.claims.services.report import STATUSES, claims_report
from paritrana.claims.types import TYPES
from paritrana.contributions.documents import rupiah
from paritrana.core.errors import ValidationFailed
from paritrana.web import access
from paritrana.web.claim_action_forms import DocumentForm, RejectForm, StopForm, VerifyForm
from paritrana.web.claim_forms import field_words
from paritrana.web.domain_text import translate_message
from paritrana.web.views.claims import REPORT_ROLES, scheduled_children, type_title

# --- the officers' actions -----------------------------------------------------------------------


def _act(request: HttpRequest, pk: int, action: Callable[[Claim], str], processors_only: bool = True) -> HttpResponse:
    """Run an action on a claim the user sees: its message on success, the error naming its field otherwise."""
    claim = svc.get_claim(request.user, pk)
    if processors_only and not can_process(request.user):
        raise PermissionDenied
    try:
        message = action(claim)
    except ValidationFailed as err:  # shown on the claim; a refusal of the person rises to web/errors.py
        messages.error(request, f"{field_words(err.field, claim.rule)}: {translate_message(err.reason)}")
    else:
        messages.success(request, message)
    return redirect("web:claim", pk=pk)


def _form_errors(form: forms.Form) -> ValidationFailed:
    """A form's first error as a domain error naming the field."""
    name, errors = next(iter(form.errors.items()))
    return ValidationFailed(name if name != "__all__" else "inputs", " ".join(str(e) for e in errors))


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> str:
        form = VerifyForm(claim.rule, data=request.POST)
        if not form.is_valid():
            raise form.first_error()
        corrections = form.corrections()
        done = svc.verify(
            request.user, claim.pk, corrections or None, form.cleaned_data["note"], form.cleaned_data["reason"]
        )
        if corrections:
            return _("Claim %(number)s is verified with the corrections; it is assessed again: %(amount)s.") % {
                "number": done.number,
                "amount": rupiah(done.amount),
            }
        return _("Claim %(number)s is verified.") % {"number": done.number}

    return _act(request, pk, action)


def _approval_message(claim: Claim) -> str:
    if svc.awaiting_second_approval(claim):
        return _("Claim %(number)s is approved by you; it awaits a second approver, another person.") % {
            "number": claim.number
        }
    return _("Claim %(number)s is approved.") % {"number": claim.number}


def _paid_message(claim: Claim, payments: list[Any]) -> str:
    total = sum(p.amount for p in payments)
    return ngettext(
        "Claim %(number)s is paid: %(count)s payment instruction, %(total)s.",
        "Claim %(number)s is paid: %(count)s payment instructions, %(total)s.",
        len(payments),
    ) % {"number": claim.number, "count": len(payments), "total": rupiah(total)}


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda claim: _approval_message(svc.approve(request.user, claim.pk)))


def _ask_first(request: HttpRequest, pk: int, step: workflow.Action, pay_now: str) -> HttpResponse | None:
    """A payment is confirmed before it is made: a payment the officer may make is first shown with its amount
    and account (None once confirmed, or when the use case will refuse it anyway with its own reason)."""
    if request.POST.get("confirmed") == "yes":
        return None
    claim = svc.get_claim(request.user, pk)
    if not can_process(request.user):
        raise PermissionDenied
    if step not in workflow.allowed(svc.state_of(request.user, claim)):
        return None
    context = {"claim": claim, "title": type_title(claim.claim_type), "action_url": pay_now}
    return render(request, "web/claims_confirm_payment.html", context)


def _once_confirmed(
    request: HttpRequest, pk: int, step: workflow.Action, url: str, action: Callable[[Claim], str]
) -> HttpResponse:
    """A money step: the confirmation page first, the step itself once the officer confirmed it."""
    asked = _ask_first(request, pk, step, url)
    return asked if asked is not None else _act(request, pk, action)


@login_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> str:
        payments = svc.pay(request.user, claim.pk)
        return _paid_message(svc.get_claim(request.user, claim.pk), payments)

    return _once_confirmed(request, pk, workflow.Action.PAY, "web:claim_pay", action)


@login_required
@require_POST
def approve_and_pay(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> str:
        payments = svc.approve_and_pay(request.user, claim.pk)
        done = svc.get_claim(request.user, claim.pk)
        return _approval_message(done) if done.status != Status.PAID else _paid_message(done, payments)

    return _once_confirmed(request, pk, workflow.Action.APPROVE, "web:claim_approve_pay", action)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> str:
        form = RejectForm(request.POST)
        if not form.is_valid():
            raise _form_errors(form)
        done = svc.reject(request.user, claim.pk, form.cleaned_data["reason"])
        return _("Claim %(number)s is rejected: %(reason)s") % {"number": done.number, "reason": done.rejection_reason}

    return _act(request, pk, action)


@login_required
@require_POST
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> str:
        form = DocumentForm(TYPES[claim.claim_type], request.POST, request.FILES)
        if not form.is_valid():
            raise _form_errors(form)
        f = form.cleaned_data["file"]
        doc = svc.add_document(request.user, claim.pk, svc.Upload(form.cleaned_data["kind"], f.name or "", f.read()))
        return _("%(name)s is attached to claim %(number)s.") % {"name": doc.file_name, "number": claim.number}

    return _act(request, pk, action, processors_only=False)


@login_required
@require_POST
def stop_instalments(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> str:
        form = StopForm(scheduled_children(claim), request.POST)
        if not form.is_valid():
            raise _form_errors(form)
        count = svc.stop_instalments(request.user, claim.pk, form.cleaned_data["reason"], form.cleaned_data["child"])
        return ngettext(
            "%(count)s scheduled payment of claim %(number)s is stopped.",
            "%(count)s scheduled payments of claim %(number)s are stopped.",
            count,
        ) % {"count": count, "number": claim.number}

    return _act(request, pk, action)


# --- the report ----------------------------------------------------------------------------------


class ReportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("submitted from"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("to"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Per branch and claim type: the claims by status, the amount paid, the median service days of the paid."""
    access.require_role(request, REPORT_ROLES)
    form = ReportForm(request.GET or None)
    rows: list[Any] = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        try:
            rows = claims_report(request.user, data.get("start"), data.get("end"))
        except ValidationFailed as err:
            form.add_error(err.field if err.field in form.fields else None, translate_message(err.reason))
    totals = {
        "counts": [sum(r.counts.get(s.value, 0) for r in rows) for s in STATUSES],
        "total": sum(r.total for r in rows),
        "amount_paid": sum(r.amount_paid for r in rows),
    }
    context = {
        "form": form,
        "rows": [
            {"row": r, "title": type_title(r.claim_type), "counts": [r.counts.get(s.value, 0) for s in STATUSES]}
            for r in rows
        ],
        "statuses": STATUSES,
        "totals": totals,
    }
    return render(request, "web/claims_report.html", context)
