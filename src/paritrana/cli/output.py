"""What the batch commands share: the consoles, the error exit, and the progress bar of a staged job."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on standard error; the exit to raise (code 2: the input is wrong)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code)


def stage_progress(labels: Mapping[str, str], quiet: bool) -> tuple[Progress, Callable[[str, int, int], None]]:
    """A progress bar on standard error with a line per stage, and the ``progress(stage, done, total)``
    callback the batch use cases call (a stage with no total shows as done)."""
    bar = Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=False,
    )
    tasks: dict[str, TaskID] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(labels.get(stage, stage), total=max(total, 1))
        bar.update(tasks[stage], completed=done if total else 1, total=max(total, 1))

    return bar, progress


ENGINE_HELP = "duckdb (embedded, the default) or spark (PySpark; local[*] unless --spark-master or SPARK_MASTER)"
MASTER_HELP = "the Spark master URL (e.g. spark://host:7077); the usual SPARK_* settings apply"


def start_engine(engine: str, spark_master: str | None) -> str:
    """Check the engine's name and, for Spark, start the session now (so its start is not counted in a stage)."""
    from paritrana.rules import engines

    try:
        engines.check_engine(engine)
        if engine == "spark":
            engines.backend("spark", spark_master=spark_master)
    except engines.EngineError as err:
        raise fail(str(err)) from None
    return engine
