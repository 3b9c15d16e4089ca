"""Storing checked wage rows in bulk: reports created or corrected with their history rows, in set-based SQL
(a file may have tens of thousands of rows). ``services/wage_uploads.py`` checks the rows (``wage_checks``)
and calls ``store_rows``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from paritrana.accounts.scopes import AnyUser
from paritrana.contributions.models import WageReport, WageUpload
from paritrana.contributions.wagefile import month_label
from paritrana.core.bulk import chunks, history_user
from paritrana.registry.models import Employer

BATCH = 500  # rows per bulk INSERT / UPDATE


@dataclass(frozen=True)
class Checked:
    """A row that passed every check, ready to store."""

    row: int
    worker_id: int
    nik: str
    period: dt.date
    wage: int

    def as_pending(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "worker": self.worker_id,
            "nik": self.nik,
            "period": month_label(self.period),
            "wage": self.wage,
        }


# --- storing ----------------------------------------------------------------------------------------


def store_rows(
    user: AnyUser | None, employer: Employer, upload: WageUpload | None, rows: Sequence[Checked]
) -> set[dt.date]:
    """Create or correct the reports of ``rows`` in bulk, with their history rows; the months whose wages changed.

    Set-based SQL rather than model instances (a file may have tens of thousands of rows): multi-row
    INSERTs (``RETURNING id``), an UPDATE per batch with the new wages in one CASE, and the history rows
    simple-history would write (``+`` created, ``~`` changed; the user; the time) copied from the reports
    by ``INSERT … SELECT``.
    """
    periods = sorted({r.period for r in rows})
    existing: dict[tuple[int, dt.date], tuple[int, int, int]] = {}
    for chunk in chunks(sorted({r.worker_id for r in rows})):
        found = (
            WageReport.objects.filter(worker_id__in=chunk, period__in=periods)
            .order_by()
            .values_list("id", "worker_id", "period", "wage", "employer_id")
        )
        for pk, worker_id, period, wage, employer_id in found:
            existing[(worker_id, period)] = (pk, wage, employer_id)
    new: list[Checked] = []
    corrected: list[tuple[int, int]] = []  # (report id, new wage)
    changed: set[dt.date] = set()
    for r in rows:
        current = existing.get((r.worker_id, r.period))
        if current is None:
            new.append(r)
        elif current[1] != r.wage or current[2] != employer.pk:
            corrected.append((current[0], r.wage))
        else:
            continue
        changed.add(r.period)
    reporter = history_user(user)
    stamp = _SqlStamp(employer.pk, upload.pk if upload else None, reporter.pk if reporter else None)
    with connection.cursor() as cursor:
        created = _insert_reports(cursor, stamp, new)
        _update_reports(cursor, stamp, corrected)
        _copy_history(cursor, stamp, created, "+")
        _copy_history(cursor, stamp, [pk for pk, _ in corrected], "~")
    return changed


@dataclass(frozen=True)
class _SqlStamp:
    """What every row written by one ``_store`` call shares: employer, upload, reporter, time."""

    employer_id: int
    upload_id: int | None
    user_id: int | None
    at: dt.datetime = dataclass_field(default_factory=timezone.now)

    @property
    def at_db(self) -> Any:
        return connection.ops.adapt_datetimefield_value(self.at)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: Any, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _insert_reports(cursor: CursorWrapper, stamp: _SqlStamp, rows: Sequence[Checked]) -> list[int]:
    names = ("worker", "employer", "period", "wage", "upload", "reported_by", "reported_at")
    columns = ", ".join(_column(WageReport, n) for n in names)
    ids: list[int] = []
    for chunk in chunks(rows, BATCH):
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        params: list[Any] = []
        for r in chunk:
            period = connection.ops.adapt_datefield_value(r.period)
            params += [r.worker_id, stamp.employer_id, period, r.wage, stamp.upload_id, stamp.user_id, stamp.at_db]
        cursor.execute(
            f"INSERT INTO {_table(WageReport)} ({columns}) VALUES {values} RETURNING {_column(WageReport, 'id')}",
            params,
        )
        ids += [row[0] for row in cursor.fetchall()]
    return ids


def _update_reports(cursor: CursorWrapper, stamp: _SqlStamp, corrected: Sequence[tuple[int, int]]) -> None:
    pk, wage = _column(WageReport, "id"), _column(WageReport, "wage")
    for chunk in chunks(corrected, BATCH):
        cases = " ".join(["WHEN %s THEN %s"] * len(chunk))
        sets = ", ".join(f"{_column(WageReport, n)} = %s" for n in ("employer", "upload", "reported_by", "reported_at"))
        ids = [report_id for report_id, _ in chunk]
        cursor.execute(
            f"UPDATE {_table(WageReport)} SET {wage} = CASE {pk} {cases} END, {sets} "
            f"WHERE {pk} IN ({', '.join(['%s'] * len(ids))})",
            [v for pair in chunk for v in pair]
            + [stamp.employer_id, stamp.upload_id, stamp.user_id, stamp.at_db]
            + ids,
        )


def _copy_history(cursor: CursorWrapper, stamp: _SqlStamp, ids: Sequence[int], history_type: str) -> None:
    """The history rows of the reports ``ids`` as they now are (what simple-history writes on a save)."""
    history = WageReport.history.model
    copied = [str(f.column) for f in WageReport._meta.concrete_fields]
    columns = [*copied, "history_date", "history_change_reason", "history_type", "history_user_id"]
    into = ", ".join(connection.ops.quote_name(c) for c in columns)
    select = ", ".join(connection.ops.quote_name(c) for c in copied)
    pk = _column(WageReport, "id")
    for chunk in chunks(list(ids)):
        cursor.execute(
            f"INSERT INTO {_table(history)} ({into}) SELECT {select}, %s, NULL, %s, %s FROM {_table(WageReport)} "
            f"WHERE {pk} IN ({', '.join(['%s'] * len(chunk))})",
            [stamp.at_db, history_type, stamp.user_id, *chunk],
        )
