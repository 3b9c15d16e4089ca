"""A beneficiary list's rows checked and enrolled set-based, in a temporary table (decision 0019).

The rows go into the table (``COPY`` on PostgreSQL, ``executemany`` on SQLite); each step is one statement over
it: people already registered and already protected are classified, new workers inserted, reused workers
updated, the JKK/JKM memberships and the beneficiaries written, then the history rows simple-history would write.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from paritrana.accounts.scopes import AnyUser
from paritrana.core import progress
from paritrana.core.bulk import chunks, history_user
from paritrana.core.errors import ValidationFailed
from paritrana.core.tabular import RowError
from paritrana.core.uploads import upload_limits
from paritrana.programmes.listfile import Eligibility, ListFile, ListRow, occupation_names, read_list
from paritrana.programmes.models import PACKAGE_PROGRAMMES, Beneficiary, BeneficiaryList, Programme
from paritrana.registry.models import Employer, Membership, Occupation, Region, Scheme, Sponsor, Worker

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
    CHANGED = gettext_noop(
        "{count} people of the list were registered by someone else while the list was being confirmed; "
        "nothing is enrolled: upload the list again"
    )


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
            for part in chunks(rows, 50_000):
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
                        for r in part
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
    progress.current().begin(progress.REGISTRY)
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


def kept(errors: Sequence[RowError]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in errors[: upload_limits().errors_shown]]


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
