"""``paritrana rules``: legal test cases and parameters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from paritrana.rules.errors import RuleError

app = typer.Typer(help="Legal test cases and the parameters of the law.", no_args_is_help=True)
console = Console()


@app.command("test")
def test(
    paths: Annotated[list[Path], typer.Argument(help="YAML case files or folders of them")],
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="list passing cases too")] = False,
) -> None:
    """Run legal test cases; report each failure as expected against got."""
    from paritrana.rules.cases import load_cases, run_case

    try:
        cases = load_cases(paths)
    except (RuleError, ValueError) as err:
        console.print(f"[bold red]error:[/] {err}")
        raise typer.Exit(2) from None
    failed = 0
    for case in cases:
        outcome = run_case(case)
        if outcome.passed:
            if verbose:
                console.print(f"[green]PASS[/] {case.id}")
            continue
        failed += 1
        console.print(f"[bold red]FAIL[/] {case.id}  [dim]({case.rule}, {case.date}; source: {case.source})[/]")
        for what, want, got in outcome.differences:
            console.print(f"     {what}: expected {want!r}, got {got!r}", highlight=False)
    passed = len(cases) - failed
    console.print(f"{passed} passed, {failed} failed")
    if failed or not cases:
        raise typer.Exit(1)


@app.command("parameters")
def parameters(
    uncertain: Annotated[bool, typer.Option("--uncertain", help="only the values marked uncertain")] = False,
) -> None:
    """List every parameter value with its effective date and reference."""
    from paritrana.rules.parameters import load_parameters

    for name, p in sorted(load_parameters().items()):
        for v in p.values:
            if uncertain and not v.uncertain:
                continue
            mark = f"  [yellow]uncertain: {v.why}[/]" if v.uncertain else ""
            console.print(f"{name}  {v.effective}  {v.value}  [dim]{v.reference}[/]{mark}", highlight=False)
