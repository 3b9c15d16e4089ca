"""One page of a list as the API answers it (``schemas.Page``): the count, the window asked for, the items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet


def paged(qs: QuerySet[Any], limit: int, offset: int, present: Callable[[Any], Any]) -> dict[str, Any]:
    """``qs`` from ``offset``, at most ``limit`` rows, each through ``present``; ``count`` is the whole list's."""
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [present(row) for row in qs[offset : offset + limit]],
    }
