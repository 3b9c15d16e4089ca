"""The rules' own texts on a claim speak the reader's language: the refusal reason the rules gave (on the page, as
an output and in the decision letter) and the law's parameters by their names in words, in Bahasa Indonesia by
default and in English on the switch; a person's own text (an officer's reason) is shown as written."""

from __future__ import annotations

import re
from pathlib import Path

from paritrana.claims import letters
from paritrana.claims.models import Claim
from paritrana.claims.services import claims as svc
from tests.claims import claimkit
from tests.claims.test_claims_letters import one_line, pdf_text
from tests.web import test_claim_pages
from tests.web.test_claim_pages import World, client, page_text

world = test_claim_pages.world  # the claim pages' world (a fixture)

REFUSAL = "death not from work with a contribution period under the minimum"
REFUSAL_ID = "meninggal bukan karena kerja dengan masa iur kurang dari minimum"
PARAMETER = "scholarship.jkm_min_contribution_months"


def file_refused_scholarship(world: World) -> Claim:
    claim = claimkit.file_refused_scholarship(world.users["heir"])
    assert not claim.eligible and claim.refusal == f"Anak Satu: {REFUSAL}"  # each child's reason, with the name
    return claim


def test_the_claim_page_shows_the_rules_refusal_and_parameters_in_indonesian(world: World) -> None:
    claim = file_refused_scholarship(world)
    html = page_text(client(world, "heir").get(f"/claims/{claim.pk}/"))
    assert f'<span id="claim-refusal">Anak Satu: {REFUSAL_ID}</span>' in html
    assert REFUSAL not in html  # nor as the output "reason"
    row = re.search(rf'<tr class="parameter[^"]*" data-name="{re.escape(PARAMETER)}"><td>([^<]*)</td>', html)
    assert row is not None and row.group(1) == "minimum bulan iuran JKM untuk beasiswa"
    english = page_text(client(world, "heir", english=True).get(f"/claims/{claim.pk}/"))
    assert f'<span id="claim-refusal">Anak Satu: {REFUSAL}</span>' in english
    row = re.search(rf'<tr class="parameter[^"]*" data-name="{re.escape(PARAMETER)}"><td>([^<]*)</td>', english)
    assert row is not None and row.group(1) == "scholarship JKM min contribution months"


def test_the_letter_gives_the_rules_refusal_translated_and_the_officers_reason_as_written(
    world: World, tmp_path: Path
) -> None:
    claim = file_refused_scholarship(world)
    svc.reject(world.users["branch"], claim.pk, "masa iur terlalu pendek")
    text = one_line(pdf_text(letters.letter_pdf(world.users["branch"], claim.pk, "id").content, tmp_path))
    assert f"Anak Satu: {REFUSAL_ID}" in text and "masa iur terlalu pendek" in text
    assert REFUSAL not in text
    assert f"minimum bulan iuran JKM untuk beasiswa ({PARAMETER})" in text
    text = one_line(pdf_text(letters.letter_pdf(world.users["branch"], claim.pk, "en").content, tmp_path))
    assert f"Anak Satu: {REFUSAL}" in text and f"scholarship JKM min contribution months ({PARAMETER})" in text
