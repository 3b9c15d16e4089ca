"""A large bill as people read it: the summary per programme and how to pay on top, the lines a page at a time
and searchable by the worker's NIK or name, the PDF opening on the total; the bills list searched and sorted
within the user's scope; a line's note in words."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import translation

from paritrana.contributions import documents
from paritrana.contributions.models import Bill, Payer
from paritrana.contributions.services.billing import run_billing
from paritrana.registry.models import Membership, Worker
from paritrana.web.bill_text import entry_reference, line_note
from tests.platform.world import World, build_world, enrol_for_contributions, worker

MARCH = dt.date(2025, 3, 1)
EXTRA = 60  # wage earners added to PT Semarang: 61 workers x 4 programmes billed (JKK, JKM, JHT, JP)


@pytest.fixture
def world(db: None) -> World:
    w = enrol_for_contributions(build_world())
    employer = w.employers["E33"]
    born = dt.date(1990, 1, 1)
    kw = {"occupation": "employee", "region": w.regions["33.74"], "scheme": "PU", "employer": employer}
    extra = Worker.objects.bulk_create(
        worker(f"Pabrik{i:03d}", "33.74.01", "F", born, 100 + i, wage=3_000_000 + i * 1_000, **kw) for i in range(EXTRA)
    )
    Membership.objects.bulk_create(
        Membership(worker=person, programme=p, start=dt.date(2024, 1, 1))
        for person in extra
        for p in ("JKK", "JKM", "JHT", "JP", "JKP")
    )
    run_billing(MARCH)
    return w


def large_bill(world: World) -> Bill:
    payer = Payer.objects.get(employer=world.employers["E33"])
    return Bill.objects.get(payer=payer, period=MARCH, kind=Bill.Kind.CONTRIBUTION)


def client(world: World, role: str) -> Client:
    c = Client()
    c.force_login(world.users[role])
    return c


def line_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr class="line-\w+" id="line-(\d+)"', html)]


def test_the_summary_per_programme_comes_first_and_the_lines_a_page_at_a_time(world: World) -> None:
    bill = large_bill(world)
    assert bill.lines.count() > 200
    html = client(world, "hr").get(f"/bills/{bill.pk}/").content.decode()
    summary, lines = html.index('id="bill-programmes"'), html.index('id="bill-lines"')
    assert summary < html.index('id="how-to-pay"') < lines  # owed: how to pay before the lines
    assert len(line_ids(html)) == 50 and "halaman 1 dari" in html
    for row in bill.lines.values("programme").annotate(total=Sum("amount")):
        shown = re.search(rf'id="programme-{row["programme"]}">.*?</tr>', html, re.DOTALL)
        assert shown and documents.rupiah(row["total"], "id") in shown.group(0), row
    assert f'id="bill-programmes-total">{documents.rupiah(bill.amount, "id")}<' in html
    # the second page has the next 50, none of the first
    second = client(world, "hr").get(f"/bills/{bill.pk}/", {"page": 2}).content.decode()
    assert len(line_ids(second)) == 50 and not set(line_ids(second)) & set(line_ids(html))


def test_a_bills_lines_are_found_by_nik_or_name(world: World) -> None:
    bill = large_bill(world)
    target = Worker.objects.get(name="Worker Pabrik042")
    hr = client(world, "hr")
    for query in (target.nik, "pabrik042", "PABRIK042"):
        html = hr.get(f"/bills/{bill.pk}/", {"q": query}, headers={"hx-request": "true"}).content.decode()
        shown = set(line_ids(html))
        assert shown == set(bill.lines.filter(worker=target).values_list("pk", flat=True)), query
        assert "<html" not in html  # HTMX asked: only the lines
    empty = hr.get(f"/bills/{bill.pk}/", {"q": "tidak ada"}).content.decode()
    assert line_ids(empty) == [] and "Tidak ada baris tagihan ini yang cocok" in empty


def test_the_lines_sort_and_their_links_keep_the_search(world: World) -> None:
    bill = large_bill(world)
    html = client(world, "hr").get(f"/bills/{bill.pk}/", {"q": "pabrik", "sort": "-amount"}).content.decode()
    amounts = [bill.lines.get(pk=pk).amount for pk in line_ids(html)]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) == 50
    assert 'href="?q=pabrik&amp;sort=-amount&amp;page=2"' in html


def test_a_bill_out_of_scope_is_not_found_whatever_the_search(world: World) -> None:
    bill = large_bill(world)
    for role in ("worker", "city", "province", "assessor"):
        response = client(world, role).get(f"/bills/{bill.pk}/", {"q": "pabrik"})
        assert response.status_code in (403, 404), role
        assert "Worker Pabrik" not in response.content.decode()


def shown_bills(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr id="bill-(\d+)"', html)}


def test_the_bills_list_is_searched_by_payer_nik_or_number_within_scope(world: World) -> None:
    bills = {b.payer_id: b for b in Bill.objects.filter(period=MARCH, kind="contribution")}
    own = large_bill(world)
    surabaya = Bill.objects.get(payer__employer=world.employers["E35"], period=MARCH)
    self_paid = Bill.objects.get(payer__worker=world.workers["W33BPU"], period=MARCH)
    admin = client(world, "admin")
    assert shown_bills(admin.get("/bills/", {"q": "surabaya"}).content.decode()) == {surabaya.pk}
    assert shown_bills(admin.get("/bills/", {"q": str(own.pk)}).content.decode()) == {own.pk}
    assert shown_bills(admin.get("/bills/", {"q": "35000"}).content.decode()) == {surabaya.pk}
    nik = world.workers["W33BPU"].nik
    assert shown_bills(admin.get("/bills/", {"q": nik}).content.decode()) == {self_paid.pk}
    # HR of PT Semarang: its own bill only, whatever it types
    hr = client(world, "hr")
    for query in ("surabaya", str(surabaya.pk), "35000", nik, "PT", ""):
        found = shown_bills(hr.get("/bills/", {"q": query}).content.decode())
        assert found <= {own.pk}, query
    assert shown_bills(hr.get("/bills/", {"q": "semarang"}).content.decode()) == {own.pk}
    assert len(bills) >= 4


def test_the_bills_list_sorts_by_amount_and_keeps_the_filters(world: World) -> None:
    admin = client(world, "admin")
    html = admin.get("/bills/", {"sort": "-amount", "month": "2025-03"}).content.decode()
    order = [Bill.objects.get(pk=pk).amount for pk in re.findall(r'<tr id="bill-(\d+)"', html)]
    assert order == sorted(order, reverse=True) and len(order) >= 4
    assert 'href="?sort=amount&amp;month=2025-03"' in html or 'href="?month=2025-03&amp;sort=amount"' in html
    ascending = admin.get("/bills/", {"sort": "payer"}).content.decode()
    names = re.findall(r'<a href="/payers/\d+/">([^<]+)</a>', ascending)
    assert names == sorted(names, key=str.casefold)


def pdf_pages(content: bytes, tmp_path: Path) -> list[str]:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: ./dev test installs poppler-utils"
    path = tmp_path / "bill.pdf"
    path.write_bytes(content)
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f") if page.strip()]


def test_a_large_bills_pdf_opens_on_its_total_and_how_to_pay(world: World, tmp_path: Path) -> None:
    bill = large_bill(world)
    pages = pdf_pages(documents.bill_pdf(world.users["hr"], bill.pk, "id").content, tmp_path)
    assert len(pages) > 3
    first = pages[0]
    assert documents.rupiah(bill.amount, "id") in first and "Total tagihan" in first
    assert "Cara membayar" in first or "Kode pembayaran" in first
    assert "Worker Pabrik059" not in first and any("Worker Pabrik059" in page for page in pages[1:])


def test_a_line_note_in_words_in_each_language() -> None:
    with translation.override("id"):
        assert line_note("wage_corrected 2845000 4750000") == "upah dikoreksi dari Rp 2.845.000 menjadi Rp 4.750.000"
        assert "penghasilan" in line_note("income_basis_corrected 1000000 1200000")
        assert line_note("wage_recomputed 4750000") == (
            "dihitung ulang menurut peraturan yang berlaku; upah Rp 4.750.000 tidak berubah"
        )
        late = line_note("late 2 1500000 2025-03 2025-04-15 2025-05-20 LATE 1")
        assert late.startswith("terlambat 2 bulan: Rp 1.500.000") and "Maret 2025" in late
        assert "15 April 2025" in late and "20 Mei 2025" in late and late.endswith("LATE 1")
        # a note written in English before reads the same
        assert line_note("wage 2.845.000 → 4.750.000") == "upah dikoreksi dari Rp 2.845.000 menjadi Rp 4.750.000"
        assert entry_reference("2025-03 adjustment: wage_corrected 2845000 4750000") == (
            "Maret 2025 · penyesuaian: upah dikoreksi dari Rp 2.845.000 menjadi Rp 4.750.000"
        )
    with translation.override("en"):
        assert line_note("wage_corrected 2845000 4750000") == "wage corrected from Rp 2,845,000 to Rp 4,750,000"
        assert line_note("late 1 1500000 2025-03 2025-04-15 2025-05-20 X").startswith("1 month late: Rp 1,500,000")
        assert entry_reference("2025-03 contribution") == "March 2025 · contribution"
    assert line_note("") == ""
    assert line_note("a note typed by an officer") == "a note typed by an officer"
    assert line_note("late 2 1500000 2025-13 2025-04-15 2025-05-20 X") == "2 1500000 2025-13 2025-04-15 2025-05-20 X"
    assert entry_reference("JHT return 2024") == "JHT return 2024"
