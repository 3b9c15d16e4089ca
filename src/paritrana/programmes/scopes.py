"""Who sees and who manages regional programmes.

- administrator: every programme; manages any
- regional officer (province or regency/city): the programmes of its own region (exactly: a province's
  programmes are the province's budget, a regency's the regency's), which it creates and manages; a
  province's officer also reads the regencies' programmes the province co-funds (a province share above 0)
- branch officer: reads the programmes of the regions its branch serves (it serves their workers)
- employer HR, worker, heir, award assessor: none
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from paritrana.accounts.models import Profile, Role
from paritrana.accounts.scopes import AnyUser, ScopeRule, in_territory, profile_of, role_of, scoped
from paritrana.programmes.models import BeneficiaryList, Programme

VIEWERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.REGIONAL_OFFICER})
MANAGERS = frozenset({Role.ADMIN, Role.REGIONAL_OFFICER})


def visible_programmes(user: AnyUser | None) -> QuerySet[Programme]:
    rules: dict[str, ScopeRule] = {
        # exactly its region's, not those below; a province's officer also the regencies' it co-funds
        Role.REGIONAL_OFFICER: lambda p: None if p.region is None else Q(region_id=p.region_id) | _cofunded(p),
        Role.BRANCH_OFFICER: lambda p: None if p.branch is None else in_territory(p, "region__code"),
    }
    return scoped(Programme.objects.select_related("region", "sponsor"), user, rules)


def _cofunded(profile: Profile) -> Q:
    """The programmes of the regencies of the profile's province with a province share (none for a regency)."""
    region = profile.region
    if region is None or region.level != "province":
        return Q(pk__in=[])
    return Q(region__code__startswith=region.code + ".", province_share_bp__gt=0)


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
