"""The ``paritrana`` command line."""

from __future__ import annotations

import typer

from paritrana.cli import (
    award_cmd,
    bank_cmd,
    billing_cmd,
    calc,
    claims_cmd,
    coverage_cmd,
    demo,
    jht_cmd,
    projection_cmd,
    rules_cmd,
    scenario_cmd,
    serve_cmd,
    snapshot_cmd,
    token_cmd,
)

app = typer.Typer(
    name="paritrana",
    help="Paritrana: employment social security toward universal coverage.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("calc")(calc.calc)
app.add_typer(rules_cmd.app, name="rules")
app.command("demo")(demo.demo)
app.command("serve")(serve_cmd.serve)
app.command("createadmin")(serve_cmd.createadmin)
app.command("token")(token_cmd.token)
app.add_typer(billing_cmd.app, name="billing")
app.add_typer(bank_cmd.app, name="bank")
app.add_typer(jht_cmd.app, name="jht")
app.add_typer(claims_cmd.app, name="claims")
app.add_typer(coverage_cmd.app, name="coverage")
app.add_typer(award_cmd.app, name="award")
app.add_typer(snapshot_cmd.app, name="snapshot")
app.add_typer(projection_cmd.app, name="projection")
app.add_typer(scenario_cmd.app, name="scenario")


if __name__ == "__main__":
    app()
