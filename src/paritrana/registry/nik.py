"""The NIK (Nomor Induk Kependudukan): 16 digits whose parts can be checked.

Digits 1–6 are the Kemendagri district code where the number was issued
(province 2, regency/city 2, district 2; PP 37/2007 art 37); digits 7–12 the
birth date as DDMMYY, with 40 added to the day for women; digits 13–16 a serial.
Pure: no Django; the caller says which region codes exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from paritrana.core.errors import ValidationFailed

SEXES = ("M", "F")


class InvalidNIK(ValidationFailed):
    """A NIK that cannot belong to the person recorded with it."""

    def __init__(self, message: str) -> None:
        super().__init__("nik", message)


@dataclass(frozen=True)
class NIKParts:
    province: str  # "33"
    regency: str  # "33.73"
    district: str  # "33.73.04"
    birth_day: int
    birth_month: int
    birth_year_2: int
    sex: str  # "M" or "F"
    serial: str


def _short(nik: str) -> str:
    return nik[:4] + "…" if len(nik) > 4 else nik


def parse_nik(nik: str) -> NIKParts:
    """The parts of a NIK, checking only its form (16 digits, a possible date)."""
    if not isinstance(nik, str):
        raise InvalidNIK("NIK must be text of 16 digits")
    nik = nik.strip()
    if not nik:
        raise InvalidNIK("NIK is empty; it needs 16 digits")
    if not nik.isascii() or not nik.isdigit():
        raise InvalidNIK(f"NIK {_short(nik)} contains characters other than digits; it needs 16 digits")
    if len(nik) != 16:
        raise InvalidNIK(f"NIK {_short(nik)} has {len(nik)} digits; it needs 16")
    day = int(nik[6:8])
    sex = "M"
    if day > 40:
        day -= 40
        sex = "F"
    month = int(nik[8:10])
    year2 = int(nik[10:12])
    if not 1 <= month <= 12:
        raise InvalidNIK(f"NIK {_short(nik)}: digits 9–10 ({nik[8:10]}) are not a month")
    try:
        dt.date(2000 + year2, month, day)  # a leap year when year2 is a multiple of 4, as in either century
    except ValueError:
        raise InvalidNIK(
            f"NIK {_short(nik)}: digits 7–12 ({nik[6:12]}) are not a birth date "
            "(day, month, year; 40 added to the day for women)"
        ) from None
    if nik[12:16] == "0000":
        raise InvalidNIK(f"NIK {_short(nik)}: the serial number (digits 13–16) cannot be 0000")
    return NIKParts(
        province=nik[0:2],
        regency=f"{nik[0:2]}.{nik[2:4]}",
        district=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_day=day,
        birth_month=month,
        birth_year_2=year2,
        sex=sex,
        serial=nik[12:16],
    )


def check_nik(
    nik: str,
    birth_date: dt.date,
    sex: str,
    region_exists: Callable[[str], bool] | None = None,
) -> NIKParts:
    """Check a NIK against the recorded birth date and sex and, if given, the known region codes.

    ``region_exists(code)`` answers for dotted Kemendagri codes ("33", "33.73", "33.73.04").
    Raises :class:`InvalidNIK` naming the first problem found.
    """
    parts = parse_nik(nik)
    nik = nik.strip()
    if region_exists is not None:
        if not region_exists(parts.province):
            raise InvalidNIK(f"NIK {_short(nik)}: province code {parts.province} (digits 1–2) does not exist")
        if not region_exists(parts.regency):
            raise InvalidNIK(f"NIK {_short(nik)}: regency/city code {parts.regency} (digits 1–4) does not exist")
        if not region_exists(parts.district):
            raise InvalidNIK(f"NIK {_short(nik)}: district code {parts.district} (digits 1–6) does not exist")
    if sex not in SEXES:
        raise ValidationFailed("sex", f"sex must be one of {', '.join(SEXES)}")
    if parts.sex != sex:
        expected = "more than 40 (40 is added for women)" if sex == "F" else "at most 31 (no 40 added for men)"
        raise InvalidNIK(
            f"NIK {_short(nik)}: the day in digits 7–8 ({nik[6:8]}) says {'female' if parts.sex == 'F' else 'male'}, "
            f"but the recorded sex is {'female' if sex == 'F' else 'male'}; the day should be {expected}"
        )
    if (parts.birth_day, parts.birth_month, parts.birth_year_2) != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        encoded = f"{parts.birth_day:02d}-{parts.birth_month:02d}-{parts.birth_year_2:02d}"
        raise InvalidNIK(
            f"NIK {_short(nik)}: digits 7–12 encode the birth date {encoded} (DD-MM-YY), "
            f"but the recorded birth date is {birth_date.isoformat()}"
        )
    return parts


def make_nik(district: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """A NIK for a district code ("33.73.04"), birth date, sex and serial (1–9999); used by the demo data."""
    code = district.replace(".", "")
    if len(code) != 6 or not code.isdigit():
        raise ValueError(f"district code {district!r} is not a 6-digit Kemendagri code")
    if not 1 <= serial <= 9999:
        raise ValueError("serial must be between 1 and 9999")
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{code}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
