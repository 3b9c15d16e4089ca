"""Ranking a round is a step of more than a second on a real registry (decision 0037's rule: such a step shows
its progress): the committee's page sends a progress token with the ranking, and the record of that token goes
through the ranking's stages — snapshot, indicators, ranking — to done, readable by that committee only, in
its language. Without a token the ranking runs as before."""

from __future__ import annotations

import pytest
from django.test import Client

from paritrana.award.models import Round
from paritrana.award.services import ranking, scores
from tests.award.awardkit import AwardWorld, open_edition
from tests.web.test_progress_pages import watch_records

pytestmark = pytest.mark.django_db

TOKEN = "d" * 40


def signed_in(world: AwardWorld, name: str, language: str = "id") -> Client:
    client = Client()
    client.force_login(world.users[name])
    client.cookies["django_language"] = language
    return client


def test_ranking_a_round_reports_its_stages_to_the_committee_that_asked(
    world: AwardWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    jateng = Round.objects.get(edition=open_edition(world), province__code="33")
    scores.close_panel(world.users["committee33"], jateng.pk)
    page = signed_in(world, "committee33").get(f"/award/rounds/{jateng.pk}/").content.decode()
    assert "data-step-progress" in page and "Menyusun peringkat dari cuplikan baru…" in page  # the form sends a token

    seen = watch_records(monkeypatch)
    answer = signed_in(world, "committee33").post(f"/award/rounds/{jateng.pk}/compute/", {"progress_token": TOKEN})
    assert answer.status_code == 302 and jateng.computations.count() == 1
    stages = [s.stage.key for s in seen]
    assert [k for k in ("snapshot", "indicators", "ranking") if k in stages] == ["snapshot", "indicators", "ranking"]
    assert stages.index("snapshot") < stages.index("indicators") < stages.index("ranking") < stages.index("done")

    shown = signed_in(world, "committee33").get(f"/progress/{TOKEN}/").json()
    assert shown["finished"] and not shown["failed"]
    for other in ("committee35", "central", "assessor1"):  # another committee, the centre, an assessor: none of theirs
        assert signed_in(world, other).get(f"/progress/{TOKEN}/").status_code == 404, other


def test_the_ranking_stages_read_in_the_readers_language() -> None:
    from django.utils import translation

    with translation.override("id"):
        indonesian = [translation.gettext(s.text) for s in (ranking.SNAPSHOT, ranking.INDICATORS, ranking.RANKING)]
    with translation.override("en"):
        english = [translation.gettext(s.text) for s in (ranking.SNAPSHOT, ranking.INDICATORS, ranking.RANKING)]
    assert english == ["Taking a snapshot of the registry", "Computing the indicators of the candidates",
                       "Ranking the candidates"]  # fmt: skip
    assert all(i != e for i, e in zip(indonesian, english, strict=True))  # each translated
