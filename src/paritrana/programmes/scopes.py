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

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, _under_codes, profile_of, role_of
from paritrana.programmes.models import BeneficiaryList, Programme

VIEWERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.REGIONAL_OFFICER})
MANAGERS = frozenset({Role.ADMIN, Role.REGIONAL_OFFICER})


def visible_programmes(user: AnyUser | None) -> QuerySet[Programme]:
    role = role_of(user)
    profile = profile_of(user)
    qs = Programme.objects.select_related("region", "sponsor")
    if role == Role.ADMIN:
        return qs.all()
    if role == Role.REGIONAL_OFFICER and profile is not None and profile.region_id is not None:
        return qs.filter(Q(region_id=profile.region_id) | Q(pk__in=cofunded_programmes(user).values("pk")))
    if role == Role.BRANCH_OFFICER and profile is not None and profile.branch is not None:
        codes = list(profile.branch.regions.values_list("code", flat=True))
        return qs.filter(_under_codes("region__code", codes))
    return qs.none()


def cofunded_programmes(user: AnyUser | None) -> QuerySet[Programme]:
    """A province's officer: the programmes of the province's regencies that the province pays a share of
    (it reads them, their regency manages them). Nobody else co-funds."""
    profile = profile_of(user)
    region = profile.region if profile is not None else None
    if role_of(user) != Role.REGIONAL_OFFICER or region is None or region.level != "province":
        return Programme.objects.none()
    return Programme.objects.select_related("region", "sponsor").filter(
        region__code__startswith=region.code + ".", province_share_bp__gt=0
    )


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
