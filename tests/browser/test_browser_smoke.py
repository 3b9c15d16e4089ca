"""The browser runs here: Chromium starts headless and runs a page's script."""

from __future__ import annotations

from typing import Any


def test_chromium_runs_a_page(page: Any) -> None:
    page.set_content('<button id="b" onclick="this.textContent = \'ok\'">press</button>')
    page.click("#b")
    page.wait_for_selector("#b:text('ok')")
    assert page.text_content("#b") == "ok"
