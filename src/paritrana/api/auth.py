"""API authentication: a bearer token (``Authorization: Bearer <token>``) or the web session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from paritrana.accounts import rate_limits
from paritrana.accounts.models import ApiToken


class BearerToken(HttpBearer):
    """A token issued by ``paritrana token USERNAME`` (or the demo); only its digest is stored."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        record = ApiToken.find(token)
        if record is None or not record.user.is_active:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used=timezone.now())
        request.user = record.user
        return record.user


class Session(SessionAuth):
    """The web log-in; unsafe methods need the CSRF token. Anonymous requests fall through (401, not 403)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


AUTH = [BearerToken(), Session()]


class PublicVisitor:
    """Anyone, counted per address (``accounts.rate_limits``, shared with the pages of the same ``scope``): over
    the limit, ``TooManyRequests`` (a 429, ``api/errors.py``). Placed after the token and the session, so a
    signed-in caller is not counted."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def __call__(self, request: HttpRequest) -> str:
        rate_limits.check(self.scope, request.META.get("REMOTE_ADDR", ""))
        return "anonymous"


def public(scope: str) -> list[object]:
    """The authentication of an operation open to anyone: a caller with a token or a session, else the address's
    limited count."""
    return [*AUTH, PublicVisitor(scope)]


def caller(request: HttpRequest) -> Any:
    """The authenticated user of an API request (set by the authentication above)."""
    return getattr(request, "auth", None)
