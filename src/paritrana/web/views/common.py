"""What the pages share: paging, and turning a domain error into a form error that names the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from paritrana.core.uploads import upload_problem
from paritrana.web.domain_text import translate_message

PAGE_SIZE = 50
# a month field as people type it and phones offer it ("2026-03")
MONTH_INPUT = {"type": "month", "placeholder": "YYYY-MM", "pattern": r"[0-9]{4}-[0-9]{2}"}


def page_of(request: HttpRequest, qs: QuerySet[Any]) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (it then wants a fragment, not a whole page)."""
    return bool(getattr(request, "htmx", False))


def form_error(form: forms.Form, err: Exception) -> None:
    """Show a domain error next to the field it names (or above the form)."""
    field = getattr(err, "field", None)
    reason = getattr(err, "reason", None) or str(err)
    name = field if isinstance(field, str) and field in form.fields else None
    form.add_error(name, translate_message(reason))


def checked_upload(uploaded: Any) -> Any:
    """A form's uploaded file, refused (a form error naming it) when too large or its name too long."""
    problem = upload_problem(uploaded)
    if problem is not None:
        raise forms.ValidationError(problem)
    return uploaded


def valid_with_file(form: forms.Form, field: str, max_bytes: int, too_large: str) -> Any:
    """The form's uploaded ``field`` when the form is valid and the file within ``max_bytes``; else None, with
    ``too_large`` shown next to the field for a file over the limit."""
    if not form.is_valid():
        return None
    upload = form.cleaned_data[field]
    if upload.size > max_bytes:
        form.add_error(field, too_large)
        return None
    return upload


def writer(request: HttpRequest, may_write: Any) -> Any:
    """The signed-in user when ``may_write(user)`` holds; PermissionDenied (403) otherwise."""
    if not may_write(request.user):
        raise PermissionDenied
    return request.user
