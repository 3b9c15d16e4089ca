"""Who sees and who manages regional programmes.

- administrator: every programme; manages any
- regional officer (province or regency/city): the programmes of its own region (exactly: a province's
  programmes are the province's budget, a regency's the regency's), which it creates and manages
- branch officer: reads the programmes of the regions its branch serves (it serves their workers)
- employer HR, worker, heir, award assessor: none
"""

from __future__ import annotations

from django.db.models import QuerySet

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, ScopeRule, by_profile, in_territory, profile_of, role_of, scoped
from paritrana.programmes.models import BeneficiaryList, Programme

VIEWERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.REGIONAL_OFFICER})
MANAGERS = frozenset({Role.ADMIN, Role.REGIONAL_OFFICER})


def visible_programmes(user: AnyUser | None) -> QuerySet[Programme]:
    rules: dict[str, ScopeRule] = {
        Role.REGIONAL_OFFICER: by_profile("region_id", "region_id"),  # exactly its region's, not those below
        Role.BRANCH_OFFICER: lambda p: None if p.branch is None else in_territory(p, "region__code"),
    }
    return scoped(Programme.objects.select_related("region", "sponsor"), user, rules)


def can_manage(user: AnyUser | None, programme: Programme) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    profile = profile_of(user)
    return role == Role.REGIONAL_OFFICER and profile is not None and profile.region_id == programme.region_id


def visible_lists(user: AnyUser | None) -> QuerySet[BeneficiaryList]:
    return BeneficiaryList.objects.select_related("programme", "programme__region").filter(
        programme__in=visible_programmes(user)
    )
