"""What each role may see: the object-level scope of a user over the registry.

- administrator, award assessor: every region; administrators every record
- branch officer: employers and workers in the regions its branch serves
- regional officer: its region and the regions below it
- employer HR: its own company and its workers
- worker: itself; heir: the worker it is heir of (read only)
- policy analyst: no record at all (aggregated figures only, nation-wide)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, Q, QuerySet

from paritrana.accounts.models import Profile, Role
from paritrana.registry.models import Employer, Region, Worker

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)
# a role's rows, chosen from its profile; None: no row (the profile lacks the link the rule needs)
ScopeRule = Callable[[Profile], Q | None]

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


def by_profile(field: str, attribute: str) -> ScopeRule:
    """Rows whose ``field`` is the profile's ``attribute`` (its branch, region, employer, worker or user id);
    none when the profile has no such link."""

    def rule(profile: Profile) -> Q | None:
        value = getattr(profile, attribute)
        return None if value is None else Q(**{field: value})

    return rule


def scoped(qs: QuerySet[M], user: AnyUser | None, rules: Mapping[str, ScopeRule]) -> QuerySet[M]:
    """The rows of ``qs`` the user may see: every row for an administrator; for another role the rows its rule
    picks from its profile (my branch, my region, my employer, me); none for a role without a rule, a user
    without a profile or a profile without the link its rule needs."""
    role = role_of(user)
    profile = profile_of(user)
    if role == Role.ADMIN:
        return qs.all()
    rule = rules.get(role) if role is not None else None
    where = rule(profile) if rule is not None and profile is not None else None
    return qs.none() if where is None else qs.filter(where)


def in_territory(profile: Profile, field: str) -> Q:
    """Rows whose region (``field``, a path to a region code) is one the officer's branch serves, or below it."""
    return _under_codes(field, _branch_region_codes(profile))


def in_region_subtree(field: str) -> ScopeRule:
    """Rows whose region (``field``) is the officer's region or one below it."""
    return lambda profile: None if profile.region is None else _under_codes(field, [profile.region.code])


def visible_regions(user: AnyUser | None) -> QuerySet[Region]:
    """Regions a user may look at. Region names and codes are public reference data: every signed-in user."""
    if role_of(user) is None:
        return Region.objects.none()
    return Region.objects.all()


def scope_regions(user: AnyUser | None) -> QuerySet[Region]:
    """Regions whose personal data (employers, workers) the user may see; empty for the roles tied to one record."""
    rules: dict[str, ScopeRule] = {
        Role.BRANCH_OFFICER: lambda p: in_territory(p, "code"),
        Role.REGIONAL_OFFICER: in_region_subtree("code"),
    }
    return scoped(Region.objects.all(), user, rules)


def visible_employers(user: AnyUser | None) -> QuerySet[Employer]:
    rules: dict[str, ScopeRule] = {
        Role.BRANCH_OFFICER: lambda p: Q(branch_id=p.branch_id) | in_territory(p, "region__code"),
        Role.REGIONAL_OFFICER: in_region_subtree("region__code"),
        Role.EMPLOYER_HR: by_profile("pk", "employer_id"),
    }
    return scoped(Employer.objects.select_related("region", "branch"), user, rules)


def visible_workers(user: AnyUser | None) -> QuerySet[Worker]:
    rules: dict[str, ScopeRule] = {
        Role.BRANCH_OFFICER: lambda p: (
            in_territory(p, "region__code") | Q(employer__branch_id=p.branch_id, employer__isnull=False)
        ),
        Role.REGIONAL_OFFICER: in_region_subtree("region__code"),
        Role.EMPLOYER_HR: by_profile("employer_id", "employer_id"),
        Role.WORKER: by_profile("pk", "worker_id"),
        Role.HEIR: by_profile("pk", "worker_id"),
    }
    return scoped(Worker.objects.select_related("region", "employer", "sponsor"), user, rules)


def can_view_worker(user: AnyUser | None, worker: Worker) -> bool:
    return visible_workers(user).filter(pk=worker.pk).exists()


def can_view_employer(user: AnyUser | None, employer: Employer) -> bool:
    return visible_employers(user).filter(pk=employer.pk).exists()


def can_write_employers(user: AnyUser | None) -> bool:
    return role_of(user) in EMPLOYER_WRITERS


def can_write_workers(user: AnyUser | None) -> bool:
    return role_of(user) in WORKER_WRITERS
