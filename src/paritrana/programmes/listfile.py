"""Reading a beneficiary list (CSV or XLSX) into typed rows, with an error per bad cell naming its row and field.

The header row names the columns (any order, any case; Indonesian names accepted): ``nik``, ``name``
(``nama``), ``birth_date`` (``tanggal_lahir``, ``tgl_lahir``), ``sex`` (``jenis_kelamin``, ``jk``),
``occupation`` (``pekerjaan``), ``village`` (``village_code``, ``kode_desa``, ``desa``) and ``address``
(``alamat``, optional). Rows are numbered as the spreadsheet shows them (the header is row 1); empty rows
are skipped. The file is read by the platform's one reader (``core.tabular``: CSV with ``,`` ``;`` or
tab, or the first sheet of an XLSX, within the upload limits). Names and addresses lose their
bidirectional control characters (``core.text``).

Each row is checked against the programme's eligibility (``Eligibility``):

- ``nik``: 16 digits, its region codes, birth date and sex agree with the row (``registry.nik.check_nik``,
  the platform's check);
- ``name``: not empty; ``birth_date``: a date (``YYYY-MM-DD``, ``DD-MM-YYYY``, ``DD/MM/YYYY`` or a date
  cell), and the age on the enrolment date within the programme's range; ``sex``: ``M``/``F`` or
  ``L``/``P`` (laki-laki, perempuan);
- ``occupation``: one of the registry's occupations (its code, or its name in English or Indonesian)
  and one the programme covers;
- ``village``: a Kemendagri village code (``33.74.01.1001`` or ``3374011001``) of the shipped region
  tables, inside the programme's region;
- the same NIK on two rows: every row after the first is an error naming the first.

What needs the database (the village's district in the registry, people already enrolled or protected
elsewhere) is checked by ``services.lists``. Pure: no database, no settings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from pathlib import Path
from typing import Any

from paritrana.core.errors import ValidationFailed
from paritrana.core.limits import DEFAULTS, UploadLimits
from paritrana.core.tabular import (
    FILE,
    CellError,
    ErrorLog,
    RowError,
    cell_text,
    gettext_noop,
)
from paritrana.core.tabular import Msg as TableMsg
from paritrana.core.tabular_cells import parse_nik_cell
from paritrana.core.tabular_columns import TWICE_COLUMN, Columns, Refused, TableRow, read_table
from paritrana.core.text import clean_text
from paritrana.registry.nik import check_nik
from paritrana.registry.regiondata import read_level, region_code_exists

COLUMNS: Mapping[str, tuple[str, ...]] = {
    "nik": ("nik", "no_ktp", "nomor_induk_kependudukan"),
    "name": ("name", "nama", "nama_lengkap"),
    "birth_date": ("birth_date", "tanggal_lahir", "tgl_lahir", "date_of_birth"),
    "sex": ("sex", "jenis_kelamin", "jk", "gender"),
    "occupation": ("occupation", "pekerjaan"),
    "village": ("village", "village_code", "kode_desa", "desa", "kode_kelurahan"),
    "address": ("address", "alamat"),
}
REQUIRED = ("nik", "name", "birth_date", "sex", "occupation", "village")
FIELDS = (*COLUMNS, FILE)
NAME_LENGTH = 200
ADDRESS_LENGTH = 300
SEXES = {"m": "M", "l": "M", "male": "M", "laki-laki": "M", "f": "F", "p": "F", "female": "F", "perempuan": "F"}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_VILLAGE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})$")


class Msg:
    """Messages of a beneficiary list, English templates (``str.format`` placeholders) marked for translation."""

    EMPTY = gettext_noop(
        "the file is empty; it needs a header row (nik, name, birth_date, sex, occupation, village, address) "
        "and a row per person"
    )
    NO_ROWS = gettext_noop("the file has a header but no people under it")
    TOO_MANY_ROWS = TableMsg.TOO_MANY_ROWS
    MISSING_COLUMN = gettext_noop(
        "column {column} is missing: the header row must name the columns nik, name, birth_date, sex, "
        "occupation, village (and address)"
    )
    TWICE_COLUMN = TWICE_COLUMN
    NIK = gettext_noop("{reason}")
    NAME_EMPTY = gettext_noop("the name is empty")
    NAME_LONG = gettext_noop("the name has more than {maximum} characters")
    BIRTH_EMPTY = gettext_noop("the birth date is empty; write it as YYYY-MM-DD, e.g. 1980-07-17")
    BIRTH_BAD = gettext_noop("{value} is not a date; write it as YYYY-MM-DD, e.g. 1980-07-17")
    BIRTH_FUTURE = gettext_noop("the birth date {value} is after the enrolment date {on}")
    TOO_YOUNG = gettext_noop("aged {age} on {on}: the programme takes people aged {minimum} to {maximum}")
    TOO_OLD = gettext_noop("aged {age} on {on}: over the programme's maximum age of {maximum}")
    SEX_BAD = gettext_noop("{value} is not a sex; write M or F (L or P)")
    OCCUPATION_EMPTY = gettext_noop("the occupation is empty")
    OCCUPATION_UNKNOWN = gettext_noop("{value} is not an occupation of the registry, e.g. farmer, fisher, trader")
    OCCUPATION_NOT_ELIGIBLE = gettext_noop("{value} is not an occupation this programme covers ({eligible})")
    VILLAGE_EMPTY = gettext_noop("the village code is empty; write the Kemendagri code, e.g. 33.74.01.1001")
    VILLAGE_BAD = gettext_noop("{value} is not a village code; write the Kemendagri code, e.g. 33.74.01.1001")
    VILLAGE_UNKNOWN = gettext_noop("village code {value} does not exist")
    VILLAGE_OUTSIDE = gettext_noop(
        "village {village} ({name}) is not in {region}: this programme enrols only its people"
    )
    ADDRESS_LONG = gettext_noop("the address has more than {maximum} characters")
    DUPLICATE = gettext_noop("NIK {nik} is also on row {first}; a person is listed once")


@dataclass(frozen=True)
class Eligibility:
    """What a programme accepts: people living in ``region_code`` (and below), of ``occupations``, aged
    ``min_age`` to ``max_age`` on the enrolment date ``on``; ``region_name`` is shown in messages."""

    region_code: str
    region_name: str
    occupations: frozenset[str]
    min_age: int
    max_age: int
    on: dt.date


@dataclass(frozen=True)
class ListRow:
    row: int
    nik: str
    name: str
    birth_date: dt.date
    sex: str
    occupation: str
    village: str  # dotted, "33.74.01.1001"
    address: str

    @property
    def district(self) -> str:
        return self.village[:8]


@dataclass
class ListFile:
    rows: list[ListRow] = dataclass_field(default_factory=list)  # rows without an error
    errors: list[RowError] = dataclass_field(default_factory=list)
    row_count: int = 0
    fatal: bool = False  # an error about the whole file: no row is valid
    log: ErrorLog = dataclass_field(default_factory=ErrorLog)  # row errors: the first ones kept, all counted

    def fail(self, error: RowError | Sequence[RowError]) -> None:
        self.errors = [error] if isinstance(error, RowError) else list(error)
        self.rows = []
        self.fatal = True


@lru_cache(maxsize=1)
def villages() -> dict[str, str]:
    """Village code → name, from the shipped Kemendagri tables."""
    return {r.code: r.name for r in read_level("village")}


def occupation_names(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """Occupation code, English name and Indonesian name (lower case) → code, from the registry's choices."""
    names: dict[str, str] = {}
    for value, label in choices:
        names[str(value).lower()] = str(value)
        names[str(label).lower()] = str(value)
    names.update(INDONESIAN_OCCUPATIONS)
    return names


# the occupations as Indonesian lists (P3KE, DTKS) write them
INDONESIAN_OCCUPATIONS = {
    "karyawan": "employee",
    "buruh pabrik": "factory_worker",
    "buruh bangunan": "construction_worker",
    "sopir": "driver",
    "guru": "teacher",
    "perawat": "nurse",
    "pegawai": "clerk",
    "petani": "farmer",
    "nelayan": "fisher",
    "pekebun": "gardener",
    "pedagang": "trader",
    "ojek": "ojek_driver",
    "pengemudi ojek": "ojek_driver",
    "guru ngaji": "quran_teacher",
    "pekerja rumah tangga": "domestic_worker",
    "pedagang kaki lima": "street_vendor",
    "buruh harian lepas": "labourer",
    "buruh": "labourer",
    "perajin": "artisan",
    "pengrajin": "artisan",
}


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def parse_date_cell(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        raise CellError(Msg.BIRTH_EMPTY)
    m = _ISO.match(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DMY.match(text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        pass
    raise CellError(Msg.BIRTH_BAD, value=text[:40])


def parse_sex_cell(value: Any) -> str:
    text = cell_text(value)
    sex = SEXES.get(text.lower())
    if sex is None:
        raise CellError(Msg.SEX_BAD, value=text[:20] or "—")
    return sex


def parse_village_cell(value: Any) -> str:
    text = cell_text(value)
    if not text:
        raise CellError(Msg.VILLAGE_EMPTY)
    m = _VILLAGE.match(text)
    if m is None:
        raise CellError(Msg.VILLAGE_BAD, value=text[:40])
    return ".".join(m.groups())


def _in_region(code: str, region: str) -> bool:
    return code == region or code.startswith(region + ".")


class _RowReader:
    """Checks the cells of one row; the lookups are made once per file."""

    def __init__(self, rules: Eligibility, occupations: Mapping[str, str]) -> None:
        self.rules = rules
        self.villages = villages()
        self.occupations = occupations
        self.eligible = ", ".join(sorted(rules.occupations))

    def read(self, line: TableRow) -> tuple[ListRow | None, list[RowError]]:
        rules = self.rules
        number, cell = line.number, line.cell
        errors: list[RowError] = []
        nik_text = line.parse("nik", lambda v: parse_nik_cell(v)[0], errors)
        name = clean_text(cell_text(cell("name")))
        if not name:
            errors.append(RowError(number, "name", Msg.NAME_EMPTY))
        elif len(name) > NAME_LENGTH:
            errors.append(RowError(number, "name", Msg.NAME_LONG, {"maximum": str(NAME_LENGTH)}))
        birth = line.parse("birth_date", parse_date_cell, errors)
        if birth is not None:
            if birth > rules.on:
                params = {"value": birth.isoformat(), "on": rules.on.isoformat()}
                errors.append(RowError(number, "birth_date", Msg.BIRTH_FUTURE, params))
            else:
                age = age_on(birth, rules.on)
                params = {
                    "age": str(age),
                    "on": rules.on.isoformat(),
                    "minimum": str(rules.min_age),
                    "maximum": str(rules.max_age),
                }
                if age < rules.min_age:
                    errors.append(RowError(number, "birth_date", Msg.TOO_YOUNG, params))
                elif age > rules.max_age:
                    errors.append(RowError(number, "birth_date", Msg.TOO_OLD, params))
        sex = line.parse("sex", parse_sex_cell, errors)
        if nik_text is not None and birth is not None and sex is not None:
            try:
                check_nik(nik_text, birth, sex, region_code_exists)
            except ValidationFailed as err:
                errors.append(RowError(number, "nik", Msg.NIK, {"reason": err.reason}))
        occupation_text = cell_text(cell("occupation"))
        occupation = self.occupations.get(occupation_text.lower())
        if not occupation_text:
            errors.append(RowError(number, "occupation", Msg.OCCUPATION_EMPTY))
        elif occupation is None:
            errors.append(RowError(number, "occupation", Msg.OCCUPATION_UNKNOWN, {"value": occupation_text[:40]}))
        elif occupation not in rules.occupations:
            params = {"value": occupation_text[:40], "eligible": self.eligible}
            errors.append(RowError(number, "occupation", Msg.OCCUPATION_NOT_ELIGIBLE, params))
        village = line.parse("village", parse_village_cell, errors)
        if village is not None:
            name_of = self.villages.get(village)
            if name_of is None:
                errors.append(RowError(number, "village", Msg.VILLAGE_UNKNOWN, {"value": village}))
            elif not _in_region(village, rules.region_code):
                params = {"village": village, "name": name_of, "region": rules.region_name}
                errors.append(RowError(number, "village", Msg.VILLAGE_OUTSIDE, params))
        address = clean_text(cell_text(cell("address")))
        if len(address) > ADDRESS_LENGTH:
            errors.append(RowError(number, "address", Msg.ADDRESS_LONG, {"maximum": str(ADDRESS_LENGTH)}))
        if errors:
            return None, errors
        assert nik_text is not None and birth is not None and sex is not None and occupation is not None
        assert village is not None
        return ListRow(number, nik_text, name, birth, sex, occupation, village, address), []


LIST_COLUMNS = Columns(COLUMNS, REQUIRED, Msg.MISSING_COLUMN, Msg.EMPTY, Msg.NO_ROWS)


def read_list(
    path: Path | str,
    file_name: str,
    rules: Eligibility,
    occupations: Mapping[str, str],
    limits: UploadLimits = DEFAULTS,
) -> ListFile:
    """Read and check the beneficiary list at ``path`` (``file_name``, as uploaded, tells CSV from XLSX);
    ``occupations`` maps the names an occupation may be written as to its code (``occupation_names``).
    ``errors`` keeps the first ``limits.errors_shown`` row errors; ``log`` counts them all."""
    path = Path(path)
    result = ListFile(log=ErrorLog(keep=limits.errors_shown))
    reader = _RowReader(rules, occupations)
    first_of: dict[str, int] = {}
    try:
        for line in read_table(path, file_name or path.name, LIST_COLUMNS, limits):
            result.row_count += 1
            number = line.number
            row, errors = reader.read(line)
            if row is not None:
                first = first_of.setdefault(row.nik, number)
                if first != number:
                    params = {"nik": row.nik, "first": str(first)}
                    errors = [RowError(number, "nik", Msg.DUPLICATE, params)]
                    row = None
            if row is not None:
                result.rows.append(row)
            else:
                for error in errors:
                    result.log.add(error)
    except Refused as err:
        result.fail(err.errors)
        return result
    result.errors = list(result.log.kept)
    return result
