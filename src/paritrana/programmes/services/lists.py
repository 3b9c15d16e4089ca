"""Beneficiary lists: upload → preview (every row checked, nothing enrolled) → confirm (one transaction).

**Preview** (``preview_list``). The file is read and every row checked (``programmes.listfile``: NIK,
name, birth date and age, sex, occupation, village inside the programme's region, the same NIK twice),
then against the registry: the village's district must be a region of the registry (the worker's
region of domicile), and people already in the registry are looked up. The outcome is kept as a
``BeneficiaryList`` in status ``preview`` with the file itself; no worker, membership or
beneficiary is written, and the list enrols nobody until it is confirmed.

**Already protected** (reported, never enrolled twice). A row whose NIK belongs to a registered worker
who, on the enrolment date, is already this programme's beneficiary, or holds a JKK or JKM membership in
force (a wage earner at an employer, a non-wage earner paying for itself, or one sponsored by another
programme or a CSR fund). The registry's membership is the test, not the payment status: a participant
in arrears is still a participant, and two memberships of one person would bill two payers. A
registered person without a JKK/JKM membership in force (a lapsed participant, or last year's
beneficiary whose sponsorship ended on 31 December) is enrolled: its record is reused.

**Confirm** (``confirm_list``) checks the stored file again against the registry as it is then, and
enrols the rows that pass, in one transaction, set-based: the rows go into a temporary table (``COPY``
on PostgreSQL, ``executemany`` on SQLite) and each step is one statement over it — new workers
(``INSERT … SELECT``), reused workers (``UPDATE … FROM``), memberships JKK and JKM from the enrolment
date to 31 December of the budget year, beneficiaries, and the history rows simple-history would write.
The programme's row is locked first, so two confirmations of one programme run one after the other; a
person registered by someone else between the check and the insert makes the whole confirmation fail
(nothing stored; confirm again). Rows with errors are left out: the preview says how many rows will be
enrolled and which are left out, and why.

**Enrolment date**: the day of the confirmation, or 1 January of the budget year if that is later.
After 31 December of the budget year a programme enrols no one: it is renewed (``renew_programme``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from paritrana.accounts.scopes import AnyUser
from paritrana.core.bulk import chunks, history_user
from paritrana.core.messages import row_message
from paritrana.core.tabular import RowError
from paritrana.core.uploads import upload_limits
from paritrana.programmes.listfile import Eligibility, ListFile, ListRow, occupation_names, read_list
from paritrana.programmes.models import PACKAGE_PROGRAMMES, Beneficiary, BeneficiaryList, Programme
from paritrana.programmes.scopes import can_manage, visible_lists
from paritrana.programmes.services.programmes import get_programme, managed_programme
from paritrana.registry.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Employer, Membership, Occupation, Region, Scheme, Sponsor, Worker

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
ANALYZE_AFTER = 20_000  # people enrolled at once, from which PostgreSQL's statistics are refreshed


class ListMsg:
    """Messages that need the registry; English templates marked for translation."""

    DISTRICT_MISSING = gettext_noop(
        "district {district} of village {village} is not in the registry; an administrator loads the regions"
    )
    ALREADY_HERE = gettext_noop("already enrolled by this programme since {date}; not enrolled again")
    PROTECTED_PU = gettext_noop("already protected: a wage earner (PU) of {employer}; not enrolled")
    PROTECTED_SELF = gettext_noop(
        "already protected: a non-wage earner (BPU) who pays its own contributions; not enrolled"
    )
    PROTECTED_SPONSOR = gettext_noop("already protected: sponsored by {sponsor}; not enrolled")
    YEAR_OVER = gettext_noop(
        "the budget year {year} has ended on 31 December; renew the programme for {next} and upload the "
        "verified list to the renewed programme"
    )
    NOT_PREVIEW = gettext_noop("this list is {status}; only a list in preview can be confirmed")
    CHANGED = gettext_noop(
        "{count} people of the list were registered by someone else while the list was being confirmed; "
        "nothing is enrolled: upload the list again"
    )


def translated(error: Mapping[str, Any]) -> str:
    """A stored row message in the active language (its template translated, its values filled in)."""
    return row_message(error)


# --- dates and eligibility ----------------------------------------------------------------------------


def enrolment_period(programme: Programme, on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of a sponsorship that starts on ``on`` (see the module's docstring)."""
    first, last = dt.date(programme.budget_year, 1, 1), dt.date(programme.budget_year, 12, 31)
    if on > last:
        raise ValidationFailed(
            "programme",
            gettext(ListMsg.YEAR_OVER).format(year=programme.budget_year, next=programme.budget_year + 1),
        )
    return max(on, first), last


def eligibility(programme: Programme, start: dt.date) -> Eligibility:
    return Eligibility(
        region_code=programme.region.code,
        region_name=programme.region.name,
        occupations=frozenset(programme.occupations),
        min_age=programme.min_age,
        max_age=programme.max_age,
        on=start,
    )


# --- the temporary table of a list's rows -----------------------------------------------------------


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


STAGE_COLUMNS = ("line_no", "nik", "name", "birth_date", "sex", "occupation", "region_id", "village", "address")


class Stage:
    """A temporary table holding the rows of one list while they are checked and enrolled."""

    def __init__(self, cursor: CursorWrapper) -> None:
        self.cursor = cursor
        self.name = f"programme_stage_{uuid.uuid4().hex[:12]}"
        cursor.execute(
            f"CREATE TEMPORARY TABLE {self.name} (line_no integer NOT NULL, nik varchar(16) NOT NULL, "
            "name varchar(200) NOT NULL, birth_date date NOT NULL, sex varchar(1) NOT NULL, "
            "occupation varchar(30) NOT NULL, region_id bigint NOT NULL, village varchar(13) NOT NULL, "
            "address varchar(300) NOT NULL, worker_id bigint, is_new integer NOT NULL DEFAULT 1)"
        )

    def load(self, rows: Sequence[ListRow], region_ids: Mapping[str, int]) -> None:
        columns = ", ".join(STAGE_COLUMNS)
        if connection.vendor == "postgresql":
            with self.cursor.copy(f"COPY {self.name} ({columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(
                        (
                            r.row,
                            r.nik,
                            r.name,
                            r.birth_date,
                            r.sex,
                            r.occupation,
                            region_ids[r.district],
                            r.village,
                            r.address,
                        )
                    )
        else:
            sql = f"INSERT INTO {self.name} ({columns}) VALUES ({', '.join(['%s'] * len(STAGE_COLUMNS))})"
            for i in range(0, len(rows), 50_000):
                self.cursor.executemany(
                    sql,
                    [
                        (
                            r.row,
                            r.nik,
                            r.name,
                            _date(r.birth_date),
                            r.sex,
                            r.occupation,
                            region_ids[r.district],
                            r.village,
                            r.address,
                        )
                        for r in rows[i : i + 50_000]
                    ],
                )
        self.cursor.execute(f"CREATE INDEX {self.name}_nik ON {self.name} (nik)")
        if connection.vendor == "postgresql":
            self.cursor.execute(f"ANALYZE {self.name}")

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def count(self, where: str = "1 = 1") -> int:
        self.cursor.execute(f"SELECT count(*) FROM {self.name} WHERE {where}")
        return int(self.cursor.fetchone()[0])

    # the registered workers already protected on the day, or already this programme's beneficiaries
    def _protected(self, alias: str) -> str:
        end = _q("end")
        programmes = ", ".join(f"'{p}'" for p in ("JKK", "JKM"))
        return (
            f"(EXISTS (SELECT 1 FROM {_table(Beneficiary)} b WHERE b.worker_id = {alias}.worker_id AND b.programme_id = %s)"
            f" OR EXISTS (SELECT 1 FROM {_table(Membership)} m WHERE m.worker_id = {alias}.worker_id"
            f" AND m.programme IN ({programmes}) AND m.start <= %s AND (m.{end} IS NULL OR m.{end} >= %s)))"
        )

    def classify(self, programme: Programme, on: dt.date) -> list[RowError]:
        """Mark the rows of registered people; the rows already protected, as row messages (see the module)."""
        worker = _table(Worker)
        # only the rows of people already registered are written (is_new = 0); the others are only read
        self.cursor.execute(
            f"UPDATE {self.name} SET worker_id = w.id, is_new = 0 FROM {worker} w WHERE w.nik = {self.name}.nik"
        )
        day = _date(on)
        self.cursor.execute(
            f"""
            SELECT s.line_no, s.nik, w.scheme, e.name, sp.kind, sp.name, b.enrolled_on
            FROM {self.name} s JOIN {worker} w ON w.id = s.worker_id
            LEFT JOIN {_table(Employer)} e ON e.id = w.employer_id
            LEFT JOIN {_table(Sponsor)} sp ON sp.id = w.sponsor_id
            LEFT JOIN {_table(Beneficiary)} b ON b.worker_id = w.id AND b.programme_id = %s
            WHERE s.worker_id IS NOT NULL AND {self._protected("s")}
            ORDER BY s.line_no""",
            [programme.pk, programme.pk, day, day],
        )
        reported = []
        for line, _nik, scheme, employer, sponsor_kind, sponsor_name, enrolled in self.cursor.fetchall():
            if enrolled is not None:
                when = enrolled if isinstance(enrolled, str) else enrolled.isoformat()
                reported.append(RowError(line, "nik", ListMsg.ALREADY_HERE, {"date": when}))
            elif scheme == Scheme.PU:
                reported.append(RowError(line, "nik", ListMsg.PROTECTED_PU, {"employer": employer or "?"}))
            elif sponsor_kind is None or sponsor_kind == Sponsor.Kind.SELF:
                reported.append(RowError(line, "nik", ListMsg.PROTECTED_SELF))
            else:
                reported.append(RowError(line, "nik", ListMsg.PROTECTED_SPONSOR, {"sponsor": sponsor_name}))
        return reported

    def drop_protected(self, programme: Programme, on: dt.date) -> None:
        day = _date(on)
        self.cursor.execute(
            f"DELETE FROM {self.name} WHERE worker_id IS NOT NULL AND {self._protected(self.name)}",
            [programme.pk, day, day],
        )


# --- checking a list ----------------------------------------------------------------------------------


@dataclass
class Checked:
    parsed: ListFile
    errors: list[RowError] = dataclass_field(default_factory=list)
    reported: list[RowError] = dataclass_field(default_factory=list)
    to_enrol: int = 0

    @property
    def error_rows(self) -> int:
        """Rows with at least one error (a row may have several), or 1 for an error about the whole file; the
        reader counts the rows of the errors it did not keep."""
        return len(self.parsed.log.rows | {e.row for e in self.errors})


def _read(content: bytes, file_name: str, rules: Eligibility) -> ListFile:
    suffix = Path(file_name).suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(content)
        tmp.flush()
        return read_list(Path(tmp.name), file_name, rules, occupation_names(Occupation.choices), upload_limits())


def _region_ids(codes: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(codes))
    found: dict[str, int] = {}
    for part in chunks(wanted):
        found.update(Region.objects.filter(code__in=part).values_list("code", "id"))
    return found


def check_list(stage: Stage, programme: Programme, content: bytes, file_name: str, start: dt.date) -> Checked:
    """Read and check the list, load its valid rows into ``stage`` and classify them (see the module)."""
    parsed = _read(content, file_name, eligibility(programme, start))
    ids = _region_ids(r.district for r in parsed.rows)
    errors = list(parsed.errors)
    rows = []
    for r in parsed.rows:
        if r.district in ids:
            rows.append(r)
        else:
            errors.append(
                RowError(r.row, "village", ListMsg.DISTRICT_MISSING, {"district": r.district, "village": r.village})
            )
    stage.load(rows, ids)
    reported = stage.classify(programme, start)
    errors.sort(key=lambda e: (e.row or 0, _FIELD_ORDER.get(e.field, 9)))
    return Checked(parsed, errors, reported, len(rows) - len(reported))


_FIELD_ORDER = {
    f: i for i, f in enumerate(("file", "nik", "name", "birth_date", "sex", "occupation", "village", "address"))
}


def _kept(errors: Sequence[RowError]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in errors[: upload_limits().errors_shown]]


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
    programme = get_programme(user, programme_id)
    qs = Beneficiary.objects.filter(programme=programme).select_related("worker", "worker__region")
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
    start, _end = enrolment_period(programme, on or timezone.localdate())
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
            errors=_kept(checked.errors),
            reported=_kept(checked.reported),
        )


def confirm_list(user: AnyUser | None, list_id: int, *, on: dt.date | None = None) -> BeneficiaryList:
    """Enrol the valid rows of a list in preview, checked again; one transaction (see the module)."""
    found = get_list(user, list_id)
    if user is not None and not can_manage(user, found.programme):
        raise NotAllowed("only the programme's regional government (or an administrator) may enrol")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().select_related("region").get(pk=found.programme_id)
        lst = BeneficiaryList.objects.select_for_update().get(pk=list_id)
        if lst.status != BeneficiaryList.Status.PREVIEW:
            raise ValidationFailed("list", gettext(ListMsg.NOT_PREVIEW).format(status=lst.get_status_display()))
        start, end = enrolment_period(programme, on or timezone.localdate())
        with connection.cursor() as cursor:
            stage = Stage(cursor)
            try:
                checked = check_list(stage, programme, bytes(lst.content), lst.file_name, start)
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
        lst.errors = _kept(checked.errors)
        lst.reported = _kept(checked.reported)
        lst.confirmed_by = history_user(user)
        lst.confirmed_at = timezone.now()
        lst.save(update_fields=LIST_FIELDS)
    return lst


def enrol(
    cursor: CursorWrapper,
    stage: Stage,
    programme: Programme,
    lst: BeneficiaryList | None,
    start: dt.date,
    end: dt.date,
    user: AnyUser | None,
) -> int:
    """Enrol the rows left in ``stage`` (checked and classified): set-based statements (see the module)."""
    s = stage.name
    stage.drop_protected(programme, start)
    count = stage.count()
    if count == 0:
        return 0
    worker, membership, beneficiary = _table(Worker), _table(Membership), _table(Beneficiary)
    sponsor = programme.sponsor_id
    # people registered before, with no JKK/JKM in force (a lapsed participant, last year's beneficiary)
    cursor.execute(
        f"UPDATE {worker} SET sponsor_id = %s, scheme = '{Scheme.BPU.value}', employer_id = NULL, "
        f"occupation = st.occupation, region_id = st.region_id "
        f"FROM {s} st WHERE {worker}.id = st.worker_id AND st.is_new = 0",
        [sponsor],
    )
    cursor.execute(
        f"INSERT INTO {worker} (nik, name, birth_date, sex, occupation, region_id, scheme, employer_id, sponsor_id, wage) "
        f"SELECT nik, name, birth_date, sex, occupation, region_id, '{Scheme.BPU.value}', NULL, %s, 0 "
        f"FROM {s} WHERE is_new = 1 ON CONFLICT (nik) DO NOTHING",
        [sponsor],
    )
    if connection.vendor == "postgresql" and count >= ANALYZE_AFTER:
        # fresh statistics for the joins below (as billing_batch does after a bulk load): estimates from
        # before the insert plan nested loops over the rows just written
        cursor.execute(f"ANALYZE {worker}")
    # from here the rows are joined to their workers by NIK (no rewrite of the stage)
    ours = f"{s} st JOIN {worker} w ON w.nik = st.nik AND w.sponsor_id = %s"
    cursor.execute(f"SELECT count(*) FROM {ours}", [sponsor])
    lost = count - int(cursor.fetchone()[0])
    if lost:  # registered by someone else between the check and the insert
        raise ValidationFailed("list", gettext(ListMsg.CHANGED).format(count=lost))
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {membership}")
    before = int(cursor.fetchone()[0])
    first, last = _date(start), _date(end)
    package = " UNION ALL ".join(
        f"SELECT '{p}' AS programme"
        for p in PACKAGE_PROGRAMMES[programme.package]  # type: ignore[index]
    )
    cursor.execute(
        f"INSERT INTO {membership} (worker_id, programme, start, {_q('end')}) "
        f"SELECT w.id, p.programme, %s, %s FROM {ours} CROSS JOIN ({package}) p",
        [first, last, sponsor],
    )
    cursor.execute(
        f"INSERT INTO {beneficiary} (programme_id, worker_id, source_id, {_q('row')}, village_code, address, enrolled_on, ends_on) "
        f"SELECT %s, w.id, %s, st.line_no, st.village, st.address, %s, %s FROM {ours}",
        [programme.pk, lst.pk if lst else None, first, last, sponsor],
    )
    if connection.vendor == "postgresql" and count >= ANALYZE_AFTER:
        cursor.execute(f"ANALYZE {membership}")
    _history(cursor, s, before, sponsor, user)
    return count


def _history(cursor: CursorWrapper, stage: str, memberships_before: int, sponsor: int, user: AnyUser | None) -> None:
    """The history rows simple-history writes on a save: ``+`` for a new worker or membership, ``~`` for a
    worker reused; the user and the time of the confirmation."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    who = history_user(user)
    uid = who.pk if who is not None else None
    for model, select, where, kind in (
        (
            Worker,
            "w",
            f"JOIN {stage} st ON st.nik = w.nik WHERE w.sponsor_id = %s",
            "CASE WHEN st.is_new = 1 THEN '+' ELSE '~' END",
        ),
        (
            Membership,
            "m",
            f"JOIN {_table(Worker)} w ON w.id = m.worker_id JOIN {stage} st ON st.nik = w.nik WHERE w.sponsor_id = %s AND m.id > %s",
            "'+'",
        ),
    ):
        history = model.history.model
        columns = [str(f.column) for f in model._meta.concrete_fields]
        into = ", ".join(
            _q(c) for c in [*columns, "history_date", "history_change_reason", "history_type", "history_user_id"]
        )
        picked = ", ".join(f"{select}.{_q(c)}" for c in columns)
        params: list[Any] = [now, uid, sponsor]
        if model is Membership:
            params.append(memberships_before)
        cursor.execute(
            f"INSERT INTO {_table(history)} ({into}) SELECT {picked}, %s, NULL, {kind}, %s FROM {_table(model)} {select} {where}",
            params,
        )
