"""Browser tests: Playwright's sync API driving Debian's Chromium, headless, against a live server.

Playwright's sync API runs an event loop in the test thread; Django refuses database
work from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The
tests' own database work (fixtures) is synchronous and sequential, so that is safe here.
Playwright never downloads a browser: it launches /usr/bin/chromium (or PARITRANA_CHROMIUM).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("PARITRANA_CHROMIUM", "/usr/bin/chromium"))
# Flags that work on a machine with a closed network, as root, without a screen.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM} (./dev test installs Debian's chromium)"
        pytest.fail(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser context (no cookies: no session, no language choice) and page. Whatever the browser
    refuses under the Content-Security-Policy (an inline script, an event handler, a resource from elsewhere) fails
    the test: every page must work under the policy production sends (decision 0010)."""
    context = browser.new_context(locale="id-ID")  # type: ignore[attr-defined]
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        yield page
    finally:
        context.close()
    assert refused == [], refused


@pytest.fixture
def world(transactional_db: None) -> dict[str, Any]:
    """Two provinces, a branch and an employer in each, a worker with an heir, and one user per role."""
    return build_world()
