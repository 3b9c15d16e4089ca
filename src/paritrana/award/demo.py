"""The demo's award: a finished edition (the year the demo bills) with Jawa Tengah's provincial round and the
national round ranked from the demo's data, evidence with documents, assessors' scores and published results;
and an open edition for the next year. Run through the use cases, as the committees would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from paritrana.award.models import Candidate, Edition, Round
from paritrana.award.services import editions, ranking, scores, submissions

PDF = (b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n")  # fmt: skip
# regencies/cities of Jawa Tengah that submit a regulation in the demo, with their (demo) regulation
DEMO_REGULATIONS = {
    "33.74": ("Peraturan Wali Kota Semarang tentang Perlindungan Jaminan Sosial Ketenagakerjaan", "12/2025"),
    "33.21": ("Peraturan Bupati Demak tentang Perlindungan Pekerja Rentan", "5/2025"),
    "33.14": ("Peraturan Bupati Sragen tentang Jaminan Sosial Ketenagakerjaan", "21/2025"),
    "33.01": ("Peraturan Bupati Cilacap tentang Perlindungan Pekerja Rentan", "9/2025"),
}
DEMO_SCORES = {"33.74": (78, 82), "33.21": (88, 85), "33.14": (80, 79), "33.01": (70, 74)}


def demo_award_present() -> bool:
    return Edition.objects.exists()


def award_users() -> list[tuple[str, str, dict[str, Any], str]]:
    """The demo's award users: the central and Jawa Tengah's committees, two assessors (one of Kota Semarang)."""
    from paritrana.registry.models import Region

    jateng, semarang = Region.objects.get(code="33"), Region.objects.get(code="33.74")
    return [
        ("panitia", "award_admin", {}, "award administrator: the central committee"),
        ("panitia33", "award_admin", {"region": jateng}, "award administrator: committee of 33 Jawa Tengah"),
        ("juri1", "assessor", {}, "award assessor (panels of Jawa Tengah and the national round)"),
        ("juri2", "assessor", {"region": semarang}, "award assessor of Kota Semarang (may not score it)"),
    ]


def load_demo_award(
    today: dt.date, users: dict[str, Any], say: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """The two editions; ``users`` by user name (those of :func:`award_users`, already created)."""
    from paritrana.contributions.demo import billed_months

    year = billed_months(today)[-1].year
    opened = dt.date(year, 1, 1)
    edition = editions.create_edition(None, year, opened, dt.date(year, 12, 31), name=f"Paritrana Award {year}",
                                      calendar={"provincial_screening": opened, "ceremony": today})  # fmt: skip
    jateng = Round.objects.get(edition=edition, province__code="33")
    national = Round.objects.get(edition=edition, tier=Round.Tier.NATIONAL)
    for r in (jateng, national):
        r.assessors.add(users["juri1"], users["juri2"])
    submitted = 0
    for code, (title, number) in DEMO_REGULATIONS.items():
        candidate = Candidate.objects.get(round=jateng, region__code=code)
        submissions.submit(None, candidate.pk, "regulation", title, f"regulasi-{code}.pdf", PDF, number=number,
                           issued_on=dt.date(year - 1, 6, 1), today=min(today, dt.date(year, 12, 31)))  # fmt: skip
        submitted += 1
        first, second = DEMO_SCORES[code]
        scores.score(users["juri1"], candidate.pk, "interview", first)
        scores.score(users["juri1"], candidate.pk, "regulation", second)
        if code != "33.74":  # juri2 is of Kota Semarang: a conflict of interest
            scores.score(users["juri2"], candidate.pk, "interview", second)
    scores.close_panel(None, jateng.pk)
    provincial = ranking.compute(None, jateng.pk, as_of=today)
    ranking.publish(None, provincial.pk)
    ranking.promote(None, edition.pk)
    scores.close_panel(None, national.pk)
    final = ranking.compute(None, national.pk, as_of=today)
    ranking.publish(None, final.pk)
    say(f"award {year}: Jawa Tengah ranked (ranking {provincial.pk}), national round ranked (ranking {final.pk})")
    editions.create_edition(None, year + 1, today, today + dt.timedelta(days=120), name=f"Paritrana Award {year + 1}")
    return {"editions": 2, "submissions": submitted, "rankings": 2}
