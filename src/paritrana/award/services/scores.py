"""Assessors' scores: alone (nobody sees another's score until the panel closes), never on a candidate of their
own region or company (declared conflicts too), every change kept (``Score.history``: who and when)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of
from paritrana.award.models import Candidate, Conflict, Round, Score
from paritrana.award.scopes import actor, can_manage, conflicted, user_id, visible_candidates
from paritrana.award.services.editions import managed_round
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Employer, Region


@transaction.atomic
def score(user: AnyUser | None, candidate_id: int, item: str, value: int, note: str = "") -> Score:
    """The caller's score of one rubric item of a candidate of its panel (a second call changes it)."""
    if role_of(user) != Role.ASSESSOR or user is None:
        raise NotAllowed(_("only an award assessor scores"))
    candidate = visible_candidates(user).select_related("round", "employer__region").filter(pk=candidate_id).first()
    if candidate is None or not candidate.round.assessors.filter(pk=user_id(user)).exists():
        raise NotFound(_("no award candidate with id %(id)s") % {"id": candidate_id})
    if conflicted(user, candidate):
        raise NotAllowed(_("you may not score %(name)s: a conflict of interest (your own region or company)")
                         % {"name": candidate.name})  # fmt: skip
    if Round.objects.select_for_update().get(pk=candidate.round_id).status != Round.Status.OPEN:
        raise ValidationFailed("value", _("the panel is closed"))
    if item not in Score.Item.values:
        raise ValidationFailed("item", _("%(item)s is not a rubric item") % {"item": item})
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise ValidationFailed("value", _("a score is a whole number from 0 to 100"))
    found = Score.objects.filter(candidate=candidate, assessor_id=user_id(user), item=item).first()
    if found is None:
        found = Score(candidate=candidate, assessor_id=user_id(user), item=item)
    found.value, found.note = value, (note or "")[:500]
    found._history_user = actor(user)  # type: ignore[attr-defined]  # who changed it, in the history row
    found.save()
    return found


def visible_scores(user: AnyUser | None, candidate: Candidate) -> QuerySet[Score]:
    """An assessor's own scores while the panel is open, the whole panel's once it closed; the round's
    committee sees them once closed too; nobody else."""
    qs = Score.objects.filter(candidate=candidate).select_related("assessor").order_by("item", "assessor__username")
    status = Round.objects.filter(pk=candidate.round_id).values_list("status", flat=True).first()
    closed = status != Round.Status.OPEN
    if role_of(user) == Role.ASSESSOR and user is not None:
        return qs if closed and candidate.round.assessors.filter(pk=user_id(user)).exists() else qs.filter(
            assessor_id=user_id(user))  # fmt: skip
    if closed and can_manage(user, candidate.round):
        return qs
    return qs.none()


def panel_means(round_: Round) -> dict[int, dict[str, float]]:
    """Per candidate of the round, the mean score of each rubric item over the assessors who scored it."""
    sums: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for cid, item, value in Score.objects.filter(candidate__round=round_).values_list("candidate_id", "item", "value"):
        sums[cid][item].append(value)
    return {cid: {item: sum(v) / len(v) for item, v in items.items()} for cid, items in sums.items()}


def declare_conflict(user: AnyUser | None, region_code: str | None = None, employer_id: int | None = None,
                     reason: str = "") -> Conflict:  # fmt: skip
    if role_of(user) != Role.ASSESSOR or user is None:
        raise NotAllowed(_("only an award assessor declares a conflict of interest"))
    region = Region.objects.filter(code=region_code).first() if region_code else None
    employer = Employer.objects.filter(pk=employer_id).first() if employer_id else None
    if region is None and employer is None:
        raise ValidationFailed("region", _("name a region or a company"))
    return Conflict.objects.create(assessor_id=user_id(user), region=region, employer=employer, reason=reason[:200])


@transaction.atomic
def close_panel(user: AnyUser | None, round_id: int) -> Round:
    """The round's committee closes the panel: no more scores or submissions; the scores become visible."""
    found = managed_round(user, round_id)
    locked = Round.objects.select_for_update().get(pk=found.pk)
    if locked.status != Round.Status.OPEN:
        raise ValidationFailed("round", _("the panel is already closed"))
    locked.status = Round.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = actor(user)
    locked.save(update_fields=["status", "closed_at", "closed_by"])
    return locked


def score_history(candidate: Candidate) -> list[dict[str, Any]]:
    """Every score and change of the candidate, oldest first: item, value, assessor, who changed it, when."""
    rows = Score.history.filter(candidate_id=candidate.pk).select_related("history_user").order_by("history_date")
    return [
        {"item": h.item, "value": h.value, "assessor_id": h.assessor_id, "by": getattr(h.history_user, "username",
         None), "at": h.history_date, "change": h.history_type}
        for h in rows
    ]  # fmt: skip
