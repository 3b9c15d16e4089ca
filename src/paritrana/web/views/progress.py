"""The progress of a long step, for the page that waits on it (decision 0037): ``GET /progress/<token>/`` answers
the record as JSON to the person who started the step, 404 to anyone else; ``reports_progress`` makes a view's
work report to the record whose token its form sent (``progress_token``; the upload forms' script chooses it)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from paritrana.core import progress_store

FIELD = "progress_token"


@require_GET
def progress(request: HttpRequest, token: str) -> HttpResponse:
    shown = progress_store.shown(request.user, token)
    if shown is None:
        raise Http404
    response = JsonResponse(shown)
    response["Cache-Control"] = "no-store"
    return response


def reports_progress(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view's work (a file read, checked, stored) reported to the record of the posted ``progress_token``."""

    @wraps(view)
    def reporting(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get(FIELD) if request.method == "POST" else None
        if not token:
            return view(request, *args, **kwargs)
        with progress_store.reported(request.user, token):
            return view(request, *args, **kwargs)

    return reporting
