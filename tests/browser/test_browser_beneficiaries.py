"""Must-show 2 in a real browser: Kota Semarang's officer uploads a 1,000-row beneficiary list with three
bad rows (a wrong NIK, a village of another regency, a person over the programme's age), sees those three
rows with their reasons, fixes the file, uploads it again, confirms, and after the month is billed sees
the programme's sponsor bill: the people enrolled × the package price the rules give for the month. The
treasury then pays the bill to its payment code (the bank's statement imported by the administrator),
and Kota Semarang's coverage rises on the coverage map of Jawa Tengah.

The world is tests/web_world.py plus a regional officer of Kota Semarang (33.74) and its programme.
The list is a real CSV file of 1,000 people living in the 15 villages of Semarang Tengah (33.74.01).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from paritrana.contributions.models import Bill
from paritrana.contributions.services.billing import run_billing
from paritrana.programmes.listfile import villages
from paritrana.programmes.services.budget import package_price
from paritrana.registry.nik import make_nik
from tests.web_world import log_in, password_hash

HEADER = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "pekerjaan", "kode_desa", "alamat"]
OCCUPATIONS = ("petani", "nelayan", "pedagang", "buruh harian lepas")
ROWS = 1_000


def people(today: dt.date) -> list[list[str]]:
    """1,000 people of Semarang Tengah, aged 20 to 59, in its villages; deterministic."""
    codes = sorted(c for c in villages() if c.startswith("33.74.01."))
    out = []
    for i in range(ROWS):
        sex = "F" if i % 2 else "M"
        birth = dt.date(today.year - 20 - i % 40, 1 + i % 12, 1 + i % 28)
        nik = make_nik("33.74.01", birth, sex, i + 1)
        out.append(
            [nik, f"Warga Semarang {i + 1}", birth.isoformat(), "L" if sex == "M" else "P", OCCUPATIONS[i % 4],
             codes[i % len(codes)], f"RT {i % 9 + 1}/RW {i % 5 + 1}"]
        )  # fmt: skip
    return out


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


# records each state the upload's progress box shows (uploading N %, then the server checking the file)
WATCH_PROGRESS = """() => {
  window.progressSeen = [];
  new MutationObserver(() => {
    const box = document.querySelector('.upload-progress');
    if (box) { window.progressSeen.push([box.dataset.state, box.textContent.trim()]); }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def upload(page: Any, path: Path) -> None:
    """Upload the list; its progress is shown while it goes, then the server's check, then the preview."""
    page.evaluate(WATCH_PROGRESS)
    before = page.query_selector("#list-upload-form")
    page.set_input_files("#id_file", str(path))
    page.click("#list-upload-submit")
    before.wait_for_element_state("hidden")  # the page the upload brought has replaced this one
    page.wait_for_selector("#list-status")
    seen = page.evaluate("window.progressSeen")
    states = {state for state, _ in seen}
    assert {"uploading", "processing"} <= states, seen
    assert any(text.startswith("Mengunggah") and text.endswith("%") for state, text in seen if state == "uploading")


def tile_text(page: Any, base_url: str, month: dt.date) -> str:
    """The text of Kota Semarang's tile on the map of Jawa Tengah's regencies (its coverage, e.g. "0 %")."""
    page.goto(f"{base_url}/coverage/33/?month={month:%Y-%m}")
    page.wait_for_selector("#tile-map")
    return str(page.inner_text("#tile-33\\.74 small")).strip()


def test_regency_officer_enrols_a_list_and_sees_the_sponsor_bill(
    page: Any, browser: Any, live_server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from paritrana.accounts.models import Profile, Role
    from paritrana.programmes.services.programmes import create_programme

    today = timezone.localdate()
    officer = get_user_model().objects.create(username="pemkot.semarang", password=password_hash())
    Profile.objects.create(user=officer, role=Role.REGIONAL_OFFICER, region=world["regions"]["33.74"])
    programme = create_programme(
        officer,
        name="Semarang Lindungi Pekerja Rentan",
        legal_basis_type="perwali",
        legal_basis_number="21 Tahun 2026",
        legal_basis_date=dt.date(today.year, 1, 5),
        budget_year=today.year,
        budget_amount=250_000_000,
        funding_source="apbd",
        occupations=["farmer", "fisher", "trader", "labourer"],
        min_age=18,
        max_age=65,
    )
    good = people(today)
    bad = [row[:] for row in good]
    bad[99][0] = bad[99][0][:15]  # row 101: a NIK of 15 digits
    bandung = dt.date(1985, 3, 3)  # row 401: someone of Kota Bandung (32.73), a valid NIK of there
    bad[399] = [
        make_nik("32.73.01", bandung, "M", 7),
        "Warga Bandung",
        bandung.isoformat(),
        "L",
        "petani",
        "32.73.01.1001",
        "",
    ]
    old = dt.date(today.year - 72, 6, 1)  # row 801: aged 72, over the programme's 65
    bad[799] = [make_nik("33.74.01", old, "F", 9001), "Mbah Sepuh", old.isoformat(), "P", "petani", "33.74.01.1001", ""]

    log_in(page, live_server.url, "pemkot.semarang")
    page.click("#nav-programmes")
    page.click(f"#programme-{programme.pk} a")
    page.wait_for_selector("#list-upload-form")
    # the file's columns: a technical table, each column's names with its meaning in Indonesian
    columns = page.inner_text("#list-columns")
    assert "tanggal_lahir" in columns and "kode_desa" in columns and "tanggal lahir" in columns.lower()

    # the list with three bad rows: nothing enrolled, the three rows named with their field and reason
    upload(page, write(tmp_path / "p3ke-semarang.csv", bad))
    assert page.get_attribute("#list-status", "data-status") == "preview"
    assert page.inner_text("#list-rows") == "1000" and page.inner_text("#list-valid") == "997"
    errors = page.query_selector_all("#list-errors tr.list-error")
    found = {(e.get_attribute("data-row"), e.get_attribute("data-field")): e.inner_text() for e in errors}
    assert set(found) == {("101", "nik"), ("401", "village"), ("801", "birth_date")}
    assert "15" in found[("101", "nik")] and "16" in found[("101", "nik")]
    assert "32.73.01.1001" in found[("401", "village")] and "Kota Semarang" in found[("401", "village")]
    assert "72" in found[("801", "birth_date")] and "65" in found[("801", "birth_date")]
    assert page.inner_text("#list-enrolled") == "0"

    # the fixed file, uploaded again from the preview page, then confirmed
    upload(page, write(tmp_path / "p3ke-semarang-perbaikan.csv", good))
    assert page.inner_text("#list-valid") == "1000" and page.inner_text("#list-error-count") == "0"
    assert page.query_selector("#list-errors") is None
    page.click("#confirm-list")
    page.wait_for_selector("#list-status[data-status='confirmed']")
    assert page.inner_text("#list-enrolled") == "1000"

    # the month is billed (the monthly run); the programme's page shows its sponsor bill
    month = today.replace(day=1)
    run_billing(month)
    page.click("#list-back")
    page.wait_for_selector("#sponsor-bills")
    price = package_price(month)  # JKK + JKM at the lowest band, under the law of the month
    row = page.query_selector(f"#sponsor-bills tr[data-month='{month:%Y-%m}']")
    assert row is not None and int(row.get_attribute("data-amount")) == ROWS * price
    bill = Bill.objects.get(payer__sponsor_id=programme.sponsor_id, period=month)
    assert bill.amount == ROWS * price and bill.lines.filter(programme="JKK").count() == ROWS
    assert int(page.get_attribute("#budget-billed", "data-amount")) == ROWS * price
    assert page.inner_text("#budget-enrolled") == "1000"

    # coverage (the other half of issue 8): Kota Semarang's tile on the map of Jawa Tengah, before and after
    # the programme pays its bill; 10,000 employed persons recorded for the city (an estimate of this test)
    from paritrana.coverage.models import WorkforceFigure

    WorkforceFigure.objects.create(
        region=world["regions"]["33.74"], year=month.year, employed=10_000, kind="estimate", source="test"
    )
    admin_context = browser.new_context(locale="id-ID")
    admin = admin_context.new_page()
    try:
        log_in(admin, live_server.url, "admin")
        assert tile_text(admin, live_server.url, month) == "0 %"
        page.goto(f"{live_server.url}/coverage/?month={month:%Y-%m}")
        page.wait_for_selector("#coverage-active")
        assert page.inner_text("#coverage-active") == "0"

        # the officer sees how to pay (the programme's payment code) and cannot record a payment itself
        # (decision 0009); the regional treasury transfers (SP2D) and the administrator imports the bank's
        # statement: the line matches the bill by code and amount and pays it
        page.goto(f"{live_server.url}/programmes/{programme.pk}/")
        page.click(f"#sponsor-bill-{bill.pk} a")
        page.wait_for_selector("#how-to-pay")
        assert page.query_selector("#payment-form") is None
        code = page.inner_text("#payment-code").replace(" ", "")
        statement = tmp_path / "rekening-koran.csv"
        statement.write_text(
            "bank_reference,value_date,amount,payment_code,description\n"
            f"SP2D-0001/2026,{today.isoformat()},{bill.amount},{code},SP2D PROGRAM KOTA SEMARANG\n"
        )
        admin.goto(f"{live_server.url}/bank/statements/")
        admin.set_input_files("#id_file", str(statement))
        admin.click("#statement-submit")
        admin.wait_for_selector("#import-result")
        assert admin.inner_text("#result-matched") == "1" and admin.inner_text("#result-exceptions") == "0"
        assert Bill.objects.get(pk=bill.pk).paid == bill.amount

        # the 1,000 are active for the month: the city's coverage rises from 0 to 10 % (1,000 of 10,000)
        page.goto(f"{live_server.url}/coverage/?month={month:%Y-%m}")
        page.wait_for_selector("#coverage-active")
        assert page.inner_text("#coverage-active") == "1.000"
        assert tile_text(admin, live_server.url, month) == "10 %"
        page.goto(f"{live_server.url}/programmes/{programme.pk}/")
        assert int(page.get_attribute("#budget-spent", "data-amount")) == bill.amount
        assert int(page.get_attribute("#budget-remaining", "data-amount")) == programme.budget_amount - bill.amount
    finally:
        admin_context.close()
