"""Claims: the list of the claims a user sees, filing a claim of one type (its rule's fields, the bank account,
a file per document of the checklist, the children of a scholarship), a claim with its assessment and its
explanation (every input with its source, every output, every parameter with its legal reference), its
documents, steps, payments and instalments, the officers' actions, the decision letter, and the claims report.

Who sees and does what is the use cases' answer (``claims.scopes``, ``claims.services.claims``): a claim out of
scope is 404, like one that does not exist; a role that sees a claim but may not act on it gets 403 (the use
cases' errors rise to ``web/errors.py``).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.claims import letters, workflow
from paritrana.claims.models import Claim, ClaimDocument, Instalment, Status
from paritrana.claims.scopes import can_file, can_process
from paritrana.claims.services import claims as svc
from paritrana.claims.types import HEIR, TYPES, WORKER, ClaimType
from paritrana.core.errors import NotFound, ValidationFailed
from paritrana.registry.models import Membership
from paritrana.web import access, held_uploads
from paritrana.web.access import Role
from paritrana.web.claim_action_forms import DocumentForm, RejectForm, StopForm, VerifyForm
from paritrana.web.claim_forms import ClaimFilterForm, ClaimForm
from paritrana.web.domain_text import translate_message
from paritrana.web.listing import Column, ListSpec, list_page, render_list
from paritrana.web.views.bills import pdf_response
from paritrana.web.views.claim_explanation import checklist, correction_steps, explanation, shown_steps

# the roles with claims: administrators and branch officers (their scope), workers (their own), heirs (what they filed)
CLAIM_ROLES = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.WORKER, Role.HEIR})
REPORT_ROLES = frozenset({Role.ADMIN, Role.BRANCH_OFFICER})
PARTICIPANTS_LISTED = 500


def filable_types(user: Any) -> list[ClaimType]:
    """The claim types the user may file: officers any; a worker its own, an heir those filed by the heirs, each
    only for a programme the worker is or was a member of (a non-wage earner without JHT is offered no JHT)."""
    if not can_file(user):
        return []
    role = access.role_of(user)
    if role not in (Role.WORKER, Role.HEIR):
        return list(TYPES.values())
    # a worker (an heir: of its deceased worker) is offered a type only where it is (was) a member of its programme
    filer = WORKER if role == Role.WORKER else HEIR
    held = set(Membership.objects.filter(worker__in=access.visible_workers(user)).values_list("programme", flat=True))
    return [t for t in TYPES.values() if filer in t.filers and t.programme in held]


def nav_links(user: Any) -> list[dict[str, str]]:
    """The claims links of the main navigation for the user's role."""
    role = access.role_of(user)
    links: list[dict[str, str]] = []
    if role in CLAIM_ROLES:
        links.append({"id": "claims", "url": reverse("web:claims"), "label": _("Claims")})
    if role in REPORT_ROLES:
        links.append({"id": "claims-report", "url": reverse("web:claims_report"), "label": _("Claims report")})
    return links


def home_links(user: Any) -> list[dict[str, str]]:
    """The claims links of the home page."""
    role = access.role_of(user)
    links: list[dict[str, str]] = []
    if role in CLAIM_ROLES:
        label = _("Your claims") if role in (Role.WORKER, Role.HEIR) else _("Claims")
        links.append({"id": "claims", "url": reverse("web:claims"), "label": label})
    if filable_types(user):
        links.append({"id": "new-claim", "url": reverse("web:new_claim"), "label": _("File a claim")})
    return links


def type_title(code: str) -> str:
    ctype = TYPES.get(code)
    return str(ctype.title) if ctype else code


# --- the list ------------------------------------------------------------------------------------


CLAIM_NUMBER = re.compile(r"(?i)kl-?0*(\d{1,9})")


def search_claims(claims: QuerySet[Claim], text: str) -> QuerySet[Claim]:
    """The claims whose number (``KL-0000012``), participant's NIK (or its first digits) or name matches."""
    text = " ".join(text.split())
    if not text:
        return claims
    number = CLAIM_NUMBER.fullmatch(text)
    if number:
        return claims.filter(pk=int(number.group(1)))
    if text.isdigit():
        by_number = Q(pk=int(text)) if len(text) <= 9 else Q()
        return claims.filter(Q(worker__nik__startswith=text) | by_number)
    return claims.filter(worker__name__icontains=text)


def _with_sort_keys(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims with what their type and status columns sort by: the type's title in the reader's language (as
    the column shows it, not its code) and the status's step in the workflow (submitted, verified, approved,
    paid, rejected)."""
    titles = [When(claim_type=code, then=Value(str(ctype.title))) for code, ctype in TYPES.items()]
    steps = [When(status=status.value, then=Value(step)) for step, status in enumerate(Status)]
    return claims.annotate(
        type_title=Case(*titles, default=F("claim_type"), output_field=CharField()),
        status_step=Case(*steps, default=Value(len(steps)), output_field=IntegerField()),
    )


CLAIM_LIST = ListSpec(
    columns=(
        Column("number", gettext_lazy("number"), ("pk",)),
        Column("type", gettext_lazy("claim type"), ("type_title",), text=True),
        Column("name", gettext_lazy("participant"), ("worker__name",), text=True),
        Column("status", gettext_lazy("status"), ("status_step",)),
        Column("submitted", gettext_lazy("submitted"), ("submitted_on", "submitted_at")),
    ),
    default_sort="-submitted",
    search_with=search_claims,
)


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    access.require_role(request, CLAIM_ROLES)
    form = ClaimFilterForm(request.GET or {})
    claims = svc.claims_for(request.user)
    if form.is_valid():
        if form.cleaned_data.get("status"):
            claims = claims.filter(status=form.cleaned_data["status"])
        if form.cleaned_data.get("type"):
            claims = claims.filter(claim_type=form.cleaned_data["type"])
    else:
        claims = claims.none()
    listing = list_page(request, _with_sort_keys(claims), CLAIM_LIST)
    rows = [{"claim": c, "title": type_title(c.claim_type)} for c in listing.page.object_list]
    return render_list(
        request,
        listing,
        "web/claims_list.html",
        "web/partials/claim_results.html",
        form=form,
        rows=rows,
        can_file=bool(filable_types(request.user)),
    )


# --- filing --------------------------------------------------------------------------------------


def _claim_form(request: HttpRequest, ctype: ClaimType, bound: bool) -> ClaimForm:
    officer = can_process(request.user)
    if bound:
        kept = held_uploads.held(request, ctype.code)
        return ClaimForm(ctype, request.POST, request.FILES, choose_worker=officer, officer=officer, held=kept)
    held_uploads.release(request, ctype.code)  # a fresh form starts with no file
    initial: dict[str, Any] = {}
    worker_pk = request.GET.get("worker", "")
    if officer and worker_pk.isdigit():
        nik = access.visible_workers(request.user).filter(pk=int(worker_pk)).values_list("nik", flat=True).first()
        if nik:
            initial["worker"] = nik
    return ClaimForm(ctype, choose_worker=officer, officer=officer, initial=initial)


def _form_page(request: HttpRequest, ctype: ClaimType, form: ClaimForm) -> HttpResponse:
    participants: list[Any] = []
    if "worker" in form.fields:
        participants = list(
            access.visible_workers(request.user).order_by("name").values("nik", "name")[:PARTICIPANTS_LISTED]
        )
    role = access.role_of(request.user)
    context = {
        "ctype": ctype,
        "form": form,
        "participants": participants,
        "own_worker": access.visible_workers(request.user).first() if role in (Role.WORKER, Role.HEIR) else None,
        "documents": [
            {"field": form[name], "doc": doc, "held": form.held.get(name)}
            for name, doc in zip(form.document_fields, ctype.documents, strict=True)
        ],
        "facts": [form[name] for name in form.fact_fields],
        "children": [[form[name] for name in row] for row in form.child_rows],
        "child_headers": [form.fields[name].label for name in form.child_rows[0]] if form.child_rows else [],
    }
    return render(request, "web/claims_new.html", context)


@login_required
def new_claim(request: HttpRequest) -> HttpResponse:
    """Without ``?type=``: the types the user may file. With it: the form of that type, and its submission."""
    user = request.user
    types = filable_types(user)
    if not types:
        raise PermissionDenied
    code = request.GET.get("type", "")
    if not code:
        return render(request, "web/claims_choose.html", {"types": types})
    ctype = TYPES.get(code)
    if ctype is None:
        raise Http404(code)
    if ctype not in types:
        raise PermissionDenied
    if request.method != "POST":
        return _form_page(request, ctype, _claim_form(request, ctype, bound=False))
    form = _claim_form(request, ctype, bound=True)
    valid = form.is_valid()
    for name in form.document_fields:  # each file sent is kept once, whatever the outcome of this attempt
        if form.cleaned_data.get(name):
            form.held[name] = held_uploads.hold(request, ctype.code, name, form.cleaned_data[name])
    if not valid:
        return _form_page(request, ctype, form)
    worker_id = None
    if "worker" in form.fields:
        nik = form.worker_nik()
        worker_id = access.visible_workers(user).filter(nik=nik).values_list("pk", flat=True).first()
        if worker_id is None:
            form.add_error("worker", _("no participant with NIK %(nik)s in your scope") % {"nik": nik})
            return _form_page(request, ctype, form)
    uploads, _fields = form.uploads()
    try:
        claim = svc.submit(
            user,
            ctype.code,
            form.inputs(),
            uploads,
            worker_id=worker_id,
            bank_account=form.cleaned_data["bank_account"],
            children=form.children(),
            received_on=form.cleaned_data.get("received_on"),
        )
    except NotFound as err:  # the participant: shown next to its field (anything else refused is a 403)
        form.show_error("worker", str(err))
        return _form_page(request, ctype, form)
    except ValidationFailed as err:
        refused = form.field_for(err.field)
        if refused in form.held:  # a file the use case refuses is not kept: it is chosen again
            held_uploads.forget(request, ctype.code, refused)
            del form.held[refused]
        form.show_error(err.field, err.reason)
        return _form_page(request, ctype, form)
    held_uploads.release(request, ctype.code)
    messages.success(request, _("Claim %(number)s is submitted.") % {"number": claim.number})
    return redirect("web:claim", pk=claim.pk)


# --- a claim -------------------------------------------------------------------------------------


def scheduled_children(claim: Claim) -> list[tuple[int, str]]:
    return sorted(
        {
            (i.child_order, i.child_name)
            for i in claim.instalments.all()
            if i.child_order is not None and i.state == Instalment.State.SCHEDULED
        }
    )


def _detail(request: HttpRequest, claim: Claim) -> HttpResponse:
    user = request.user
    ctype = TYPES[claim.claim_type]
    processor = can_process(user)
    scheduled = claim.instalments.filter(state=Instalment.State.SCHEDULED).exists()
    state = svc.state_of(user, claim, has_scheduled=scheduled)
    allowed = workflow.allowed(state)
    held_back = workflow.held_back(state)  # an officer who may not take the next step is told why
    explained = explanation(claim)
    entered = timezone.localtime(claim.submitted_at).date()
    context: dict[str, Any] = {
        "claim": claim,
        # a claim received on paper: its date is the day received, the steps say when it was entered
        "entered_later": entered if entered != claim.submitted_on else None,
        "ctype": ctype,
        "filer": claim.filed_by.get_username() if claim.filed_by else "",
        "filed_as": str(Role(claim.filed_as).label) if claim.filed_as in Role.values else claim.filed_as,
        "explained": explained,
        "checklist": checklist(claim),
        "missing": svc.missing_documents(claim),
        "steps": shown_steps(claim),
        "payments": claim.payments.all(),
        "instalments": claim.instalments.all(),
        "awaiting_second": svc.awaiting_second_approval(claim),
        "second_approver_needed": claim.needs_second_approval,
        "threshold": claim.approval_threshold,
        "corrections": correction_steps(claim),
        "processor": processor,
        "decided": claim.status in workflow.CLOSED,
        "can_verify": workflow.Action.VERIFY in allowed,
        "can_approve": workflow.Action.APPROVE in allowed,
        "can_pay": workflow.Action.PAY in allowed,
        "can_reject": workflow.Action.REJECT in allowed,
        "can_add_document": workflow.Action.ADD_DOCUMENT in allowed and (processor or can_file(user)),
        "can_stop": workflow.Action.STOP in allowed,
        "held_back": held_back.message if held_back is not None else "",
    }
    if context["can_verify"]:
        current = {i["name"]: i["value"] for i in explained["inputs"]}
        context["verify_form"] = VerifyForm(claim.rule, current)
    if context["can_reject"]:
        context["reject_form"] = RejectForm()
    if context["can_add_document"]:
        context["document_form"] = DocumentForm(ctype)
    if context["can_stop"]:
        context["stop_form"] = StopForm(scheduled_children(claim))
    return render(request, "web/claims_detail.html", context)


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, svc.get_claim(request.user, pk))


@login_required
def claim_document(request: HttpRequest, pk: int, doc_id: int) -> HttpResponse:
    """A document of a claim, to whoever sees the claim; always a download (never shown inline)."""
    claim = svc.get_claim(request.user, pk)
    doc = ClaimDocument.objects.filter(claim=claim, pk=doc_id).first()
    if doc is None:
        raise access.not_found()
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", doc.file_name).strip("._") or f"document-{doc.pk}"
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def claim_letter(request: HttpRequest, pk: int) -> HttpResponse:
    svc.get_claim(request.user, pk)
    try:
        pdf = letters.letter_pdf(request.user, pk, request.GET.get("lang") or None)
    except ValidationFailed as err:  # not decided yet: no letter
        return HttpResponseBadRequest(translate_message(err.reason))
    return pdf_response(pdf)
