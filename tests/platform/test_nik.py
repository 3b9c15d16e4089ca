"""The NIK check: each failure names the problem; +40 on the day for women; a round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paritrana.core.errors import ValidationFailed
from paritrana.registry.nik import InvalidNIK, check_nik, make_nik, parse_nik
from paritrana.registry.regiondata import read_level, region_code_exists

BIRTH = dt.date(1990, 1, 13)
DISTRICTS = sorted(r.code for r in read_level("district"))


@pytest.mark.parametrize(
    ("nik", "birth", "sex", "message"),
    [
        ("", BIRTH, "M", "NIK is empty; it needs 16 digits"),
        ("327301130190001", BIRTH, "M", "NIK 3273… has 15 digits; it needs 16"),
        ("32730113019000012", BIRTH, "M", "has 17 digits; it needs 16"),
        ("3273O11301900001", BIRTH, "M", "contains characters other than digits"),
        ("3373041313900001", BIRTH, "M", "digits 9–10 (13) are not a month"),
        ("3373043201900001", BIRTH, "M", "digits 7–12 (320190) are not a birth date"),
        ("3373041301900000", BIRTH, "M", "the serial number (digits 13–16) cannot be 0000"),
        ("9973041301900001", BIRTH, "M", "province code 99 (digits 1–2) does not exist"),
        ("3399041301900001", BIRTH, "M", "regency/city code 33.99 (digits 1–4) does not exist"),
        ("3373991301900001", BIRTH, "M", "district code 33.73.99 (digits 1–6) does not exist"),
        ("3373041301900001", BIRTH, "F", "says male, but the recorded sex is female"),
        ("3373045301900001", BIRTH, "M", "says female, but the recorded sex is male"),
        (
            "3373041401900001",
            BIRTH,
            "M",
            "encode the birth date 14-01-90 (DD-MM-YY), but the recorded birth date is 1990-01-13",
        ),
        ("3373041301910001", BIRTH, "M", "but the recorded birth date is 1990-01-13"),
    ],
)
def test_each_failure_names_the_problem(nik: str, birth: dt.date, sex: str, message: str) -> None:
    with pytest.raises(InvalidNIK) as err:
        check_nik(nik, birth, sex, region_code_exists)
    assert message in str(err.value)
    assert err.value.field == "nik"
    assert isinstance(err.value, ValidationFailed)


def test_women_have_40_added_to_the_day() -> None:
    parts = check_nik("3373045301900001", BIRTH, "F", region_code_exists)
    assert (parts.birth_day, parts.birth_month, parts.birth_year_2, parts.sex) == (13, 1, 90, "F")
    assert make_nik("33.73.04", BIRTH, "F", 1) == "3373045301900001"
    assert make_nik("33.73.04", BIRTH, "M", 1) == "3373041301900001"


def test_a_valid_nik_passes_with_its_regions() -> None:
    parts = check_nik("3374011705900001", dt.date(1990, 5, 17), "M", region_code_exists)
    assert (parts.province, parts.regency, parts.district) == ("33", "33.74", "33.74.01")


@given(
    district=st.sampled_from(DISTRICTS),
    birth=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2025, 12, 31)),
    sex=st.sampled_from(["M", "F"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_round_trip(district: str, birth: dt.date, sex: str, serial: int) -> None:
    nik = make_nik(district, birth, sex, serial)
    parts = check_nik(nik, birth, sex, region_code_exists)
    assert parts.district == district
    assert parts.sex == sex
    assert (parts.birth_day, parts.birth_month, parts.birth_year_2) == (birth.day, birth.month, birth.year % 100)
    assert parse_nik(nik).serial == f"{serial:04d}"
