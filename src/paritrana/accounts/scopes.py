"""What each role may see: the object-level scope of a user over the registry.

- administrator, award assessor: every region; administrators every record
- branch officer: employers and workers in the regions its branch serves
- regional officer: its region and the regions below it
- employer HR: its own company and its workers
- worker: itself; heir: the worker it is heir of (read only)
- policy analyst: no record at all (aggregated figures only, nation-wide)
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from paritrana.accounts.models import Profile, Role
from paritrana.registry.models import Employer, Region, Worker

AnyUser = AbstractBaseUser | AnonymousUser

# roles that may register or change employers / workers (always within their scope)
EMPLOYER_WRITERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER})
WORKER_WRITERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.EMPLOYER_HR})


def profile_of(user: AnyUser | None) -> Profile | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return Profile.objects.select_related("branch", "region", "employer", "worker").get(user_id=user.pk)
    except Profile.DoesNotExist:
        return None


def role_of(user: AnyUser | None) -> str | None:
    """The user's role; a superuser without a profile counts as administrator."""
    profile = profile_of(user)
    if profile is not None:
        return profile.role
    if user is not None and user.is_authenticated and getattr(user, "is_superuser", False):
        return Role.ADMIN
    return None


def _region_subtree(region: Region) -> Q:
    """Regions at or below ``region`` (codes are dotted prefixes)."""
    return Q(code=region.code) | Q(code__startswith=region.code + ".")


def _branch_region_codes(profile: Profile) -> list[str]:
    if profile.branch_id is None:
        return []
    return list(profile.branch.regions.values_list("code", flat=True)) if profile.branch else []


def _under_codes(field: str, codes: list[str]) -> Q:
    """``field`` (a path to a region code) at or below any of ``codes``; matches nothing when empty."""
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})
    return q


def visible_regions(user: AnyUser | None) -> QuerySet[Region]:
    """Regions a user may look at. Region names and codes are public reference data: every signed-in user."""
    if role_of(user) is None:
        return Region.objects.none()
    return Region.objects.all()


def scope_regions(user: AnyUser | None) -> QuerySet[Region]:
    """Regions whose personal data (employers, workers) the user may see; empty for the roles tied to one record."""
    role = role_of(user)
    profile = profile_of(user)
    if role == Role.ADMIN:
        return Region.objects.all()
    if role == Role.BRANCH_OFFICER and profile is not None:
        return Region.objects.filter(_under_codes("code", _branch_region_codes(profile)))
    if role == Role.REGIONAL_OFFICER and profile is not None and profile.region is not None:
        return Region.objects.filter(_region_subtree(profile.region))
    return Region.objects.none()


def visible_employers(user: AnyUser | None) -> QuerySet[Employer]:
    role = role_of(user)
    profile = profile_of(user)
    qs = Employer.objects.select_related("region", "branch")
    if role == Role.ADMIN:
        return qs.all()
    if role == Role.BRANCH_OFFICER and profile is not None:
        return qs.filter(Q(branch_id=profile.branch_id) | _under_codes("region__code", _branch_region_codes(profile)))
    if role == Role.REGIONAL_OFFICER and profile is not None and profile.region is not None:
        return qs.filter(_under_codes("region__code", [profile.region.code]))
    if role == Role.EMPLOYER_HR and profile is not None and profile.employer_id is not None:
        return qs.filter(pk=profile.employer_id)
    return qs.none()


def visible_workers(user: AnyUser | None) -> QuerySet[Worker]:
    role = role_of(user)
    profile = profile_of(user)
    qs = Worker.objects.select_related("region", "employer", "sponsor")
    if role == Role.ADMIN:
        return qs.all()
    if role == Role.BRANCH_OFFICER and profile is not None:
        codes = _branch_region_codes(profile)
        return qs.filter(
            _under_codes("region__code", codes) | Q(employer__branch_id=profile.branch_id, employer__isnull=False)
        )
    if role == Role.REGIONAL_OFFICER and profile is not None and profile.region is not None:
        return qs.filter(_under_codes("region__code", [profile.region.code]))
    if role == Role.EMPLOYER_HR and profile is not None and profile.employer_id is not None:
        return qs.filter(employer_id=profile.employer_id)
    if role in (Role.WORKER, Role.HEIR) and profile is not None and profile.worker_id is not None:
        return qs.filter(pk=profile.worker_id)
    return qs.none()


def can_view_worker(user: AnyUser | None, worker: Worker) -> bool:
    return visible_workers(user).filter(pk=worker.pk).exists()


def can_view_employer(user: AnyUser | None, employer: Employer) -> bool:
    return visible_employers(user).filter(pk=employer.pk).exists()


def can_write_employers(user: AnyUser | None) -> bool:
    return role_of(user) in EMPLOYER_WRITERS


def can_write_workers(user: AnyUser | None) -> bool:
    return role_of(user) in WORKER_WRITERS
