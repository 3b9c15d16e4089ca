"""Beneficiary lists: upload → preview (every row checked, nothing enrolled) → confirm (one transaction).

Who may do what, and until when, is ``programmes.workflow``; the checking and the set-based enrolment are
``programmes.services.staging``; the design (already protected people, the enrolment date) is decision 0019.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from paritrana.accounts.scopes import AnyUser
from paritrana.core import progress
from paritrana.core.bulk import history_user
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.core.messages import row_message
from paritrana.programmes import workflow
from paritrana.programmes.models import Beneficiary, BeneficiaryList, Programme
from paritrana.programmes.scopes import can_manage, visible_lists
from paritrana.programmes.services.programmes import get_programme, managed_programme
from paritrana.programmes.services.staging import Stage, check_list, enrol, kept
from paritrana.registry.models import Region

LIST_FIELDS = (
    "status",
    "enrol_on",
    "row_count",
    "valid_count",
    "enrolled_count",
    "error_count",
    "reported_count",
    "errors",
    "reported",
    "confirmed_by",
    "confirmed_at",
)  # what a confirmation changes (not the file: a list of a million rows is 80 MB)  # errors and reported rows kept with a list (the counts are always whole)


def translated(error: Mapping[str, Any]) -> str:
    """A stored row message in the active language (its template translated, its values filled in)."""
    return row_message(error)


# --- dates and eligibility ----------------------------------------------------------------------------


def enrolment_period(programme: Programme, on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of a sponsorship that starts on ``on`` (see the module's docstring)."""
    if not workflow.enrolment_open(programme.budget_year, on):
        raise refused(workflow.year_over(programme.budget_year))
    return workflow.enrolment_period(programme.budget_year, on)


# --- the workflow's answers -----------------------------------------------------------------------------


def list_state(
    user: AnyUser | None, programme: Programme, on: dt.date, lst: BeneficiaryList | None = None
) -> workflow.ListState:
    """The facts ``programmes.workflow`` reads (the system, ``user=None``, manages every programme)."""
    return workflow.ListState(
        manager=user is None or can_manage(user, programme),
        budget_year=programme.budget_year,
        on=on,
        status=lst.status if lst is not None else None,
        status_label=str(lst.get_status_display()) if lst is not None else "",
    )


def refused(refusal: workflow.Refusal) -> NotAllowed | ValidationFailed:
    """A refusal as the domain error the pages and the API answer (403, or the field it names)."""
    if refusal.kind == workflow.Kind.PERSON:
        return NotAllowed(refusal.message())
    return ValidationFailed(refusal.field, refusal.message(gettext))


def enforce(action: workflow.Action, state: workflow.ListState) -> None:
    refusal = workflow.refusal(action, state)
    if refusal is not None:
        raise refused(refusal)


# --- use cases -----------------------------------------------------------------------------------------


def get_list(user: AnyUser | None, list_id: int) -> BeneficiaryList:
    qs = (
        BeneficiaryList.objects.select_related("programme", "programme__region")
        if user is None
        else visible_lists(user)
    )
    found = qs.filter(pk=list_id).first()
    if found is None:
        raise NotFound(f"beneficiary list {list_id} does not exist")
    return found


def programme_lists(user: AnyUser | None, programme_id: int) -> QuerySet[BeneficiaryList]:
    programme = get_programme(user, programme_id)
    return BeneficiaryList.objects.filter(programme=programme).defer("content").order_by("-uploaded_at", "-id")


def beneficiaries(user: AnyUser | None, programme_id: int, query: str = "") -> QuerySet[Beneficiary]:
    """The programme's beneficiaries (the programme in the caller's scope), each with its village's name
    (``village_name``, empty when the village code is not in the register) beside the code the list gave."""
    programme = get_programme(user, programme_id)
    village = Region.objects.filter(code=OuterRef("village_code")).values("name")[:1]
    qs = (
        Beneficiary.objects.filter(programme=programme)
        .select_related("worker", "worker__region")
        .annotate(village_name=Coalesce(Subquery(village), Value("")))
    )
    query = (query or "").strip()
    if query.isdigit():
        qs = qs.filter(worker__nik__startswith=query)
    elif query:
        qs = qs.filter(worker__name__icontains=query)
    return qs.order_by("worker__name", "worker_id")


def preview_list(
    user: AnyUser | None, programme_id: int, path: Path | str, file_name: str, *, on: dt.date | None = None
) -> BeneficiaryList:
    """Check a beneficiary list and keep it for confirmation; enrols no one (see the module's docstring)."""
    programme = managed_programme(user, programme_id)
    today = on or timezone.localdate()
    enforce(workflow.Action.UPLOAD, list_state(user, programme, today))
    start, _end = workflow.enrolment_period(programme.budget_year, today)
    content = Path(path).read_bytes()
    name = (Path(file_name).name if file_name else Path(path).name)[:255] or "?"
    with transaction.atomic(), connection.cursor() as cursor:
        stage = Stage(cursor)
        try:
            checked = check_list(stage, programme, content, name, start)
        finally:
            stage.drop()
        return BeneficiaryList.objects.create(
            programme=programme,
            uploaded_by=history_user(user),
            file_name=name,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            enrol_on=start,
            row_count=checked.parsed.row_count,
            valid_count=checked.to_enrol,
            error_count=checked.error_rows,
            reported_count=len(checked.reported),
            errors=kept(checked.errors),
            reported=kept(checked.reported),
        )


ENROLLING = progress.Stage("enrolling", progress.gettext_noop("Enrolling the people on the list"))


def confirm_list(user: AnyUser | None, list_id: int, *, on: dt.date | None = None) -> BeneficiaryList:
    """Enrol the valid rows of a list in preview, checked again; one transaction (see the module)."""
    found = get_list(user, list_id)
    today = on or timezone.localdate()
    enforce(workflow.Action.CONFIRM, list_state(user, found.programme, today, found))
    with transaction.atomic():
        programme = Programme.objects.select_for_update().select_related("region").get(pk=found.programme_id)
        lst = BeneficiaryList.objects.select_for_update().get(pk=list_id)
        enforce(workflow.Action.CONFIRM, list_state(user, programme, today, lst))  # again, as locked
        start, end = workflow.enrolment_period(programme.budget_year, today)
        with connection.cursor() as cursor:
            stage = Stage(cursor)
            try:
                checked = check_list(stage, programme, bytes(lst.content), lst.file_name, start)
                progress.current().begin(ENROLLING)
                enrolled = enrol(cursor, stage, programme, lst, start, end, user)
            finally:
                stage.drop()
        lst.status = BeneficiaryList.Status.CONFIRMED
        lst.enrol_on = start
        lst.row_count = checked.parsed.row_count
        lst.valid_count = checked.to_enrol
        lst.enrolled_count = enrolled
        lst.error_count = checked.error_rows
        lst.reported_count = len(checked.reported)
        lst.errors = kept(checked.errors)
        lst.reported = kept(checked.reported)
        lst.confirmed_by = history_user(user)
        lst.confirmed_at = timezone.now()
        lst.save(update_fields=LIST_FIELDS)
    return lst
