"""The decision letter of a claim as PDF, read back with pdftotext: the approval with its amounts, schedule,
calculation and legal references; the rejection with its reason; in Bahasa Indonesia and in English; none
before the decision and none out of scope."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from paritrana.claims import letters
from paritrana.claims.models import Claim, Instalment, Status
from paritrana.claims.services import claims as svc
from paritrana.contributions.documents import rupiah
from paritrana.contributions.models import JhtEntry
from paritrana.core.errors import NotFound, ValidationFailed
from paritrana.rules import compute_one, get_rule
from paritrana.web.legal_text import legal_reference
from tests.claims.claimkit import (
    JKM_CASE,
    documents_for,
    file_case_scholarship,
    file_jkm,
    file_refused_scholarship,
    legal_case,
)

# the words of each language the letter is known to carry (msgids translated before this letter)
MARKERS = {"id": ("Dicetak pada", "Dasar hukum"), "en": ("Printed on", "Legal basis")}
MONTHS = {"id": "Maret", "en": "March"}


def pdf_text(content: bytes, tmp_path: Path) -> str:
    assert content.startswith(b"%PDF-"), content[:20]
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: ./dev test installs poppler-utils"
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def other(lang: str) -> str:
    return "en" if lang == "id" else "id"


def check_legal_basis(claim: Claim, flat: str, lang: str) -> None:
    """Every parameter the rule read, with its reference, and the rule's own reference: as the regulations and
    articles they cite, in the letter's language."""
    assert claim.explanation["parameters"], "the rule read no parameter: nothing to check"
    with translation.override(lang):
        for p in claim.explanation["parameters"]:
            assert p["name"] in flat, p["name"]
            assert one_line(legal_reference(p["reference"])) in flat, p["reference"]
        assert one_line(legal_reference(get_rule(claim.rule).reference)) in flat


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_approval_of_a_paid_jkm_claim(world: Any, tmp_path: Path, lang: str) -> None:
    claim = file_jkm(world)
    svc.verify(world.users["branch"], claim.pk)
    [payment] = svc.approve_and_pay(world.users["branch2"], claim.pk)  # another officer than the verifier
    claim.refresh_from_db()
    assert claim.status == Status.PAID

    pdf = letters.letter_pdf(world.users["heir"], claim.pk, lang)
    assert pdf.lang == lang and pdf.file_name == f"claim-letter-{claim.number}-{lang}.pdf"
    text = pdf_text(pdf.content, tmp_path)
    flat = one_line(text)
    for word in MARKERS[lang]:
        assert word in text, word
    assert claim.number in text and world.workers["W33PU"].name in text and world.workers["W33PU"].nik in text
    assert f"16 {MONTHS[lang]} 2024" in text  # the date of death, as the language writes it
    # the amount decided is the legal case's, once as the amount and once as the payment instruction
    expected = JKM_CASE["expected"]
    assert claim.amount == expected["total"]
    assert flat.count(rupiah(expected["total"], lang)) >= 3  # the amount, an output (total), the payment
    assert rupiah(expected["total"], other(lang)) not in text
    # each component of the calculation: the rule's outputs, as the rule computes them from the claim's inputs
    out = compute_one("jkm_benefit", JKM_CASE["date"], claim.inputs).outputs
    assert out["lump_sum"] + out["periodic_benefit"] + out["funeral_cost"] == expected["total"]
    for name in ("lump_sum", "periodic_benefit", "funeral_cost"):
        assert claim.outputs[name] == out[name]
        assert rupiah(out[name], lang) in text, name
        assert name in text
    for name, value in claim.explanation["intermediate"].items():
        # by its title, never its key (issue 17), with its value
        assert str(value) in text and name not in text, name
    assert payment.reference in text and "BRI 0123456789" in text
    check_legal_basis(claim, flat, lang)
    if lang == "en":
        assert "Claim approved" in text and "Claim rejected" not in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_rejection_with_its_reason(world: Any, tmp_path: Path, lang: str) -> None:
    claim = file_jkm(world)
    svc.reject(world.users["branch"], claim.pk, "the death certificate is not legible")
    text = pdf_text(letters.letter_pdf(world.users["heir"], claim.pk, lang).content, tmp_path)
    for word in MARKERS[lang]:
        assert word in text, word
    assert "the death certificate is not legible" in text
    assert rupiah(JKM_CASE["expected"]["total"], lang) in text  # the computed components are still shown …
    assert "PB-" not in text  # … but no payment
    if lang == "en":
        assert "Claim rejected" in text and "Claim approved" not in text


def test_a_rejection_the_rules_decided_shows_both_reasons(world: Any, tmp_path: Path) -> None:
    """A scholarship with too few contribution months: the rules refuse it; the officer rejects with its reason."""
    claim = file_refused_scholarship(world.users["heir"])
    assert not claim.eligible and claim.refusal
    svc.reject(world.users["branch"], claim.pk, "contribution period too short; see the rules")
    text = one_line(pdf_text(letters.letter_pdf(world.users["branch"], claim.pk, "en").content, tmp_path))
    assert "contribution period too short; see the rules" in text
    assert one_line(claim.refusal) in text


def test_a_jht_payment_shows_the_income_tax_and_the_net_amount(world: Any, tmp_path: Path) -> None:
    """JHT on death above Rp50 jt: 5 % final tax on the part above (jht_benefits.yaml), the law of the claim date."""
    w = world.workers["W33PU"]
    JhtEntry.objects.create(
        worker=w, kind=JhtEntry.Kind.CONTRIBUTION, value_date=dt.date(2025, 1, 10), amount=150_000_000, reference="old"
    )
    death = timezone.localdate() - dt.timedelta(days=20)
    claim = svc.submit(
        world.users["heir"],
        "jht_full",
        {"event": "death", "event_date": death.isoformat()},
        documents_for("jht_full"),
        bank_account="BNI 55",
    )
    svc.verify(world.users["branch"], claim.pk)
    svc.approve_and_pay(world.users["branch2"], claim.pk)
    svc.approve_and_pay(world.users["admin"], claim.pk)  # above the threshold: a second approver, a third person
    claim.refresh_from_db()
    assert claim.status == Status.PAID
    independent = compute_one(
        "jht_withdrawal",
        claim.submitted_on,
        {
            "event": "death",
            "balance": 150_000_000,
            "birth_date": w.birth_date,
            "event_date": death,
            "membership_start": dt.date(2024, 1, 1),
        },
    ).outputs
    assert independent["income_tax"] > 0
    for lang in ("id", "en"):
        text = pdf_text(letters.letter_pdf(world.users["admin"], claim.pk, lang).content, tmp_path)
        assert rupiah(150_000_000, lang) in text
        assert rupiah(independent["income_tax"], lang) in text
        assert rupiah(independent["net_amount"], lang) in text
        assert text.count(rupiah(independent["net_amount"], lang)) >= 3  # amounts, outputs, the payment
        assert "t_admin" in text  # the second approver decided it


def test_a_jkp_letter_lists_the_six_months(world: Any, tmp_path: Path) -> None:
    """JKP for W33PU, filed by the branch; months paid before the records are the verifying officer's correction.
    Month 1 is paid with the claim, months 2-6 scheduled (the letter of the approved claim shows the plan too)."""
    branch = world.users["branch"]
    phk = timezone.localdate() - dt.timedelta(days=10)
    claim = svc.submit(
        branch,
        "jkp",
        {"event_date": phk.isoformat(), "separation": "termination"},
        documents_for("jkp"),
        worker_id=world.workers["W33PU"].pk,
        bank_account="BRI 9",
    )
    reason = "12 months on the employer's old BPJS card, seen at the branch"
    svc.verify(branch, claim.pk, {"contribution_months": 12, "consecutive_months": 6}, reason=reason)
    approver = world.users["branch2"]
    svc.approve(approver, claim.pk)
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED and claim.eligible, claim.refusal
    planned = pdf_text(letters.letter_pdf(branch, claim.pk, "en").content, tmp_path)
    for n in range(1, 7):
        assert f"JKP month {n}" in planned
    assert "PB-" not in planned  # approved, not yet paid

    svc.pay(approver, claim.pk)
    text = pdf_text(letters.letter_pdf(branch, claim.pk, "en").content, tmp_path)
    flat = one_line(text)
    # the verifier's correction, with its reason, and who took each step
    assert "Corrections by the verifying officer" in flat and reason in flat
    assert "contribution_months=12, consecutive_months=6" in flat
    assert "Verified by t_branch" in flat and "Approved by t_branch2" in flat
    indonesian = one_line(pdf_text(letters.letter_pdf(branch, claim.pk, "id").content, tmp_path))
    assert reason in indonesian and "Koreksi oleh petugas verifikasi" in indonesian
    months = list(Instalment.objects.filter(claim=claim).order_by("key"))
    assert [m.key for m in months] == [f"jkp-{n}" for n in range(1, 7)]
    for m in months:
        expected = compute_one("jkp_benefit", claim.law_date, {**claim.inputs, "month": int(m.key.split("-")[1])})
        assert m.amount == expected.outputs["benefit"] > 0
        assert rupiah(m.amount, "en") in text
    with translation.override("en"):
        assert f"{months[1].due_on:%-d} {months[1].due_on:%B %Y}" in text  # the second month's due date
    assert rupiah(claim.amount, "en") in text and claim.amount == sum(m.amount for m in months)
    assert "scheduled" in text and "paid" in text


def test_a_scholarship_letter_lists_each_childs_years(world: Any, tmp_path: Path) -> None:
    case = legal_case("scholarship.yaml", "worked example #10: university year 1, Rp12 jt (death Aug 2020)")
    children = [
        {"name": "Anak Kuliah", "birth_date": "2001-06-01", "level": "higher", "year_in_level": 1, "school_year": 2020},
        {"name": "Anak Sekolah", "birth_date": "2012-03-02", "level": "sd", "year_in_level": 5, "school_year": 2023},
    ]
    claim = file_case_scholarship(world.users["heir"], children)
    branch = world.users["branch"]
    svc.verify(branch, claim.pk, {"contribution_months": case["inputs"]["contribution_months"]}, reason="old records")
    svc.approve_and_pay(world.users["branch2"], claim.pk)
    svc.approve_and_pay(world.users["admin"], claim.pk)
    claim.refresh_from_db()
    assert claim.status == Status.PAID, claim.status
    years = list(Instalment.objects.filter(claim=claim))
    assert {y.child_order for y in years} == {1, 2}
    text = one_line(pdf_text(letters.letter_pdf(world.users["heir"], claim.pk, "en").content, tmp_path))
    for y in years:
        assert f"{y.child_name}: school year {y.school_year}/{y.school_year + 1}, {y.level.upper()}" in text
        assert rupiah(y.amount, "en") in text
    assert rupiah(case["expected"]["amount"], "en") in text
    # the footer of each page, a CSS string, carries the title's apostrophe as written
    assert text.count("Scholarship for the participant's children") >= 3 and "&#x27;" not in text
    assert rupiah(claim.amount, "en") in text and claim.amount == sum(y.amount for y in years)


def test_a_name_with_quotes_does_not_break_the_footer(world: Any, tmp_path: Path) -> None:
    w = world.workers["W33PU"]
    w.name = 'Budi "Bud" O\'Neil\\ </style>'
    w.save()
    claim = file_jkm(world)
    svc.reject(world.users["branch"], claim.pk, "not legible")
    text = pdf_text(letters.letter_pdf(world.users["heir"], claim.pk, "en").content, tmp_path)
    footer = f"Claim {claim.number} · {w.name} · JKM: death benefit (filed by the heirs)"
    assert footer in one_line(text), text[-300:]


def test_no_letter_before_the_decision(world: Any) -> None:
    claim = file_jkm(world)
    with pytest.raises(ValidationFailed) as err:
        letters.letter_pdf(world.users["heir"], claim.pk, "en")
    assert err.value.field == "status"
    svc.verify(world.users["branch"], claim.pk)
    with pytest.raises(ValidationFailed) as err:
        letters.letter_pdf(world.users["branch"], claim.pk, "id")
    assert err.value.field == "status"


def test_no_letter_out_of_scope_or_in_another_language(world: Any) -> None:
    claim = file_jkm(world)
    svc.reject(world.users["branch"], claim.pk, "not legible")
    for role in ("hr", "city", "province", "assessor", "worker"):
        with pytest.raises(NotFound):
            letters.letter_pdf(world.users[role], claim.pk, "en")
    with pytest.raises(NotFound):
        letters.letter_pdf(world.users["admin"], claim.pk + 1000, "en")
    with pytest.raises(ValidationFailed) as err:
        letters.letter_pdf(world.users["heir"], claim.pk, "fr")
    assert err.value.field == "lang"
    assert letters.letter_pdf(world.users["heir"], claim.pk, "en").lang == "en"
    with translation.override("id"):
        assert letters.letter_pdf(world.users["heir"], claim.pk).lang == "id"
