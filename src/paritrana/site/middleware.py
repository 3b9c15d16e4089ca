"""An upload Django cannot parse (a part's heading above 1,024 bytes: a file name of thousands of characters)
answered with a clear 400 in the user's language, JSON under ``/api/``, before the CSRF check reads the form."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from paritrana.core.uploads import unreadable_upload_message


class UnreadableUploads:
    """Place it after ``LocaleMiddleware`` and before ``CsrfViewMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 - parses the form and its files now
            except MultiPartParserError:
                message = unreadable_upload_message()
                if request.path.startswith("/api/"):
                    detail = [{"loc": ["body", "file"], "msg": message, "type": "value_error"}]
                    return JsonResponse({"detail": detail}, status=400)
                return render(request, "web/upload_refused.html", {"message": message}, status=400)
        return self.get_response(request)
