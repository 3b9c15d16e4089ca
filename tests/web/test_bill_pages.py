"""Bill pages with real bills: every role against the bills list, a bill, its PDF, a payer's page, the payment
form and the arrears; what each page shows (lines traceable to their rule, totals, payments) and refuses.

The world is the platform's (tests/platform/world.py) made billable as the contributions tests make it, and
March 2025 billed by ``run_billing``: bills of E33 (W33PU), E35 (W35), W33BPU (self-paid) and Kota Semarang's
programme (W33CITY). Every amount expected is computed by the rules engine for the same inputs.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from paritrana.contributions import documents
from paritrana.contributions.documents import rupiah
from paritrana.contributions.models import Bill, ManualPayment, Payer, Payment, WageReport
from paritrana.contributions.paycode import grouped, payment_code
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.rules import compute_one
from tests.platform.world import World, build_world, enrol_for_contributions

MARCH = dt.date(2025, 3, 1)
ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")
# who sees which bill (and its payer): contributions/scopes.py
SEES = {
    "E33": {"admin", "branch", "hr"},
    "E35": {"admin"},
    "W33BPU": {"admin", "branch", "worker"},
    "CITY": {"admin", "branch", "city"},
}


@pytest.fixture
def world(db: None) -> World:
    w = enrol_for_contributions(build_world())
    run_billing(MARCH)
    return w


def bills_of(world: World) -> dict[str, Bill]:
    w = world.workers
    by_payer = {b.payer_id: b for b in Bill.objects.filter(period=MARCH, kind=Bill.Kind.CONTRIBUTION)}
    return {
        "E33": by_payer[Payer.objects.get(employer=world.employers["E33"]).pk],
        "E35": by_payer[Payer.objects.get(employer=world.employers["E35"]).pk],
        "W33BPU": by_payer[Payer.objects.get(worker=w["W33BPU"]).pk],
        "CITY": by_payer[Payer.objects.get(sponsor=w["W33CITY"].sponsor).pk],
    }


def client(world: World, role: str | None) -> Client:
    c = Client()
    if role is not None:
        c.force_login(world.users[role])
    return c


def shown_bills(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr id="bill-(\d+)"', html)}


def test_the_bills_list_shows_each_role_its_own_bills(world: World) -> None:
    bills = bills_of(world)
    for role in ROLES:
        response = client(world, role).get("/bills/")
        if role in ("heir", "assessor"):
            assert response.status_code == 403, role
            continue
        assert response.status_code == 200, role
        expected = {bills[key].pk for key, roles in SEES.items() if role in roles}
        assert shown_bills(response.content.decode()) == expected, role
    assert client(world, None).get("/bills/")["Location"].startswith("/login/")


@pytest.mark.parametrize("key", sorted(SEES))
@pytest.mark.parametrize("page", ["/bills/{pk}/", "/bills/{pk}/pdf", "/payers/{payer}/"])
def test_a_bill_and_its_payer_are_seen_only_within_scope(world: World, key: str, page: str) -> None:
    bill = bills_of(world)[key]
    url = page.format(pk=bill.pk, payer=bill.payer_id)
    for role in ROLES:
        response = client(world, role).get(url)
        assert response.status_code == (200 if role in SEES[key] else 404), (role, url)
    assert client(world, None).get(url).status_code == 302


def test_the_bill_page_traces_each_line_to_its_rule(world: World) -> None:
    bill = bills_of(world)["E33"]
    html = client(world, "hr").get(f"/bills/{bill.pk}/").content.decode()
    out = compute_one("pu_contributions", MARCH, {"wage": 3_000_000, "risk_group": 2}).outputs
    assert "PT Semarang" in html and "Maret 2025" in html
    # the lines per programme, in rupiah written the Indonesian way, each with the wage basis
    jht = out["jht_employer"] + out["jht_worker"]
    for amount in (out["jkk"], out["jkm"], jht, out["jp_employer"] + out["jp_worker"]):
        assert rupiah(amount, "id") in html, amount
    assert rupiah(3_000_000, "id") in html
    assert f'id="bill-amount">{rupiah(bill.amount, "id")}<' in html
    # each line names its rule and links to the calculator under the line's law and inputs
    link = "/calculator/pu_contributions/?date=2025-03-01&amp;wage=3000000&amp;risk_group=2"
    assert html.count(link) == bill.lines.count()
    assert "1 Maret 2025" in html
    assert "PP 46/2015 pasal 16" in html  # the rule's legal reference (pu_contributions), as regulation and article
    # the calculator, opened from the link, computes the line's amounts again (JKK, and JHT's two shares)
    calc = client(world, "hr").get(link.replace("&amp;", "&")).content.decode()
    jkk_line = bill.lines.get(programme="JKK")
    for value in (jkk_line.amount, out["jht_employer"], out["jht_worker"]):
        assert f'<td class="num">{rupiah(value, "id").removeprefix("Rp ")}</td>' in calc, value


def test_a_sponsored_line_links_the_calculator_with_who_pays(world: World) -> None:
    """April 2026 (PP 50/2025 relief for other sectors): the regional programme's lines are Rp10,000 and
    Rp6,800, and their calculator link says the APBD pays, so the calculator shows the same amounts; the
    self-paid worker's link says own funds and shows the half."""
    april = dt.date(2026, 4, 1)
    run_billing(april)
    city = Bill.objects.get(payer__sponsor=world.workers["W33CITY"].sponsor, period=april, kind="contribution")
    html = client(world, "city").get(f"/bills/{city.pk}/").content.decode()
    link = "/calculator/bpu_contributions/?date=2026-04-01&amp;declared_income=1000000&amp;paid_from=regional_budget"
    assert html.count(link) == city.lines.count() == 2
    calc = client(world, "city").get(link.replace("&amp;", "&")).content.decode()
    for value in (10_000, 6_800):
        assert f'<td class="num">{rupiah(value, "id").removeprefix("Rp ")}</td>' in calc, value
    own = Bill.objects.get(payer__worker=world.workers["W33BPU"], period=april, kind="contribution")
    html = client(world, "worker").get(f"/bills/{own.pk}/").content.decode()
    assert "paid_from=own_funds" in html and "paid_from=regional_budget" not in html
    assert {line.programme: line.amount for line in own.lines.all()} == {"JKK": 5_000, "JKM": 3_400, "JHT": 20_000}


def test_a_corrected_wage_shows_as_an_adjustment_line_with_its_note(world: World) -> None:
    w = world.workers["W33PU"]
    WageReport.objects.create(worker=w, employer=w.employer, period=MARCH, wage=3_500_000)
    run_billing(MARCH)
    bill = bills_of(world)["E33"]
    html = client(world, "branch").get(f"/bills/{bill.pk}/").content.decode()
    before = compute_one("pu_contributions", MARCH, {"wage": 3_000_000, "risk_group": 2}).outputs
    after = compute_one("pu_contributions", MARCH, {"wage": 3_500_000, "risk_group": 2}).outputs
    assert html.count('class="line-adjustment"') == bill.lines.filter(kind="adjustment").count() > 0
    assert rupiah(after["jkk"] - before["jkk"], "id") in html
    notes = set(bill.lines.filter(kind="adjustment").values_list("note", flat=True))
    assert notes == {"wage_corrected 3000000 3500000"}  # stored language-neutral, shown in words
    assert html.count("upah dikoreksi dari Rp 3.000.000 menjadi Rp 3.500.000") == html.count('class="line-adjustment"')
    assert "wage_corrected" not in html


def test_a_bills_notes_read_in_the_readers_language_on_the_page_and_the_pdf(world: World, tmp_path: Path) -> None:
    """One stored note, two languages: the page and the PDF in Bahasa Indonesia and in English (decision 0040)."""
    w = world.workers["W33PU"]
    WageReport.objects.create(worker=w, employer=w.employer, period=MARCH, wage=3_500_000)
    run_billing(MARCH)
    bill = bills_of(world)["E33"]
    reader = client(world, "branch")
    indonesian = reader.get(f"/bills/{bill.pk}/").content.decode()
    reader.cookies["django_language"] = "en"
    english = reader.get(f"/bills/{bill.pk}/").content.decode()
    assert "upah dikoreksi dari Rp 3.000.000 menjadi Rp 3.500.000" in indonesian
    assert "wage corrected from Rp 3,000,000 to Rp 3,500,000" in english
    assert "upah dikoreksi" not in english and "wage corrected" not in indonesian
    for lang, sentence in (("id", "upah dikoreksi dari Rp 3.000.000 menjadi Rp 3.500.000"), ("en", "wage corrected from Rp 3,000,000 to Rp 3,500,000")):  # fmt: skip
        pdf = documents.bill_pdf(world.users["branch"], bill.pk, lang).content
        path = tmp_path / f"bill-{lang}.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert sentence in re.sub(r"\s+", " ", text), lang
        assert "wage_corrected" not in text


def slip(name: str = "slip.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% transfer slip\n", content_type="application/pdf")


def test_a_payer_cannot_record_a_payment_and_sees_how_to_pay(world: World) -> None:
    """Must-show 1 (pages): the probe's "SAYA-BAYAR-TUNAI" by HR, the self-paying worker and the city's
    officer for their own bills is refused (403: they see the payer), another company's is 404; nothing
    is stored. They see the payment code and how to pay instead."""
    bills = bills_of(world)
    attempts = [("hr", bills["E33"], 403), ("hr", bills["E35"], 404), ("worker", bills["W33BPU"], 403)]
    attempts += [("city", bills["CITY"], 403), ("province", bills["CITY"], 404)]
    for role, bill, status in attempts:
        refused = client(world, role).post(
            f"/payers/{bill.payer_id}/payments/",
            {"amount": bill.amount, "paid_on": "2025-04-10", "reference": "SAYA-BAYAR-TUNAI", "evidence": slip()},
        )
        assert refused.status_code == status, role
    assert not Payment.objects.exists() and not ManualPayment.objects.exists()
    assert not Bill.objects.filter(paid__gt=0).exists()
    own = bills["E33"]
    code = grouped(payment_code(own.payer_id))
    for url in (f"/bills/{own.pk}/", f"/payers/{own.payer_id}/"):
        html = client(world, "hr").get(url).content.decode()
        assert code in html and 'id="how-to-pay"' in html and 'id="payment-form"' not in html


def test_a_manual_payment_on_the_bill_page_takes_effect_when_a_second_officer_confirms(world: World) -> None:
    own = bills_of(world)["E33"]
    branch = client(world, "branch")
    response = branch.post(
        f"/payers/{own.payer_id}/payments/",
        {"amount": own.amount, "paid_on": "2025-04-10", "reference": "KWT-001", "next": f"/bills/{own.pk}/",
         "evidence": slip()},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"/bills/{own.pk}/"
    own.refresh_from_db()
    assert own.paid == 0 and not Payment.objects.exists()  # not yet
    entry = ManualPayment.objects.get()
    assert branch.post(f"/bank/manual/{entry.pk}/confirm/").status_code == 302
    own.refresh_from_db()
    assert own.paid == 0  # its author cannot confirm it
    assert "KWT-001" in client(world, "admin").get("/bank/manual/").content.decode()
    assert client(world, "admin").post(f"/bank/manual/{entry.pk}/confirm/").status_code == 302
    own.refresh_from_db()
    assert own.paid == own.amount
    page = client(world, "hr").get(f"/payers/{own.payer_id}/").content.decode()
    assert "KWT-001" in page  # the payer sees its payment


@pytest.mark.parametrize("key", sorted(SEES))
def test_who_may_enter_a_manual_payment_for_whom(world: World, key: str) -> None:
    bill = bills_of(world)[key]
    officers = {"admin", "branch"}
    for n, role in enumerate(ROLES):
        reference = f"REF-{role}-{n}"
        response = client(world, role).post(
            f"/payers/{bill.payer_id}/payments/",
            {"amount": 1000, "paid_on": "2025-04-01", "reference": reference, "evidence": slip()},
        )
        sees = role in SEES[key]
        allowed = sees and role in officers
        assert response.status_code == (302 if allowed else 403 if sees else 404), (role, key)
        assert ManualPayment.objects.filter(reference=reference).exists() == allowed
    assert not Payment.objects.exists()


def test_the_payment_form_names_the_field_and_stores_nothing(world: World) -> None:
    bill = bills_of(world)["W33BPU"]
    me = client(world, "branch")
    url = f"/payers/{bill.payer_id}/payments/"
    response = me.post(
        url,
        {
            "amount": "0",
            "paid_on": "2025-04-01",
            "reference": "BPU-1",
            "next": f"/bills/{bill.pk}/",
            "evidence": slip(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-amount"' in html and 'id="bill-title"' in html  # shown again on the bill
    response = me.post(url, {"amount": "1000", "paid_on": "kemarin", "reference": "BPU-1", "evidence": slip()})
    assert 'id="error-paid_on"' in response.content.decode()
    response = me.post(url, {"amount": "1000", "paid_on": "0001-01-01", "reference": "BPU-1", "evidence": slip()})
    assert 'id="error-paid_on"' in response.content.decode()
    response = me.post(url, {"amount": "1000", "paid_on": "2025-04-01", "reference": "BPU-1"})
    assert 'id="error-evidence"' in response.content.decode()
    fake = SimpleUploadedFile("slip.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = me.post(url, {"amount": "1000", "paid_on": "2025-04-01", "reference": "BPU-1", "evidence": fake})
    assert 'id="error-evidence"' in response.content.decode()
    assert not ManualPayment.objects.exists()
    ok = {"amount": "1000", "paid_on": "2025-04-01", "reference": "BPU-1"}
    assert me.post(url, {**ok, "evidence": slip()}).status_code == 302
    again = me.post(url, {**ok, "paid_on": "2025-04-02", "evidence": slip()})
    assert again.status_code == 200 and 'id="error-reference"' in again.content.decode()
    assert ManualPayment.objects.count() == 1 and not Payment.objects.exists()


def test_the_payment_form_is_offered_to_officers_only(world: World) -> None:
    bill = bills_of(world)["E33"]
    for role in ("admin", "branch"):
        assert 'id="payment-form"' in client(world, role).get(f"/bills/{bill.pk}/").content.decode(), role
    assert 'id="payment-form"' not in client(world, "hr").get(f"/bills/{bill.pk}/").content.decode()


def test_filters_of_the_bills_list(world: World) -> None:
    bills = bills_of(world)
    admin = client(world, "admin")
    assert shown_bills(admin.get("/bills/?month=2025-03").content.decode()) == {b.pk for b in bills.values()}
    assert shown_bills(admin.get("/bills/?month=2025-04").content.decode()) == set()
    payer = bills["E35"].payer_id
    assert shown_bills(admin.get(f"/bills/?payer={payer}").content.decode()) == {bills["E35"].pk}
    bad = admin.get("/bills/?month=2025-13").content.decode()
    assert 'id="error-month"' in bad and shown_bills(bad) == set()
    record_payment(None, payer, bills["E35"].amount, dt.date(2025, 4, 1), "P")  # as a bank line would
    assert shown_bills(admin.get("/bills/?status=paid").content.decode()) == {bills["E35"].pk}
    overdue = shown_bills(admin.get("/bills/?status=overdue").content.decode())
    assert overdue == {b.pk for k, b in bills.items() if k != "E35"}  # March 2025 is long past its due date


def test_arrears_in_scope(world: World) -> None:
    bills = bills_of(world)
    for role in ROLES:
        response = client(world, role).get("/arrears/")
        if role in ("worker", "heir", "assessor"):
            assert response.status_code == 403, role
            continue
        html = response.content.decode()
        shown = {int(pk) for pk in re.findall(r'id="arrears-payer-(\d+)"', html)}
        assert shown == {b.payer_id for k, b in bills.items() if role in SEES[k]}, role
    hr = client(world, "hr")
    own = bills["E33"]
    record_payment(None, own.payer_id, own.amount, dt.date(2025, 4, 10), "T")  # as a bank line would
    assert f'id="arrears-payer-{own.payer_id}"' not in hr.get("/arrears/").content.decode()


def test_the_pages_follow_the_language_switch(world: World) -> None:
    bill = bills_of(world)["E33"]
    hr = client(world, "hr")
    assert rupiah(bill.amount, "id") in hr.get(f"/bills/{bill.pk}/").content.decode()
    hr.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = hr.get(f"/bills/{bill.pk}/").content.decode()
    assert "March 2025" in html and rupiah(bill.amount, "en") in html
    assert rupiah(bill.amount, "en") == "Rp " + f"{bill.amount:,}"


def test_home_links_per_role(world: World) -> None:
    expected = {
        "admin": {"bills", "arrears"},
        "branch": {"bills", "arrears"},
        "province": {"bills", "arrears"},
        "city": {"bills", "arrears"},
        "hr": {"bills", "payer", "arrears"},
        "worker": {"bills"},
        "heir": set(),
        "assessor": set(),
    }
    for role, ids in expected.items():
        html = client(world, role).get("/").content.decode()
        links = set(re.findall(r'id="home-(bills|payer|arrears)"', html))
        assert links == ids, role


def test_the_payer_page_shows_its_arrears_with_the_penalty_if_paid_today(world: World) -> None:
    from django.utils import timezone

    bill = bills_of(world)["W33BPU"]
    today = timezone.localdate()
    html = client(world, "worker").get(f"/payers/{bill.payer_id}/").content.decode()
    row = re.search(rf'<tr class="arrear" id="arrear-{bill.pk}">(.*?)</tr>', html, re.S)
    assert row is not None
    expected = compute_one(
        "late_payment_penalty",
        MARCH,
        {"contribution": bill.amount, "payment_date": today, "payer": "bpu", "due_date": bill.due_date},
    ).outputs
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(1))
    assert cells == [str(expected["months_late"]), rupiah(bill.amount, "id"), rupiah(expected["penalty"], "id")]
    assert expected["penalty"] > 0 and expected["months_late"] > 12  # March 2025 was due on 15 March 2025
    assert f'id="payer-arrears-total">{rupiah(bill.amount, "id")}<' in html
