"""Reading rankings: the public results of published rounds (names, ranks, categories; no personal data),
a candidate's scorecard, the committee's view of a round's computation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of
from paritrana.award.indicators import BY_KEY
from paritrana.award.models import Candidate, Computation, Edition, Round
from paritrana.award.scopes import can_manage, own_candidates, user_id, visible_rounds
from paritrana.core.errors import NotFound

PUBLIC_FIELDS = ("candidate_id", "name", "category", "zone", "rank", "score", "aspect_ranks")


def published_rounds(edition: Edition | None = None) -> QuerySet[Round]:
    qs = Round.objects.filter(status=Round.Status.PUBLISHED, published__isnull=False).select_related(
        "edition", "province", "published"
    )
    return qs.filter(edition=edition) if edition is not None else qs


def public_results(edition: Edition | None = None) -> list[dict[str, Any]]:
    """Every ranked candidate of the published rounds: round, name, category, zone, rank, score."""
    out = []
    for r in published_rounds(edition).order_by("-edition__year", "tier", "province__code"):
        assert r.published is not None
        where = r.province.name if r.province else "Indonesia"
        for row in r.published.results:
            if row["rank"] is None:
                continue
            out.append({"edition": r.edition.year, "round": r.tier, "where": where,
                        **{k: row[k] for k in PUBLIC_FIELDS}})  # fmt: skip
    return out


def computation_for(user: AnyUser | None, computation_id: int) -> Computation:
    """A computation of a round the user sees (its committee, its panel's assessors once the panel closed)."""
    found = Computation.objects.select_related("round__edition", "round__province").filter(pk=computation_id).first()
    if found is None or (user is not None and not visible_rounds(user).filter(pk=found.round_id).exists()):
        raise NotFound(_("no ranking with id %(id)s") % {"id": computation_id})
    return found


@dataclass(frozen=True)
class Scorecard:
    candidate: Candidate
    computation: Computation
    row: dict[str, Any]
    indicators: list[dict[str, Any]]
    group_size: int


def _indicator_lines(row: dict[str, Any], weights: dict[str, str]) -> list[dict[str, Any]]:
    lines = []
    for key, value in row["indicators"].items():
        ind = BY_KEY[key]
        lines.append({"key": key, "value": value, "unit": ind.unit, "formula": ind.formula, "sources": ind.sources,
                      "normalised": row["normalised"].get(key), "weight": weights.get(key)})  # fmt: skip
    for key in ("regulations", "interview", "rubric_regulation", "rubric_innovation"):
        if key in weights:
            value = (
                row["regulations"]
                if key == "regulations"
                else row["rubric"].get(
                    {"interview": "interview", "rubric_regulation": "regulation", "rubric_innovation": "innovation"}[
                        key
                    ]
                )
            )
            lines.append({"key": key, "value": value, "unit": "count" if key == "regulations" else "score",
                          "formula": "", "sources": "award_submission" if key == "regulations" else "award_score",
                          "normalised": row["normalised"].get(key), "weight": weights.get(key)})  # fmt: skip
    return lines


def scorecard(user: AnyUser | None, candidate_id: int) -> Scorecard:
    """The candidate's row of its round's published ranking (the latest ranking for the round's committee).
    The candidate itself sees it only after publication; another candidate never (404)."""
    candidate = (
        Candidate.objects.select_related("round__edition", "round__province", "round__published")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise NotFound(_("no award candidate with id %(id)s") % {"id": candidate_id})
    round_ = candidate.round
    computation = round_.published
    if user is not None:
        manager = can_manage(user, round_)
        assessor = role_of(user) == Role.ASSESSOR and round_.assessors.filter(pk=user_id(user)).exists()
        own = own_candidates(user).filter(pk=candidate.pk).exists()
        if manager or (assessor and round_.status != Round.Status.OPEN):
            computation = computation or round_.computations.order_by("-computed_at", "-id").first()
        elif not own:
            raise NotFound(_("no award candidate with id %(id)s") % {"id": candidate_id})
    if computation is None:
        raise NotFound(_("%(name)s has no published result yet") % {"name": candidate.name})
    row = next((r for r in computation.results if r["candidate_id"] == candidate.pk), None)
    if row is None:
        raise NotFound(_("no award candidate with id %(id)s") % {"id": candidate_id})
    kind = "company" if candidate.employer_id else "region"
    weights = computation.parameters["weights"][kind]
    group = sum(1 for r in computation.results if r["category"] == row["category"] and r["zone"] == row["zone"])
    return Scorecard(candidate, computation, row, _indicator_lines(row, weights), group)
