"""The projection's page, API and command line on the billed world: what the analyst sees and downloads."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from paritrana.cli.main import app
from tests.platform.world import World

RAISE_JP = """jp.employer_rate:
  unit: rate
  description: JP employer rate, raised
  values:
    2027-01-01: {value: "0.03", reference: "proposed"}
"""


def signed_in(world: World, role: str, language: str = "id") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(world.users[role])
    if language == "en":
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_the_analyst_page_chart_tables_and_xlsx(billed: World) -> None:
    client = signed_in(billed, "analyst")
    page = client.get("/projection/").content.decode()
    assert 'id="projection-title">Proyeksi jangka panjang JP dan JHT' in page
    assert page.count("<svg") == 2 and 'id="jp-table"' in page
    assert page.count('class="year-row"') == 75
    assert 'id="nav-projection"' in page or "/projection/" in page
    # the uncertain assumptions and parameters by their translated titles, never their keys
    uncertain = page[page.index('id="uncertain-list"') :].split("</p>")[0]
    assert "tingkat kematian (asumsi proyeksi)" in uncertain and "projection." not in uncertain
    scenario = SimpleUploadedFile("=naik.yaml", RAISE_JP.encode(), content_type="application/x-yaml")
    answer = client.post("/projection/", {"years": "5", "scenario": scenario, "format": "xlsx"})
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames[:2] == ["JP", "JHT"]
    jp = list(book["JP"].iter_rows(values_only=True))
    # the columns titled in the reader's language, never the API's keys
    assert jp[0][:4] == ("tahun", "iuran", "manfaat", "di antaranya sekaligus")
    assert not any("_" in str(title) for title in jp[0])
    assert [r[0] for r in jp[1:]] == [2026, 2027, 2028, 2029, 2030]
    # 2027 on: 4 % instead of 3 % — the contributions of 2027 are 4/3 of what 3 % would give on the same wages
    base = load_workbook(io.BytesIO(client.post("/projection/", {"years": "5", "format": "xlsx"}).content))
    base_jp = list(base["JP"].iter_rows(values_only=True))
    assert jp[1][1] == base_jp[1][1] and abs(jp[2][1] / base_jp[2][1] - 4 / 3) < 1e-6
    summary = {r[0]: r[1:] for r in book.worksheets[3].iter_rows(values_only=True)}
    assert summary["skenario"][0] == "'=naik.yaml"  # written as text, never a formula


def test_english_and_a_bad_scenario_named_next_to_its_field(billed: World) -> None:
    client = signed_in(billed, "analyst", "en")
    bad = SimpleUploadedFile(
        "bad.yaml",
        b"jp.employer_rate:\n  unit: rupiah\n  description: x\n  values:\n    2027-01-01: {value: 1, reference: p}\n",
    )
    page = client.post("/projection/", {"years": "3", "scenario": bad}).content.decode()
    assert "Long-term projection of JP and JHT" in page
    assert 'id="error-scenario"' in page and "unit" in page
    assert 'id="jp-table"' not in page
    english = load_workbook(io.BytesIO(client.post("/projection/", {"years": "2", "format": "xlsx"}).content))
    assert next(english["JP"].iter_rows(values_only=True))[:4] == (
        "year",
        "contributions",
        "benefits",
        "of which lump sums",
    )


def test_the_api_answers_the_rows_and_conserves(billed: World, api: Any) -> None:
    body = json.loads(api("analyst").call("POST", "/api/projection", {"years": 10, "scenario": RAISE_JP}).content)
    assert body["start_year"] == 2026 and len(body["jp"]) == 10
    for row in body["jp"] + body["jht"]:
        assert (
            row["fund_end"]
            == row["fund_start"] + row["contributions"] + row["returns"] - row["benefits"] - row["costs"]
        )
    assert body["actual"]["JP"] == {"year": 2025, "months": 3, "contributions": 702000,
                                    "annualised_contributions": 2808000, "benefits": 0}  # fmt: skip
    assert "projection.mortality" in body["uncertain"]
    jp = body["first_year_check"][0]
    assert (jp["programme"], jp["months"], jp["projected_year"]) == ("JP", 3, 2026)
    assert jp["projected_contributions_for_months"] == body["jp"][0]["contributions"] * 3 // 12
    refused = api("province").call("POST", "/api/projection", {"years": 10, "scenario": "x: ["})
    assert refused.status_code == 403


def test_the_command_line_prints_the_check_and_writes_the_xlsx(billed: World, tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    result = CliRunner().invoke(app, ["projection", "run", "--years", "5", "-q", "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    assert "first projected year against the registry's last year" in result.output
    said = " ".join(result.output.split())  # the console wraps its lines
    assert "the registry billed 3 months of 2025: the projected year 2026 is scaled to those months" in said
    assert "JP rate balancing the fund" in result.output
    assert load_workbook(out).sheetnames[:2] == ["JP", "JHT"]
    result = CliRunner().invoke(app, ["projection", "run", "--years", "500", "-q"])
    assert result.exit_code == 2 and "horizon" in result.output
