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
from paritrana.accounts.scopes import AnyUser, ScopeRule, by_profile, role_of, scoped
from paritrana.claims.models import Claim

PROCESSORS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER})
FILERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.WORKER, Role.HEIR})


def visible_claims(user: AnyUser | None) -> QuerySet[Claim]:
    rules: dict[str, ScopeRule] = {
        Role.BRANCH_OFFICER: by_profile("branch_id", "branch_id"),
        Role.WORKER: by_profile("worker_id", "worker_id"),
        Role.HEIR: by_profile("filed_by_id", "user_id"),  # the claims the heir filed itself
    }
    return scoped(Claim.objects.select_related("worker", "branch", "heir"), user, rules)


def can_process(user: AnyUser | None) -> bool:
    """Verify, approve, pay, reject (on claims the user sees)."""
    return role_of(user) in PROCESSORS


def can_file(user: AnyUser | None) -> bool:
    return role_of(user) in FILERS
