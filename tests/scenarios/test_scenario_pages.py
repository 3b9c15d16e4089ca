"""The scenarios' pages on the billed world: the analyst saves a scenario from a file, runs it over a month,
reads the tables by group and downloads the PDF brief; every other role is refused with nothing stored."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]

from paritrana.scenarios.models import Scenario, ScenarioRun
from tests.platform.world import World
from tests.scenarios.conftest import stored_run
from tests.scenarios.test_scenario_run import DOUBLE_JKM


def signed_in(world: World, role: str) -> Client:
    client = Client(headers={"accept-language": "id"})
    client.force_login(world.users[role])
    return client


def _upload(client: Client, text: str, name: str = "JKM dua kali") -> object:
    file = SimpleUploadedFile("jkm.yaml", text.encode(), content_type="application/x-yaml")
    return client.post("/scenarios/", {"name": name, "description": "iuran JKM dua kali", "file": file})


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_save_run_read_and_download_the_brief(billed: World, tmp_path: Path, settings: Any) -> None:
    settings.PARITRANA_JOBS_INLINE = True  # the run in the test's transaction (its thread: test_scenario_background)
    client = signed_in(billed, "analyst")
    saved = _upload(client, DOUBLE_JKM)
    scenario = Scenario.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/scenarios/{scenario.pk}/"
    ran = client.post(f"/scenarios/{scenario.pk}/", {"period": "2025-01"})
    run = ScenarioRun.objects.get()
    assert ran.status_code == 302 and ran["Location"].endswith(f"?run={run.pk}#results")
    page = client.get(f"/scenarios/{scenario.pk}/?run={run.pk}").content.decode()
    assert "Per provinsi" in page and "Jawa Tengah" in page  # the province by its name, in Indonesian
    assert "0,30 %" in page and "0,60 %" in page and "diusulkan" in page  # the change, its law value, "proposed"
    assert page.count("<svg") == 2  # the contributions under both sides, the JP fund under the reform
    by_sex = client.get(f"/scenarios/{scenario.pk}/?run={run.pk}&by=sex").content.decode()
    assert "Per jenis kelamin" in by_sex and "laki-laki" in by_sex
    brief = client.get(f"/scenario-runs/{run.pk}/brief.pdf")
    assert brief.status_code == 200 and brief.content.startswith(b"%PDF")
    text = pdf_text(brief.content, tmp_path)
    assert "JKM dua kali" in text and "diusulkan" in text and "Jawa Tengah" in text
    xlsx = client.get(f"/scenario-runs/{run.pk}/brief.pdf?format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[:4] == ["periode", "perubahan", "program", "provinsi"]
    jkm = next(r for r in book["program"].iter_rows(values_only=True) if r[0] == "JKM")
    assert jkm[2] == 2 * jkm[1] > 0  # the reform's JKM, doubled


def test_a_file_the_law_cannot_read_is_named_next_to_the_file_field(world: World) -> None:
    client = signed_in(world, "analyst")
    page = _upload(client, DOUBLE_JKM.replace("jkm.pu.rate", "jkm.pu.rates")).content.decode()
    assert 'id="error-file"' in page and "jkm.pu.rates" in page
    assert not Scenario.objects.exists()


def test_a_month_not_written_as_a_month_is_refused_by_its_field(world: World) -> None:
    client = signed_in(world, "analyst")
    _upload(client, DOUBLE_JKM)
    page = client.post(f"/scenarios/{Scenario.objects.get().pk}/", {"period": "Januari"}).content.decode()
    assert 'id="error-period"' in page
    assert not ScenarioRun.objects.exists()


@pytest.mark.parametrize("role", ["province", "city", "branch", "hr", "worker", "heir", "assessor"])
def test_other_roles_are_refused_every_page_and_store_nothing(world: World, role: str) -> None:
    analyst = signed_in(world, "analyst")
    _upload(analyst, DOUBLE_JKM)
    scenario = Scenario.objects.get()
    run = stored_run(scenario)
    client = signed_in(world, role)
    assert client.get("/scenarios/").status_code == 403
    assert _upload(client, DOUBLE_JKM, name="mine").status_code == 403
    assert client.get(f"/scenarios/{scenario.pk}/").status_code == 403
    assert client.post(f"/scenarios/{scenario.pk}/", {"period": "2025-01"}).status_code == 403
    assert client.get(f"/scenario-runs/{run.pk}/brief.pdf").status_code == 403
    assert list(Scenario.objects.values_list("name", flat=True)) == ["JKM dua kali"]
    assert ScenarioRun.objects.count() == 1


def test_a_run_asked_for_that_is_not_the_scenarios_shows_no_run(world: World) -> None:
    client = signed_in(world, "analyst")
    _upload(client, DOUBLE_JKM, "satu")
    _upload(client, DOUBLE_JKM, "dua")
    one, two = Scenario.objects.order_by("name")
    other = stored_run(two)
    for asked in (str(other.pk), "abc", "9" * 30):
        page = client.get(f"/scenarios/{one.pk}/?run={asked}")
        assert page.status_code == 200 and 'id="results"' not in page.content.decode(), asked
