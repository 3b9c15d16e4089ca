"""``paritrana serve`` and ``paritrana createadmin``: the production start (decision 0010).

``serve`` refuses unsafe settings (no real secret key, no allowed hosts, HTTPS not declared, debug on) unless in
demo mode, then migrates the database, collects the static files and serves the application with waitress, the
static files through WhiteNoise. ``createadmin`` creates the agency administrator (or resets its password).
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from paritrana.cli.demo import setup_django

PASSWORD_VARIABLE = "PARITRANA_ADMIN_PASSWORD"


def serve(
    host: Annotated[str, typer.Option(help="address to listen on (0.0.0.0: every interface)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    threads: Annotated[int, typer.Option(help="worker threads of the server")] = 8,
    trusted_proxy: Annotated[
        str,
        typer.Option(
            help="address of the TLS proxy whose X-Forwarded-Proto is trusted (with PARITRANA_PROXY_SSL_HEADER=1)"
        ),
    ] = "127.0.0.1",
    demo: Annotated[bool, typer.Option("--demo", help="a local demonstration: the production checks are off")] = False,
) -> None:
    """Serve the application for production: refuse unsafe settings, migrate, collect static files, serve."""
    setup_django(demo=demo)
    from django.conf import settings
    from django.core.management import call_command
    from django.core.servers.basehttp import get_internal_wsgi_application

    if settings.PARITRANA_START_REFUSAL:
        typer.echo(settings.PARITRANA_START_REFUSAL, err=True)
        raise typer.Exit(2)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from paritrana.scenarios.services import abandon_unfinished

    abandon_unfinished()  # a scenario run left under way by the last start never ends: failed, saying so
    application = get_internal_wsgi_application()  # paritrana.site.wsgi, which checks the settings again
    options: dict[str, object] = {"host": host, "port": port, "threads": threads, "ident": "paritrana"}
    if settings.SECURE_PROXY_SSL_HEADER:
        options.update(trusted_proxy=trusted_proxy, trusted_proxy_headers={"x-forwarded-proto"})
    from waitress import serve as waitress_serve

    typer.echo(f"serving http://{host}:{port}/ (hosts: {', '.join(settings.ALLOWED_HOSTS)})")
    waitress_serve(application, **options)


def createadmin(
    username: Annotated[str, typer.Argument(help="the administrator's user name")],
) -> None:
    """Create the agency administrator, or set its password again: the password from PARITRANA_ADMIN_PASSWORD,
    else asked twice. Django's password rules apply."""
    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from paritrana.accounts.models import Role
    from paritrana.accounts.services import ensure_user

    password = os.environ.get(PASSWORD_VARIABLE) or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        validate_password(password)
    except ValidationError as err:
        typer.echo("error: " + " ".join(err.messages), err=True)
        raise typer.Exit(2) from None
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    ensure_user(username, password, Role.ADMIN)
    typer.echo(f"{username}: agency administrator")
