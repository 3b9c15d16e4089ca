"""Bahasa Indonesia unless the visitor chose otherwise with the language switch; the Content-Security-Policy.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a browser set to
English would open the site in English. The pages speak Bahasa Indonesia by default and English
on a switch (the switch sets the language cookie, which LocaleMiddleware still reads). The API answers a
program, which has no switch: there the caller's ``Accept-Language`` is followed (the cookie first, as for
the pages; a language the site does not speak, or none, is Bahasa Indonesia). Place this middleware just
before ``django.middleware.locale.LocaleMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"  # paritrana.site.urls


class IndonesianByDefault:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# Scripts, styles, images, fonts and requests from this site only: no inline script, no event handler attribute,
# no CDN. Styles allow 'unsafe-inline' (the coverage map's tile positions, HTMX's indicator style); images allow
# data: URLs (the API docs' icons). Decision 0010.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicy:
    """Send the policy on every response (pages, API, admin, static files) that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
