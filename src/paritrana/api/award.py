"""The Paritrana Award in the REST API: rounds, their panels and nominations, candidates, evidence (multipart upload), assessors' scores,
closing a panel, rankings (computed from a frozen snapshot, published), the scorecard and the public results.

Who: ``award.scopes`` (decision 0015). Out of scope by id: 404; seen but not the caller's to act on: 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Path, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from paritrana.api.auth import caller
from paritrana.api.errors import ERRORS
from paritrana.api.schemas import MAX_ID, Body
from paritrana.award import documents
from paritrana.award.models import Round, Score
from paritrana.award.scopes import visible_rounds
from paritrana.award.services import editions, panels, ranking, results, scores, submissions
from paritrana.core.errors import NotFound, ValidationFailed

router = Router(tags=["award"])
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ID = Path(..., ge=1, le=MAX_ID)


class RoundOut(Schema):
    id: int
    edition: int
    tier: str
    province: str | None
    status: str
    published_ranking: int | None


class CandidateOut(Schema):
    id: int
    round: int
    name: str
    category: str
    zone: str
    region: str | None
    employer: int | None


class SubmissionOut(Schema):
    id: int
    kind: str
    title: str
    number: str
    issued_on: dt.date | None
    file_name: str
    content_type: str
    sha256: str


class ScoreIn(Body):
    item: str = Field(description=", ".join(Score.Item.values))
    value: int = Field(ge=0, le=100)
    note: str = Field("", max_length=500)


class ScoreOut(Schema):
    item: str
    value: int
    assessor: str


class AssessorOut(Schema):
    username: str
    region: str | None


class SeatIn(Body):
    username: str = Field(max_length=150, description="an award assessor's username")


class NominateIn(Body):
    registration_number: str = Field(max_length=20, description="the company's registration number")


class RankingOut(Schema):
    id: int
    round: int
    snapshot_sha256: str
    as_of: dt.date
    months: list[str]
    parameters: dict[str, Any]
    results: list[dict[str, Any]]


def _round(r: Round) -> dict[str, Any]:
    return {"id": r.pk, "edition": r.edition.year, "tier": r.tier, "province": r.province.code if r.province else None,
            "status": r.status, "published_ranking": r.published_id}  # fmt: skip


def _ranking(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "round": c.round_id, "snapshot_sha256": c.snapshot_sha256, "as_of": c.as_of,
            "months": c.months, "parameters": c.parameters, "results": c.results}  # fmt: skip


@router.get("/results", response={200: list[dict[str, Any]], **ERRORS}, summary="Published results (no personal data)")
def public_results(request: HttpRequest) -> list[dict[str, Any]]:
    return results.public_results()


@router.get("/rounds", response={200: list[RoundOut], **ERRORS}, summary="The rounds you see")
def list_rounds(request: HttpRequest) -> list[dict[str, Any]]:
    return [_round(r) for r in visible_rounds(caller(request)).order_by("-edition__year", "tier", "province__code")]


@router.get("/rounds/{round_id}", response={200: RoundOut, **ERRORS}, summary="One round")
def get_round(request: HttpRequest, round_id: int = ID) -> dict[str, Any]:
    return _round(editions.get_round(caller(request), round_id))


@router.get("/rounds/{round_id}/candidates", response={200: list[CandidateOut], **ERRORS})
def round_candidates(request: HttpRequest, round_id: int = ID) -> list[dict[str, Any]]:
    r = editions.get_round(caller(request), round_id)
    return [
        {"id": c.pk, "round": r.pk, "name": c.name, "category": c.category, "zone": c.zone,
         "region": c.region.code if c.region else None, "employer": c.employer_id}
        for c in r.candidates.select_related("region").order_by("category", "name")
    ]  # fmt: skip


def _panel(users: list[Any]) -> list[dict[str, Any]]:
    return [{"username": u.username, "region": u.profile.region.code if u.profile.region else None} for u in users]


def _panel_after(
    request: HttpRequest, round_id: int, change: Callable[[Any, int, str | None], object], username: str
) -> list[dict[str, Any]]:
    """The round's panel after ``change`` (seat or unseat ``username``) by the caller."""
    user = caller(request)
    change(user, round_id, username)
    return _panel(panels.panel(user, round_id))


def _candidate(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "round": c.round_id, "name": c.name, "category": c.category, "zone": c.zone,
            "region": c.region.code if c.region else None, "employer": c.employer_id}  # fmt: skip


@router.get("/rounds/{round_id}/panel", response={200: list[AssessorOut], **ERRORS},
            summary="The round's panel (its committee)")  # fmt: skip
def get_panel(request: HttpRequest, round_id: int = ID) -> list[dict[str, Any]]:
    return _panel(panels.panel(caller(request), round_id))


@router.post("/rounds/{round_id}/panel", response={200: list[AssessorOut], **ERRORS},
             summary="Seat an award assessor on the panel (committee, round open)")  # fmt: skip
def seat(request: HttpRequest, payload: SeatIn, round_id: int = ID) -> list[dict[str, Any]]:
    return _panel_after(request, round_id, panels.seat_assessor, payload.username)


@router.post("/rounds/{round_id}/panel/remove", response={200: list[AssessorOut], **ERRORS},
             summary="Take an assessor who has not scored off the panel (committee, round open)")  # fmt: skip
def unseat(request: HttpRequest, payload: SeatIn, round_id: int = ID) -> list[dict[str, Any]]:
    return _panel_after(request, round_id, panels.unseat_assessor, payload.username)


@router.post("/rounds/{round_id}/nominations", response={201: CandidateOut, **ERRORS},
             summary="Nominate a company of the round's province (committee, round open)")  # fmt: skip
def nominate(request: HttpRequest, payload: NominateIn, round_id: int = ID) -> tuple[int, dict[str, Any]]:
    return 201, _candidate(panels.nominate(caller(request), round_id, payload.registration_number))


@router.post("/nominations/self", response={201: CandidateOut, **ERRORS},
             summary="Enter your own company in its province's open round (its HR)")  # fmt: skip
def self_nominate(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    return 201, _candidate(panels.self_nominate(caller(request)))


@router.post("/rounds/{round_id}/close", response={200: RoundOut, **ERRORS}, summary="Close the panel (committee)")
def close_round(request: HttpRequest, round_id: int = ID) -> dict[str, Any]:
    return _round(scores.close_panel(caller(request), round_id))


@router.post("/rounds/{round_id}/rankings", response={201: RankingOut, **ERRORS}, summary="Rank from a new snapshot")
def compute(request: HttpRequest, round_id: int = ID) -> tuple[int, dict[str, Any]]:
    return 201, _ranking(ranking.compute(caller(request), round_id))


@router.get("/rankings/{ranking_id}", response={200: RankingOut, **ERRORS}, summary="A ranking with its sensitivity")
def get_ranking(request: HttpRequest, ranking_id: int = ID) -> dict[str, Any]:
    return _ranking(results.computation_for(caller(request), ranking_id))


@router.post("/rankings/{ranking_id}/publish", response={200: RoundOut, **ERRORS}, summary="Publish (committee)")
def publish(request: HttpRequest, ranking_id: int = ID) -> dict[str, Any]:
    return _round(ranking.publish(caller(request), ranking_id))


@router.get("/candidates/{candidate_id}", response={200: CandidateOut, **ERRORS})
def get_candidate(request: HttpRequest, candidate_id: int = ID) -> dict[str, Any]:
    return _candidate(submissions.get_candidate(caller(request), candidate_id))


@router.get("/candidates/{candidate_id}/submissions", response={200: list[SubmissionOut], **ERRORS})
def list_submissions(request: HttpRequest, candidate_id: int = ID) -> list[Any]:
    return list(submissions.submissions_of(caller(request), candidate_id))


@router.post("/candidates/{candidate_id}/submissions", response={201: SubmissionOut, **ERRORS},
             summary="Submit evidence for your own candidate (PDF, JPEG or PNG)")  # fmt: skip
def submit(
    request: HttpRequest,
    candidate_id: int = ID,
    kind: str = Form(...),
    title: str = Form(..., max_length=300),
    number: str = Form("", max_length=100),
    issued_on: dt.date | None = Form(None),  # noqa: B008
    file: UploadedFile = File(...),  # noqa: B008
) -> tuple[int, Any]:
    if file.size is not None and file.size > MAX_EVIDENCE_BYTES:
        raise ValidationFailed("file", "the file is larger than 10 MB")
    content = file.read(MAX_EVIDENCE_BYTES + 1)
    sub = submissions.submit(caller(request), candidate_id, kind, title, file.name or "document", content,
                             number=number, issued_on=issued_on)  # fmt: skip
    return 201, sub


@router.get("/candidates/{candidate_id}/scores", response={200: list[ScoreOut], **ERRORS},
            summary="The scores you may see (your own while the panel is open)")  # fmt: skip
def list_scores(request: HttpRequest, candidate_id: int = ID) -> list[dict[str, Any]]:
    user = caller(request)
    c = submissions.get_candidate(user, candidate_id)
    return [{"item": s.item, "value": s.value, "assessor": s.assessor.username} for s in scores.visible_scores(user, c)]


@router.post("/candidates/{candidate_id}/scores", response={200: ScoreOut, **ERRORS}, summary="Score (assessor)")
def post_score(request: HttpRequest, payload: ScoreIn, candidate_id: int = ID) -> dict[str, Any]:
    s = scores.score(caller(request), candidate_id, payload.item, payload.value, payload.note)
    return {"item": s.item, "value": s.value, "assessor": s.assessor.username}


@router.get("/candidates/{candidate_id}/scorecard", response={200: dict[str, Any], **ERRORS},
            summary="The scorecard (JSON; ?format=pdf for the PDF)")  # fmt: skip
def scorecard(request: HttpRequest, candidate_id: int = ID, format: str = "json", lang: str = "") -> Any:
    user = caller(request)
    if format == "pdf":
        pdf = documents.scorecard_pdf(user, candidate_id, lang or None)
        response = HttpResponse(pdf.content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf.file_name}"'
        return response
    if format != "json":
        raise ValidationFailed("format", "json or pdf")
    card = results.scorecard(user, candidate_id)
    return {"candidate": card.candidate.pk, "name": card.candidate.name, "ranking": card.computation.pk,
            "snapshot_sha256": card.computation.snapshot_sha256, "rank": card.row["rank"], "score": card.row["score"],
            "rank_range": card.row["rank_range"], "indicators": card.indicators, "rubric": card.row["rubric"],
            "weights_reference": card.computation.parameters["weights_reference"]}  # fmt: skip


__all__ = ["NotFound", "router"]
