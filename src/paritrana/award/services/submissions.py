"""Candidates' submissions with evidence: a regional officer for its own region, HR for its own company,
within the edition's window (locked after the deadline); documents checked by their first bytes as claims
documents are (PDF, JPEG or PNG, not empty, within the size limit)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.award.models import Candidate, Round, Submission
from paritrana.award.scopes import actor, own_candidates, visible_candidates
from paritrana.claims.services.claims import MAX_DOCUMENT_BYTES, SIGNATURES
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed


def get_candidate(user: AnyUser | None, candidate_id: int) -> Candidate:
    qs = Candidate.objects.select_related("round__edition", "region", "employer") if user is None else (
        visible_candidates(user))  # fmt: skip
    found = qs.filter(pk=candidate_id).first()
    if found is None:
        raise NotFound(_("no award candidate with id %(id)s") % {"id": candidate_id})
    return found


def submissions_of(user: AnyUser | None, candidate_id: int) -> QuerySet[Submission]:
    candidate = get_candidate(user, candidate_id)
    return candidate.submissions.defer("content").order_by("kind", "submitted_at")


def check_document(file_name: str, content: bytes) -> str:
    """The checked content type of an evidence file; ValidationFailed naming the field ``file`` otherwise."""
    if not content:
        raise ValidationFailed("file", _("%(name)s is empty") % {"name": file_name})
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed("file", _("%(name)s is %(size)s bytes; at most %(max)s")
                               % {"name": file_name, "size": len(content), "max": MAX_DOCUMENT_BYTES})  # fmt: skip
    for signature, content_type in SIGNATURES.items():
        if content.startswith(signature):
            return content_type
    raise ValidationFailed("file", _("%(name)s is not a PDF, JPEG or PNG file") % {"name": file_name})


def submit(
    user: AnyUser | None,
    candidate_id: int,
    kind: str,
    title: str,
    file_name: str,
    content: bytes,
    number: str = "",
    issued_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Submission:
    """Evidence for the caller's own candidate, within the edition's window."""
    candidate = own_candidates(user).filter(pk=candidate_id).first() if user is not None else (
        Candidate.objects.select_related("round__edition").filter(pk=candidate_id).first())  # fmt: skip
    if candidate is None:
        if user is not None and visible_candidates(user).filter(pk=candidate_id).exists():
            raise NotAllowed(_("only the candidate itself submits its evidence"))
        raise NotFound(_("no award candidate with id %(id)s") % {"id": candidate_id})
    edition = candidate.round.edition
    on = today or timezone.localdate()
    if on < edition.window_opens:
        raise ValidationFailed("kind", _("submissions open on %(date)s") % {"date": edition.window_opens.isoformat()})
    if on > edition.window_closes or candidate.round.status != Round.Status.OPEN:
        raise ValidationFailed(
            "kind", _("submissions closed on %(date)s") % {"date": edition.window_closes.isoformat()}
        )
    if kind not in Submission.Kind.values:
        raise ValidationFailed("kind", _("%(kind)s is not a kind of evidence") % {"kind": kind})
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("title", _("a title is needed"))
    if kind == Submission.Kind.REGULATION and not (number or "").strip():
        raise ValidationFailed("number", _("a regulation needs its number"))
    if kind == Submission.Kind.REGULATION and issued_on is None:
        raise ValidationFailed("issued_on", _("a regulation needs its date"))
    if issued_on is not None and issued_on > on:
        raise ValidationFailed("issued_on", _("the date is in the future"))
    content_type = check_document(file_name, content)
    return Submission.objects.create(
        candidate=candidate,
        kind=kind,
        title=title[:300],
        number=(number or "").strip()[:100],
        issued_on=issued_on,
        file_name=(file_name or "document")[:255],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        submitted_by=actor(user),
    )


def document(user: AnyUser | None, submission_id: int) -> Submission:
    found = Submission.objects.select_related("candidate").filter(pk=submission_id).first()
    if found is None or (user is not None and not visible_candidates(user).filter(pk=found.candidate_id).exists()):
        raise NotFound(_("no submission with id %(id)s") % {"id": submission_id})
    return found
