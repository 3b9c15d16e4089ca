"""A small award world on the demo-like data: users of every award role around Jawa Tengah (33)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from paritrana.accounts.services import ensure_user
from paritrana.programmes.demo import load_demo_programmes
from paritrana.registry.models import Employer, Region
from tests.coverage.coveragekit import MONTHS, TODAY

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class AwardWorld:
    year: int
    months: list[dt.date]
    today: dt.date
    users: dict[str, Any]
    employer33: Employer
    employer35: Employer


def award_world_on_demo_like() -> AwardWorld:
    """The award world over the demo-like data (``coveragekit.build_demo_like``, already there): the demo
    programmes and the users. The tests lay it down from the run's one build (tests/conftest.py)."""
    load_demo_programmes(TODAY, seed=11)
    jateng, jatim = Region.objects.get(code="33"), Region.objects.get(code="35")
    semarang, cilacap = Region.objects.get(code="33.74"), Region.objects.get(code="33.01")
    e33 = Employer.objects.filter(region__code__startswith="33.").order_by("id").first()
    e35 = Employer.objects.filter(region__code__startswith="35.").order_by("id").first()
    assert e33 is not None and e35 is not None
    users = {
        "central": ensure_user("central", "pw-central-1", "award_admin"),
        "committee33": ensure_user("committee33", "pw-c33-1", "award_admin", region=jateng),
        "committee35": ensure_user("committee35", "pw-c35-1", "award_admin", region=jatim),
        "assessor1": ensure_user("assessor1", "pw-a1-1", "assessor"),
        "assessor2": ensure_user("assessor2", "pw-a2-1", "assessor", region=semarang),
        "semarang": ensure_user("semarang", "pw-smg-1", "regional_officer", region=semarang),
        "cilacap": ensure_user("cilacap", "pw-clp-1", "regional_officer", region=cilacap),
        "hr33": ensure_user("hr33", "pw-hr33-1", "employer_hr", employer=e33),
        "admin": ensure_user("admin", "pw-admin-1", "admin"),
    }
    return AwardWorld(MONTHS[-1].year, MONTHS, TODAY, users, e33, e35)


def open_edition(world: AwardWorld) -> Any:
    """The world's edition, submissions open around today, the panels seated (assessor1 and assessor2)."""
    from django.utils import timezone

    from paritrana.award.services import editions

    today = timezone.localdate()
    edition = editions.create_edition(
        world.users["central"], world.year, today - dt.timedelta(days=30), today + dt.timedelta(days=30)
    )
    for round_ in edition.rounds.all():
        if round_.province is None or round_.province.code == "33":
            round_.assessors.add(world.users["assessor1"], world.users["assessor2"])
    return edition


def pdf_text(content: bytes, folder: Any) -> str:
    """The text of a PDF read back with pdftotext (poppler-utils), whitespace folded."""
    import shutil
    import subprocess

    assert content.startswith(b"%PDF-"), content[:20]
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext is missing: ./dev test installs poppler-utils"
    path = folder / "document.pdf"
    path.write_bytes(content)
    text = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())  # a label wrapped inside its table cell reads as one line


def client_for(user: Any) -> Any:
    """A Django test client signed in as ``user`` (None: anonymous), in English."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = "en"
    return client
