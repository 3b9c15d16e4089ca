"""The award committee's panel and nominations pages: seat or unseat an assessor, nominate (invite) a company of
the round's province; a company's HR enters its own company. The services decide who may (``award.services.
panels``): their refusals by role rise (a round out of sight 404, one seen but not managed 403, mapped in one
place as for every page); bad input is shown on the round page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from paritrana.accounts.scopes import AnyUser
from paritrana.award.models import Round
from paritrana.award.services import panels
from paritrana.core.errors import ValidationFailed

T = TypeVar("T")


def _refused(request: HttpRequest, err: ValidationFailed) -> None:
    messages.error(request, str(err))


def _on_round(request: HttpRequest, pk: int, change: Callable[[], T], done: Callable[[T], str]) -> HttpResponse:
    """Make the committee's ``change`` to round ``pk``, say ``done`` of its result (or the refusal), and go back
    to the round's page."""
    try:
        messages.success(request, done(change()))
    except ValidationFailed as err:
        _refused(request, err)
    return redirect("web:award_round", pk=pk)


def _panel_view(change: Callable[[AnyUser, int, object], Round], done: str) -> Callable[..., HttpResponse]:
    """The page action seating or unseating the assessor named in the form (``change``), saying ``done``."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        username = request.POST.get("username")
        return _on_round(request, pk, lambda: change(request.user, pk, username), lambda _round: _(done))

    return view


seat = _panel_view(panels.seat_assessor, gettext_noop("The assessor is seated on the panel."))
unseat = _panel_view(panels.unseat_assessor, gettext_noop("The assessor has left the panel."))


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    number = request.POST.get("registration_number")
    return _on_round(request, pk, lambda: panels.nominate(request.user, pk, number),
                     lambda c: _("%(name)s is a candidate of the round.") % {"name": c.name})  # fmt: skip


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
