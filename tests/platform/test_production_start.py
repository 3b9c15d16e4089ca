"""The production start (decision 0010): ``paritrana serve`` and the WSGI entry point refuse unsafe settings;
``check --deploy`` is clean with production settings; the responses carry CSP and HSTS; ``createadmin``.

Real processes: each start is a subprocess with its own environment, data folder and SQLite database (never the
test database), the server a real waitress listening on a free port, read over HTTP."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from paritrana.site import deployment
from paritrana.web.middleware import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]
PARITRANA = str(Path(sys.executable).with_name("paritrana"))
SETTINGS_VARIABLES = (
    "PARITRANA_DATABASE_URL",
    "PARITRANA_SECRET_KEY",
    "PARITRANA_ALLOWED_HOSTS",
    "PARITRANA_HTTPS",
    "PARITRANA_PROXY_SSL_HEADER",
    "PARITRANA_DEMO",
    "PARITRANA_DEBUG",
    "DJANGO_SETTINGS_MODULE",
)


def environment(home: Path, **values: str) -> dict[str, str]:
    """The process environment without any of this run's settings, with ``values`` and its own data folder."""
    # nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set in this process when they run first), which no
    # production start has and which check --deploy rightly refuses
    left_out = {*SETTINGS_VARIABLES, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    return {**env, "PARITRANA_HOME": str(home), "PARITRANA_AXES_ENABLED": "0", **values}


def production(home: Path, **values: str) -> dict[str, str]:
    return environment(
        home,
        PARITRANA_SECRET_KEY=secrets.token_urlsafe(60),
        PARITRANA_ALLOWED_HOSTS="paritrana.example,127.0.0.1",
        PARITRANA_HTTPS="1",
        PARITRANA_PROXY_SSL_HEADER="1",
        **values,
    )


def run(args: list[str], env: dict[str, str], timeout: int = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


# --- the rules of a production start, without a process ---------------------------------------------------


def test_what_a_production_start_needs() -> None:
    good = {
        "PARITRANA_SECRET_KEY": secrets.token_urlsafe(60),
        "PARITRANA_ALLOWED_HOSTS": "paritrana.example",
        "PARITRANA_HTTPS": "1",
    }
    assert deployment.problems(deployment.from_env(good)) == []
    for name in good:
        found = deployment.problems(deployment.from_env({k: v for k, v in good.items() if k != name}))
        assert len(found) == 1 and found[0].startswith(name), (name, found)
    weak = deployment.problems(deployment.from_env({**good, "PARITRANA_SECRET_KEY": "x" * 60}))
    public = deployment.problems(deployment.from_env({**good, "PARITRANA_SECRET_KEY": deployment.DEVELOPMENT_KEY}))
    assert "too weak" in weak[0] and "is not set" in public[0]
    assert deployment.problems(deployment.from_env({**good, "PARITRANA_ALLOWED_HOSTS": "*"}))
    assert deployment.problems(deployment.from_env({**good, "PARITRANA_DEBUG": "1"}))
    assert deployment.problems(deployment.from_env({"PARITRANA_DEMO": "1"})) == []  # demo mode: a local server
    secure = deployment.security_settings(deployment.from_env(good))
    assert secure["SECURE_SSL_REDIRECT"] and secure["SESSION_COOKIE_SECURE"] and secure["CSRF_COOKIE_SECURE"]
    assert secure["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and secure["SECURE_PROXY_SSL_HEADER"] is None
    plain = deployment.security_settings(deployment.from_env({"PARITRANA_DEMO": "1"}))
    assert not plain["SECURE_SSL_REDIRECT"] and plain["SECURE_HSTS_SECONDS"] == 0


def test_every_page_carries_the_content_security_policy(client: Client, db: None) -> None:
    for url in ("/login/", "/api/openapi.json", "/no-such-page/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert policy == CONTENT_SECURITY_POLICY, url
    assert (
        "script-src 'self'" in CONTENT_SECURITY_POLICY
        and "unsafe-inline" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY and "http" not in CONTENT_SECURITY_POLICY


# --- refusals --------------------------------------------------------------------------------------------


def test_serve_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    env = production(tmp_path)
    del env["PARITRANA_SECRET_KEY"]
    done = run([PARITRANA, "serve", "--port", str(free_port())], env, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "refuses to start" in done.stderr and "PARITRANA_SECRET_KEY is not set" in done.stderr
    assert not (tmp_path / "paritrana.sqlite3").exists()  # refused before touching the database
    # the public development key is no key either; nor are missing hosts or HTTPS
    public = run([PARITRANA, "serve"], {**env, "PARITRANA_SECRET_KEY": deployment.DEVELOPMENT_KEY}, timeout=120)
    assert public.returncode == 2 and "PARITRANA_SECRET_KEY is not set" in public.stderr
    bare = run([PARITRANA, "serve"], environment(tmp_path), timeout=120)
    assert bare.returncode == 2
    for name in ("PARITRANA_SECRET_KEY", "PARITRANA_ALLOWED_HOSTS", "PARITRANA_HTTPS"):
        assert name in bare.stderr, name


def test_the_wsgi_entry_point_refuses_too_and_loads_in_demo_mode(tmp_path: Path) -> None:
    load = [sys.executable, "-c", "import paritrana.site.wsgi as w; print('loaded', callable(w.application))"]
    refused = run(load, environment(tmp_path), timeout=120)
    assert refused.returncode != 0 and "ImproperlyConfigured" in refused.stderr
    assert "PARITRANA_SECRET_KEY is not set" in refused.stderr
    demo = run(load, environment(tmp_path, PARITRANA_DEMO="1"), timeout=120)
    assert demo.returncode == 0 and "loaded True" in demo.stdout, demo.stderr
    ready = run(load, production(tmp_path), timeout=120)
    assert ready.returncode == 0 and "loaded True" in ready.stdout, ready.stderr


def test_check_deploy_prints_no_warning_with_production_settings(tmp_path: Path) -> None:
    check = [sys.executable, "-m", "django", "check", "--deploy", "--settings=paritrana.site.settings"]
    done = run(check, production(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNING" not in done.stdout + done.stderr and "security." not in done.stdout + done.stderr
    # the check does look: a development set-up is warned about
    warned = run(check, environment(tmp_path, PARITRANA_DEMO="1"))
    assert "security.W004" in warned.stdout + warned.stderr  # no HSTS


# --- a real server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


@pytest.fixture
def server(tmp_path: Path) -> Any:
    """``paritrana serve`` with production settings behind a (pretend) TLS proxy on 127.0.0.1."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [PARITRANA, "serve", "--port", str(port)], env=production(tmp_path), cwd=ROOT, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("serve stopped: " + (tmp_path / "serve.log").read_text())
            try:
                fetch(base + "/login/")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("serve did not answer: " + (tmp_path / "serve.log").read_text())
        yield base
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def test_served_responses_carry_csp_and_hsts_and_http_is_redirected(server: str) -> None:
    https = {"X-Forwarded-Proto": "https"}
    status, headers, body = fetch(server + "/login/", https)
    assert status == 200 and b'id="login-form"' in body
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    cookies = headers.get_all("Set-Cookie") or []
    assert cookies and all("Secure" in c for c in cookies), cookies
    # plain HTTP is sent to HTTPS
    status, headers, _ = fetch(server + "/login/")
    assert status == 301 and headers["Location"] == "https://127.0.0.1:" + server.rsplit(":", 1)[1] + "/login/"
    # the static files through WhiteNoise, with the policy too
    status, headers, body = fetch(server + "/static/paritrana/site.css", https)
    assert status == 200 and headers["Content-Type"].startswith("text/css") and body
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    # a host not allowed is refused
    status, _, _ = fetch(server + "/login/", {**https, "Host": "evil.example"})
    assert status == 400


def test_createadmin_makes_the_agency_administrator(tmp_path: Path) -> None:
    env = production(tmp_path)
    weak = run([PARITRANA, "createadmin", "kepala"], {**env, "PARITRANA_ADMIN_PASSWORD": "123"})
    assert weak.returncode == 2 and "error:" in weak.stderr
    password = secrets.token_urlsafe(16)
    done = run([PARITRANA, "createadmin", "kepala"], {**env, "PARITRANA_ADMIN_PASSWORD": password})
    assert done.returncode == 0, done.stderr
    script = (
        "import django; django.setup();"
        "from django.contrib.auth import authenticate;"
        f"u = authenticate(username='kepala', password='{password}');"
        "print(u.profile.role, u.is_staff, u.is_superuser)"
    )
    probe = run([sys.executable, "-c", script], {**env, "DJANGO_SETTINGS_MODULE": "paritrana.site.settings"})
    assert probe.stdout.split() == ["admin", "True", "True"], probe.stderr
