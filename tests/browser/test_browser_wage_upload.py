"""Must-show 3 in a real browser: employer HR uploads a wage file with one bad row and sees that row's error
(row number and field), fixes the file and uploads it again, sees the month's bill, and downloads its PDF.

The world is tests/web_world.py: PT Tekstil Priangan (JKK risk group 3) and its wage earner Asih Lestari,
in JKK since 2020. Storing the wages bills the months at once (wages -> billing.run_billing); the bill's
JKK line is what ``pu_contributions`` computes for the wage uploaded.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from paritrana.contributions.documents import rupiah
from paritrana.rules import compute_one
from tests.web_world import log_in

ASIH = "3273015508900002"
BAD_FILE = f"nik,period,wage\n{ASIH},2025-03,4.500.000\n{ASIH},2025-02,empat juta\n"
FIXED_FILE = f"nik,period,wage\n{ASIH},2025-03,4.500.000\n{ASIH},2025-02,4.500.000\n"


def pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: ./dev test installs poppler-utils"
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout


def upload(page: Any, path: Path) -> None:
    """Upload the file (sent with its progress shown) and wait for the answer's page to replace this one."""
    before = page.query_selector("#wage-upload-form")
    page.set_input_files("#id_file", str(path))
    page.click("#wage-upload-submit")
    before.wait_for_element_state("hidden")  # the page the upload brought has replaced this one
    page.wait_for_selector("#upload-status")


def test_hr_uploads_wages_fixes_a_row_sees_the_bill_and_downloads_its_pdf(
    page: Any, live_server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    log_in(page, live_server.url, "hrd.tekstil")
    page.click("#own-employer a")
    page.click("#employer-wages")
    page.wait_for_selector("#wage-upload-form")

    # a file with one bad row: nothing is stored, the row is named with its number and field
    bad = tmp_path / "upah-maret.csv"
    bad.write_text(BAD_FILE, encoding="utf-8")
    upload(page, bad)
    assert page.get_attribute("#upload-status", "data-status") == "rejected"
    assert page.inner_text("#upload-stored") == "0"
    errors = page.query_selector_all("#upload-errors tr.upload-error")
    assert len(errors) == 1
    assert errors[0].get_attribute("data-row") == "3" and errors[0].get_attribute("data-field") == "wage"
    assert "3" in errors[0].inner_text().split()[0]
    assert "empat juta" in errors[0].inner_text()

    # the fixed file, uploaded again from the same page: stored, and the months are billed at once
    fixed = tmp_path / "upah-maret-diperbaiki.csv"
    fixed.write_text(FIXED_FILE, encoding="utf-8")
    upload(page, fixed)
    assert page.get_attribute("#upload-status", "data-status") == "stored"
    assert page.inner_text("#upload-stored") == "2"

    # the bills, then March's bill: the JKK line of Asih's wage, as the rule computes it
    page.click("#upload-bills")
    page.wait_for_selector("#bill-table")
    page.click("#bill-table a:text('Maret 2025')")
    page.wait_for_selector("#bill-lines")
    assert "PT Tekstil Priangan" in page.inner_text("#bill-payer")
    assert page.inner_text("#bill-month") == "Maret 2025"
    jkk = compute_one(
        "pu_contributions", "2025-03-01", {"wage": 4_500_000, "risk_group": 3, "in_jp": False, "in_jkp": False}
    ).outputs["jkk"]
    lines = page.inner_text("#bill-lines")
    assert "Asih Lestari" in lines and rupiah(jkk, "id") in lines and rupiah(4_500_000, "id") in lines
    total = page.inner_text("#bill-amount")

    # back home: the unpaid bills and the next due date come first
    page.click("a.brand")
    page.wait_for_selector("#home-unpaid")
    assert page.inner_text("#home-unpaid-left").startswith("Rp ") and page.inner_text("#home-unpaid-left") != "Rp 0"
    assert page.locator("#home-next-due").count() == 1
    page.go_back()
    page.wait_for_selector("#bill-pdf")

    # the PDF: a download, a PDF, with the employer's name, the month and the total in its text
    with page.expect_download() as info:
        page.click("#bill-pdf")
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF-")
    assert download.suggested_filename.endswith("-2025-03-contribution-id.pdf")
    text = pdf_text(path)
    assert "PT Tekstil Priangan" in text and "Maret 2025" in text and total in text
