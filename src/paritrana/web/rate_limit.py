"""A per-address limit on a public page (the calculator, open without a log-in as the footer promises): each
address may ask ``PARITRANA_PUBLIC_PER_MINUTE`` times a minute; beyond, a 429 page in the user's language says
when to try again. Counted in Django's cache (a fixed one-minute window per address); a signed-in user is not
counted (its requests are its own, and accountable).

The cache is the process's own unless CACHES names a shared one: with several server processes each counts apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy

from paritrana.web.errors import error_page

TOO_MANY = gettext_lazy("Too many requests from your address: please wait %(seconds)s seconds and try again.")


def per_minute() -> int:
    return int(getattr(settings, "PARITRANA_PUBLIC_PER_MINUTE", 30))


def over_limit(request: HttpRequest, scope: str) -> int | None:
    """Count this request of its address; the seconds to wait when over the limit, else None."""
    window = int(time.time() // 60)
    key = f"rate:{scope}:{request.META.get('REMOTE_ADDR', '')}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request starts a new count
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= per_minute():
        return None
    return 60 - int(time.time()) % 60


def public_rate_limited(scope: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A public view, limited per address for the anonymous."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                wait = over_limit(request, scope)
                if wait is not None:
                    response = error_page(request, 429, gettext(str(TOO_MANY)) % {"seconds": wait})
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
