"""Must show 1 of the award, in a real browser: Kota Semarang's officer submits its regulation with a PDF; two
assessors score (one, of Kota Semarang, is refused on Semarang); Jawa Tengah's committee closes the panel, ranks
and publishes; the central committee brings the winner to the national round, closes, ranks and publishes; the
public page and the scorecard PDF show the rank and each indicator.

The world is the award tests' (tests/award/awardkit.py): the demo generator's registry, billed and paid, with
the demo's workforce figures and Kota Semarang's programme.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paritrana.accounts.services import ensure_user
from paritrana.award.models import Candidate, Round, Score
from paritrana.award.services import submissions
from tests.award.awardkit import PDF, AwardWorld, open_edition, pdf_text
from tests.worlds import Recorded

PASSWORDS = {"semarang": "pw-smg-1", "assessor1": "pw-a1-1", "assessor2": "pw-a2-1", "committee33": "pw-c33-1",
             "central": "pw-central-1"}  # fmt: skip


@pytest.fixture
def award_world(
    award_world_recorded: Recorded[AwardWorld], transactional_db: None, tmp_path: Path, settings: Any
) -> AwardWorld:
    """The award tests' world, committed for the live server (laid down from the run's one build)."""
    settings.PARITRANA_AWARD_SNAPSHOTS = str(tmp_path / "snapshots")
    return award_world_recorded.laid_down()


def sign_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="id-ID")
    # ranking writes a snapshot of the registry and computes on it: on a loaded machine that can pass 30 s
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("#login")
    page.wait_for_selector("#home-title")
    return page


def score(page: Any, base: str, candidate: Candidate, value: int) -> None:
    page.goto(f"{base}/award/candidates/{candidate.pk}/")
    page.select_option("#id_item", "interview")
    page.fill("#id_value", str(value))
    page.click("#save-score")
    page.wait_for_selector("#score-table")


def test_award_from_submission_to_scorecard(browser: Any, live_server: Any, award_world: AwardWorld,
                                            tmp_path: Path) -> None:  # fmt: skip
    base = live_server.url
    edition = open_edition(award_world)
    jateng = Round.objects.get(edition=edition, province__code="33")
    smg = Candidate.objects.get(round=jateng, region__code="33.74")
    clp = Candidate.objects.get(round=jateng, region__code="33.01")
    submissions.submit(award_world.users["cilacap"], clp.pk, "regulation", "Perbup 3/2025", "perbup.pdf", PDF,
                       number="3/2025", issued_on=edition.window_opens)  # fmt: skip

    # the regency officer submits its regulation with a PDF, from the award's page
    officer = sign_in(browser, base, "semarang")
    officer.click("#nav-award")
    officer.wait_for_selector("#award-title")
    officer.click(f"#candidate-{smg.pk}")
    officer.select_option("#id_kind", "regulation")
    officer.fill("#id_title", "Peraturan Wali Kota Semarang tentang jaminan sosial ketenagakerjaan")
    officer.fill("#id_number", "12/2025")
    officer.fill("#id_issued_on", "2025-03-01")
    pdf = tmp_path / "perwali.pdf"
    pdf.write_bytes(PDF)
    officer.set_input_files("#id_file", str(pdf))
    officer.click("#submit-evidence")
    officer.wait_for_selector("#submission-table")
    assert "12/2025" in officer.inner_text("#submission-table")
    assert smg.submissions.get().content_type == "application/pdf"

    # two assessors; the one of Kota Semarang is refused on Semarang
    first = sign_in(browser, base, "assessor1")
    score(first, base, smg, 70)
    score(first, base, clp, 80)
    second = sign_in(browser, base, "assessor2")
    score(second, base, clp, 90)
    second.goto(f"{base}/award/candidates/{smg.pk}/")
    assert second.locator("#conflict-note").count() == 1
    second.select_option("#id_item", "interview")
    second.fill("#id_value", "100")
    second.click("#save-score")
    second.wait_for_selector("#score-form .errorlist")
    assert not Score.objects.filter(candidate=smg, assessor=award_world.users["assessor2"]).exists()
    second.goto(f"{base}/award/candidates/{clp.pk}/")
    assert "90" in second.inner_text("#score-table") and "80" not in second.inner_text("#score-table")

    # the provincial committee closes the round, ranks, publishes
    committee = sign_in(browser, base, "committee33")
    committee.goto(f"{base}/award/rounds/{jateng.pk}/")
    committee.click("#close-panel")
    committee.click("#compute-ranking")
    committee.wait_for_selector("#sensitivity-table")
    assert committee.inner_text(f"#rank-{clp.pk} .rank") in ("1", "2")
    committee.click("#publish-ranking")
    committee.wait_for_selector("#round-status")
    jateng.refresh_from_db()
    assert jateng.status == "published"

    # the national round: the winner joins the provinces, the central committee ranks and publishes
    central = sign_in(browser, base, "central")
    national = Round.objects.get(edition=edition, tier="national")
    central.goto(f"{base}/award/rounds/{national.pk}/")
    central.click("#promote-winners")
    central.click("#close-panel")
    central.click("#compute-ranking")
    central.wait_for_selector("#ranking-table")
    winner = jateng.published.results[0]
    promoted = Candidate.objects.get(round=national, promoted_from_id=winner["candidate_id"])
    national_rank = central.inner_text(f"#rank-{promoted.pk} .rank")
    assert national_rank == "1"  # alone in its category and zone
    central.click("#publish-ranking")

    # the public page (no sign-in) shows the ranks; the scorecard PDF the rank and each indicator
    public = browser.new_context(locale="id-ID").new_page()
    public.goto(f"{base}/award/results/")
    results = public.inner_text("#results-table")
    assert winner["name"] in results and "Jawa Tengah" in results
    # phone-sized: the award's pages need no sideways scrolling at 360 px (wide tables scroll in their box)
    committee.set_viewport_size({"width": 360, "height": 740})
    for url in (f"/award/rounds/{jateng.pk}/", f"/award/candidates/{clp.pk}/", "/award/"):
        committee.goto(base + url)
        assert committee.evaluate("document.documentElement.scrollWidth") <= 360, url
    public.set_viewport_size({"width": 360, "height": 740})
    assert public.evaluate("document.documentElement.scrollWidth") <= 360
    owner = "semarang" if winner["candidate_id"] == smg.pk else None
    viewer = officer if owner else committee
    response = viewer.request.get(f"{base}/award/candidates/{winner['candidate_id']}/scorecard.pdf?lang=en")
    assert response.status == 200
    text = pdf_text(response.body(), tmp_path)
    assert f"{winner['rank']} of" in text and winner["name"] in text
    for label in ("active coverage rate", "growth of active participants", "active wage earners (PU)",
                  "active non-wage earners (BPU)", "vulnerable workers protected by the region's programmes",
                  "programme budget realised", "regulations submitted", "interview (assessors)"):  # fmt: skip
        assert label in text, label

    # on Jawa Timur's open round, from a phone: the central committee seats an assessor on the panel and
    # nominates a company of the province (the pages are in Bahasa Indonesia)
    jatim = Round.objects.get(edition=edition, province__code="35")
    ensure_user("assessor3", "pw-a3-1", "assessor")
    central.set_viewport_size({"width": 360, "height": 740})
    central.goto(f"{base}/award/rounds/{jatim.pk}/")
    assert central.evaluate("document.documentElement.scrollWidth") <= 360
    central.select_option("#seat-username", "assessor3")
    central.click("#seat-assessor")
    central.wait_for_selector("#panel-assessor3")
    assert "Penilai sudah masuk tim penilai." in central.inner_text("body")
    central.fill("#nominate-number", award_world.employer35.registration_number)
    central.click("#nominate-company")
    central.wait_for_selector("#nominate-form")
    assert award_world.employer35.name in central.inner_text("#candidate-table")
    assert central.evaluate("document.documentElement.scrollWidth") <= 360
    assert list(jatim.assessors.values_list("username", flat=True)) == ["assessor3"]
    assert (
        Candidate.objects.get(round=jatim, employer=award_world.employer35).nominated_by == award_world.users["central"]
    )
    for context in (officer, first, second, committee, central, public):
        context.context.close()
