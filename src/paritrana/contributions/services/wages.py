"""Wage reports: an employer's report of each wage earner's (PU) wage for a month, one at a time or as a file.

- ``report_wage(user, worker_id, period, wage)``: one worker's wage for one month. A second report of the
  same worker and month corrects the first (one ``WageReport`` per worker and month; simple-history keeps
  every earlier value and who reported it).
- ``import_wage_file(user, employer_id, path, file_name, keep_valid=False)``: a CSV or XLSX file
  (``paritrana.contributions.wagefile``), checked whole: a file with any error stores no wage (the upload is
  ``rejected``; its errors name the row and field; its valid rows wait in ``pending_rows``), unless the user
  chose ``keep_valid`` (the valid rows are stored, the upload is ``partial``). A clean file is ``stored``.
- ``store_valid_rows(user, upload_id)``: stores the waiting valid rows of a rejected upload, checked again
  against the registry as it is now (``partial``).

**Who.** Administrators, branch officers (employers in their territory) and employer HR (its own company):
``contributions.scopes.WAGE_REPORTERS``. A worker or employer outside the caller's scope is ``NotFound``
(the same as absent); a role that sees it but may not report wages gets ``NotAllowed``.

**What is refused** (a ``ValidationFailed`` naming the field; a file's row error names the row too): a
worker who is not a wage earner (PU) of the employer (a non-wage earner, BPU, declares its own income); a
negative wage, or one that is not whole rupiah; a month before the worker's first membership, or before
the contributions law is in force (the first month ``pu_contributions`` can be computed: the rules say
when, not this module); a month more than one month ahead (a payroll is often ready before its month ends;
a month further ahead is a mistake more likely than a plan).

**Bills follow.** After wages of an employer are stored, its bills of the months whose wages changed are
computed again at once, in the same transaction: ``billing.run_billing(month, employer_ids=[employer])``
for each such month that has begun or already has a bill (a correction after billing becomes an
adjustment line). A month not begun is billed by the monthly run.

**Bulk.** A file is checked in a few queries (its NIKs, the workers' first memberships, the reports it
replaces: a query per 2,000 rows each) and stored set-based: multi-row INSERTs, an UPDATE per 500
corrections, and the history rows simple-history keeps copied from the reports by ``INSERT … SELECT``
(model instances cost more than the database for tens of thousands of rows), in one transaction.
Wage writes of one employer are serialised by a lock on its row (two at once: the second corrects
the first's report instead of failing on the one-report-per-worker-and-month constraint).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of, visible_employers, visible_workers
from paritrana.contributions.models import Bill, WageReport, WageUpload
from paritrana.contributions.periods import next_month, shown_date
from paritrana.contributions.scopes import can_report_wages, visible_wage_reports, visible_wage_uploads
from paritrana.contributions.services.wage_store import Checked, store_rows
from paritrana.contributions.wagefile import (
    CellError,
    Msg,
    RowError,
    WageFile,
    latest_month,
    month_label,
    parse_month_cell,
    parse_nik_cell,
    parse_wage,
    read_wage_file,
)
from paritrana.core.bulk import chunks, history_user, stamp_history
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.core.messages import row_message
from paritrana.core.tabular import FILE
from paritrana.core.tabular import Msg as TableMsg
from paritrana.core.uploads import upload_limits
from paritrana.registry.models import Employer, Membership, Scheme, Worker
from paritrana.rules import ParameterNotInForce, compute_one

LAW_RULE = "pu_contributions"  # the rule whose parameters say from which month contributions are due


class WageMsg:
    """Messages about a wage report that need the registry; English templates marked for translation."""

    NOT_REGISTERED = gettext_noop("no worker with NIK {nik} is registered with {employer}; register the worker first")
    NOT_REGISTERED_NUMBER = gettext_noop(
        "no worker with NIK {nik} is registered with {employer}; the NIK was a number cell, and a spreadsheet "
        "keeps only 15 digits of a number: format the NIK column as text"
    )
    OTHER_EMPLOYER = gettext_noop("the worker with NIK {nik} is a wage earner of {other}, not of {employer}")
    NOT_PU = gettext_noop(
        "the worker with NIK {nik} is a non-wage earner (BPU), who declares its own income; "
        "wages are reported for wage earners (PU)"
    )
    BEFORE_MEMBERSHIP = gettext_noop("{month} is before the worker's membership began ({start})")
    BEFORE_LAW = gettext_noop("{month} is before contributions were due under the law (from {first})")
    NO_PENDING = gettext_noop("this upload has no valid rows waiting to be stored")
    NOT_REJECTED = gettext_noop("this upload is {status}; only a rejected upload's valid rows can be stored")


def _invalid(field: str, template: str, **params: str) -> ValidationFailed:
    return ValidationFailed(field, gettext(template).format(**params))


def translated(error: Mapping[str, Any]) -> str:
    """A stored row error's message in the active language (its template translated, its values filled in)."""
    return row_message(error)


@lru_cache(maxsize=1)
def first_month_of_law() -> dt.date:
    """The first month for which ``pu_contributions`` can be computed: every parameter it reads is in force."""
    month = dt.date(1900, 1, 1)
    while True:
        try:
            compute_one(LAW_RULE, month, {"wage": 0, "risk_group": 1})
        except ParameterNotInForce as err:
            first = err.first if err.first.day == 1 else next_month(err.first.replace(day=1))
            if first <= month:
                raise
            month = first
        else:
            return month


# --- scope ------------------------------------------------------------------------------------------


def wage_employer(user: AnyUser | None, employer_id: int) -> Employer:
    """The employer whose wages the caller may see and report: ``NotFound`` out of scope, ``NotAllowed`` by role."""
    employer = visible_employers(user).filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(f"employer {employer_id} does not exist")
    if not can_report_wages(user):
        raise NotAllowed("your role cannot see or report wages")
    return employer


def wage_reports(user: AnyUser | None, employer_id: int, period: dt.date | None = None) -> QuerySet[WageReport]:
    """The employer's wage reports (of one month when ``period`` is given), newest month first."""
    employer = wage_employer(user, employer_id)
    qs = visible_wage_reports(user).filter(employer=employer).select_related("worker", "upload")
    if period is not None:
        qs = qs.filter(period=period)
    return qs.order_by("-period", "worker__name", "worker_id")


def wage_uploads(user: AnyUser | None, employer_id: int) -> QuerySet[WageUpload]:
    employer = wage_employer(user, employer_id)
    return visible_wage_uploads(user).filter(employer=employer).order_by("-uploaded_at", "-id")


def get_upload(user: AnyUser | None, upload_id: int) -> WageUpload:
    upload = visible_wage_uploads(user).select_related("employer").filter(pk=upload_id).first()
    if upload is None:
        raise NotFound(f"wage upload {upload_id} does not exist")
    return upload


def wage_earners(user: AnyUser | None, employer_id: int) -> QuerySet[Worker]:
    """The employer's wage earners (PU) the caller sees: who a wage is reported for."""
    employer = wage_employer(user, employer_id)
    return visible_workers(user).filter(employer=employer, scheme=Scheme.PU).order_by("name", "pk")


def find_worker(user: AnyUser | None, employer_id: int, nik: str) -> Worker:
    """The employer's wage earner with ``nik`` (``ValidationFailed`` on field ``nik`` otherwise)."""
    employer = wage_employer(user, employer_id)
    try:
        nik, _ = parse_nik_cell(str(nik))
    except CellError as err:
        raise _invalid("nik", err.template, **err.params) from None
    worker = visible_workers(user).filter(nik=nik).first()
    if worker is None:
        raise _invalid("nik", WageMsg.NOT_REGISTERED, nik=nik, employer=employer.name)
    return worker


def _stamp(obj: Any, user: AnyUser | None) -> None:
    """Name the user in the record's history, also outside a web request (API token, command line)."""
    stamp_history(obj, user)


def _billing_caller(user: AnyUser | None) -> AnyUser | None:
    """Who the bills are recomputed for: run_billing accepts an administrator, and HR for its own employer;
    a branch officer's report is billed as the system would (its right to report was checked here)."""
    return user if role_of(user) in (Role.ADMIN, Role.EMPLOYER_HR) else None


def _lock_employer(employer_id: int) -> Employer:
    return Employer.objects.select_for_update().get(pk=employer_id)


def _bill(user: AnyUser | None, employer: Employer, months: Iterable[dt.date]) -> list[dt.date]:
    """Bill again the months whose wages changed (those begun, or already billed); the months billed."""
    from paritrana.contributions.services.billing import run_billing

    months = sorted(set(months))
    if not months:
        return []
    current = timezone.localdate().replace(day=1)
    if connection.vendor == "postgresql":
        # fresh statistics for the billing extract after a bulk store (a plan from stale ones hung once)
        tables = ", ".join(m._meta.db_table for m in (WageReport, Worker, Bill))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
    billed = set(Bill.objects.filter(payer__employer=employer, period__in=months).values_list("period", flat=True))
    done = []
    for month in months:
        if month <= current or month in billed:
            run_billing(month, user=_billing_caller(user), employer_ids=[employer.pk])
            done.append(month)
    return done


# --- checks against the registry --------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    row: int
    nik: str
    period: dt.date
    wage: int
    nik_was_number: bool = False


def _month_checks(period: dt.date, first_membership: dt.date | None) -> tuple[str, dict[str, str]] | None:
    law = first_month_of_law()
    if period < law:
        return WageMsg.BEFORE_LAW, {"month": month_label(period), "first": month_label(law)}
    if first_membership is not None and period < first_membership.replace(day=1):
        return WageMsg.BEFORE_MEMBERSHIP, {"month": month_label(period), "start": shown_date(first_membership)}
    return None


def _first_memberships(worker_ids: Sequence[int]) -> dict[int, dt.date]:
    firsts: dict[int, dt.date] = {}
    for chunk in chunks(sorted(set(worker_ids))):
        rows = (
            Membership.objects.filter(worker_id__in=chunk).values("worker_id").annotate(first=Min("start")).order_by()
        )
        firsts.update({r["worker_id"]: r["first"] for r in rows})
    return firsts


def _check_rows(
    user: AnyUser | None, employer: Employer, candidates: Sequence[_Candidate]
) -> tuple[list[Checked], list[RowError]]:
    """The candidates that the registry accepts, and an error for each one it does not (in bulk)."""
    found: dict[str, dict[str, Any]] = {}
    niks = sorted({c.nik for c in candidates})
    for chunk in chunks(niks):
        for row in (
            visible_workers(user)
            .filter(nik__in=chunk)
            .values("id", "nik", "scheme", "employer_id", "employer__name")
            .order_by()
        ):
            found[row["nik"]] = dict(row)
    firsts = _first_memberships([w["id"] for w in found.values()])
    checked: list[Checked] = []
    errors: list[RowError] = []
    for c in candidates:
        w = found.get(c.nik)
        if w is None:
            template = WageMsg.NOT_REGISTERED_NUMBER if c.nik_was_number else WageMsg.NOT_REGISTERED
            errors.append(RowError(c.row, "nik", template, {"nik": c.nik, "employer": employer.name}))
            continue
        if w["scheme"] != Scheme.PU:
            errors.append(RowError(c.row, "nik", WageMsg.NOT_PU, {"nik": c.nik}))
            continue
        if w["employer_id"] != employer.pk:
            params = {"nik": c.nik, "other": w["employer__name"] or "?", "employer": employer.name}
            errors.append(RowError(c.row, "nik", WageMsg.OTHER_EMPLOYER, params))
            continue
        problem = _month_checks(c.period, firsts.get(w["id"]))
        if problem is not None:
            errors.append(RowError(c.row, "period", problem[0], problem[1]))
            continue
        checked.append(Checked(c.row, w["id"], c.nik, c.period, c.wage))
    return checked, errors


# --- use cases --------------------------------------------------------------------------------------


def report_wage(
    user: AnyUser | None, worker_id: int, period: dt.date | str, wage: int | str, *, employer_id: int | None = None
) -> WageReport:
    """Report (or correct) ``worker_id``'s wage for the month ``period`` (its first day, or ``"YYYY-MM"``).

    ``employer_id``, when given, is the employer the caller reports for: a worker of another employer is
    then refused. Raises ``NotFound``, ``NotAllowed`` or ``ValidationFailed`` (field ``worker``, ``period``
    or ``wage``); then nothing is stored.
    """
    worker = visible_workers(user).filter(pk=worker_id).first()
    if worker is None:
        raise NotFound(f"worker {worker_id} does not exist")
    if not can_report_wages(user):
        raise NotAllowed("your role cannot see or report wages")
    if worker.scheme != Scheme.PU or worker.employer_id is None:
        raise _invalid("worker", WageMsg.NOT_PU, nik=worker.nik)
    if employer_id is not None and worker.employer_id != employer_id:
        employer = wage_employer(user, employer_id)
        other = worker.employer.name if worker.employer else "?"
        raise _invalid("worker", WageMsg.OTHER_EMPLOYER, nik=worker.nik, other=other, employer=employer.name)
    if not visible_employers(user).filter(pk=worker.employer_id).exists():
        raise NotAllowed("the worker's employer is not in your scope")
    try:
        month = parse_month_cell(period)
    except CellError as err:
        raise _invalid("period", err.template, **err.params) from None
    latest = latest_month(timezone.localdate())
    if month > latest:
        raise _invalid("period", Msg.PERIOD_FUTURE, month=month_label(month), latest=month_label(latest))
    try:
        amount = parse_wage(wage)
    except CellError as err:
        raise _invalid("wage", err.template, **err.params) from None
    first = Membership.objects.filter(worker=worker).aggregate(first=Min("start"))["first"]
    problem = _month_checks(month, first)
    if problem is not None:
        raise _invalid("period", problem[0], **problem[1])
    with transaction.atomic():
        employer = _lock_employer(worker.employer_id)
        report = WageReport.objects.filter(worker=worker, period=month).first()
        if report is not None and report.wage == amount and report.employer_id == employer.pk:
            return report
        if report is None:
            report = WageReport(worker=worker, period=month)
        report.employer = employer
        report.wage = amount
        report.upload = None
        report.reported_by = history_user(user)
        _stamp(report, user)
        report.save()
        _bill(user, employer, [month])
    return report


def _candidates(parsed: WageFile) -> list[_Candidate]:
    return [_Candidate(r.row, r.nik, r.period, r.wage, r.nik_was_number) for r in parsed.rows]


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
    with transaction.atomic():
        employer = _lock_employer(employer.pk)
        checked, errors = _check_rows(user, employer, _candidates(parsed))
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
            _bill(user, employer, changed)
    return upload


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
            raise _invalid("upload", WageMsg.NOT_REJECTED, status=upload.get_status_display())
        if not upload.pending_rows:
            raise _invalid("upload", WageMsg.NO_PENDING)
        employer = _lock_employer(upload.employer_id)
        candidates = [
            _Candidate(int(p["row"]), str(p["nik"]), parse_month_cell(p["period"]), int(p["wage"]))
            for p in upload.pending_rows
        ]
        checked, errors = _check_rows(user, employer, candidates)
        changed = store_rows(user, employer, upload, checked)
        if errors:
            upload.errors = _sorted_errors([*(_row_error(e) for e in upload.errors), *errors])
        upload.status = WageUpload.Status.PARTIAL if checked else WageUpload.Status.REJECTED
        upload.stored_count = len(checked)
        upload.pending_rows = []
        upload.save(update_fields=["errors", "status", "stored_count", "pending_rows"])
        _bill(user, employer, changed)
    return upload


def _row_error(stored: Mapping[str, Any]) -> RowError:
    return RowError(
        stored.get("row"),
        str(stored.get("field", "")),
        str(stored.get("template") or stored.get("message", "")),
        dict(stored.get("params") or {}),
    )


def template_rows(user: AnyUser | None, employer_id: int) -> list[tuple[str, str]]:
    """(NIK, name) of the employer's wage earners, for a wage file to fill in."""
    return list(wage_earners(user, employer_id).values_list("nik", "name"))
