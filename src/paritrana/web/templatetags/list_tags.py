"""Tags of the shared list helper (web/listing.py): sortable column headers and page links keeping the query."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

from paritrana.web.listing import Listing

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context: template.Context, number: int) -> str:
    """The current address with another page number: the search, filters and sort are kept."""
    request = context.get("request")
    params = {k: v for k, v in request.GET.items() if k != "page" and v} if request is not None else {}
    params["page"] = str(number)
    return "?" + urlencode(params)


@register.inclusion_tag("web/partials/sort_header.html")
def sort_header(listing: Listing, key: str, css: str = "") -> dict[str, Any]:
    """A column header that sorts the list by the column (a second click reverses the order)."""
    return {"header": listing.headers()[key], "css": css}
