"""``paritrana token USERNAME``: issue an API token."""

from __future__ import annotations

from typing import Annotated

import typer

from paritrana.cli.demo import setup_django


def token(
    username: Annotated[str, typer.Argument(help="the user the token acts for")],
    name: Annotated[str, typer.Option(help="a name for the token")] = "default",
    replace: Annotated[bool, typer.Option(help="revoke the user's earlier tokens of this name")] = False,
) -> None:
    """Issue an API token for a user (printed once; only its digest is stored)."""
    setup_django()
    from paritrana.accounts.services import AccountError, issue_token

    try:
        typer.echo(issue_token(username, name=name, replace=replace))
    except AccountError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
