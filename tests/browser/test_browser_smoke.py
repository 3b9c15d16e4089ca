"""The browser runs here: Chromium starts headless and runs a page's script."""

from __future__ import annotations

from typing import Any


def test_chromium_runs_a_page(page: Any) -> None:
    page.set_content('<button id="b" onclick="this.textContent = \'ok\'">press</button>')
    page.click("#b")
    page.wait_for_selector("#b:text('ok')")
    assert page.text_content("#b") == "ok"


def test_the_sites_policy_stops_an_inline_script_and_the_refusal_is_seen(browser: Any, live_server: Any) -> None:
    """The check every browser test makes at its end (conftest: no Content-Security-Policy refusal) does see one:
    a script written into a served page is refused, and the refusal is on the console."""
    context = browser.new_context()
    try:
        page = context.new_page()
        seen: list[str] = []
        page.on("console", lambda m: seen.append(m.text))
        page.goto(live_server.url + "/login/")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
            " document.body.appendChild(s); }"
        )
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.ran") is None
        assert any("Content Security Policy" in text for text in seen), seen
    finally:
        context.close()
