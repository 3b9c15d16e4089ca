"""One way every list page searches, sorts and pages (decision 0031).

A list declares what may be searched (``SearchField``) and which columns sort it (``Column``) in a ``ListSpec``;
``list_page`` applies both to a queryset that is already limited to the user's scope, so a search narrows
that scope and never widens it. The query string is kept on every link (sort headers, pager), so a sort keeps
the search and a page keeps both; an unknown sort key falls back to the list's default instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paritrana.web.views.common import is_htmx

PAGE_SIZE = 50
MAX_QUERY = 60  # longer than any name or NIK; a longer query is cut, not refused
MAX_EXACT = 2**63 - 1  # an exact number beyond the database's integer range matches nothing


@dataclass(frozen=True)
class SearchField:
    """A field the list's search box looks in.

    ``match`` is how: "contains" (any case, e.g. a name), "prefix" (any case, e.g. a NIK or a registration
    number typed from its start) or "exact" (a whole number such as a bill number, only when the query is one).
    """

    lookup: str
    match: str = "contains"

    def condition(self, query: str) -> Q | None:
        if self.match == "exact":
            if not query.isdigit() or int(query) > MAX_EXACT:
                return None
            return Q(**{self.lookup: int(query)})
        suffix = "istartswith" if self.match == "prefix" else "icontains"
        return Q(**{f"{self.lookup}__{suffix}": query})


@dataclass(frozen=True)
class Column:
    """A column the list may be sorted by: the key in the query string, its header and the fields it orders
    (a field with "-" in front goes the other way). ``text`` columns sort in any case ("PT B" after "Pr A"),
    as people read names, on SQLite and PostgreSQL alike."""

    key: str
    label: Any
    order: tuple[str, ...]
    text: bool = False


@dataclass(frozen=True)
class ListSpec:
    columns: tuple[Column, ...]
    default_sort: str  # a column key, with "-" in front for descending
    search: tuple[SearchField, ...] = ()
    tiebreak: tuple[str, ...] = ("pk",)  # a stable order, so a row never shows on two pages
    # a list whose search is not a set of fields (the claims': a claim number, a NIK's first digits or a name)
    search_with: Callable[[QuerySet[Any], str], QuerySet[Any]] | None = None

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def search_condition(self, query: str) -> Q | None:
        if not query:
            return None
        conditions = [c for c in (f.condition(query) for f in self.search) if c is not None]
        if not conditions:
            return Q(pk__in=[])  # a query no field can match (a name typed where only numbers are searched)
        combined = conditions[0]
        for condition in conditions[1:]:
            combined |= condition
        return combined

    def sort_of(self, raw: str) -> tuple[str, bool]:
        """The column key and whether descending, for the query's ``sort`` (the default when unknown)."""
        for text in (raw, self.default_sort):
            key = text.removeprefix("-")
            if key and self.column(key) is not None:
                return key, text.startswith("-")
        raise ValueError(f"the default sort {self.default_sort!r} is not a column")

    def ordering(self, key: str, descending: bool) -> list[Any]:
        column = self.column(key)
        out: list[Any] = []
        for name in column.order if column else ():
            field_name = name.removeprefix("-")
            expression = Lower(field_name) if column and column.text else F(field_name)
            out.append(expression.desc() if name.startswith("-") != descending else expression.asc())
        return out + list(self.tiebreak)


@dataclass
class Listing:
    """What a list template needs: the page, the search text, the sort, and links that keep the query."""

    spec: ListSpec
    page: Page[Any]
    query: str
    sort: str
    descending: bool
    params: dict[str, str] = field(default_factory=dict)

    def url(self, **changes: Any) -> str:
        params = {**self.params, **{k: str(v) for k, v in changes.items() if v not in (None, "")}}
        for key, value in changes.items():
            if value in (None, ""):
                params.pop(key, None)
        return "?" + urlencode(params) if params else "?"

    @property
    def query_string(self) -> str:
        """The query without the page number (for links to other formats of the same list)."""
        return urlencode(self.params)

    def page_url(self, number: int) -> str:
        return self.url(page=number)

    def headers(self) -> dict[str, dict[str, Any]]:
        """Per column key: its label, the link that sorts by it (reversing the order when it is the current
        sort) and its ``aria-sort`` value."""
        out: dict[str, dict[str, Any]] = {}
        for column in self.spec.columns:
            active = column.key == self.sort
            flip = active and not self.descending
            out[column.key] = {
                "label": column.label,
                "url": self.url(sort=("-" if flip else "") + column.key, page=None),
                "active": active,
                "aria_sort": ("descending" if self.descending else "ascending") if active else "none",
            }
        return out


def list_page(request: HttpRequest, qs: QuerySet[Any], spec: ListSpec, page_size: int = PAGE_SIZE) -> Listing:
    """Search ``qs`` (already within the user's scope) by ``q``, sort it by ``sort`` and take page ``page``."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    if spec.search_with is not None:
        qs = spec.search_with(qs, query)
    else:
        condition = spec.search_condition(query)
        if condition is not None:
            qs = qs.filter(condition)
    key, descending = spec.sort_of(request.GET.get("sort", ""))
    qs = qs.order_by(*spec.ordering(key, descending))
    params: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    if query:
        params["q"] = query
    page = Paginator(qs, page_size).get_page(request.GET.get("page"))
    return Listing(spec=spec, page=page, query=query, sort=key, descending=descending, params=params)


def render_list(request: HttpRequest, listing: Listing, template: str, results: str, **extra: Any) -> HttpResponse:
    """The list page, or only its results (``results``, the part inside ``#results``) when HTMX asks for them
    (a search typed, a header or a page link followed)."""
    context = {"listing": listing, "page": listing.page, "query": listing.query, **extra}
    return render(request, results if is_htmx(request) else template, context)
