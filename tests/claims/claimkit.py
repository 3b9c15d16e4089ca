"""Helpers of the claims tests: a legal test case read by name from tests/rules, minimal real PDF and
PNG files for the document checklist, and the contributions tests' world and API client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from paritrana.claims.services.claims import Upload
from tests.platform.client import Api
from tests.platform.world import enrol_for_contributions

__all__ = ["Api", "enrol_for_contributions"]
from paritrana.claims.types import TYPES

HERE = Path(__file__).resolve().parent
RULE_CASES = HERE.parent / "rules"


# a one-page PDF and a 1×1 PNG: real files, checked by their first bytes
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "0001e221bc330000000049454e44ae426082"
)


def legal_case(file: str, name: str) -> dict[str, Any]:
    """The legal test case named ``name`` in tests/rules/``file``: its inputs, date, expected outputs, source."""
    for case in yaml.safe_load((RULE_CASES / file).read_text(encoding="utf-8")):
        if case["name"] == name:
            return dict(case)
    raise KeyError(f"{file}: no case named {name!r}")


def documents_for(claim_type: str) -> list[Upload]:
    """One file for each required document of the type (the first a PNG, the others PDFs)."""
    docs = [d for d in TYPES[claim_type].documents if d.required]
    return [
        Upload(d.code, f"{d.code}.{'png' if i == 0 else 'pdf'}", PNG if i == 0 else PDF) for i, d in enumerate(docs)
    ]


JKM_CASE = legal_case("jkm_benefit.yaml", "worked example #9: widow Astin, husband died 16 Mar 2024, Rp42,000,000")


def file_jkm(world: Any) -> Any:
    """The heir's JKM claim of the worked example (the death of the world's W33PU), filed with its documents."""
    from paritrana.claims.services import claims as svc

    return svc.submit(
        world.users["heir"],
        "jkm",
        {"event_date": JKM_CASE["date"].isoformat()},
        documents_for("jkm"),
        bank_account="BRI 0123456789",
    )


SCHOLARSHIP_CASE = "worked example #10: university year 1, Rp12 jt (death Aug 2020)"


def file_case_scholarship(heir: Any, children: list[dict[str, Any]]) -> Any:
    """The heir's scholarship for ``children`` after the JKM death of scholarship.yaml's worked example #10 (August
    2020): filed, and refused until the officer corrects the 36 contribution months from the old records."""
    from paritrana.claims.services import claims as svc

    case = legal_case("scholarship.yaml", SCHOLARSHIP_CASE)
    return svc.submit(
        heir,
        "scholarship",
        {"event_date": case["date"].isoformat(), "trigger": "jkm_death"},
        documents_for("scholarship"),
        bank_account="BRI 1",
        children=children,
    )


def file_refused_scholarship(heir: Any) -> Any:
    """The heir's scholarship for one child (Anak Satu) after a death not from work, with too few contribution
    months: filed, and refused by the rules (the claim, not yet rejected)."""
    from paritrana.claims.services import claims as svc

    child = {"name": "Anak Satu", "birth_date": "2010-06-01", "level": "smp", "year_in_level": 1}
    return svc.submit(
        heir,
        "scholarship",
        {"event_date": "2026-08-01", "trigger": "jkm_death"},
        documents_for("scholarship"),
        bank_account="BRI 1",
        children=[child],
    )
