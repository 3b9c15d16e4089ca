"""Bahasa Indonesia unless the visitor chose otherwise with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a browser set to
English would open the site in English. The product speaks Bahasa Indonesia by default and English
on a switch (the switch sets the language cookie, which LocaleMiddleware still reads). Place this
middleware just before ``django.middleware.locale.LocaleMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IndonesianByDefault:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
