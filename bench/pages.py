"""Benchmark: the server time of every main page of every role on the demo, first and later request, against a
hand-written trivial view in the same process (issue 17: "progress shown for any step longer than a second").

Run from the repository root::

    PARITRANA_HOME=/tmp/bench-pages .venv/bin/python bench/pages.py               # demo of 300 workers
    PARITRANA_HOME=/tmp/bench-pages .venv/bin/python bench/pages.py --workers 2000

What it does, in one process:

1. migrates the database of ``PARITRANA_HOME`` (or ``PARITRANA_DATABASE_URL``) and loads the demo there, as the
   every-page browser walk does (``load_demo_world``; a demo already there is reused: use a fresh folder for a
   fresh demo);
2. finds each demo user's main pages as that walk does (``tests/browser/tour.main_pages``): its home, each link
   of its menu (``nav.main``) and of its home's list of tasks (``#actions``), and the first record each of those
   lists links to; a page shape another user visited already is not visited again (homes are);
3. requests each page twice through Django's test client (the whole stack: middleware, view, template; no
   network, no browser), signed in as that user, and times each request; the baseline is a hand-written view
   that answers a fixed ``HttpResponse`` through the same client and middleware, timed as the best of 20;
4. prints, per page, the first and the later time in ms and their ratios to the baseline, then the pages whose
   first or later request is above one second. Exit status 1 if a page does not answer 200.

The clock covers the request only (after the log-in); the demo's set-up is reported apart.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# the demo's users, one per role (as tests/browser/tour.DEMO_USERS)
DEMO_USERS = ("admin", "cabang", "pemprov", "pemkot", "hrd", "pekerja", "ahliwaris", "penilai")
BASELINE_PATH = "/__bench_trivial__/"
SLOW = 1.0  # seconds: a step longer than this should show its progress


class Links(HTMLParser):
    """The links of a page: those in the main menu and the home's task list, and those in the main part's tables
    and result lists (as the browser walk's selectors ``nav.main a, #actions a`` and ``main table a[href], main
    .results a[href]``)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.menu: list[str] = []
        self.records: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "a" and attributes.get("href"):
            href = attributes["href"]
            if any(self._is(t, a, "nav", "main") or a.get("id") == "actions" for t, a in self.stack):
                self.menu.append(href)
            in_main = any(t == "main" for t, _ in self.stack)
            if in_main and any(t == "table" or "results" in a.get("class", "").split() for t, a in self.stack):
                self.records.append(href)
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"):
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    @staticmethod
    def _is(tag: str, attributes: dict[str, str], name: str, css_class: str) -> bool:
        return tag == name and css_class in attributes.get("class", "").split()


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def main_pages(client: Any) -> list[str]:
    """The signed-in user's home, its menu's and task list's pages, and the first record each of those lists."""
    home = links_of(client.get("/").content.decode())
    pages = ["/"]
    for href in home.menu:
        path = urlsplit(href)
        if path.netloc or not href.startswith("/") or "/admin/" in href or href in pages:
            continue
        pages.append(href)
    records: list[str] = []
    for url in pages[1:]:
        response = client.get(url)
        if response.status_code != 200:
            continue
        for link in links_of(response.content.decode()).records:
            if link.startswith("/") and link not in pages and link not in records and re.search(r"/\d+/", link):
                records.append(link)
                break
    return pages + records


def timed(client: Any, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(url)
    return time.perf_counter() - start, response.status_code


def baseline(client: Any) -> float:
    """The best of 20 requests of the hand-written trivial view, through the same client and middleware."""
    return min(timed(client, BASELINE_PATH)[0] for _ in range(20))


def setup(workers: int) -> float:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paritrana.site.settings")
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: the static files are not collected
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bench_pages_urls"
    sys.modules["bench_pages_urls"] = _urlconf()
    from paritrana.cli.demo import load_demo_world

    start = time.perf_counter()
    load_demo_world(seed=7, workers=workers, villages=False, migrate=True, say=lambda *a, **k: None)
    return time.perf_counter() - start


def _urlconf() -> Any:
    """The site's addresses with the trivial view added in front."""
    import types

    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    from paritrana.site import urls as site_urls

    def trivial(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [path(BASELINE_PATH.strip("/") + "/", trivial), *site_urls.urlpatterns]  # type: ignore[attr-defined]
    for name in ("handler403", "handler404", "handler500"):
        if hasattr(site_urls, name):
            setattr(module, name, getattr(site_urls, name))
    return module


def run(workers: int) -> int:
    took = setup(workers)
    print(
        f"demo ready ({workers} workers, {took:.1f} s, database {os.environ.get('PARITRANA_DATABASE_URL', 'SQLite')})"
    )
    from django.contrib.auth import get_user_model
    from django.test import Client

    anonymous = Client()
    base = baseline(anonymous)
    print(f"baseline: a hand-written trivial view, {base * 1000:.2f} ms (best of 20)\n")
    print(f"{'user':<10} {'page':<44} {'first ms':>9} {'later ms':>9} {'first ×':>9} {'later ×':>9}")
    users = get_user_model().objects
    seen: set[str] = set()
    rows: list[tuple[str, str, float, float]] = []
    failed = []
    for username in DEMO_USERS:
        client = Client()
        client.force_login(users.get(username=username))
        for url in main_pages(client):
            shape = re.sub(r"\d+", "N", urlsplit(url).path)
            if shape in seen and shape != "/":
                continue
            seen.add(shape)
            first, status = timed(client, url)
            later, status_later = timed(client, url)
            if status != 200 or status_later != 200:
                failed.append(f"{username} {url}: {status}, {status_later}")
            rows.append((username, url, first, later))
            print(
                f"{username:<10} {url[:44]:<44} {first * 1000:>9.1f} {later * 1000:>9.1f} "
                f"{first / base:>9.0f} {later / base:>9.0f}"
            )
    slow = [r for r in rows if max(r[2], r[3]) > SLOW]
    print(f"\n{len(rows)} pages; over {SLOW:.0f} s (first or later request):")
    for username, url, first, later in slow or []:
        print(f"  {username} {url}: first {first:.2f} s, later {later:.2f} s")
    if not slow:
        print("  none")
    for line in failed:
        print(f"NOT 200: {line}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=300, help="the demo's workers (the browser walk's: 300)")
    args = parser.parse_args()
    if not os.environ.get("PARITRANA_HOME") and not os.environ.get("PARITRANA_DATABASE_URL"):
        parser.error("set PARITRANA_HOME to a folder for the demo's database (a fresh one for a fresh demo)")
    return run(args.workers)


if __name__ == "__main__":
    sys.exit(main())
