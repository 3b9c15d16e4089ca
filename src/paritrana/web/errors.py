"""Domain errors as page answers, in one place (as ``api/errors.py`` does for the API; decision 0019).

A view calls a use case and lets its ``NotAllowed`` / ``NotFound`` / ``ValidationFailed`` rise: the
``DomainErrors`` middleware answers 403 / 404 / 400 with the error page in the user's language. A view that
shows a refusal inside its own form (a field error, a form that stays filled in) still catches it there.
Django's own ``PermissionDenied`` and ``Http404`` get the same page through ``forbidden`` and ``not_found``,
the site's error handlers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_lazy

from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.core.messages import translate_message

TITLES = {
    400: gettext_lazy("Invalid input"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    429: gettext_lazy("Too many requests"),
}
NOT_FOUND = gettext_lazy("Not found, or not yours to see.")
FORBIDDEN = gettext_lazy("Your role does not allow this page.")


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """The error page: its title by status, the message (already in the user's language) under it."""
    html = render_to_string("web/error.html", {"title": TITLES[status], "message": message}, request=request)
    return HttpResponse(html, status=status)


def answer(request: HttpRequest, error: Exception) -> HttpResponse | None:
    """The page answer to a domain error; ``None`` for anything else (Django answers it)."""
    if isinstance(error, NotFound):
        # the same answer whether the record is missing or out of scope, so a page does not reveal which
        return error_page(request, 404, str(NOT_FOUND))
    if isinstance(error, NotAllowed):
        return error_page(request, 403, translate_message(str(error)))
    if isinstance(error, ValidationFailed):
        reason = translate_message(error.reason)
        return error_page(request, 400, gettext("%(field)s: %(reason)s") % {"field": error.field, "reason": reason})
    return None


class DomainErrors:
    """Middleware: a domain error a view let rise becomes its page answer (place it after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return answer(request, exception)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``: Django's ``PermissionDenied`` (a role check in a view) as the same page."""
    return error_page(request, 403, str(FORBIDDEN))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: Django's ``Http404`` as the same page, never saying whether the record exists."""
    return error_page(request, 404, str(NOT_FOUND))
