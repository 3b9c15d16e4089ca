"""A round's panel and its company candidates: the committee seats and unseats award assessors and nominates
(invites) companies of its province; a company's HR nominates its own company (decision 0015, 0021).

Refusals: a round out of the caller's sight is 404 (``NotFound``), one it sees but does not manage is 403
(``NotAllowed``); bad input names its field (``ValidationFailed``). A closed round takes no change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of
from paritrana.award import params
from paritrana.award.models import Candidate, Category, Round, Score
from paritrana.award.scopes import actor
from paritrana.award.services.editions import managed_round
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.registry.models import Employer

MAX_NAME = 150  # a username (Django's limit) or a registration number, trimmed and bounded before any lookup


def _text(value: object, limit: int = MAX_NAME) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _open(round_: Round) -> None:
    if round_.status != Round.Status.OPEN:
        raise ValidationFailed("round", _("the round is closed"))


def panel(user: AnyUser | None, round_id: int) -> list[Any]:
    """The assessors seated on the round (its committee only)."""
    round_ = managed_round(user, round_id)
    return list(round_.assessors.select_related("profile__region").order_by("username"))


def assessors_available(user: AnyUser | None, round_id: int) -> QuerySet[Any]:
    """The award assessors not yet on the round's panel (its committee only): the seating form's choices."""
    round_ = managed_round(user, round_id)
    return (
        get_user_model()
        .objects.filter(profile__role=Role.ASSESSOR, is_active=True)
        .exclude(pk__in=round_.assessors.values("pk"))
        .order_by("username")
    )


def _assessor(username: object) -> Any:  # the project's user model
    name = _text(username)
    found = get_user_model().objects.filter(username=name).first() if name else None
    if found is None or role_of(found) != Role.ASSESSOR:
        raise ValidationFailed("username", _("%(name)s is not an award assessor") % {"name": name or "—"})
    return found


@transaction.atomic
def seat_assessor(user: AnyUser | None, round_id: int, username: object) -> Round:
    """Seat an award assessor on the round's panel (its committee, while the round is open)."""
    round_ = managed_round(user, round_id)
    _open(round_)
    round_.assessors.add(_assessor(username))
    return round_


@transaction.atomic
def unseat_assessor(user: AnyUser | None, round_id: int, username: object) -> Round:
    """Take an assessor off the panel while the round is open; one who has scored stays (the scores stand and
    count in the panel's mean: declare a conflict instead)."""
    round_ = managed_round(user, round_id)
    _open(round_)
    assessor = _assessor(username)
    if not round_.assessors.filter(pk=assessor.pk).exists():
        raise ValidationFailed("username", _("%(name)s is not on this panel") % {"name": assessor.username})
    if Score.objects.filter(candidate__round=round_, assessor=assessor).exists():
        raise ValidationFailed("username", _("%(name)s has scored in this round and stays on the panel")
                               % {"name": assessor.username})  # fmt: skip
    round_.assessors.remove(assessor)
    return round_


def _candidate(round_: Round, employer: Employer, user: AnyUser | None, self_nominated: bool) -> Candidate:
    if round_.province is None or employer.region.code[:2] != round_.province.code:
        raise ValidationFailed("registration_number", _("%(company)s is not in the round's province")
                               % {"company": employer.name})  # fmt: skip
    if Candidate.objects.filter(round=round_, employer=employer).exists():
        raise ValidationFailed("registration_number", _("%(company)s is already a candidate of this round")
                               % {"company": employer.name})  # fmt: skip
    return Candidate.objects.create(
        round=round_,
        employer=employer,
        category=params.SIZE_CATEGORY.get(employer.size_class, Category.COMPANY_SMALL),
        name=employer.name,
        zone=params.zone_of(round_.province.code, dt.date(round_.edition.year, 1, 1)),
        nominated_by=actor(user),
        self_nominated=self_nominated,
    )


@transaction.atomic
def nominate(user: AnyUser | None, round_id: int, registration_number: object) -> Candidate:
    """The round's committee nominates (invites) a company of its province as a candidate."""
    round_ = managed_round(user, round_id)
    if round_.tier != Round.Tier.PROVINCIAL:
        raise ValidationFailed("round", _("companies enter the national round only as provincial winners"))
    _open(round_)
    number = _text(registration_number, 20)
    employer = Employer.objects.select_related("region").filter(registration_number=number).first() if number else None
    if employer is None:
        raise ValidationFailed("registration_number", _("no company with registration number %(number)s")
                               % {"number": number or "—"})  # fmt: skip
    return _candidate(round_, employer, user, self_nominated=False)


def _own_company(user: AnyUser | None) -> Employer | None:
    profile = profile_of(user)
    if role_of(user) != Role.EMPLOYER_HR or profile is None or profile.employer_id is None:
        return None
    return Employer.objects.select_related("region").filter(pk=profile.employer_id).first()


def _province_round(employer: Employer) -> Round | None:
    """The provincial round of the latest edition where the company is."""
    return (
        Round.objects.select_related("edition", "province")
        .filter(tier=Round.Tier.PROVINCIAL, province__code=employer.region.code[:2])
        .order_by("-edition__year")
        .first()
    )


def self_nomination_round(user: AnyUser | None) -> Round | None:
    """The open round an HR may enter its own company in (none once it is a candidate there)."""
    employer = _own_company(user)
    found = _province_round(employer) if employer is not None else None
    if found is None or found.status != Round.Status.OPEN:
        return None
    return None if found.candidates.filter(employer=employer).exists() else found


@transaction.atomic
def self_nominate(user: AnyUser | None) -> Candidate:
    """A company's HR enters its own company in its province's open round."""
    employer = _own_company(user)
    if employer is None:
        raise NotAllowed(_("only a company's HR nominates its own company"))
    round_ = _province_round(employer)
    if round_ is None:
        raise ValidationFailed("round", _("the company's province has no round"))
    _open(round_)
    return _candidate(round_, employer, user, self_nominated=True)
