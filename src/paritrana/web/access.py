"""What the web pages ask of the registry: the user's role and scope, and the use cases.

One module, so the pages depend on the registry's interface in one place.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import (
    can_write_employers,
    can_write_workers,
    profile_of,
    role_of,
    scope_regions,
    visible_employers,
    visible_workers,
)

# Pages about many records at once; the roles tied to one record (a worker, an heir) have their own page.
LIST_ROLES = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.REGIONAL_OFFICER, Role.EMPLOYER_HR, Role.ASSESSOR})
WORKER_SEARCH_ROLES = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.REGIONAL_OFFICER, Role.EMPLOYER_HR})


def require_role(request: HttpRequest, roles: frozenset[str]) -> str:
    """The user's role if it is one of ``roles``; otherwise 403."""
    role = role_of(request.user)
    if role not in roles:
        raise PermissionDenied
    return role


def role_label(user: Any) -> str:
    role = role_of(user)
    return str(Role(role).label) if role else ""


def not_found() -> Http404:
    return Http404("not found, or not yours to see")


__all__ = [
    "LIST_ROLES",
    "WORKER_SEARCH_ROLES",
    "Role",
    "can_write_employers",
    "can_write_workers",
    "not_found",
    "profile_of",
    "require_role",
    "role_label",
    "role_of",
    "scope_regions",
    "visible_employers",
    "visible_workers",
]
