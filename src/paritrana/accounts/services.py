"""Account use cases: users with a role and scope, API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from paritrana.accounts.models import ROLE_SCOPE, ApiToken, Profile, Role


class AccountError(Exception):
    """A user or token that cannot be created as asked; the message is for a person."""


@transaction.atomic
def ensure_user(username: str, password: str, role: str, **scope: Any) -> Any:
    """Create (or bring up to date) a user with ``role`` and its scope object (branch, region, employer or worker)."""
    if role not in Role.values:
        raise AccountError(f"role {role!r} is not one of: {', '.join(Role.values)}")
    needed = ROLE_SCOPE.get(role)
    if needed and scope.get(needed) is None:
        raise AccountError(f"a {Role(role).label} needs a {needed}")
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={"role": role, "branch": None, "region": None, "employer": None, "worker": None, **scope},
    )
    return user


@transaction.atomic
def issue_token(username: str, name: str = "default", replace: bool = False) -> str:
    """A new API token for ``username`` (shown once; only its digest is stored).

    With ``replace``, the user's earlier tokens of the same name stop working.
    """
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise AccountError(f"there is no user {username!r}")
    if replace:
        ApiToken.objects.filter(user=user, name=name).delete()
    _, raw = ApiToken.issue(user, name=name)
    return raw
