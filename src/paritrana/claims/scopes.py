"""What each role may see and do with claims.

- administrator: every claim; verifies, approves, pays, rejects
- branch officer: the claims of its branch; verifies, approves, pays, rejects
- worker: the claims about itself (it files its own)
- heir: the claims it filed itself (for the worker it is heir of)
- employer HR, regional officer, award assessor: no claim (a claim is personal data)
"""

from __future__ import annotations

from django.db.models import QuerySet

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of
from paritrana.claims.models import Claim

PROCESSORS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER})
FILERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.WORKER, Role.HEIR})


def visible_claims(user: AnyUser | None) -> QuerySet[Claim]:
    role = role_of(user)
    profile = profile_of(user)
    qs = Claim.objects.select_related("worker", "branch", "heir")
    if role == Role.ADMIN:
        return qs.all()
    if role == Role.BRANCH_OFFICER and profile is not None and profile.branch_id is not None:
        return qs.filter(branch_id=profile.branch_id)
    if role == Role.WORKER and profile is not None and profile.worker_id is not None:
        return qs.filter(worker_id=profile.worker_id)
    if role == Role.HEIR and profile is not None and user is not None:
        return qs.filter(filed_by_id=user.pk)
    return qs.none()


def can_process(user: AnyUser | None) -> bool:
    """Verify, approve, pay, reject (on claims the user sees)."""
    return role_of(user) in PROCESSORS


def can_file(user: AnyUser | None) -> bool:
    return role_of(user) in FILERS
