"""The wage pages refuse a wage for a month already billed to another payer (decision 0048): the report form names
the month field, the upload's result page the row and field; the other rows of the file are stored.

W35's March 2025 is billed to PT Surabaya (E35) by a run, then W35 moves to PT Semarang (E33), whose HR reports.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
import re

import pytest
from django.test import Client

from paritrana.contributions.models import BillLine, WageReport, WageUpload
from paritrana.contributions.services.billing import run_billing
from paritrana.registry.models import Worker
from tests.platform.world import World, build_world, enrol_for_contributions
from tests.web.test_wage_pages import csv_file, error_cells

MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


@pytest.fixture
def moved(db: None) -> tuple[World, Worker]:
    """The world made billable, March billed, and W35 (whose March is E35's) moved to E33."""
    world = enrol_for_contributions(build_world())
    run_billing(MARCH)
    w35 = world.workers["W35"]
    w35.employer = world.employers["E33"]
    w35.save()
    return world, w35


def hr_client(world: World, language: str) -> Client:
    c = Client()
    c.force_login(world.users["hr"])
    c.cookies["django_language"] = language
    return c


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "March 2025 of the worker with NIK {nik} is already billed to PT Surabaya; a correction of that "
         "month is made on PT Surabaya's bill by a branch officer"),
        ("id", "Maret 2025 pekerja dengan NIK {nik} sudah ditagihkan kepada PT Surabaya; koreksi bulan itu dibuat "
         "pada tagihan PT Surabaya oleh petugas kantor cabang"),
    ],
)  # fmt: skip
def test_the_report_form_names_the_month(moved: tuple[World, Worker], language: str, words: str) -> None:
    world, w35 = moved
    e33 = world.employers["E33"].pk
    response = hr_client(world, language).post(
        f"/employers/{e33}/wages/report/", {"nik": w35.nik, "period": "2025-03", "wage": "5.000.000"}
    )
    assert response.status_code == 200
    error = re.search(r'<ul class="errorlist" id="error-period"><li>(.*?)</li>', response.content.decode())
    assert error is not None
    assert html_text.unescape(error.group(1)) == words.format(nik=w35.nik)
    assert not WageReport.objects.exists()
    assert not BillLine.objects.filter(worker=w35, bill__payer__employer_id=e33).exists()


def test_the_upload_names_the_row_and_stores_the_others(moved: tuple[World, Worker]) -> None:
    world, w35 = moved
    e33 = world.employers["E33"].pk
    w33 = world.workers["W33PU"]
    file = csv_file(
        [
            "nik,bulan,upah",
            f"{w33.nik},2025-03,3.500.000",
            f"{w35.nik},2025-03,5.000.000",
            f"{w35.nik},2025-04,5.000.000",
        ]
    )
    hr = hr_client(world, "en")
    html = hr.post(f"/employers/{e33}/wages/upload/", {"file": file, "keep_valid": "on"}, follow=True).content.decode()
    assert 'data-status="partial"' in html and error_cells(html) == [("3", "period")]
    assert f"March 2025 of the worker with NIK {w35.nik} is already billed to PT Surabaya" in html_text.unescape(html)
    upload = WageUpload.objects.get()
    assert upload.stored_count == 2
    assert set(WageReport.objects.values_list("worker_id", "period")) == {(w33.pk, MARCH), (w35.pk, APRIL)}
