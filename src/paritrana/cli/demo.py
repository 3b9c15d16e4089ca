"""``paritrana demo``: database, regions, a seeded demo data set, one user per role, and the web server."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console(soft_wrap=True)


def setup_django(home: Path | None = None, demo: bool = False) -> Path:
    """Point Django at Paritrana's settings and PARITRANA_HOME (created if missing); returns the home folder.

    ``demo``: a local demonstration (``PARITRANA_DEMO=1``), its secret key generated once into the home folder.
    Nothing else writes a key: a production server is given its own (decision 0010)."""
    if home is not None:
        os.environ["PARITRANA_HOME"] = str(home)
    if demo:
        os.environ["PARITRANA_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paritrana.site.settings")
    import django
    from django.conf import settings

    folder = Path(settings.HOME)
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if demo and "PARITRANA_SECRET_KEY" not in os.environ:
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        settings.SECRET_KEY = key_file.read_text().strip()  # the settings are read already: set it on them
    django.setup()
    return folder


def demo(
    port: Annotated[int, typer.Option(help="port of the web server on 127.0.0.1")] = 8000,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="serve the application after setting up")] = True,
    seed: Annotated[int, typer.Option(help="seed of the demo data generator")] = 2026,
    workers: Annotated[int, typer.Option(help="number of demo workers")] = 5000,
    villages: Annotated[bool, typer.Option("--villages/--no-villages", help="also load the 83,762 villages")] = True,
    home: Annotated[
        Path | None, typer.Option(help="data folder (default: $PARITRANA_HOME or ~/.local/share/paritrana)")
    ] = None,
) -> None:
    """Set up the database with demo data and serve the application on 127.0.0.1 (run again, it reuses what exists)."""
    started = time.perf_counter()
    folder = setup_django(home, demo=True)
    from django.conf import settings

    database = settings.DATABASES["default"]
    console.print(f"data folder: {folder}  database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    logins, tokens = load_demo_world(seed=seed, workers=workers, villages=villages, say=console.print)
    console.print("Log-ins (username, password, role):", soft_wrap=True)
    for line in logins:
        console.print(line, soft_wrap=True, highlight=False, markup=False)
    console.print("API tokens (new on every run; header  Authorization: Bearer <token>):", soft_wrap=True)
    for username, token in tokens:
        console.print(f"  {username:<10} {token}", soft_wrap=True, highlight=False, markup=False)
    console.print(f"set up in {time.perf_counter() - started:.1f} s")
    if serve:
        from django.core.management import call_command

        console.print(
            f"serving http://127.0.0.1:{port}/  (API: /api/docs, /api/openapi.json; admin: /admin/)  Ctrl-C stops"
        )
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure_serving=True)


def load_demo_world(
    seed: int = 2026, workers: int = 5000, villages: bool = True, migrate: bool = True, say: Callable[..., Any] = print
) -> tuple[list[str], list[tuple[str, str]]]:
    """The demo's database: regions, workers, bills, payments, programme, workforce figures, users, claims, award
    (each part reused when it is there). Returns the log-in lines and the users' API tokens. The browser tests and
    ``./dev screenshots`` load it too, smaller."""
    from django.core.management import call_command

    from paritrana.accounts.services import ensure_user, issue_token
    from paritrana.claims.demo import demo_claims_present, load_demo_claims
    from paritrana.contributions.demo import billed_months, demo_contributions_present, load_demo_contributions
    from paritrana.registry.demo_data import build_plan, demo_password, demo_present, demo_users, load_demo
    from paritrana.registry.regions import load_regions

    marks = [time.perf_counter()]

    def took() -> str:
        marks.append(time.perf_counter())
        return f"({marks[-1] - marks[-2]:.1f} s)"

    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
        say(f"database migrated {took()}")
    added = load_regions(villages=villages)
    say("regions: " + ", ".join(f"{n} {level} added" for level, n in added.items()) + f" {took()}")
    if demo_present():
        say("demo data: already there, reused")
    else:
        counts = load_demo(build_plan(seed=seed, workers=workers))
        say("demo data: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + f" {took()}")
    if demo_contributions_present():
        say("demo contributions: already there, reused")
    else:
        counts = load_demo_contributions(dt.date.today(), seed=seed, say=say)
        say("demo contributions: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + f" {took()}")
    from paritrana.programmes.demo import demo_programmes_present, load_demo_programmes

    if demo_programmes_present():
        say("demo programme: already there, reused")
    else:
        counts = load_demo_programmes(dt.date.today(), seed=seed, say=say)
        say("demo programme: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + f" {took()}")
    from paritrana.coverage.demo import demo_coverage_present, load_demo_coverage

    if demo_coverage_present():
        say("demo workforce figures: already there, reused")
    else:
        counts = load_demo_coverage([m.year for m in billed_months(dt.date.today())], say=say)
        say("demo workforce figures: " + ", ".join(f"{n} {w}" for w, n in counts.items()) + f" {took()}")
    # plain lines, not a table: readable on any terminal width and when piped
    logins, tokens = [], []
    for username, role, scope, description in demo_users():
        ensure_user(username, demo_password(username), role, **scope)
        tokens.append((username, issue_token(username, name="demo", replace=True)))
        logins.append(f"  {username:<10} {demo_password(username):<20} {description}")
    if demo_claims_present():
        say("demo claims: already there, reused")
    else:
        counts = load_demo_claims(dt.date.today(), seed=seed, say=say)
        say("demo claims: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) + f" {took()}")
    from paritrana.award.demo import award_users, demo_award_present, load_demo_award

    award_accounts = {}
    for username, role, scope, description in award_users():
        award_accounts[username] = ensure_user(username, demo_password(username), role, **scope)
        logins.append(f"  {username:<10} {demo_password(username):<20} {description}")
    if demo_award_present():
        say("demo award: already there, reused")
    else:
        counts = load_demo_award(dt.date.today(), award_accounts, say=say)
        say("demo award: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + f" {took()}")
    return logins, tokens
