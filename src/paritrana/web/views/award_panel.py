"""The award committee's panel and nominations pages: seat or unseat an assessor, nominate (invite) a company of
the round's province; a company's HR enters its own company. The services decide who may (``award.services.
panels``): their refusals by role rise (a round out of sight 404, one seen but not managed 403, mapped in one
place as for every page); bad input is shown on the round page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paritrana.award.services import panels
from paritrana.core.errors import ValidationFailed


def _refused(request: HttpRequest, err: ValidationFailed) -> None:
    messages.error(request, str(err))


@login_required
@require_POST
def seat(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        panels.seat_assessor(request.user, pk, request.POST.get("username"))
        messages.success(request, _("The assessor is seated on the panel."))
    except ValidationFailed as err:
        _refused(request, err)
    return redirect("web:award_round", pk=pk)


@login_required
@require_POST
def unseat(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        panels.unseat_assessor(request.user, pk, request.POST.get("username"))
        messages.success(request, _("The assessor has left the panel."))
    except ValidationFailed as err:
        _refused(request, err)
    return redirect("web:award_round", pk=pk)


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        candidate = panels.nominate(request.user, pk, request.POST.get("registration_number"))
        messages.success(request, _("%(name)s is a candidate of the round.") % {"name": candidate.name})
    except ValidationFailed as err:
        _refused(request, err)
    return redirect("web:award_round", pk=pk)


@login_required
@require_POST
def self_nominate(request: HttpRequest) -> HttpResponse:
    try:
        candidate = panels.self_nominate(request.user)
    except ValidationFailed as err:
        _refused(request, err)
        return redirect("web:award")
    messages.success(request, _("Your company is a candidate of the round."))
    return redirect("web:award_candidate", pk=candidate.pk)
