"""Documents as PDF: the employer's bill (and the worker's JHT statement) in Bahasa Indonesia and in English,
read back with pdftotext (poppler-utils, installed by ./dev): the payer, the month, the lines, the totals in
rupiah as each language writes them, the legal references of the rules used.

The bill is March 2025 of the billable world, billed by ``run_billing``; amounts are the rules engine's.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from paritrana.contributions import documents
from paritrana.contributions.models import Bill, Payer
from paritrana.contributions.services.billing import run_billing
from paritrana.core.errors import NotFound, ValidationFailed
from paritrana.rules import compute_one, get_rule
from paritrana.web.legal_text import legal_reference
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text of a PDF, in reading order (pdftotext: a table cell's text stays together)."""
    assert content.startswith(b"%PDF-"), content[:20]
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: ./dev test installs poppler-utils"
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout


def one_line(text: str) -> str:
    """Text with its layout whitespace folded (a reference may wrap over lines in a table cell)."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def bill(world: World) -> Bill:
    run_billing(MARCH)
    payer = Payer.objects.get(employer=world.employers["E33"])
    return Bill.objects.get(payer=payer, period=MARCH, kind=Bill.Kind.CONTRIBUTION)


def test_rupiah_as_each_language_writes_it() -> None:
    assert documents.rupiah(1_234_567, "id") == "Rp 1.234.567"
    assert documents.rupiah(1_234_567, "en") == "Rp 1,234,567"
    assert documents.rupiah(0, "id") == "Rp 0"
    assert documents.rupiah(-1_200, "id") == "Rp -1.200"


@pytest.mark.parametrize(
    ("lang", "month", "words"),
    [
        ("id", "Maret 2025", ("pemberi kerja",)),  # the payer's kind, as the registry's translation says it
        ("en", "March 2025", ("Contribution bill", "Outstanding", "employer")),
    ],
)
def test_the_bill_as_pdf_in_each_language(
    world: World, bill: Bill, tmp_path: Path, lang: str, month: str, words: tuple[str, ...]
) -> None:
    pdf = documents.bill_pdf(world.users["hr"], bill.pk, lang)
    assert pdf.lang == lang and pdf.file_name.endswith(f"-2025-03-contribution-{lang}.pdf")
    text = pdf_text(pdf.content, tmp_path)
    flat = one_line(text)
    assert "PT Semarang" in text and "33000001" in text
    assert month in text
    for word in words:
        assert word in text, word
    # the total, the outstanding amount and each line, in the language's rupiah
    out = compute_one("pu_contributions", MARCH, {"wage": 3_000_000, "risk_group": 2}).outputs
    assert bill.amount == sum(line.amount for line in bill.lines.all())
    assert documents.rupiah(bill.amount, lang) in text
    assert text.count(documents.rupiah(bill.amount, lang)) >= 2  # the total and the outstanding (nothing paid)
    for amount in (out["jkk"], out["jkm"], out["jht_employer"] + out["jht_worker"]):
        assert documents.rupiah(amount, lang) in text, amount
    assert documents.rupiah(3_000_000, lang) in text  # the wage basis
    other = "en" if lang == "id" else "id"
    assert documents.rupiah(bill.amount, other) not in text
    # the legal references of the rules used, as regulations and articles in the reader's language
    with translation.override(lang):
        assert one_line(legal_reference(get_rule("pu_contributions").reference)) in flat
    assert "Worker W33PU" in text


def test_the_pdf_follows_the_active_language_and_refuses_others(world: World, bill: Bill, tmp_path: Path) -> None:
    from django.utils import translation

    with translation.override("en"):
        assert documents.bill_pdf(world.users["admin"], bill.pk).lang == "en"
    with translation.override("id"):
        assert documents.bill_pdf(world.users["admin"], bill.pk).lang == "id"
    with pytest.raises(ValidationFailed) as err:
        documents.bill_pdf(world.users["admin"], bill.pk, "fr")
    assert err.value.field == "lang"


def test_no_bill_document_out_of_scope(world: World, bill: Bill) -> None:
    for role in ("province", "city", "worker", "heir", "assessor"):
        with pytest.raises(NotFound):
            documents.bill_document(world.users[role], bill.pk)
    e35 = Bill.objects.get(payer__employer=world.employers["E35"], period=MARCH)
    with pytest.raises(NotFound):
        documents.bill_pdf(world.users["hr"], e35.pk, "id")


def test_the_web_pdf_is_a_download_in_the_language_asked_or_the_pages(world: World, bill: Bill, tmp_path: Path) -> None:
    client = Client()
    client.force_login(world.users["hr"])
    response = client.get(f"/bills/{bill.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Maret 2025" in pdf_text(response.content, tmp_path)  # Bahasa Indonesia by default
    english = client.get(f"/bills/{bill.pk}/pdf?lang=en")
    assert "March 2025" in pdf_text(english.content, tmp_path)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get(f"/bills/{bill.pk}/pdf")["Content-Language"] == "en"
    assert client.get(f"/bills/{bill.pk}/pdf?lang=xx").status_code == 400


@pytest.fixture
def account(world: World) -> int:
    """W33PU's JHT: March 2025's contribution (pu_contributions) credited on 10 April, 50.000 withdrawn in May."""
    from paritrana.contributions.models import JhtEntry
    from paritrana.contributions.services.ledger import withdraw

    w = world.workers["W33PU"]
    out = compute_one("pu_contributions", MARCH, {"wage": 3_000_000, "risk_group": 2}).outputs
    jht = out["jht_employer"] + out["jht_worker"]
    JhtEntry.objects.create(
        worker=w, kind="contribution", value_date=dt.date(2025, 4, 10), amount=jht, reference="2025-03"
    )
    withdraw(world.users["admin"], w.pk, 50_000, dt.date(2025, 5, 2), "WD-7")
    return int(jht)


@pytest.mark.parametrize(
    ("lang", "words"), [("id", ("10 April 2025", "2 Mei 2025")), ("en", ("2 May 2025", "JHT account statement"))]
)
def test_the_jht_statement_as_pdf_in_each_language(
    world: World, account: int, tmp_path: Path, lang: str, words: tuple[str, ...]
) -> None:
    w = world.workers["W33PU"]
    pdf = documents.statement_pdf(world.users["heir"], w.pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31), lang)
    assert pdf.file_name == f"jht-statement-{w.nik}-20250101-20251231-{lang}.pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert "Worker W33PU" in text and w.nik in text
    for word in words:
        assert word in text, word
    assert documents.rupiah(account, lang) in text  # the contribution credited
    assert documents.rupiah(account - 50_000, lang) in text  # the balance on 31 December 2025
    assert documents.rupiah(-50_000, lang) in text and "WD-7" in text
    with translation.override(lang):
        assert one_line(legal_reference(get_rule("jht_yearly_return").reference)) in one_line(text)


def test_no_statement_out_of_scope(world: World, account: int) -> None:
    w = world.workers["W33PU"]
    for role in ("hr", "province", "city", "worker", "assessor"):
        with pytest.raises(NotFound):
            documents.statement_pdf(world.users[role], w.pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "id")


def test_the_file_name_is_safe_in_a_header(world: World, bill: Bill) -> None:
    employer = world.employers["E33"]
    employer.registration_number = 'PK/33 "1"'
    employer.save()
    assert documents.bill_pdf(world.users["hr"], bill.pk, "en").file_name == "bill-PK-33-1-2025-03-contribution-en.pdf"


@pytest.mark.parametrize(("lang", "words"), [("en", "How to pay"), ("id", "Cara membayar")])
def test_the_bill_pdf_carries_the_payment_code_and_how_to_pay(
    world: World, bill: Bill, tmp_path: Path, lang: str, words: str
) -> None:
    from paritrana.contributions.paycode import grouped, payment_code

    text = one_line(pdf_text(documents.bill_pdf(world.users["hr"], bill.pk, lang).content, tmp_path))
    assert grouped(payment_code(bill.payer_id)) in text and words in text
