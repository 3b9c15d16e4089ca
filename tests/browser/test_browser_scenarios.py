"""The analyst's reform scenario in a browser (issue 18, must show 3): from the menu at 360 px, a scenario raising
the JP rate uploaded, run over a month in the background (its progress shown, then its results); the by-province table and the JP fund chart shown without sideways
scrolling; the PDF brief downloaded. A regional officer and a worker are refused the pages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.browser.tour import accessibility_violations
from tests.web_world import log_in

RAISE_JP = """jp.employer_rate:
  unit: rate
  description: JP employer's share raised from 2 % to 3 %
  values:
    2026-01-01: {value: "0.03", reference: "proposed"}
"""


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _analyst_at_360(page: Any, live_server: Any, world: Any) -> None:
    """The analyst signed in at 360 px; Asih (PU, Rp 4.200.000 a month, in Bandung) in the JP programme: the raise
    costs her employer 1 %."""
    from paritrana.registry.models import Membership

    Membership.objects.create(worker=world["workers"]["asih"], programme="JP", start=dt.date(2020, 1, 1))
    page.set_default_timeout(90_000)
    log_in(page, live_server.url, "analis")
    page.set_viewport_size({"width": 360, "height": 740})


def _upload_raise_jp(page: Any, tmp_path: Path) -> None:
    scenario = tmp_path / "jp-naik.yaml"
    scenario.write_text(RAISE_JP)
    page.fill("#id_name", "JP naik 1 poin")
    page.fill("#id_description", "Iuran JP pemberi kerja dari 2 % menjadi 3 %")
    page.set_input_files("#id_file", str(scenario))
    page.click("#save-scenario")
    page.wait_for_selector("#run-form")


def test_the_analyst_uploads_runs_reads_and_downloads_a_scenario(
    page: Any, live_server: Any, world: Any, tmp_path: Path
) -> None:
    _analyst_at_360(page, live_server, world)
    page.click("#menu-button")
    page.click("#nav-scenarios")
    page.wait_for_selector("#scenario-form")
    _fits(page)
    _upload_raise_jp(page, tmp_path)
    assert page.inner_text("#scenario-title") == "JP naik 1 poin"
    page.fill("#id_period", "2026-03")
    page.click("#run-scenario")
    # the run is computed in the background: its page shows the server's progress, then reloads with the results
    page.wait_for_selector("#run-progress")
    assert page.locator("#run-progress progress[role=progressbar]").count() == 1
    assert page.inner_text("#run-progress .upload-progress-text").strip()
    _fits(page)
    assert accessibility_violations(page) == []  # the progress bar and its status, while the run is computed
    page.wait_for_selector("#group-table")
    assert page.locator("#run-progress").count() == 0
    assert page.inner_text("#groups-title") == "Per provinsi"
    rows = page.locator("#group-table tbody tr").all_inner_texts()
    west_java = next(r for r in rows if r.startswith("Jawa Barat"))
    assert "Rp 42.000" in west_java  # 1 % of Rp 4.200.000
    assert page.locator("#fund-chart svg").count() == 1
    assert "diusulkan" in page.inner_text("#changes-table")
    _fits(page)
    with page.expect_download() as download:
        page.click("#brief-link")
    brief = tmp_path / "brief.pdf"
    download.value.save_as(brief)
    assert brief.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None
    text = subprocess.run([pdftotext, str(brief), "-"], capture_output=True, text=True, check=True).stdout
    assert "JP naik 1 poin" in text and "Jawa Barat" in text and "diusulkan" in text


def test_a_regional_officer_and_a_worker_are_refused(page: Any, live_server: Any, world: Any) -> None:
    for username in ("pemda.jabar", "asih"):
        log_in(page, live_server.url, username)
        assert page.locator("#nav-scenarios").count() == 0
        assert page.goto(live_server.url + "/scenarios/").status == 403, username
        page.context.clear_cookies()


def test_the_analyst_runs_a_scenario_over_a_year_at_360_px(
    page: Any, live_server: Any, world: Any, tmp_path: Path
) -> None:
    """Decision 0046: the run form's choice of a year; the results say the period in words and add the year."""
    _analyst_at_360(page, live_server, world)
    page.goto(live_server.url + "/scenarios/")
    _upload_raise_jp(page, tmp_path)
    page.check("#id_span_1")  # a year
    page.fill("#id_year", "2026")
    _fits(page)
    assert accessibility_violations(page) == []  # the form with its choice of month or year
    page.click("#run-scenario")
    page.wait_for_selector("#group-table")
    assert page.inner_text("#results h2") == "Tahun 2026, versi 1"
    rows = page.locator("#group-table tbody tr").all_inner_texts()
    west_java = next(r for r in rows if r.startswith("Jawa Barat"))
    assert "Rp 504.000" in west_java  # 1 % of Rp 4.200.000, twelve months
    assert "iuran tahun itu, menurut peraturan" in page.inner_text("#totals")
    _fits(page)
    assert accessibility_violations(page) == []
