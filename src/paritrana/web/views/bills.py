"""Bills, payers and payments: the list of bills in scope, a bill (lines traceable to their rule), its PDF,
a payer's page (credit, bills, payments, arrears, its payment code), an officer's manual payment entry
(confirmed by a second officer, decision 0009), and the arrears in scope."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from paritrana.contributions import documents
from paritrana.contributions.billing_batch import paid_from
from paritrana.contributions.models import BillLine, Payer
from paritrana.contributions.paycode import grouped, payment_code
from paritrana.contributions.periods import parse_month
from paritrana.contributions.scopes import can_handle_payments, visible_bills, visible_payers, visible_payments
from paritrana.contributions.services import manual, payments
from paritrana.core.errors import ValidationFailed
from paritrana.web import access
from paritrana.web.access import Role
from paritrana.web.domain_text import translate_message
from paritrana.web.listing import Column, ListSpec, SearchField, list_page, render_list
from paritrana.web.money_input import RupiahField
from paritrana.web.views.common import form_error, page_of, valid_with_file

# Roles that have payers in scope: the bills list and the arrears are theirs (each sees its own scope).
BILL_ROLES = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.REGIONAL_OFFICER, Role.EMPLOYER_HR, Role.WORKER})
ARREARS_ROLES = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.REGIONAL_OFFICER, Role.EMPLOYER_HR})
MAX_RUPIAH = 10**13

STATUS_CHOICES = [
    ("", gettext_lazy("any")),
    ("open", gettext_lazy("open")),
    ("overdue", gettext_lazy("overdue")),
    ("paid", gettext_lazy("paid")),
]


class BillFilterForm(forms.Form):
    payer = forms.IntegerField(label=gettext_lazy("payer number"), required=False, min_value=1, max_value=2**63 - 1)
    month = forms.CharField(
        label=gettext_lazy("month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    status = forms.ChoiceField(label=gettext_lazy("status"), required=False, choices=STATUS_CHOICES)

    def clean_month(self) -> dt.date | None:
        text = self.cleaned_data.get("month") or ""
        if not text:
            return None
        try:
            return parse_month(text, "month")
        except ValidationFailed as err:
            raise forms.ValidationError(translate_message(err.reason)) from None


class PaymentForm(forms.Form):
    """A manual payment (cash at a branch, a transfer without code): it waits for a second officer."""

    amount = RupiahField(label=gettext_lazy("amount, rupiah"), min_value=1, max_value=MAX_RUPIAH)
    paid_on = forms.DateField(
        label=gettext_lazy("paid on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=gettext_lazy("reference"),
        max_length=60,
        help_text=gettext_lazy("the receipt's or the transfer's reference; each is posted once"),
    )
    evidence = forms.FileField(
        label=gettext_lazy("evidence"),
        help_text=gettext_lazy("the receipt or transfer slip: a PDF, JPEG or PNG file"),
        max_length=255,
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)


BILL_LIST = ListSpec(
    columns=(
        Column("month", gettext_lazy("month"), ("period",)),
        Column("payer", gettext_lazy("payer"), ("payer_label",), text=True),
        Column("due", gettext_lazy("due date"), ("due_date",)),
        Column("amount", gettext_lazy("amount"), ("amount",)),
        Column("outstanding", gettext_lazy("outstanding"), ("owed",)),
    ),
    default_sort="-month",
    search=(
        SearchField("payer__employer__name"),
        SearchField("payer__sponsor__name"),
        SearchField("payer__worker__name"),
        SearchField("payer__employer__registration_number", "prefix"),
        SearchField("payer__worker__nik", "prefix"),
        SearchField("pk", "exact"),
    ),
    tiebreak=("payer__kind", "payer_id", "kind", "pk"),
)

LINE_LIST = ListSpec(
    columns=(
        Column("worker", gettext_lazy("worker"), ("worker__name",), text=True),
        Column("programme", gettext_lazy("programme"), ("programme", "worker__name")),
        Column("amount", gettext_lazy("amount"), ("amount",)),
    ),
    default_sort="worker",
    search=(SearchField("worker__nik", "prefix"), SearchField("worker__name")),
)


def filtered_bills(user: Any, form: BillFilterForm) -> Any:
    """The bills in scope the filters keep (none when a filter is wrong), with the payer's name and the amount
    owed to sort by."""
    qs: Any = documents.bill_queryset(user).annotate(
        payer_label=Coalesce("payer__employer__name", "payer__sponsor__name", "payer__worker__name"),
        owed=F("amount") - F("paid"),
    )
    if not form.is_valid():
        return qs.none()
    data = form.cleaned_data
    if data.get("payer"):
        qs = qs.filter(payer_id=data["payer"])
    if data.get("month"):
        qs = qs.filter(period=data["month"])
    if data.get("status"):
        qs = qs.with_status(data["status"], timezone.localdate())
    return qs


@login_required
def bill_list(request: HttpRequest) -> HttpResponse:
    access.require_role(request, BILL_ROLES)
    form = BillFilterForm(request.GET or {})
    listing = list_page(request, filtered_bills(request.user, form), BILL_LIST)
    return render_list(
        request, listing, "web/bills.html", "web/partials/bill_results.html", form=form, today=timezone.localdate()
    )


def calculator_link(line: BillLine, payer: Payer) -> str:
    """The calculator page of the line's rule, under the law the line used, with the inputs the line knows."""
    url = reverse("web:calculator_rule", args=[line.rule])
    params: dict[str, Any] = {"date": line.law_date.isoformat()}
    if line.rule == "pu_contributions" and payer.employer is not None:
        params.update(wage=line.wage, risk_group=payer.employer.risk_group)
    elif line.rule == "bpu_contributions":
        params.update(declared_income=line.wage, paid_from=paid_from(payer.sponsor.kind if payer.sponsor else None))
        if line.programme == "JHT":
            params.update(with_jht="true")
    else:
        return url
    return f"{url}?{urlencode(params)}"


def _payment_form(request: HttpRequest, payer: Payer, next_url: str) -> PaymentForm | None:
    if not can_handle_payments(request.user, payer):
        return None
    return PaymentForm(initial={"paid_on": timezone.localdate(), "next": next_url})


def _bill_page(request: HttpRequest, pk: int, payment_form: PaymentForm | None) -> HttpResponse:
    """A bill's page: its summary per programme and how to pay on top, then its lines a page at a time
    (searchable by the worker's NIK or name)."""
    doc = documents.bill_document(request.user, pk, with_lines=False)
    if payment_form is None:
        payment_form = _payment_form(request, doc.payer, reverse("web:bill", args=[pk]))
    listing = list_page(request, documents.bill_lines(doc.bill), LINE_LIST)
    rows = [{"line": line, "calculator": calculator_link(line, doc.payer)} for line in listing.page.object_list]
    return render_list(
        request,
        listing,
        "web/bill.html",
        "web/partials/bill_lines.html",
        doc=doc,
        bill=doc.bill,
        rows=rows,
        overdue=doc.is_overdue(),
        payment_code=grouped(payment_code(doc.payer.pk)),
        payment_form=payment_form,
    )


@login_required
def bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _bill_page(request, pk, None)


@login_required
def bill_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pdf = documents.bill_pdf(request.user, pk, request.GET.get("lang", ""))
    except ValidationFailed as err:
        return HttpResponseBadRequest(translate_message(err.reason))
    return pdf.response()


def pdf_response(pdf: documents.Pdf) -> HttpResponse:
    """Kept for the pages that import it (claims, accounts): the PDF's own answer."""
    return pdf.response()


def _payer_or_404(request: HttpRequest, pk: int) -> Payer:
    payer = visible_payers(request.user).filter(pk=pk).first()
    if payer is None:
        raise access.not_found()
    return payer


def _payer_page(request: HttpRequest, payer: Payer, form: PaymentForm | None) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    bills = visible_bills(user).filter(payer=payer).order_by("-period", "kind", "pk")
    arrears = payments.arrears(user, payer.pk, today)
    context = {
        "payer": payer,
        "payer_name": documents.payer_name(payer),
        "payer_identifier": documents.payer_identifier(payer),
        "bills": page_of(request, bills),
        "open_total": bills.filter(paid__lt=F("amount")).aggregate(total=Sum(F("amount") - F("paid")))["total"] or 0,
        "payments": visible_payments(user).filter(payer=payer).prefetch_related("allocations__bill")[:50],
        "arrears": arrears,
        "arrears_total": sum(a.outstanding for a in arrears),
        "penalty_total": sum(a.penalty_if_paid_on for a in arrears),
        "payment_form": form,
        "payment_code": grouped(payment_code(payer.pk)),
        "pending": manual.pending_for(user).filter(payer=payer) if can_handle_payments(user, payer) else [],
        "today": today,
    }
    return render(request, "web/bill_payer.html", context)


@login_required
def payer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payer = _payer_or_404(request, pk)
    return _payer_page(request, payer, _payment_form(request, payer, ""))


@login_required
@require_POST
def record_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer's manual payment entry; a payer (or any other role that sees the payer) is refused (403)."""
    payer = _payer_or_404(request, pk)
    if not can_handle_payments(request.user, payer):
        raise PermissionDenied
    form = PaymentForm(request.POST, request.FILES)
    too_large = _("the file is larger than %(mb)s MB") % {"mb": manual.MAX_EVIDENCE_BYTES >> 20}
    upload = valid_with_file(form, "evidence", manual.MAX_EVIDENCE_BYTES, too_large)
    if upload is not None:
        data = form.cleaned_data
        evidence = manual.Evidence(upload.name or "evidence", upload.read())
        try:
            entry = manual.enter_manual(
                request.user, payer.pk, data["amount"], data["paid_on"], data["reference"], evidence
            )
        except ValidationFailed as err:
            form_error(form, err)
        else:
            messages.success(
                request,
                _("Payment %(reference)s of %(amount)s is entered; it takes effect when another officer confirms it.")
                % {"reference": entry.reference, "amount": documents.rupiah(entry.amount)},
            )
            target = data.get("next") or ""
            if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                return redirect(target)
            return redirect("web:payer", pk=payer.pk)
    next_url = form.data.get("next", "")
    if next_url.startswith("/bills/"):
        # shown again on the bill it was sent from, with the errors next to the fields
        try:
            bill_pk = int(next_url.strip("/").split("/")[1])
        except (ValueError, IndexError):
            bill_pk = 0
        if visible_bills(request.user).filter(pk=bill_pk, payer=payer).exists():
            return _bill_page(request, bill_pk, form)
    return _payer_page(request, payer, form)


@login_required
def arrears_list(request: HttpRequest) -> HttpResponse:
    """Payers in scope with bills past their due date and not fully paid, the largest amount first."""
    access.require_role(request, ARREARS_ROLES)
    today = timezone.localdate()
    payers = documents.payers_in_arrears(request.user, today)
    return render(request, "web/arrears.html", {"page": page_of(request, payers), "today": today})


def home_links(user: Any) -> list[dict[str, str]]:
    """The contributions links of the home page for the user's role (each within its scope)."""
    role = access.role_of(user)
    links: list[dict[str, str]] = []
    if role == Role.EMPLOYER_HR:
        links.append({"id": "bills", "url": reverse("web:bills"), "label": _("Your company's bills")})
        payer = visible_payers(user).first()
        if payer is not None:
            links.append({"id": "payer", "url": reverse("web:payer", args=[payer.pk]), "label": _("Pay a bill")})
    elif role == Role.WORKER:
        if visible_payers(user).exists():
            links.append(
                {"id": "bills", "url": reverse("web:bills"), "label": _("Your bills (you pay your own contributions)")}
            )
    elif role == Role.REGIONAL_OFFICER:
        links.append({"id": "bills", "url": reverse("web:bills"), "label": _("Bills of your region's programmes")})
    elif role in (Role.ADMIN, Role.BRANCH_OFFICER):
        links.append({"id": "bills", "url": reverse("web:bills"), "label": _("Bills")})
    if role in ARREARS_ROLES:
        links.append({"id": "arrears", "url": reverse("web:arrears"), "label": _("Arrears")})
    if role in (Role.WORKER, Role.HEIR):
        profile = access.profile_of(user)
        if profile is not None and profile.worker_id is not None:
            label = _("Your JHT account statement") if role == Role.WORKER else _("The JHT account statement")
            links.append({"id": "statement", "url": reverse("web:statement", args=[profile.worker_id]), "label": label})
    return links
