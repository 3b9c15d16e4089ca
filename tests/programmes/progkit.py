"""Helpers of the programme tests: people, list files, a programme's fields."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from paritrana.registry.nik import make_nik

ON = dt.date(2026, 3, 2)  # the enrolment day of most tests: March 2026, outside the PP 50/2025 relief months
HEADER = ["nik", "name", "birth_date", "sex", "occupation", "village", "address"]
SEMARANG_VILLAGE = "33.74.01.1001"
CILACAP_VILLAGE = "33.01.01.2001"


@dataclass(frozen=True)
class Person:
    nik: str
    name: str
    birth_date: str
    sex: str
    occupation: str
    village: str
    address: str = "Jl. Kenanga 1"

    def cells(self) -> list[str]:
        return [self.nik, self.name, self.birth_date, self.sex, self.occupation, self.village, self.address]


def person(
    serial: int,
    *,
    district: str = "33.74.01",
    village: str = SEMARANG_VILLAGE,
    birth: dt.date = dt.date(1980, 7, 17),
    sex: str = "M",
    occupation: str = "farmer",
) -> Person:
    return Person(
        make_nik(district, birth, sex, serial), f"Warga {serial}", birth.isoformat(), sex, occupation, village
    )


def csv_file(path: Path, people: Iterable[Person | list[str]], header: list[str] = HEADER) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for p in people:
        writer.writerow(p.cells() if isinstance(p, Person) else p)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


PROGRAMME = {
    "legal_basis_type": "perwali",
    "legal_basis_number": "12 Tahun 2026",
    "legal_basis_date": "2026-01-05",
    "budget_year": 2026,
    "budget_amount": 500_000_000,
    "funding_source": "apbd",
    "occupations": ["farmer", "fisher", "trader", "ojek_driver", "labourer"],
    "min_age": 18,
    "max_age": 65,
}
