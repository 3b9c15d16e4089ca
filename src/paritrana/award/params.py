"""The award's dated parameters: zones (provinces mapped to the five national zones) and the default weights.

Pure: no Django. Each value carries the date it takes effect and its reference. No source publishes the
award's weights or scoring formula: the weights below are designed by Paritrana, labelled so on every score,
and an award administrator changes them per edition (the edition keeps its own copy and a version number).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

NOT_PUBLISHED = "not published: designed by Paritrana"

ZONES = ("sumatra", "jawa_bali", "kalimantan", "sulawesi", "nusa_tenggara_maluku_papua")
ASPECTS = ("coverage", "regulation", "innovation", "budget")
# what an assessor scores (0–100 each), per the published criteria: interview, regulation quality, innovation
RUBRIC = ("interview", "regulation", "innovation")
REGION_CATEGORIES = ("province", "regency")
COMPANY_CATEGORIES = ("company_large", "company_medium", "company_small")
CATEGORIES = (*REGION_CATEGORIES, "village", *COMPANY_CATEGORIES, "institution")
SIZE_CATEGORY = {"large": "company_large", "medium": "company_medium", "small": "company_small",
                 "micro": "company_small"}  # fmt: skip


@dataclass(frozen=True)
class Dated:
    effective: dt.date
    version: str
    value: Any
    reference: str
    uncertain: bool = False
    why: str | None = None


def _zone_map() -> dict[str, str]:
    groups = {
        "sumatra": "11 12 13 14 15 16 17 18 19 21",
        "jawa_bali": "31 32 33 34 35 36 51",
        "kalimantan": "61 62 63 64 65",
        "sulawesi": "71 72 73 74 75 76",
        "nusa_tenggara_maluku_papua": "52 53 81 82 91 92 93 94 95 96",
    }
    return {code: zone for zone, codes in groups.items() for code in codes.split()}


ZONE_VALUES = (
    Dated(
        effective=dt.date(2022, 1, 1),
        version="zones-2022",
        value=_zone_map(),
        reference=(
            "Paritrana Award national round by zone since the 2022 edition (Kemenko PMK with BPJS "
            "Ketenagakerjaan): 'Nusa Tenggara–Maluku–Papua zone' (sorongraya.inews.id 468795), 'Sumatra zone', "
            "'Kalimantan zone' (jambi.tribunnews.com 2024/09/13; metrokaltara.com)"
        ),
        uncertain=True,
        why="grade B: the zone names are reported for the awards; the committee's own list of provinces per zone "
        "was not seen, so the mapping of each province follows the islands",
    ),
)

# each component: its aspect, its source (indicator from the snapshot or the assessors' rubric) and its weight
DEFAULT_WEIGHTS_VALUES = (
    Dated(
        effective=dt.date(2022, 1, 1),
        version="weights-2022-paritrana-1",
        value={
            "region": {
                "active_rate": "0.20",
                "active_growth": "0.10",
                "pu_active": "0.05",
                "bpu_active": "0.05",
                "vulnerable_protected": "0.10",
                "budget_realised": "0.10",
                "regulations": "0.10",
                "interview": "0.10",
                "rubric_regulation": "0.10",
                "rubric_innovation": "0.10",
            },
            "company": {
                "four_programmes_share": "0.30",
                "wage_at_minimum_share": "0.15",
                "bills_on_time_share": "0.15",
                "csr_sponsored": "0.05",
                "interview": "0.15",
                "rubric_regulation": "0.05",
                "rubric_innovation": "0.15",
            },
        },
        reference=NOT_PUBLISHED,
        uncertain=True,
        why="no source publishes the award's weights or scoring formula (searched 'bobot', 'persen', 'nilai akhir')",
    ),
)


def in_force(values: tuple[Dated, ...], on: dt.date) -> Dated:
    """The value in force on ``on``: the latest whose effective date is on or before it."""
    found = [v for v in values if v.effective <= on]
    if not found:
        raise LookupError(f"no value in force on {on.isoformat()}")
    return max(found, key=lambda v: v.effective)


def zone_of(province_code: str, on: dt.date) -> str:
    return str(in_force(ZONE_VALUES, on).value[province_code[:2]])
