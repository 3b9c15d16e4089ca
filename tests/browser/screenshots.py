"""``./dev screenshots``: the main pages of every role at 390×844 and 1366×768, as images in docs/screenshots/.

Sets up a small demo (300 workers, no villages) in a throw-away data folder, serves it with ``paritrana demo``,
walks the same pages as the every-page browser test (tests/browser/tour.py) and writes one image of the first
screen of each page at each size, with an index (docs/screenshots/README.md) the user guide links to.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.tour import DEMO_USERS, ROOT, SIZES, walk

OUT = ROOT / "docs" / "screenshots"
ROLES = {
    "admin": "agency administrator",
    "cabang": "branch officer",
    "pemprov": "regional officer (province)",
    "pemkot": "regional officer (city)",
    "hrd": "employer HR",
    "pekerja": "worker",
    "ahliwaris": "heir",
    "penilai": "award assessor",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 900) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the demo server stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(2)
    raise SystemExit(f"the demo server did not answer at {url} in {seconds:.0f} s")


def slug(path: str) -> str:
    name = re.sub(r"\?.*", "", path).strip("/")
    name = re.sub(r"\d+", "n", name).replace("/", "-")
    return name or "home"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="paritrana-screenshots-") as home:
        env = dict(os.environ, PARITRANA_HOME=home)
        env.pop("PARITRANA_DATABASE_URL", None)
        command = [sys.executable, "-m", "paritrana.cli.main", "demo", "--workers", "300", "--no-villages"]
        server = subprocess.Popen([*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
        try:
            wait_for(f"{base}/login/", server)
            shots = take(base, args.out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    write_index(args.out, shots)
    print(f"{len(shots)} screenshots in {args.out}")


def take(base: str, out: Path) -> list[tuple[str, str, str, str]]:
    from playwright.sync_api import sync_playwright

    shots: list[tuple[str, str, str, str]] = []
    users = {u: f"paritrana-{u}" for u in DEMO_USERS}

    def visit(page: Any, username: str, size: str, url: str) -> None:
        path = url[len(base) :]
        name = f"{username}-{slug(path)}-{size}.jpg"
        page.screenshot(path=str(out / name), type="jpeg", quality=45)
        shots.append((username, size, path, name))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="id-ID").new_page()
        for _ in walk(page, base, users, visit, once=False):
            pass
        browser.close()
    return shots


def write_index(out: Path, shots: list[tuple[str, str, str, str]]) -> None:
    lines = [
        "# Screenshots",
        "",
        "The main pages of every role on the demo data, in Bahasa Indonesia, on a phone (390×844) and a laptop",
        "(1366×768): the first screen of each page. Made by `./dev screenshots`; run it again after a change to",
        "the pages.",
        "",
    ]
    for username, role in ROLES.items():
        mine = [s for s in shots if s[0] == username]
        if not mine:
            continue
        lines += [f"## {role} (`{username}`)", "", "| page | phone | laptop |", "| --- | --- | --- |"]
        for path in dict.fromkeys(s[2] for s in mine):
            cells = {size: name for u, size, p, name in mine if p == path}
            row = " | ".join(f"[{size}]({cells[size]})" if size in cells else "" for size in SIZES)
            lines.append(f"| `{re.sub(r'[?].*', '', path)}` | {row} |")
        lines.append("")
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
