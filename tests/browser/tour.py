"""A walk over every main page of every role, in a real browser: the demo's users log in, and each visits its home,
every link of its menu and the first record each list links to (so the page list follows the menus, not a list
kept by hand). Used by the every-page test (tests/browser/test_browser_every_page.py) and by ``./dev screenshots``.

The checks a page must pass at each size: no sideways scroll of the page, no message of the Bahasa Indonesia
catalogue left in English, no developer text (rule keys, file names, grades), and no serious or critical
accessibility violation found by axe-core (vendored in tests/browser/vendor, run inside the page).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.mo"
SIZES = {"phone": (390, 844), "desktop": (1366, 768)}
# the demo's users, one per role (two regional officers: province and city)
DEMO_USERS = ("admin", "cabang", "pemprov", "pemkot", "hrd", "pekerja", "ahliwaris", "penilai")

# Developer text that must never reach a page: a rule's key or an option's code (snake_case words), a file name,
# an evidence grade, the word "uncertain" of the parameter files.
DEVELOPER_TEXT = [
    re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    re.compile(r"\b[\w-]+\.(?:md|py|ya?ml|json)\b"),
    re.compile(r"\bgrade [A-D]\b", re.IGNORECASE),
    re.compile(r"\buncertain\b", re.IGNORECASE),
]
# English messages shorter than this (one short word: "Status", "NIK") may be Indonesian too: not checked
SHORTEST_CHECKED = 5
# Proper names that are also messages of the catalogue, and English terms Indonesian banking uses as they are
PROPER_NAMES = {"Paritrana Award", "virtual account"}


@dataclass
class Problems:
    found: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.found.append(f"{where}: {what}")


@cache
def untranslated_messages() -> dict[str, str]:
    """msgid -> msgstr of the Indonesian catalogue where the translation differs from the English (those must not
    appear in English on an Indonesian page). Messages with placeholders are reduced to their longest fixed part."""
    with CATALOGUE.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    pairs: dict[str, str] = {}
    for msgid, msgstr in catalogue._catalog.items():  # type: ignore[attr-defined]
        if not isinstance(msgid, str) or not msgid or isinstance(msgstr, tuple):
            continue
        fixed = max(re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|\n", msgid), key=len).strip(" .,:;—-()")
        if len(fixed) < SHORTEST_CHECKED or fixed in PROPER_NAMES or fixed in msgstr:
            continue
        pairs[fixed] = msgstr
    return pairs


def english_left(text: str) -> list[str]:
    """The catalogue's English messages that appear as whole words in an Indonesian page's text."""
    found = []
    for msgid in untranslated_messages():
        at = text.find(msgid)
        while at >= 0:
            before = text[at - 1] if at else " "
            after = text[at + len(msgid)] if at + len(msgid) < len(text) else " "
            if not before.isalnum() and not after.isalnum():
                found.append(msgid)
                break
            at = text.find(msgid, at + 1)
    return found


# Text a page shows on purpose in another form: a language's own name on the switch ("English"), the columns a
# file must have (in <code>), a file's name as uploaded, and proper names.
NOT_CHECKED = "[lang]:not([lang='id']), code, .file-name, .document-link"


def page_text(page: Any) -> str:
    """The page's visible text without what NOT_CHECKED names and without the proper names."""
    text = str(page.inner_text("body"))
    for part in page.eval_on_selector_all(NOT_CHECKED, "els => els.map(e => e.innerText)"):
        if part:
            text = text.replace(part, " ")
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    return text


def developer_text(text: str) -> list[str]:
    return sorted({m.group(0) for pattern in DEVELOPER_TEXT for m in pattern.finditer(text)})


def check_page(page: Any, where: str, problems: Problems, indonesian: bool = True) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        problems.add(where, f"the page is {width[0]} px wide in a {width[1]} px window")
    text = page_text(page)
    if indonesian:
        for msgid in english_left(text):
            problems.add(where, f"English message on the Indonesian page: {msgid!r}")
    for word in developer_text(text):
        problems.add(where, f"developer text: {word!r}")
    for violation in accessibility_violations(page):
        problems.add(where, violation)


def accessibility_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations (WCAG 2 A and AA rules) of the page as it is now. The script is
    evaluated through the browser's debugging protocol: the page's Content-Security-Policy stays as it is."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate("() => {" + AXE.read_text(encoding="utf-8") + "\n}")
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }"""
    )
    return [str(r) for r in results]


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login")
    page.wait_for_selector("#home-title")


def main_pages(page: Any, base_url: str) -> list[str]:
    """The signed-in user's main pages: its home, each link of its menu and of its home's list of what it can do,
    and the first record each of those lists."""
    home = f"{base_url}/"
    page.goto(home)
    menu = page.eval_on_selector_all("nav.main a, #actions a", "links => links.map(a => a.href)")
    pages = [home]
    for url in menu:
        if not url.startswith(base_url) or "/admin/" in url or url in pages:
            continue
        pages.append(url)
    records: list[str] = []
    for url in pages[1:]:
        page.goto(url)
        links = page.eval_on_selector_all("main table a[href], main .results a[href]", "ls => ls.map(a => a.href)")
        for link in links:
            path = urlsplit(link).path
            if link.startswith(base_url) and link not in pages and link not in records and re.search(r"/\d+/", path):
                records.append(link)
                break
    return pages + records


def walk(
    page: Any,
    base_url: str,
    users: dict[str, str],
    visit: Callable[[Any, str, str, str], None],
    once: bool = True,
) -> Iterator[str]:
    """For each user and each of its main pages, at each size: ``visit(page, username, size, url)``. A page another
    role visited already (the same address with its numbers left out) is not visited again unless ``once`` is
    false: each home page is."""
    seen: set[str] = set()
    for username, password in users.items():
        page.context.clear_cookies()
        page.set_viewport_size(dict(zip(("width", "height"), SIZES["desktop"], strict=True)))
        log_in(page, base_url, username, password)
        urls = []
        for url in main_pages(page, base_url):
            shape = re.sub(r"\d+", "N", urlsplit(url).path)
            if not once or shape not in seen or shape == "/":
                seen.add(shape)
                urls.append(url)
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            for url in urls:
                page.goto(url)
                page.wait_for_load_state("load")
                visit(page, username, size, url)
                yield url
