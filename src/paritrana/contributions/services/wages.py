"""Wage reports: an employer's report of each wage earner's (PU) wage for a month, one at a time or as a file.

- ``report_wage(user, worker_id, period, wage)``: one worker's wage for one month. A second report of the
  same worker and month corrects the first (one ``WageReport`` per worker and month; simple-history keeps
  every earlier value and who reported it).
- ``wage_uploads.import_wage_file`` / ``store_valid_rows``: a CSV or XLSX file, checked whole (see there).
- The checks against the registry are ``wage_checks``; the bulk store is ``wage_store``.

**Who.** Administrators, branch officers (employers in their territory) and employer HR (its own company):
``contributions.scopes.WAGE_REPORTERS``. A worker or employer outside the caller's scope is ``NotFound``
(the same as absent); a role that sees it but may not report wages gets ``NotAllowed``.

**What is refused** (a ``ValidationFailed`` naming the field; a file's row error names the row too): a
worker who is not a wage earner (PU) of the employer (a non-wage earner, BPU, declares its own income); a
negative wage, or one that is not whole rupiah; a month before the worker's first membership, or before
the contributions law is in force (the first month ``pu_contributions`` can be computed: the rules say
when, not this module); a month more than one month ahead (a payroll is often ready before its month ends;
a month further ahead is a mistake more likely than a plan); a month of the worker already billed (even
partly) to another payer, such as a former employer: the billing run leaves that month as it is (decision
0047), so the wage would change no bill; its correction is an officer's, on that payer's bill (decision 0048).

**Bills follow.** After wages of an employer are stored, its bills of the months whose wages changed are
computed again at once, in the same transaction: ``billing.run_billing(month, employer_ids=[employer])``
for each such month that has begun or already has a bill (a correction after billing becomes an
adjustment line). A month not begun is billed by the monthly run.

**Bulk.** A file is checked in a few queries (its NIKs, the workers' first memberships, their months billed
to another payer, the reports it replaces: a query per 2,000 rows each) and stored set-based: multi-row INSERTs, an UPDATE per 500
corrections, and the history rows simple-history keeps copied from the reports by ``INSERT … SELECT``
(model instances cost more than the database for tens of thousands of rows), in one transaction.
Wage writes of one employer are serialised by a lock on its row (two at once: the second corrects
the first's report instead of failing on the one-report-per-worker-and-month constraint).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, QuerySet
from django.utils import timezone

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of, visible_employers, visible_workers
from paritrana.contributions.models import Bill, WageReport, WageUpload
from paritrana.contributions.scopes import can_report_wages, visible_wage_reports, visible_wage_uploads
from paritrana.contributions.services.wage_checks import WageMsg, check_not_billed_elsewhere, invalid, month_checks
from paritrana.contributions.wagefile import (
    CellError,
    Msg,
    latest_month,
    month_label,
    parse_month_cell,
    parse_wage,
)
from paritrana.core.bulk import history_user, stamp_history
from paritrana.core.errors import NotAllowed, NotFound
from paritrana.core.messages import row_message
from paritrana.core.tabular_cells import parse_nik_cell
from paritrana.registry.models import Employer, Membership, Scheme, Worker


def translated(error: Mapping[str, Any]) -> str:
    """A stored row error's message in the active language (its template translated, its values filled in)."""
    return row_message(error)


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
        raise invalid("nik", err.template, **err.params) from None
    worker = visible_workers(user).filter(nik=nik).first()
    if worker is None:
        raise invalid("nik", WageMsg.NOT_REGISTERED, nik=nik, employer=employer.name)
    return worker


def _stamp(obj: Any, user: AnyUser | None) -> None:
    """Name the user in the record's history, also outside a web request (API token, command line)."""
    stamp_history(obj, user)


def _billing_caller(user: AnyUser | None) -> AnyUser | None:
    """Who the bills are recomputed for: run_billing accepts an administrator, and HR for its own employer;
    a branch officer's report is billed as the system would (its right to report was checked here)."""
    return user if role_of(user) in (Role.ADMIN, Role.EMPLOYER_HR) else None


def lock_employer(employer_id: int) -> Employer:
    return Employer.objects.select_for_update().get(pk=employer_id)


def bill_months(user: AnyUser | None, employer: Employer, months: Iterable[dt.date]) -> list[dt.date]:
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
        raise invalid("worker", WageMsg.NOT_PU, nik=worker.nik)
    if employer_id is not None and worker.employer_id != employer_id:
        employer = wage_employer(user, employer_id)
        other = worker.employer.name if worker.employer else "?"
        raise invalid("worker", WageMsg.OTHER_EMPLOYER, nik=worker.nik, other=other, employer=employer.name)
    if not visible_employers(user).filter(pk=worker.employer_id).exists():
        raise NotAllowed("the worker's employer is not in your scope")
    try:
        month = parse_month_cell(period)
    except CellError as err:
        raise invalid("period", err.template, **err.params) from None
    latest = latest_month(timezone.localdate())
    if month > latest:
        raise invalid("period", Msg.PERIOD_FUTURE, month=month_label(month), latest=month_label(latest))
    try:
        amount = parse_wage(wage)
    except CellError as err:
        raise invalid("wage", err.template, **err.params) from None
    first = Membership.objects.filter(worker=worker).aggregate(first=Min("start"))["first"]
    problem = month_checks(month, first)
    if problem is not None:
        raise invalid("period", problem[0], **problem[1])
    with transaction.atomic():
        employer = lock_employer(worker.employer_id)
        check_not_billed_elsewhere(employer.pk, worker.pk, worker.nik, month)
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
        bill_months(user, employer, [month])
    return report


def template_rows(user: AnyUser | None, employer_id: int) -> list[tuple[str, str]]:
    """(NIK, name) of the employer's wage earners, for a wage file to fill in."""
    return list(wage_earners(user, employer_id).values_list("nik", "name"))
