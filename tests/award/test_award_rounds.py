"""Must show 3 (and the use cases around it): submissions in the window, assessors alone and refused on their
own region, the panel closed by its committee, a ranking from a frozen snapshot that a later change to the
registry does not move, a changed weight that moves ranks only in a new computation, the sensitivity beside
each rank, publication and the national round."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.award.models import Candidate, Round, Score
from paritrana.award.services import editions, ranking, scores, submissions
from paritrana.award.snapshot import SnapshotChanged
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Worker
from tests.award.awardkit import PDF, AwardWorld, open_edition

pytestmark = pytest.mark.django_db


def test_provincial_then_national_round(world: AwardWorld) -> None:
    u = world.users
    edition = open_edition(world)
    jateng = Round.objects.get(edition=edition, province__code="33")
    semarang = Candidate.objects.get(round=jateng, region__code="33.74")
    cilacap = Candidate.objects.get(round=jateng, region__code="33.01")
    assert jateng.candidates.filter(category="regency").count() == 35

    # submissions: own candidate only, a PDF checked by its bytes, a regulation needs number and date
    sub = submissions.submit(u["semarang"], semarang.pk, "regulation", "Perwali jaminan sosial", "perda.pdf", PDF,
                             number="12/2025", issued_on=dt.date(2025, 3, 1))  # fmt: skip
    assert sub.content_type == "application/pdf"
    with pytest.raises(NotFound):
        submissions.submit(
            u["semarang"], cilacap.pk, "regulation", "x", "a.pdf", PDF, number="1", issued_on=dt.date(2025, 1, 1)
        )
    with pytest.raises(ValidationFailed) as bad:
        submissions.submit(u["cilacap"], cilacap.pk, "regulation", "Perbup", "a.pdf", b"MZ not a pdf", number="3/2025",
                           issued_on=dt.date(2025, 1, 1))  # fmt: skip
    assert bad.value.field == "file"
    with pytest.raises(ValidationFailed) as bad:
        submissions.submit(
            u["cilacap"], cilacap.pk, "regulation", "Perbup", "a.pdf", PDF, issued_on=dt.date(2025, 1, 1)
        )
    assert bad.value.field == "number"
    submissions.submit(u["cilacap"], cilacap.pk, "regulation", "Perbup 3/2025", "a.pdf", PDF, number="3/2025",
                       issued_on=dt.date(2025, 1, 1))  # fmt: skip
    with pytest.raises(ValidationFailed) as late:
        submissions.submit(u["cilacap"], cilacap.pk, "innovation", "late", "a.pdf", PDF,
                           today=edition.window_closes + dt.timedelta(days=1))  # fmt: skip
    assert late.value.field == "kind"

    # assessors: alone, and assessor2 (Kota Semarang) refused on Semarang
    scores.score(u["assessor1"], semarang.pk, "interview", 60)
    scores.score(u["assessor1"], semarang.pk, "interview", 70)  # a change, kept in the history
    scores.score(u["assessor1"], cilacap.pk, "interview", 80)
    scores.score(u["assessor2"], cilacap.pk, "interview", 90)
    with pytest.raises(NotAllowed):
        scores.score(u["assessor2"], semarang.pk, "interview", 100)
    with pytest.raises(ValidationFailed):
        scores.score(u["assessor1"], semarang.pk, "innovation", 101)
    assert [s.value for s in scores.visible_scores(u["assessor2"], cilacap)] == [90]  # not assessor1's 80
    assert list(scores.visible_scores(u["committee33"], cilacap)) == []  # nobody's until the panel closes
    history = scores.score_history(semarang)
    assert [h["value"] for h in history] == [60, 70] and history[-1]["by"] == "assessor1"

    # the round: another province's committee cannot close it; Jawa Tengah's can; then no more scores
    with pytest.raises(NotFound):
        scores.close_panel(u["committee35"], jateng.pk)
    with pytest.raises(ValidationFailed):
        ranking.compute(u["committee33"], jateng.pk)  # panel still open
    scores.close_panel(u["committee33"], jateng.pk)
    with pytest.raises(ValidationFailed):
        scores.score(u["assessor1"], cilacap.pk, "interview", 10)
    assert sorted(s.value for s in scores.visible_scores(u["assessor2"], cilacap)) == [80, 90]

    first = ranking.compute(u["committee33"], jateng.pk, as_of=world.today)
    by_id = {r["candidate_id"]: r for r in first.results}
    ranked = [r for r in first.results if r["rank"] is not None]
    assert {r["candidate_id"] for r in ranked} == {semarang.pk, cilacap.pk}  # the others lack a regulation
    assert by_id[cilacap.pk]["rubric"]["interview"] == 85.0
    assert "no regulation submitted" in next(r for r in first.results if r["rank"] is None)["gate_reasons"]
    assert all(r["rank_range"] is not None and r["sensitivity"] for r in ranked)
    assert set(by_id[semarang.pk]["indicators"]) >= {"active_rate", "active_growth", "pu_active", "budget_realised"}
    assert by_id[semarang.pk]["indicators"]["vulnerable_protected"] > 0  # the demo programme of Kota Semarang
    assert first.parameters["weights_version"] == 1 and len(first.snapshot_sha256) == 64

    # the registry changes: every worker of Cilacap and Semarang moves away; the ranking recomputed from its
    # snapshot is the same, a new computation sees the change
    before = [(r["candidate_id"], r["rank"], r["score"]) for r in first.results]
    Worker.objects.filter(region__code__startswith="33.74").update(region=cilacap.region)
    again = ranking.recompute(first)
    assert [(r["candidate_id"], r["rank"], r["score"]) for r in again] == before

    # a changed weight: the published computation keeps its ranks; a new computation uses the new weights
    swap = {"interview": "1", "active_rate": "0", "active_growth": "0", "pu_active": "0", "bpu_active": "0",
            "vulnerable_protected": "0", "budget_realised": "0", "regulations": "0", "rubric_regulation": "0",
            "rubric_innovation": "0"}  # fmt: skip
    editions.set_weights(u["central"], edition.pk, {"region": swap})
    with pytest.raises(NotAllowed):
        editions.set_weights(u["committee33"], edition.pk, {"region": swap})
    assert [(r["candidate_id"], r["rank"], r["score"]) for r in ranking.recompute(first)] == before
    second = ranking.compute(u["committee33"], jateng.pk, as_of=world.today)
    ranks2 = {r["candidate_id"]: r["rank"] for r in second.results if r["rank"]}
    assert ranks2 == {cilacap.pk: 1, semarang.pk: 2}  # interview alone: Cilacap 85, Semarang 70
    assert second.parameters["weights_version"] == 2

    # a snapshot whose file changed is refused, not silently ranked
    (ranking.Path(first.snapshot) / "worker.parquet").write_bytes(b"changed")
    with pytest.raises(SnapshotChanged):
        ranking.recompute(first)

    # publication and the national round: Jawa Tengah's winner joins the provinces
    ranking.publish(u["committee33"], second.pk)
    added = ranking.promote(u["central"], edition.pk)
    assert [c.region.code for c in added] == ["33.01"]
    with pytest.raises(NotFound):
        ranking.promote(u["committee33"], edition.pk)  # the national round is not a provincial committee's
    national = Round.objects.get(edition=edition, tier="national")
    scores.close_panel(u["central"], national.pk)
    result = ranking.compute(u["central"], national.pk, as_of=world.today)
    provinces = [r for r in result.results if r["category"] == "province"]
    assert len(provinces) == 38
    assert {r["zone"] for r in provinces} == {"sumatra", "jawa_bali", "kalimantan", "sulawesi",
                                               "nusa_tenggara_maluku_papua"}  # fmt: skip
    assert any(r["category"] == "regency" and r["name"] == cilacap.name and r["rank"] == 1 for r in result.results)
    assert Score.history.count() == 4  # 60 then 70, 80, 90: every change kept
