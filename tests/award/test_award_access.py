"""Must show 4, through the pages and the API: a candidate does not see another's submissions, nor scores
before publication; an assessor does not see another's scores while the panel is open; a provincial committee
does not see another province's round; after publication the candidate sees its own scorecard (and not
another's) and everybody the public results (no personal data). The scorecard and the committee's report
(PDF, XLSX) carry the rank and each indicator."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from paritrana.award.models import Candidate, Round
from paritrana.award.services import ranking, scores, submissions
from paritrana.registry.models import Worker
from tests.award.awardkit import PDF, AwardWorld, client_for, open_edition, pdf_text

pytestmark = pytest.mark.django_db


def test_who_sees_what_before_and_after_publication(world: AwardWorld, tmp_path: Path) -> None:
    u = world.users
    edition = open_edition(world)
    jateng = Round.objects.get(edition=edition, province__code="33")
    jatim = Round.objects.get(edition=edition, province__code="35")
    smg = Candidate.objects.get(round=jateng, region__code="33.74")
    clp = Candidate.objects.get(round=jateng, region__code="33.01")
    c = {name: client_for(user) for name, user in u.items()}
    anonymous = client_for(None)

    # a regional officer submits through the page, with a PDF
    page = c["semarang"].post(f"/award/candidates/{smg.pk}/", {
        "kind": "regulation", "title": "Perwali 12/2025 jaminan sosial", "number": "12/2025",
        "issued_on": "2025-03-01", "file": io.BytesIO(PDF)}, follow=True)  # fmt: skip
    assert page.status_code == 200 and b"Perwali 12/2025" in page.content
    bad = c["semarang"].post(f"/award/candidates/{smg.pk}/", {
        "kind": "innovation", "title": "x", "file": _named(b"GIF89a", "x.gif")})  # fmt: skip
    assert bad.status_code == 200 and b"is not a PDF, JPEG or PNG file" in bad.content
    # Cilacap through the API (multipart)
    api = c["cilacap"].post(f"/api/award/candidates/{clp.pk}/submissions", {
        "kind": "regulation", "title": "Perbup 3/2025", "number": "3/2025", "issued_on": "2025-01-01",
        "file": _named(PDF, "perbup.pdf")})  # fmt: skip
    assert api.status_code == 201, api.content
    missing = c["cilacap"].post(f"/api/award/candidates/{clp.pk}/submissions", {"kind": "regulation", "title": "t",
                                "file": _named(PDF, "p.pdf")})  # fmt: skip
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "number"

    # a candidate cannot see another's file; HR of a company sees no region's
    assert c["semarang"].get(f"/award/candidates/{clp.pk}/").status_code == 404
    assert c["semarang"].get(f"/api/award/candidates/{clp.pk}/submissions").status_code == 404
    assert c["hr33"].get(f"/api/award/candidates/{smg.pk}/submissions").status_code == 404
    sub = clp.submissions.get()
    assert c["semarang"].get(f"/award/submissions/{sub.pk}/file").status_code == 404
    assert c["semarang"].post(f"/api/award/candidates/{clp.pk}/submissions", {
        "kind": "innovation", "title": "t", "file": _named(PDF, "p.pdf")}).status_code == 404  # fmt: skip
    assert len(c["semarang"].get(f"/api/award/candidates/{smg.pk}/submissions").json()) == 1

    # assessors alone; one refused on its own region (page and API)
    assert c["assessor1"].post(f"/api/award/candidates/{clp.pk}/scores", {"item": "interview", "value": 80},
                               content_type="application/json").status_code == 200  # fmt: skip
    assert c["assessor1"].post(f"/api/award/candidates/{smg.pk}/scores", {"item": "interview", "value": 70},
                               content_type="application/json").status_code == 200  # fmt: skip
    page = c["assessor2"].post(f"/award/candidates/{clp.pk}/", {"item": "interview", "value": 91}, follow=True)
    assert page.status_code == 200
    refused = c["assessor2"].post(f"/award/candidates/{smg.pk}/", {"item": "interview", "value": 100})
    assert refused.status_code == 200 and b"conflict of interest" in refused.content
    assert c["assessor2"].post(f"/api/award/candidates/{smg.pk}/scores", {"item": "interview", "value": 100},
                               content_type="application/json").status_code == 403  # fmt: skip
    seen = c["assessor2"].get(f"/api/award/candidates/{clp.pk}/scores").json()
    assert [(s["assessor"], s["value"]) for s in seen] == [("assessor2", 91)]
    page = c["assessor2"].get(f"/award/candidates/{clp.pk}/").content.decode()
    assert ">91<" in page and ">80<" not in page
    # the candidate sees no score, the committee none before the panel closes
    assert c["cilacap"].get(f"/api/award/candidates/{clp.pk}/scores").json() == []
    assert c["committee33"].get(f"/api/award/candidates/{clp.pk}/scores").json() == []
    assert c["cilacap"].get(f"/api/award/candidates/{clp.pk}/scorecard").status_code == 404

    # committees: their own province only
    assert c["committee35"].get(f"/award/rounds/{jateng.pk}/").status_code == 404
    assert c["committee35"].get(f"/api/award/rounds/{jateng.pk}").status_code == 404
    assert c["committee35"].post(f"/api/award/rounds/{jateng.pk}/close").status_code == 404
    assert c["committee35"].get(f"/award/rounds/{jatim.pk}/").status_code == 200
    assert {r["province"] for r in c["committee33"].get("/api/award/rounds").json()} == {"33"}
    assert c["assessor1"].post(f"/api/award/rounds/{jateng.pk}/close").status_code == 403
    assert c["semarang"].get(f"/award/rounds/{jateng.pk}/").status_code == 404

    # the committee closes the panel on its page, ranks, publishes
    assert c["committee33"].post(f"/award/rounds/{jateng.pk}/close/").status_code == 302
    seen = c["assessor2"].get(f"/api/award/candidates/{clp.pk}/scores").json()
    assert sorted(s["value"] for s in seen) == [80, 91]
    # a name that a spreadsheet would run as a formula is written as text in the committee's workbook
    Candidate.objects.filter(pk=clp.pk).update(name="=SUM(1,2)Cilacap")
    clp.refresh_from_db()
    assert c["committee33"].post(f"/award/rounds/{jateng.pk}/compute/").status_code == 302
    comp = jateng.computations.get()
    page = c["committee33"].get(f"/award/rounds/{jateng.pk}/").content.decode()
    assert 'id="sensitivity-table"' in page and "not published: designed by Paritrana" in page
    assert comp.snapshot_sha256[:16] in page and "<svg" in page
    assert c["assessor1"].get(f"/api/award/rankings/{comp.pk}").status_code == 200
    assert c["committee35"].get(f"/api/award/rankings/{comp.pk}").status_code == 404
    assert c["cilacap"].get(f"/api/award/rankings/{comp.pk}").status_code == 404
    assert anonymous.get("/award/results/").content.count(b'class="result"') == 0  # not published yet
    xlsx = c["committee33"].get(f"/award/rankings/{comp.pk}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    names = [row[1] for row in load_workbook(io.BytesIO(xlsx.content)).worksheets[0].iter_rows(values_only=True)]
    assert "'" + clp.name in names and clp.name not in names
    report = pdf_text(c["committee33"].get(f"/award/rankings/{comp.pk}/report.pdf").content, tmp_path)
    assert clp.name in report and smg.name in report
    assert c["assessor1"].post(f"/award/rankings/{comp.pk}/publish/").status_code == 403
    assert c["committee33"].post(f"/award/rankings/{comp.pk}/publish/").status_code == 302

    # after publication: own scorecard, never another's; public results without personal data
    Worker.objects.filter(region__code__startswith="33.01").update(name="Changed Later")
    card = c["cilacap"].get(f"/api/award/candidates/{clp.pk}/scorecard").json()
    row = next(r for r in comp.results if r["candidate_id"] == clp.pk)
    assert card["rank"] == row["rank"] and card["snapshot_sha256"] == comp.snapshot_sha256
    assert {i["key"] for i in card["indicators"]} >= {"active_rate", "active_growth", "budget_realised"}
    assert c["cilacap"].get(f"/api/award/candidates/{smg.pk}/scorecard").status_code == 404
    assert c["cilacap"].get(f"/award/candidates/{smg.pk}/scorecard.pdf").status_code == 404
    text = pdf_text(c["cilacap"].get(f"/award/candidates/{clp.pk}/scorecard.pdf?lang=en").content, tmp_path)
    assert clp.name in text and f"{row['rank']} of" in text
    for label in ("active coverage rate", "growth of active participants", "programme budget realised"):
        assert label in text
    public = anonymous.get("/award/results/")
    assert public.status_code == 200 and clp.name.encode() in public.content
    assert b"Changed Later" not in public.content and world.employer33.name.encode() not in public.content
    assert anonymous.get("/api/award/results").status_code == 401  # the API needs a sign-in
    assert c["hr33"].get("/api/award/results").json()[0]["rank"] == 1


def _named(content: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


def test_roles_without_award_work_are_refused(world: AwardWorld) -> None:
    edition = open_edition(world)
    jateng = Round.objects.get(edition=edition, province__code="33")
    smg = Candidate.objects.get(round=jateng, region__code="33.74")
    c = {name: client_for(user) for name, user in world.users.items()}
    # HR cannot score, a regional officer cannot close a round nor submit for another, nobody scores twice alike
    assert c["hr33"].post(f"/api/award/candidates/{smg.pk}/scores", {"item": "interview", "value": 1},
                          content_type="application/json").status_code == 403  # fmt: skip
    assert c["semarang"].post(f"/api/award/rounds/{jateng.pk}/close").status_code == 404
    assert c["assessor1"].post(f"/api/award/candidates/{smg.pk}/submissions", {
        "kind": "innovation", "title": "t", "file": _named(PDF, "p.pdf")}).status_code == 403  # fmt: skip
    # an assessor not on the panel does not see the round
    from paritrana.accounts.services import ensure_user

    outsider = ensure_user("outsider", "pw-out-1", "assessor")
    assert client_for(outsider).get(f"/api/award/rounds/{jateng.pk}").status_code == 404
    scores.score(world.users["assessor1"], smg.pk, "innovation", 55)
    assert submissions.get_candidate(world.users["committee33"], smg.pk) == smg
    assert ranking.latest(jateng) is None
