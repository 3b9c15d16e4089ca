"""Progress from the server in a browser (decision 0037): HR's wage file of 60,000 rows, sent at 360 px wide,
shows the server's "Memeriksa baris … dari …" with an accessible progress bar before its result, and the page
never scrolls sideways. (A scenario run's progress then results: test_browser_scenarios.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.web_world import log_in

ROWS = 60_000  # about two seconds of reading on a slow machine: several polls of the record

# records what the progress box shows while the page waits: its state, text, the bar's value and the page's width
WATCH = """() => {
  window.progressSeen = [];
  new MutationObserver(() => {
    const box = document.querySelector('.upload-progress');
    if (!box) { return; }
    const bar = box.querySelector('progress');
    window.progressSeen.push({state: box.dataset.state, text: box.textContent.trim(),
      role: bar && bar.getAttribute('role'), now: bar && bar.getAttribute('aria-valuenow'),
      width: document.documentElement.scrollWidth});
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def test_a_large_wage_file_shows_the_rows_checked_by_the_server(
    page: Any, live_server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    wages = tmp_path / "upah-besar.csv"
    lines = (f"32730155089{i:05d},2025-03,4.500.000\n" for i in range(ROWS))
    wages.write_text("nik,period,wage\n" + "".join(lines), encoding="utf-8")
    page.set_default_timeout(120_000)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server.url, "hrd.tekstil")
    page.click("#own-employer a")
    page.click("#employer-wages")
    page.wait_for_selector("#wage-upload-form")
    page.evaluate(WATCH)
    before = page.query_selector("#wage-upload-form")
    page.set_input_files("#id_file", str(wages))
    page.click("#wage-upload-submit")
    before.wait_for_element_state("hidden")  # the answer has replaced the page
    page.wait_for_selector("#upload-status")
    seen = page.evaluate("window.progressSeen")
    counted = [
        s for s in seen if s["state"] == "server" and re.fullmatch(r"Memeriksa baris [\d.]+ dari [\d.]+", s["text"])
    ]
    assert counted, seen
    last = counted[-1]
    assert last["text"].endswith("dari 60.001") and last["role"] == "progressbar" and last["now"] is not None
    assert 0 <= int(last["now"]) <= 100
    assert all(s["width"] <= 360 for s in seen), [s["width"] for s in seen]
    assert page.get_attribute("#upload-status", "data-status") == "rejected"  # no such workers: nothing stored
