"""A scenario run over a year through each door a month has (decision 0046): the command line's ``--year``, the
API's ``year``, the analyst's page, the XLSX and the PDF brief with the period in words; and the refusals of both,
neither or a bad year, each naming its field, in Indonesian and English."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.scenarios.models import Scenario, ScenarioRun
from tests.platform.world import World
from tests.scenarios.test_scenario_pages import _upload, pdf_text, signed_in
from tests.scenarios.test_scenario_run import DOUBLE_JKM


def _saved_by_cli(tmp_path: Path) -> None:
    file = tmp_path / "jkm.yaml"
    file.write_text(DOUBLE_JKM)
    saved = CliRunner().invoke(app, ["scenario", "save", str(file), "--name", "JKM x2", "--description", "doubled"])
    assert saved.exit_code == 0, saved.output


def test_the_command_line_runs_a_year(world: World, tmp_path: Path) -> None:
    _saved_by_cli(tmp_path)
    ran = CliRunner().invoke(app, ["scenario", "run", "JKM x2", "--year", "2025", "--json"])
    assert ran.exit_code == 0, ran.output
    body = json.loads(ran.output)
    assert (body["span"], body["period"]) == ("year", "2025-01-01")
    jkm = next(r for r in body["programmes"] if r["programme"] == "JKM")
    assert jkm["reform_amount"] == 2 * jkm["baseline_amount"] > 0
    run = ScenarioRun.objects.get()
    assert (run.span, run.period_code) == ("year", "2025")


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--month", "2025-01", "--year", "2025"], "--year: isikan bulan atau tahun, jangan keduanya"),
        ([], "--month: isikan bulan (TTTT-BB) atau tahun (TTTT) yang akan dihitung"),
        (["--year", "25"], "--year: tulis tahun sebagai TTTT, mis. 2026"),
        (["--year", "2025-01"], "--year: tulis tahun sebagai TTTT"),
        (["--month", "2025-13"], "--month: tulis bulan sebagai TTTT-BB"),
    ],
)
def test_the_command_line_refuses_both_neither_or_a_bad_period(  # in the site's language, Indonesian
    world: World, tmp_path: Path, options: list[str], named: str
) -> None:
    _saved_by_cli(tmp_path)
    refused = CliRunner().invoke(app, ["scenario", "run", "JKM x2", *options])
    assert refused.exit_code == 2 and named in " ".join(refused.output.split())
    assert not ScenarioRun.objects.exists()


@pytest.fixture
def scenario_id(api: Any) -> int:
    body = {"name": "JKM x2", "description": "doubled", "parameters": DOUBLE_JKM}
    return int(api("analyst").call("POST", "/api/scenarios", body).json()["id"])


def test_the_api_runs_a_year(world: World, api: Any, scenario_id: int, settings: Any) -> None:
    settings.PARITRANA_JOBS_INLINE = True
    started = api("analyst").call("POST", f"/api/scenarios/{scenario_id}/runs", {"year": "2025"})
    assert started.status_code == 202 and started.json()["status"] == "done"
    body = api("analyst").call("GET", started.json()["results_url"]).json()
    assert (body["span"], body["year"], body["month"], body["period"]) == ("year", 2025, None, "Tahun 2025")
    by_province = {row["province"]: row for row in body["by"]["province"]}
    assert by_province["35"]["baseline_amount"] > 0
    english = api("analyst").call("GET", started.json()["results_url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["period"] == "Year 2025"


@pytest.mark.parametrize(
    ("body", "field", "indonesian", "english"),
    [
        ({"month": "2025-01", "year": "2025"}, "year", "isikan bulan atau tahun, jangan keduanya",
         "give a month or a year, not both"),
        ({}, "month", "isikan bulan (TTTT-BB) atau tahun (TTTT) yang akan dihitung",
         "give the month (YYYY-MM) or the year (YYYY) to run over"),
        ({"year": "dua ribu"}, "year", "tulis tahun sebagai TTTT, mis. 2026", "give the year as YYYY, e.g. 2026"),
        ({"year": "1800"}, "year", "tulis tahun sebagai TTTT, mis. 2026", "give the year as YYYY, e.g. 2026"),
    ],
)  # fmt: skip
def test_the_api_refuses_both_neither_or_a_bad_year_naming_the_field(
    world: World, api: Any, scenario_id: int, body: dict[str, str], field: str, indonesian: str, english: str
) -> None:
    path = f"/api/scenarios/{scenario_id}/runs"
    refused = api("analyst").call("POST", path, body)
    assert refused.status_code == 422
    (detail,) = refused.json()["detail"]
    assert (detail["loc"][-1], detail["msg"]) == (field, indonesian)
    in_english = api("analyst").call("POST", path, body, HTTP_ACCEPT_LANGUAGE="en").json()["detail"][0]
    assert (in_english["loc"][-1], in_english["msg"]) == (field, english)
    assert not ScenarioRun.objects.exists()


def test_the_page_runs_a_year_and_says_it_in_words(world: World, tmp_path: Path, settings: Any) -> None:
    settings.PARITRANA_JOBS_INLINE = True
    client = signed_in(world, "analyst")
    _upload(client, DOUBLE_JKM)
    scenario = Scenario.objects.get()
    refused = client.post(f"/scenarios/{scenario.pk}/", {"span": "year", "year": "20x5", "period": "2025-01"})
    assert refused.status_code == 200 and "tulis tahun sebagai TTTT, mis. 2026" in refused.content.decode()
    assert not ScenarioRun.objects.exists()
    ran = client.post(f"/scenarios/{scenario.pk}/", {"span": "year", "year": "2025", "period": ""})
    run = ScenarioRun.objects.get()
    assert ran.status_code == 302 and (run.span, run.period_code) == ("year", "2025")
    page = client.get(f"/scenarios/{scenario.pk}/?run={run.pk}").content.decode()
    assert "Tahun 2025, versi 1" in page and "iuran tahun itu, menurut peraturan" in page
    assert "Pembayaran manfaat tahun ini" in page
    book = load_workbook(io.BytesIO(client.get(f"/scenario-runs/{run.pk}/brief.pdf?format=xlsx").content))
    assert [list(row) for row in book["periode"].values] == [["periode", "Tahun 2025"]]
    brief = client.get(f"/scenario-runs/{run.pk}/brief.pdf")
    assert brief["Content-Disposition"].endswith(f'scenario-{scenario.pk}-2025.pdf"')
    text = pdf_text(brief.content, tmp_path)
    assert "Tahun data kepesertaan" in text and "Tahun 2025" in text
