"""The language switch on every page: Bahasa Indonesia by default, English on request, and back."""

from __future__ import annotations

from typing import Any

from tests.web_world import log_in


def test_switch_to_english_and_back(page: Any, live_server: Any, world: dict[str, Any]) -> None:
    page.goto(f"{live_server.url}/login/")
    page.wait_for_selector("html[lang=id]")
    assert page.inner_text("h1") == "Masuk"

    log_in(page, live_server.url, "admin")
    assert page.inner_text("#home-title").startswith("Beranda")
    page.click("#lang-en")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("#home-title").startswith("Home")
    assert page.inner_text("#home-role") == "agency administrator"

    # the choice holds on other pages, and the switch is there too
    page.click("#nav-workers")
    page.wait_for_selector("#q")
    assert page.inner_text("h1") == "Workers"
    page.click("#lang-id")
    page.wait_for_selector("html[lang=id]")
    assert page.inner_text("h1") == "Pekerja"
