"""How the application is deployed, read from the environment: demo or production, and the security settings
that follow (decision 0010). No Django here: the settings module, the WSGI entry point and ``paritrana serve``
all read the same answers.

Production (anything but demo mode) needs a real secret key, the allowed host names and HTTPS declared;
``problems`` lists what is missing, and the server refuses to start until it is empty. With HTTPS declared,
HTTP is redirected, HSTS sent and the cookies are Secure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# the key of a developer's machine and of the tests: public, so never accepted by a production start
DEVELOPMENT_KEY = "django-insecure-paritrana-development-key-set-PARITRANA_SECRET_KEY"
DEVELOPMENT_HOSTS = "127.0.0.1,localhost,testserver"
HSTS_SECONDS = 365 * 24 * 3600
MIN_KEY_LENGTH = 50  # Django's own check (security.W009): at least 50 characters, 5 of them different
MIN_KEY_CHARACTERS = 5


def _on(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "0").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Deployment:
    demo: bool
    debug: bool
    https: bool
    proxy_ssl_header: bool
    secret_key: str
    key_given: bool
    allowed_hosts: list[str]
    hosts_given: bool

    @property
    def production(self) -> bool:
        return not self.demo


def from_env(env: Mapping[str, str]) -> Deployment:
    key = env.get("PARITRANA_SECRET_KEY", "")
    hosts = env.get("PARITRANA_ALLOWED_HOSTS")
    return Deployment(
        demo=_on(env, "PARITRANA_DEMO"),
        debug=_on(env, "PARITRANA_DEBUG"),
        https=_on(env, "PARITRANA_HTTPS"),
        proxy_ssl_header=_on(env, "PARITRANA_PROXY_SSL_HEADER"),
        secret_key=key or DEVELOPMENT_KEY,
        key_given=bool(key),
        allowed_hosts=[h.strip() for h in (hosts if hosts is not None else DEVELOPMENT_HOSTS).split(",") if h.strip()],
        hosts_given=hosts is not None,
    )


def problems(d: Deployment) -> list[str]:
    """What stops a production start, each with what to set; empty in demo mode or when all is set."""
    if d.demo:
        return []
    found = []
    if not d.key_given or d.secret_key == DEVELOPMENT_KEY:
        found.append("PARITRANA_SECRET_KEY is not set: give a random secret of at least 50 characters")
    elif len(d.secret_key) < MIN_KEY_LENGTH or len(set(d.secret_key)) < MIN_KEY_CHARACTERS:
        found.append("PARITRANA_SECRET_KEY is too weak: at least 50 characters, not one repeated")
    if not d.hosts_given or not d.allowed_hosts:
        found.append("PARITRANA_ALLOWED_HOSTS is not set: the host names the site answers to, comma-separated")
    elif "*" in d.allowed_hosts:
        found.append("PARITRANA_ALLOWED_HOSTS must name the hosts, not '*'")
    if not d.https:
        found.append("PARITRANA_HTTPS is not 1: serve over HTTPS (directly or behind a TLS proxy) and set it")
    if d.debug:
        found.append("PARITRANA_DEBUG is on: a production server never runs in debug mode")
    return found


def refusal(d: Deployment) -> str:
    """The message of a refused start ('' when it may start)."""
    found = problems(d)
    if not found:
        return ""
    lines = "\n".join(f"  - {p}" for p in found)
    return (
        "Paritrana refuses to start in production with unsafe settings:\n"
        f"{lines}\n"
        "(for a local demonstration on this machine, run `paritrana demo` or set PARITRANA_DEMO=1)"
    )


def security_settings(d: Deployment) -> dict[str, Any]:
    """Django's security settings for the deployment: with HTTPS, redirect, HSTS and Secure cookies."""
    https = d.https and not d.debug
    return {
        "SECURE_SSL_REDIRECT": https,
        "SECURE_HSTS_SECONDS": HSTS_SECONDS if https else 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": https,
        "SECURE_HSTS_PRELOAD": https,
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_SECURE": https,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if d.proxy_ssl_header else None,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }
