"""Who sees and does what in the award (decision 0015).

- agency administrator and the central committee (award administrator without a region): every round;
- a provincial committee (award administrator of a province): its province's round only (another province's
  round is 404, the national round too);
- an award assessor: the rounds of the panels it sits on; its own scores, the others' once the panel closed;
- a regional officer / employer HR: the candidate of its own region / company and that candidate's
  submissions; its scorecard after publication;
- everybody, signed in or not: the public results of a published round (names, ranks, categories).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of
from paritrana.award.models import Candidate, Conflict, Round
from paritrana.core.bulk import history_user

actor = history_user  # the user to record as the actor (none for the system or an anonymous caller)


def user_id(user: AnyUser) -> int:
    return int(user.pk) if user.pk is not None else 0


def committee_of(user: AnyUser | None) -> tuple[bool, str | None]:
    """(is a committee, its province code or None for the central committee and the agency administrator)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True, None
    if role == Role.AWARD_ADMIN:
        profile = profile_of(user)
        region = profile.region if profile else None
        return True, (region.code[:2] if region is not None else None)
    return False, None


def visible_rounds(user: AnyUser | None) -> QuerySet[Round]:
    qs = Round.objects.select_related("edition", "province")
    is_committee, province = committee_of(user)
    if is_committee:
        return qs.all() if province is None else qs.filter(tier=Round.Tier.PROVINCIAL, province__code=province)
    if role_of(user) == Role.ASSESSOR and user is not None:
        return qs.filter(assessors=user_id(user))
    return qs.none()


def can_manage(user: AnyUser | None, round_: Round) -> bool:
    """A committee over the round: the central one over every round, a provincial one over its province's."""
    is_committee, province = committee_of(user)
    if not is_committee:
        return False
    return province is None or (round_.province is not None and round_.province.code == province)


def own_candidates(user: AnyUser | None) -> QuerySet[Candidate]:
    """The candidates a regional officer or employer HR stands for."""
    role, profile = role_of(user), profile_of(user)
    qs = Candidate.objects.select_related("round__edition", "region", "employer")
    if role == Role.REGIONAL_OFFICER and profile is not None and profile.region_id is not None:
        return qs.filter(region_id=profile.region_id)
    if role == Role.EMPLOYER_HR and profile is not None and profile.employer_id is not None:
        return qs.filter(employer_id=profile.employer_id)
    return qs.none()


def visible_candidates(user: AnyUser | None) -> QuerySet[Candidate]:
    """Candidates whose file (submissions, indicators) the user may open."""
    rounds = visible_rounds(user)
    qs = Candidate.objects.select_related("round__edition", "region", "employer")
    return qs.filter(Q(round__in=rounds) | Q(pk__in=own_candidates(user).values("pk")))


def _overlap(a: str, b: str) -> bool:
    """Two region codes of which one contains the other (a province and its regency, or the same region)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def conflicted(user: AnyUser | None, candidate: Candidate) -> bool:
    """Whether the assessor may not score ``candidate``: its own region or company (on its profile) or one it
    declared. A region conflicts with the regions inside it and the one containing it."""
    if user is None:
        return False
    profile = profile_of(user)
    regions, employers = [], []
    if profile is not None:
        if profile.region is not None:
            regions.append(profile.region.code)
        if profile.employer_id is not None:
            employers.append(profile.employer_id)
    for c in Conflict.objects.filter(assessor_id=user_id(user)).select_related("region"):
        if c.region is not None:
            regions.append(c.region.code)
        if c.employer_id is not None:
            employers.append(c.employer_id)
    if candidate.employer_id is not None and candidate.employer_id in employers:
        return True
    place = candidate.region.code if candidate.region is not None else None
    if place is None and candidate.employer is not None:
        place = candidate.employer.region.code
    return place is not None and any(_overlap(place, code) for code in regions)
