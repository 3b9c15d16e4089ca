"""``paritrana snapshot export [--out DIR]``: the registry's national tables as Parquet, by province."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from paritrana.cli.demo import setup_django
from paritrana.cli.output import console, fail, stage_progress

app = typer.Typer(help="National snapshots (Parquet) for the batch jobs.", no_args_is_help=True, add_completion=False)


@app.command("export")
def export(
    out: Annotated[Path | None, typer.Option("--out", help="a new folder (default: snapshot-<date and time>)")] = None,
    month: Annotated[
        str | None, typer.Option(help="YYYY-MM: the month whose wage reports are exported (default: the latest)")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Write workers, memberships, employers, payers, a month's wages, bills, lines, payments, JHT entries,
    regions and workforce figures as Parquet partitioned by province, and the JP pensions paid (for the
    projection), with manifest.json (rows, SHA-256 of each file, the export time). Streams: memory stays bounded
    whatever the registry's size."""
    setup_django()
    from paritrana.contributions.periods import parse_month
    from paritrana.core.errors import ValidationFailed
    from paritrana.coverage.snapshot import export_snapshot
    from paritrana.projection.services import PENSION_TABLE

    try:
        chosen = parse_month(month, "month") if month else None
    except ValidationFailed as err:
        raise fail(f"month: {err.reason}") from None
    folder = out or Path(f"snapshot-{dt.datetime.now():%Y%m%d-%H%M%S}")
    bar, progress = stage_progress({}, quiet)
    try:
        with bar:
            manifest = export_snapshot(folder, month=chosen, progress=progress, produced=[PENSION_TABLE])
    except FileExistsError as err:
        raise fail(f"out: {err}") from None
    rows = sum(int(t["rows"]) for t in manifest["tables"].values())
    files = sum(len(t["files"]) for t in manifest["tables"].values())
    console.print(
        f"snapshot of the {manifest['database']} registry → {folder}: {rows:,} rows in {files:,} files, "
        f"{len(manifest['tables'])} tables, wages of {manifest['wage_month'] or '(none)'}, "
        f"in {manifest['seconds']:.1f} s (manifest.json)",
        highlight=False,
        soft_wrap=True,
    )
