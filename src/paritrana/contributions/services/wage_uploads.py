"""Wage files: an upload checked whole and stored, or its valid rows kept for later (decision 0026 and
``services.wages`` say who and what is refused).

- ``import_wage_file(user, employer_id, path, file_name, keep_valid=False)``: a CSV or XLSX file
  (``paritrana.contributions.wagefile``), checked whole: a file with any error stores no wage (the upload is
  ``rejected``; its errors name the row and field; its valid rows wait in ``pending_rows``), unless the user
  chose ``keep_valid`` (the valid rows are stored, the upload is ``partial``). A clean file is ``stored``.
- ``store_valid_rows(user, upload_id)``: stores the waiting valid rows of a rejected upload, checked again
  against the registry as it is now (``partial``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from paritrana.accounts.scopes import AnyUser
from paritrana.contributions.models import WageUpload
from paritrana.contributions.scopes import can_report_wages
from paritrana.contributions.services.wage_checks import Candidate, WageMsg, check_rows, invalid
from paritrana.contributions.services.wage_store import store_rows
from paritrana.contributions.services.wages import bill_months, get_upload, lock_employer, wage_employer
from paritrana.contributions.wagefile import RowError, WageFile, parse_month_cell, read_wage_file
from paritrana.core import progress
from paritrana.core.bulk import history_user
from paritrana.core.errors import NotAllowed
from paritrana.core.tabular import FILE
from paritrana.core.tabular import Msg as TableMsg
from paritrana.core.uploads import upload_limits


def _candidates(parsed: WageFile) -> list[Candidate]:
    return [Candidate(r.row, r.nik, r.period, r.wage, r.nik_was_number) for r in parsed.rows]


def _sorted_errors(errors: Iterable[RowError]) -> list[dict[str, Any]]:
    """The errors in row order, the first ``UPLOAD_LIMITS`` ``errors_shown`` of them, then one counting the rest
    (the reader's own count of those it did not keep included): an upload's answer stays bounded."""
    order = {"file": 0, "nik": 1, "period": 2, "wage": 3}
    errors = list(errors)
    hidden = sum(int(e.params.get("count", 0)) for e in errors if e.template == TableMsg.MORE_ERRORS)
    rows = sorted(
        (e for e in errors if e.template != TableMsg.MORE_ERRORS), key=lambda e: (e.row or 0, order.get(e.field, 9))
    )
    keep = upload_limits().errors_shown
    hidden += max(0, len(rows) - keep)
    shown = rows[:keep]
    if hidden:
        shown.append(RowError(None, FILE, TableMsg.MORE_ERRORS, {"count": str(hidden)}))
    return [e.as_dict() for e in shown]


def import_wage_file(
    user: AnyUser | None, employer_id: int, path: Path | str, file_name: str, keep_valid: bool = False
) -> WageUpload:
    """Check the wage file at ``path`` and store its wages for the employer (see the module's docstring).

    Returns the upload: ``stored`` (every row stored), ``partial`` (``keep_valid``: the valid rows stored)
    or ``rejected`` (nothing stored; the errors and the valid rows kept). ``NotFound`` / ``NotAllowed`` for
    an employer out of scope or a role that may not report wages.
    """
    employer = wage_employer(user, employer_id)
    parsed = read_wage_file(path, file_name, today=timezone.localdate(), limits=upload_limits())
    name = (Path(file_name).name if file_name else Path(path).name)[:255] or "?"
    progress.current().begin(progress.REGISTRY)
    with transaction.atomic():
        employer = lock_employer(employer.pk)
        checked, errors = check_rows(user, employer, _candidates(parsed))
        all_errors = [*parsed.errors, *errors]
        if not all_errors:
            status = WageUpload.Status.STORED
        elif keep_valid and checked:
            status = WageUpload.Status.PARTIAL
        else:
            status = WageUpload.Status.REJECTED
        upload = WageUpload.objects.create(
            employer=employer,
            uploaded_by=history_user(user),
            file_name=name,
            status=status,
            row_count=parsed.row_count,
            errors=_sorted_errors(all_errors),
            pending_rows=[c.as_pending() for c in checked] if status == WageUpload.Status.REJECTED else [],
        )
        if status != WageUpload.Status.REJECTED:
            changed = store_rows(user, employer, upload, checked)
            upload.stored_count = len(checked)
            upload.save(update_fields=["stored_count"])
            bill_months(user, employer, changed)
    return upload


STORING_VALID = progress.Stage("storing", progress.gettext_noop("Storing the valid rows and billing their months"))


def store_valid_rows(user: AnyUser | None, upload_id: int) -> WageUpload:
    """Store the valid rows kept by a rejected upload (checked again against the registry as it is now).

    The upload becomes ``partial``; a row the registry no longer accepts joins its errors instead.
    """
    get_upload(user, upload_id)
    if not can_report_wages(user):
        raise NotAllowed("your role cannot see or report wages")
    with transaction.atomic():
        upload = WageUpload.objects.select_for_update().get(pk=upload_id)
        if upload.status != WageUpload.Status.REJECTED:
            raise invalid("upload", WageMsg.NOT_REJECTED, status=upload.get_status_display())
        if not upload.pending_rows:
            raise invalid("upload", WageMsg.NO_PENDING)
        employer = lock_employer(upload.employer_id)
        candidates = [
            Candidate(int(p["row"]), str(p["nik"]), parse_month_cell(p["period"]), int(p["wage"]))
            for p in upload.pending_rows
        ]
        checked, errors = check_rows(user, employer, candidates)
        progress.current().begin(STORING_VALID)
        changed = store_rows(user, employer, upload, checked)
        if errors:
            upload.errors = _sorted_errors([*(_row_error(e) for e in upload.errors), *errors])
        upload.status = WageUpload.Status.PARTIAL if checked else WageUpload.Status.REJECTED
        upload.stored_count = len(checked)
        upload.pending_rows = []
        upload.save(update_fields=["errors", "status", "stored_count", "pending_rows"])
        bill_months(user, employer, changed)
    return upload


def _row_error(stored: Mapping[str, Any]) -> RowError:
    return RowError(
        stored.get("row"),
        str(stored.get("field", "")),
        str(stored.get("template") or stored.get("message", "")),
        dict(stored.get("params") or {}),
    )
