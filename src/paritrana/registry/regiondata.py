"""The shipped Kemendagri region tables (idn-area-data 4, ODbL 1.0), read without Django.

Codes are kept as Kemendagri writes them, with dots: ``33`` (province),
``33.73`` (regency/city), ``33.73.04`` (district), ``33.73.04.1001`` (village).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
ATTRIBUTION = "Region codes and names: idn-area-data 4.0.1 © Fityan (fityannugroho) and contributors, ODbL 1.0"
ATTRIBUTION_URL = "https://github.com/fityannugroho/idn-area-data"
LICENSE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"

# level name -> (file, parent column)
LEVELS: dict[str, tuple[str, str | None]] = {
    "province": ("provinces.csv", None),
    "regency": ("regencies.csv", "province_code"),
    "district": ("districts.csv", "regency_code"),
    "village": ("villages.csv", "district_code"),
}


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent: str | None


def read_level(level: str) -> Iterator[RegionRow]:
    """The rows of one level's CSV file, in file order."""
    filename, parent_column = LEVELS[level]
    with (DATA_DIR / filename).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield RegionRow(row["code"], row["name"], level, row[parent_column] if parent_column else None)


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """The dotted province, regency and district codes of the shipped tables."""
    return frozenset(r.code for level in ("province", "regency", "district") for r in read_level(level))


def region_code_exists(code: str) -> bool:
    """Whether ``code`` ("33", "33.73", "33.73.04") is a province, regency or district of the shipped tables."""
    return code in known_codes()
