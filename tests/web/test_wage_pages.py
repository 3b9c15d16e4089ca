"""Wage report pages: every role against an employer's wage page, the report form, the upload form and its
result page (the per-row error table, storing only the valid rows), the file to fill in, the month filter
(HTMX), and the link to the employer's bills.

The world is the platform's (tests/platform/world.py) made billable as the contributions tests make it. Text
is checked in English (the language cookie) where a message is asserted; ids and data attributes otherwise.
"""

from __future__ import annotations

import html as html_text
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from paritrana.accounts.models import Profile
from paritrana.contributions.models import Bill, Payer, WageReport, WageUpload
from paritrana.contributions.wagefile import Msg
from paritrana.registry.models import Membership, Worker
from paritrana.registry.nik import make_nik
from tests.platform.world import World, build_world, enrol_for_contributions
from tests.web.test_progress_pages import TOKEN, watch_records

ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")
# who may open E33's wage pages (contributions/scopes.py WAGE_REPORTERS within visible employers)
STATUS_E33 = {"admin": 200, "branch": 200, "hr": 200, "city": 403, "province": 403, "worker": 404, "heir": 404, "assessor": 404}  # fmt: skip
STATUS_E35 = {"admin": 200, "branch": 404, "hr": 404, "city": 404, "province": 404, "worker": 404, "heir": 404, "assessor": 404}  # fmt: skip


@pytest.fixture
def world(db: None) -> World:
    w = enrol_for_contributions(build_world())
    e33, region = w.employers["E33"], w.regions["33.74"]
    for serial in (11, 12):
        worker = Worker.objects.create(
            nik=make_nik("33.74.01", w.workers["W33PU"].birth_date, "M", serial),
            name=f"Worker W33PU{serial}",
            birth_date=w.workers["W33PU"].birth_date,
            sex="M",
            occupation="employee",
            region=region,
            scheme="PU",
            employer=e33,
            wage=3_000_000,
        )
        Membership.objects.create(worker=worker, programme="JKK", start=w.workers["W33PU"].memberships.first().start)  # type: ignore[union-attr]
        w.workers[f"W33PU{serial}"] = worker
    return w


def client(world: World, role: str | None, english: bool = False) -> Client:
    c = Client()
    if role is not None:
        c.force_login(world.users[role])
    if english:
        c.cookies["django_language"] = "en"
    return c


def csv_file(lines: list[str], name: str = "upah.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def one_bad_row(world: World) -> SimpleUploadedFile:
    w = world.workers
    return csv_file(
        [
            "nik,bulan,upah",
            f"{w['W33PU'].nik},2025-03,3.500.000",
            f"{w['W33PU11'].nik},2025-03,-1",  # row 3: negative wage
            f"{w['W33PU12'].nik},2025-03,3.700.000",
        ]
    )


def error_cells(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr class="upload-error" data-row="(\d*)" data-field="(\w+)">', html)


def test_the_wage_page_in_each_role(world: World) -> None:
    e33, e35 = world.employers["E33"].pk, world.employers["E35"].pk
    for role in ROLES:
        c = client(world, role)
        for url in (f"/employers/{e33}/wages/", f"/employers/{e33}/wages/template/"):
            assert c.get(url).status_code == STATUS_E33[role], (role, url)
        for url in (f"/employers/{e35}/wages/", f"/employers/{e35}/wages/template/"):
            assert c.get(url).status_code == STATUS_E35[role], (role, url)
        # posting is refused the same way, and stores nothing
        nik = world.workers["W33PU"].nik
        response = c.post(f"/employers/{e33}/wages/report/", {"nik": nik, "period": "2025-03", "wage": "1"})
        assert response.status_code == (302 if STATUS_E33[role] == 200 else STATUS_E33[role]), role
        response = c.post(f"/employers/{e33}/wages/upload/", {"file": one_bad_row(world)})
        assert response.status_code == (302 if STATUS_E33[role] == 200 else STATUS_E33[role]), role
    assert WageReport.objects.count() == 1 and WageUpload.objects.count() == 3
    anonymous = Client().get(f"/employers/{e33}/wages/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_the_employer_page_links_the_wage_reports(world: World) -> None:
    e33 = world.employers["E33"].pk
    link = f'href="/employers/{e33}/wages/" id="employer-wages"'
    assert link in client(world, "hr").get(f"/employers/{e33}/").content.decode()
    assert link in client(world, "branch").get(f"/employers/{e33}/").content.decode()
    assert link not in client(world, "city").get(f"/employers/{e33}/").content.decode()


def test_hr_reports_one_wage_with_the_form(world: World) -> None:
    e33 = world.employers["E33"].pk
    hr = client(world, "hr", english=True)
    page = hr.get(f"/employers/{e33}/wages/").content.decode()
    assert 'id="wage-report-form"' in page and 'id="wage-upload-form"' in page
    # the datalist offers the company's wage earners only
    assert world.workers["W33PU"].nik in page and world.workers["W35"].nik not in page
    response = hr.post(
        f"/employers/{e33}/wages/report/", {"nik": world.workers["W33PU"].nik, "period": "2025-03", "wage": "3.600.000"}
    )
    assert response.status_code == 302 and response["Location"] == f"/employers/{e33}/wages/?period=2025-03"
    assert WageReport.objects.get().wage == 3_600_000
    page = hr.get(response["Location"]).content.decode()
    assert "Rp 3,600,000" in page and "is recorded" in page
    # the bill of March follows
    assert Bill.objects.filter(period="2025-03-01", payer__employer_id=e33).exists()


@pytest.mark.parametrize(
    ("nik", "period", "wage", "field", "words"),
    [
        ("W33PU", "2025-03", "-5", "wage", "is negative"),
        ("W33PU", "2025-03", "3,5", "wage", "has decimals"),
        ("W33PU", "2025-03", "tiga juta", "wage", "not a whole number"),
        ("W33PU", "2023-12", "1", "period", "before the worker's membership"),
        ("W33PU", "maret", "1", "period", "is not a month"),
        ("W35", "2025-03", "1", "nik", "no worker with NIK"),  # another company's worker: as if unknown
        ("W33BPU", "2025-03", "1", "nik", "no worker with NIK"),
        ("123", "2025-03", "1", "nik", "has 3 digits"),
    ],
)
def test_the_report_form_names_the_field(
    world: World, nik: str, period: str, wage: str, field: str, words: str
) -> None:
    e33 = world.employers["E33"].pk
    value = world.workers[nik].nik if nik in world.workers else nik
    response = client(world, "hr", english=True).post(
        f"/employers/{e33}/wages/report/", {"nik": value, "period": period, "wage": wage}
    )
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(rf'<ul class="errorlist" id="error-{field}"><li>(.*?)</li>', html)
    assert error is not None, html[:200]
    assert words in html_text.unescape(error.group(1))
    assert not WageReport.objects.exists()


def test_a_file_with_one_bad_row_then_the_valid_rows_only(world: World) -> None:
    e33 = world.employers["E33"].pk
    w = world.workers
    hr = client(world, "hr", english=True)
    response = hr.post(f"/employers/{e33}/wages/upload/", {"file": one_bad_row(world)})
    upload = WageUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/wage-uploads/{upload.pk}/"
    html = hr.get(response["Location"]).content.decode()
    assert 'data-status="rejected"' in html
    assert error_cells(html) == [("3", "wage")]
    assert "the wage -1 is negative" in html and "Nothing from this file is stored." in html
    assert "Fix the rows listed below in your file and upload it again." in html
    assert 'id="wage-upload-form"' in html  # the invitation to upload the fixed file
    assert "Store the 2 valid rows only" in html
    assert not WageReport.objects.exists()
    # the errors as CSV
    errors_csv = hr.get(f"/wage-uploads/{upload.pk}/errors.csv")
    assert errors_csv["Content-Type"].startswith("text/csv")
    assert "3,wage,the wage -1 is negative; it must be 0 or more" in errors_csv.content.decode()
    # store only the valid rows
    response = hr.post(f"/wage-uploads/{upload.pk}/store-valid/")
    assert response.status_code == 302
    html = hr.get(response["Location"]).content.decode()
    assert 'data-status="partial"' in html and "2 valid rows are stored" in html
    payer = Payer.objects.get(employer_id=e33)
    assert f'href="/bills/?payer={payer.pk}" id="upload-bills"' in html
    assert {r.worker_id: r.wage for r in WageReport.objects.all()} == {
        w["W33PU"].pk: 3_500_000,
        w["W33PU12"].pk: 3_700_000,
    }
    assert 'id="store-valid"' not in html
    # a second press does not store twice: it says why
    again = hr.post(f"/wage-uploads/{upload.pk}/store-valid/", follow=True).content.decode()
    assert "only a rejected upload" in again
    assert WageReport.history.count() == 2


def test_the_fixed_file_is_stored_and_links_the_bills(world: World) -> None:
    e33 = world.employers["E33"].pk
    w = world.workers
    hr = client(world, "hr", english=True)
    hr.post(f"/employers/{e33}/wages/upload/", {"file": one_bad_row(world)})
    fixed = csv_file(
        [
            "nik,bulan,upah",
            f"{w['W33PU'].nik},2025-03,3.500.000",
            f"{w['W33PU11'].nik},2025-03,4.100.000",
            f"{w['W33PU12'].nik},2025-03,3.700.000",
        ]
    )
    response = hr.post(f"/employers/{e33}/wages/upload/", {"file": fixed}, follow=True)
    html = response.content.decode()
    assert 'data-status="stored"' in html and error_cells(html) == []
    assert "The wages of all 3 rows are stored." in html
    payer = Payer.objects.get(employer_id=e33)
    assert f'href="/bills/?payer={payer.pk}" id="upload-bills"' in html
    bills = hr.get(f"/bills/?payer={payer.pk}").content.decode()
    bill = Bill.objects.get(payer=payer, period="2025-03-01")
    assert f'id="bill-{bill.pk}"' in bills
    assert WageReport.objects.count() == 3
    # the list shows both uploads, the month filter (HTMX) its reports
    page = hr.get(f"/employers/{e33}/wages/").content.decode()
    assert page.count('id="wage-upload-') >= 2
    partial = hr.get(f"/employers/{e33}/wages/?period=2025-03", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and partial.count('<tr id="wage-') == 3
    assert "3 wage reports" in partial
    empty = hr.get(f"/employers/{e33}/wages/?period=2025-04", headers={"HX-Request": "true"}).content.decode()
    assert '<tr id="wage-' not in empty


def test_keep_valid_on_the_form(world: World) -> None:
    e33 = world.employers["E33"].pk
    hr = client(world, "hr")
    html = hr.post(f"/employers/{e33}/wages/upload/", {"file": one_bad_row(world), "keep_valid": "on"}, follow=True)
    text = html.content.decode()
    assert 'data-status="partial"' in text and error_cells(text) == [("3", "wage")]
    # the row's message in the page's language (Bahasa Indonesia by default), from the stored template
    with translation.override("id"):
        assert html_text.escape(gettext(Msg.WAGE_NEGATIVE).format(value="-1")) in text
    assert WageReport.objects.count() == 2
    assert 'id="store-valid"' not in text


def test_an_unreadable_file_and_no_file(world: World) -> None:
    e33 = world.employers["E33"].pk
    hr = client(world, "hr", english=True)
    pdf = SimpleUploadedFile("upah.pdf", b"%PDF-1.4", content_type="application/pdf")
    html = hr.post(f"/employers/{e33}/wages/upload/", {"file": pdf}, follow=True).content.decode()
    assert error_cells(html) == [("", "file")]
    assert "upah.pdf is not a CSV or XLSX file" in html
    assert 'id="store-valid"' not in html
    response = hr.post(f"/employers/{e33}/wages/upload/", {})
    assert response.status_code == 200 and 'id="error-file"' in response.content.decode()


def test_an_xlsx_upload(world: World) -> None:
    e33 = world.employers["E33"].pk
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["NIK", "Period", "Wage"])
    ws.append([world.workers["W33PU"].nik, "2025-03", 3_250_000])
    ws.append([world.workers["W33PU11"].nik, "2025-03", 3_250_000.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("gaji.xlsx", buffer.getvalue())
    html = client(world, "hr").post(f"/employers/{e33}/wages/upload/", {"file": upload}, follow=True).content.decode()
    assert error_cells(html) == [("3", "wage")]
    assert not WageReport.objects.exists()


def test_upload_result_pages_in_scope(world: World) -> None:
    e33 = world.employers["E33"].pk
    client(world, "hr").post(f"/employers/{e33}/wages/upload/", {"file": one_bad_row(world)})
    upload = WageUpload.objects.get()
    hr35 = get_user_model().objects.create(username="hr35")
    Profile.objects.create(user=hr35, role="employer_hr", employer=world.employers["E35"])
    other = Client()
    other.force_login(hr35)
    assert other.get(f"/wage-uploads/{upload.pk}/").status_code == 404
    assert other.post(f"/wage-uploads/{upload.pk}/store-valid/").status_code == 404
    assert other.get(f"/wage-uploads/{upload.pk}/errors.csv").status_code == 404
    for role in ROLES:
        expected = 200 if role in ("admin", "branch", "hr") else 404
        assert client(world, role).get(f"/wage-uploads/{upload.pk}/").status_code == expected, role
        if expected == 404:
            assert client(world, role).post(f"/wage-uploads/{upload.pk}/store-valid/").status_code == 404, role
    assert not WageReport.objects.exists()


def test_the_file_to_fill_in(world: World) -> None:
    e33 = world.employers["E33"].pk
    w = world.workers
    response = client(world, "hr").get(f"/employers/{e33}/wages/template/")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "nik,period,wage,name"
    niks = {line.split(",")[0] for line in lines[1:]}
    assert niks == {w["W33PU"].nik, w["W33PU11"].nik, w["W33PU12"].nik}
    response = client(world, "hr").get(f"/employers/{e33}/wages/template/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("nik", "period", "wage", "name")
    assert {r[0] for r in rows[1:]} == niks  # text cells: all 16 digits kept
    assert all(isinstance(r[0], str) for r in rows[1:])


def test_storing_the_valid_rows_reports_its_check_then_the_storing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Storing the valid rows of a rejected file (checked against the registry again, stored and billed): its form
    sends a progress token (``data-step-progress``), and the server reports the stage to it."""
    e33 = world.employers["E33"].pk
    hr = client(world, "hr")
    hr.post(f"/employers/{e33}/wages/upload/", {"file": one_bad_row(world)})
    upload = WageUpload.objects.get()
    page = hr.get(f"/wage-uploads/{upload.pk}/").content.decode()
    assert 'id="store-valid-form"' in page and "data-step-progress" in page
    assert "Menyimpan baris yang sah…" in page
    seen = watch_records(monkeypatch)
    assert hr.post(f"/wage-uploads/{upload.pk}/store-valid/", {"progress_token": TOKEN}).status_code == 302
    assert WageReport.objects.count() == 2
    keys = [s.stage.key for s in seen]
    assert keys.index("storing") < keys.index("done")
    shown = hr.get(f"/progress/{TOKEN}/").json()
    assert shown["finished"] is True
    assert client(world, "branch").get(f"/progress/{TOKEN}/").status_code == 404
