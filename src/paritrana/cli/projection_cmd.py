"""``paritrana projection run``: the long-term projection of JP and JHT (decision 0024), from the registry or a
national snapshot, with the baseline assumptions or a scenario file's overrides; the first projected year
beside the registry's last year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from paritrana.cli.demo import setup_django
from paritrana.cli.output import console, fail, stage_progress

app = typer.Typer(help="Long-term projection of the JP and JHT funds.", no_args_is_help=True, add_completion=False)


@app.command("run")
def run(
    years: Annotated[int, typer.Option(help="the horizon, in years")] = 75,
    start_year: Annotated[
        int | None, typer.Option(help="the first projected year (default: after the last billed)")
    ] = None,
    scenario: Annotated[Path | None, typer.Option(help="a YAML file overriding assumptions or law parameters")] = None,
    snapshot: Annotated[
        Path | None, typer.Option(help="start from this national snapshot (paritrana snapshot export)")
    ] = None,
    jp_fund: Annotated[int | None, typer.Option(help="the JP fund at the start, rupiah")] = None,
    jht_fund: Annotated[int | None, typer.Option(help="the JHT fund at the start, rupiah")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="write the tables to this XLSX file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary and the yearly rows as JSON")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Project JP and JHT year by year: contributions, benefits, returns, costs, fund, reserve ratio."""
    setup_django()
    from paritrana.core.errors import ValidationFailed
    from paritrana.projection import present, services
    from paritrana.rules.money import rupiah_text

    if scenario is not None and not scenario.is_file():
        raise fail(f"scenario: {scenario} does not exist")
    if snapshot is not None and not snapshot.is_dir():
        raise fail(f"snapshot: {snapshot} is not a folder")
    bar, progress = stage_progress({"years": "projected years"}, quiet or as_json)
    try:
        with bar:
            report = services.run(
                None,
                start_year=start_year,
                horizon=years,
                scenario=scenario,
                snapshot=snapshot,
                jp_fund=jp_fund,
                jht_fund=jht_fund,
                progress=lambda done, total: progress("years", done, total),
                command_line=True,
            )
    except ValidationFailed as err:
        raise fail(f"{err.field}: {err.reason}") from None
    summary = present.summary(report)
    if xlsx is not None:
        xlsx.write_bytes(present.workbook(report))
    if as_json:
        body = {
            **summary,
            "jp": present.year_rows(report.projection.jp),
            "jht": present.year_rows(report.projection.jht),
        }
        console.print_json(json.dumps(body))
        return
    for result in (report.projection.jp, report.projection.jht):
        table = Table(title=f"{result.programme}, from {report.source}", show_lines=False)
        for column in ("year", "contributions", "benefits", "returns", "costs", "fund at the end", "reserve ratio"):
            table.add_column(column, justify="right")
        shown = [r for i, r in enumerate(result.rows) if i < 5 or i % 10 == 9 or i == len(result.rows) - 1]
        for r in shown:
            ratio = "-" if r.reserve_ratio is None else f"{r.reserve_ratio:.1f}"
            money = (r.contributions, r.benefits, r.returns, r.costs, r.fund_end)
            table.add_row(str(r.year), *(rupiah_text(m) for m in money), ratio)
        console.print(table)
        exhausted = result.exhaustion_year
        console.print(f"{result.programme} fund exhausted in: {exhausted or 'not within the horizon'}", highlight=False)
    b = report.projection.balancing
    path = ", ".join(f"{y}: {r:.2%}" for y, r in b.path)
    console.print(f"JP rate balancing the fund over the horizon: level {b.level:.2%}; steps {path}", highlight=False)
    check = Table(title="first projected year against the registry's last year")
    titles = ("programme", "registry year", "months billed", "contributions billed", "projected, those months",
              "months with benefits", "benefits paid", "projected, those months", "projected year: contributions",
              "benefits")  # fmt: skip
    for title in titles:
        check.add_column(title, justify="right")
    for row in summary["first_year_check"]:
        keys = ("contributions", "projected_contributions_for_months", "benefits", "projected_benefits_for_months",
                "projected_contributions", "projected_benefits")  # fmt: skip
        amounts = [rupiah_text(row[k]) for k in keys]
        cells = [row["programme"], str(row["year"]), str(row["months"]), *amounts[:2], str(row["benefit_months"])]
        check.add_row(*cells, *amounts[2:])
    console.print(check)
    months = {row["months"] for row in summary["first_year_check"]}
    console.print(
        f"the registry billed {'/'.join(map(str, sorted(months)))} months of {report.projection.start_year - 1}: the "
        f"projected year {report.projection.start_year} is scaled to those months (× months ÷ 12), its benefits to the "
        "months with benefits due in the registry's year; the projection's benefits are the pensions in payment at "
        "the start of its year, those it adds, and the lump sums due",
        highlight=False,
    )
    heirs = summary["heir_ages"]
    console.print(
        f"survivors' pensions in payment at the start: {heirs['recorded']} with the recipient's recorded age (the "
        f"children of a scholarship claim), {heirs['assumed']} with an assumed age (projection.generation_gap)",
        highlight=False,
    )
    if summary["uncertain"]:
        console.print("uncertain assumptions or parameters: " + ", ".join(summary["uncertain"]), highlight=False)
    if xlsx is not None:
        console.print(f"written: {xlsx}", highlight=False)
