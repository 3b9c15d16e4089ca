"""A per-address limit on a public page (the calculator, open without a log-in as the footer promises): the count
is ``accounts.rate_limits`` (in the database, shared by every server process); beyond the limit, a 429 page in
the user's language says when to try again. A signed-in user is not counted (its requests are its own, and
accountable).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from paritrana.accounts import rate_limits
from paritrana.web.errors import error_page


def public_rate_limited(scope: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A public view, limited per address for the anonymous."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                try:
                    rate_limits.check(scope, request.META.get("REMOTE_ADDR", ""))
                except rate_limits.TooManyRequests as over:
                    response = error_page(request, 429, over.message())
                    response["Retry-After"] = str(over.wait)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
