"""The analyst runs the projection in a browser: the chart and the tables at 360 px without sideways scrolling,
a scenario uploaded, the XLSX downloaded; a regional officer and a worker are refused the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.web_world import log_in

RAISE_JP = """jp.employer_rate:
  unit: rate
  description: JP employer rate, raised
  values:
    2028-01-01: {value: "0.03", reference: "proposed"}
"""


def test_the_analyst_runs_a_scenario_and_downloads_it(page: Any, live_server: Any, world: Any, tmp_path: Path) -> None:
    log_in(page, live_server.url, "analis")
    page.set_viewport_size({"width": 360, "height": 740})
    page.click("#menu-button")  # on a phone the menu is folded behind its button
    page.click("#nav-projection")
    page.wait_for_selector("#jp-chart svg")
    assert page.inner_text("#projection-title") == "Proyeksi jangka panjang JP dan JHT"
    assert page.locator("#jp-table tbody tr").count() == 75
    wide = page.evaluate(
        """Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 362).slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    scenario = tmp_path / "naik.yaml"
    scenario.write_text(RAISE_JP)
    page.fill("#id_years", "10")
    page.set_input_files("#id_scenario", str(scenario))
    page.click("#run-projection")
    page.wait_for_selector("#scenario-name")
    assert page.inner_text("#scenario-name") == "naik.yaml"
    assert page.locator("#jp-table tbody tr").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_input_files("#id_scenario", str(scenario))
    with page.expect_download() as download:
        page.click("#download-xlsx")
    assert download.value.suggested_filename == "projection.xlsx"


def test_a_regional_officer_and_a_worker_are_refused(page: Any, live_server: Any, world: Any) -> None:
    for username in ("pemda.jabar", "asih"):
        log_in(page, live_server.url, username)
        assert page.locator("#nav-projection").count() == 0
        response = page.goto(live_server.url + "/projection/")
        assert response.status == 403, username
        page.context.clear_cookies()
