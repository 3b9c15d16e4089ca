"""``paritrana coverage …``: import workforce figures, write a Parquet snapshot, show coverage rates
(computed in place on the registry database, or on a snapshot with DuckDB: the same Ibis expression)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from paritrana.cli.demo import setup_django
from paritrana.cli.output import ENGINE_HELP, MASTER_HELP, console, fail, start_engine

app = typer.Typer(help="Coverage toward universal coverage.", no_args_is_help=True, add_completion=False)


@app.command("import")
def import_figures(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: region_code (33, 33.74 or ID), employed[, year]")],
    year: Annotated[int, typer.Option(help="the year of the figures")],
    source: Annotated[str, typer.Option(help="the publication, table and date")],
    kind: Annotated[str, typer.Option(help="official, estimate or demo_estimate")] = "official",
) -> None:
    """Import workforce figures (employed persons by region); a file with any bad row stores nothing."""
    setup_django()
    from paritrana.core.errors import ValidationFailed
    from paritrana.coverage.services.workforce import import_workforce_file

    if not file.is_file():
        raise fail(f"file: {file} does not exist")
    try:
        upload = import_workforce_file(None, file.read_bytes(), file.name, year=year, source=source, kind=kind)
    except ValidationFailed as err:
        raise fail(f"{err.field}: {err.reason}") from None
    if upload.status != "stored":
        for error in upload.errors:
            console.print(f"row {error['row'] or '-'}, {error['field']}: {error['message']}", markup=False)
        raise fail(f"{len(upload.errors)} error(s): nothing stored", code=1)
    console.print(f"{upload.stored_count} figures stored for {year}, {upload.replaced_count} replaced (history kept)")


@app.command("snapshot")
def snapshot(folder: Annotated[Path, typer.Argument(help="where to write the Parquet files")]) -> None:
    """Write the tables coverage reads as Parquet files (for ``coverage show --snapshot``)."""
    setup_django()
    from paritrana.coverage.sources import write_snapshot

    counts = write_snapshot(folder)
    console.print(", ".join(f"{name} {n:,}" for name, n in counts.items()) + f" → {folder}", markup=False)


@app.command("show")
def show(
    month: Annotated[str | None, typer.Option(help="YYYY-MM; the latest billed month by default")] = None,
    level: Annotated[str, typer.Option(help="national, province or regency")] = "province",
    within: Annotated[str | None, typer.Option(help="a province code: only its regencies")] = None,
    view: Annotated[str, typer.Option(help="domicile or employer")] = "domicile",
    snapshot: Annotated[Path | None, typer.Option(help="compute on this snapshot (paritrana snapshot export)")] = None,
    engine: Annotated[str, typer.Option(help=ENGINE_HELP + "; spark needs --snapshot")] = "duckdb",
    spark_master: Annotated[str | None, typer.Option(help=MASTER_HELP)] = None,
) -> None:
    """Coverage rates by region for a month: active participants ÷ employed persons."""
    setup_django()
    from paritrana.contributions.periods import parse_month
    from paritrana.core.errors import ValidationFailed
    from paritrana.coverage import analytics
    from paritrana.coverage.services.targets import billed_months, denominator_years
    from paritrana.coverage.sources import registry_tables, snapshot_tables, to_arrow

    if level not in ("national", "province", "regency") or view not in analytics.VIEWS:
        raise fail("level is national, province or regency; view is domicile or employer")
    try:
        chosen = parse_month(month, "month") if month else None
    except ValidationFailed as err:
        raise fail(f"month: {err.reason}") from None
    months = billed_months()
    if chosen is None:
        if not months:
            raise fail("no month has been billed yet")
        chosen = months[-1]
    if engine == "spark" and snapshot is None:
        raise fail("engine: spark computes on a snapshot: give --snapshot DIR (paritrana snapshot export)")
    start_engine(engine, spark_master)
    if snapshot is not None:
        from paritrana.rules import engines

        tables = snapshot_tables(snapshot, engines.backend(engine))
    else:
        tables = registry_tables()
    expr = analytics.coverage_rates(tables, [chosen], denominator_years([chosen]), level, view=view, within=within)
    if snapshot is not None:
        rows = sorted(engines.to_arrow(expr).to_pylist(), key=lambda r: r["code"])
    else:
        rows = sorted(to_arrow(expr).to_pylist(), key=lambda r: r["code"])
    where = (
        f"{'Spark' if engine == 'spark' else 'DuckDB'} on {snapshot}"
        if snapshot is not None
        else "the registry database"
    )
    table = Table(title=f"coverage {chosen:%Y-%m}, by {view}, computed on {where}")
    for column in ("region", "active", "registered", "employed", "coverage"):
        table.add_column(column, justify="left" if column == "region" else "right")
    for r in rows:
        rate = "—" if r["rate"] is None or r["rate"] != r["rate"] else f"{r['rate'] * 100:.2f} %"
        employed = "—" if r["employed"] is None else f"{r['employed']:,}"
        table.add_row(r["code"], f"{r['active']:,}", f"{r['registered']:,}", employed, rate)
    console.print(table)
