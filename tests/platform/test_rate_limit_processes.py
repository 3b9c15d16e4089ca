"""The public calculator's limit is one for every server process (decision 0040): two real servers
(``paritrana serve --demo``, waitress, each its own process) on one database count the same address together,
and the one that sees the count pass the limit answers 429 in the caller's language, page and API alike.

The database is a SQLite file of the test's own folder, or on PostgreSQL the test database itself (committed
rows: ``transactional_db``), which both servers share."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.platform.test_production_start import PARITRANA, ROOT, environment, free_port

LIMIT = 4
COMPUTE = "/calculator/pu_contributions/?date=2024-05-01&wage=5000000&risk_group=1"
API_BODY = {"date": "2024-05-01", "inputs": {"wage": 5000000, "risk_group": 1}}
# the project's settings with the static files left uncompressed (serve_settings says why)
QUICK_START = {"DJANGO_SETTINGS_MODULE": "tests.platform.serve_settings", "PYTHONPATH": str(ROOT)}


def database_url() -> dict[str, str]:
    """The test database as a URL when it is PostgreSQL; none (each server's SQLite file in its home) else."""
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        return {}
    return {
        "PARITRANA_DATABASE_URL": f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    }


def start(home: Path, log_name: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = environment(home, PARITRANA_DEMO="1", PARITRANA_PUBLIC_PER_MINUTE=str(LIMIT), **database_url(), **QUICK_START)
    log = (home / log_name).open("w")
    process = subprocess.Popen(
        [PARITRANA, "serve", "--demo", "--port", str(port), "--threads", "2"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        if process.poll() is not None:
            pytest.fail("serve stopped: " + (home / log_name).read_text())
        try:
            urllib.request.urlopen(base + "/login/", timeout=5).close()
            return process, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                process.terminate()
                pytest.fail("serve did not answer: " + (home / log_name).read_text())
            time.sleep(0.5)


def fetch(url: str, body: Any = None, language: str | None = None) -> tuple[int, Any, str]:
    headers = {"Accept-Language": language} if language else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=60) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


@pytest.fixture
def two_servers(tmp_path: Path, transactional_db: None) -> Iterator[tuple[str, str]]:
    first, base1 = start(tmp_path, "first.log")  # migrates the database; the second finds it migrated
    second, base2 = start(tmp_path, "second.log")
    try:
        yield base1, base2
    finally:
        for process in (first, second):
            process.terminate()
            process.wait(30)


def test_two_server_processes_share_one_limit(two_servers: tuple[str, str]) -> None:
    base1, base2 = two_servers
    # a minute's count must not start over between the requests: wait for a fresh minute if this one is ending
    if time.time() % 60 > 40:
        time.sleep(61 - time.time() % 60)
    answered = [
        fetch(base1 + COMPUTE)[0],
        fetch(base2 + COMPUTE)[0],
        fetch(base1 + "/api/rules/pu_contributions", API_BODY)[0],
    ]
    answered.append(fetch(base2 + "/api/rules/pu_contributions", API_BODY)[0])
    assert answered == [200] * LIMIT  # the limit, counted by both processes together
    status, headers, page = fetch(base1 + COMPUTE)
    assert status == 429 and 0 < int(headers["Retry-After"]) <= 60
    assert "Terlalu banyak permintaan dari alamat Anda" in page  # Bahasa Indonesia by default
    status, headers, body = fetch(base2 + "/api/rules/pu_contributions", API_BODY, language="en")
    assert status == 429 and json.loads(body)["detail"].startswith("Too many requests from your address")
    status, _, body = fetch(base2 + "/api/rules/pu_contributions", API_BODY)
    assert status == 429 and json.loads(body)["detail"].startswith("Terlalu banyak permintaan dari alamat Anda")
