"""The engine's DuckDB connection: settings reach every thread's connection, the spill folder is made (and only
it), a written statement keeps the order unless told not to and can be interrupted, progress stays a fraction,
the output format follows the suffix, Arrow results are given the declared types."""

from __future__ import annotations

import queue
import threading
from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from paritrana.rules import InvalidInput, duck
from paritrana.rules.duck import configure, copy_options, current_setting, reset, run_statement, typed_arrow


def _on_a_new_thread(name: str) -> str:
    found: list[str] = []
    worker = threading.Thread(target=lambda: found.append(current_setting(name)))
    worker.start()
    worker.join()
    return found[0]


@pytest.mark.parametrize("calls_before", [0, 1, 2])
def test_a_new_threads_connection_takes_the_environments_settings(
    monkeypatch: pytest.MonkeyPatch, calls_before: int
) -> None:
    """Whatever number of configure/reset calls came before (the settings' version), a connection opened later
    applies the settings."""
    monkeypatch.setattr(duck, "_version", [calls_before])
    monkeypatch.setenv("PARITRANA_DUCKDB_MEMORY_LIMIT", "700MB")
    assert _on_a_new_thread("memory_limit") in {"700.0 MB", "667.5 MiB"}


def test_a_new_threads_connection_takes_the_environments_settings_with_no_configure_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The settings' version as the process has it (a process that never called configure or reset: its first
    connection must still apply the environment's settings)."""
    monkeypatch.setenv("PARITRANA_DUCKDB_MEMORY_LIMIT", "700MB")
    assert _on_a_new_thread("memory_limit") in {"700.0 MB", "667.5 MiB"}


def test_configure_reaches_a_connection_already_open_on_another_thread(tmp_path: Path) -> None:
    asked, answered = threading.Event(), threading.Event()
    seen: list[str] = []

    def worker() -> None:
        seen.append(current_setting("memory_limit"))  # its connection opened before configure
        asked.wait(30)
        seen.append(current_setting("memory_limit"))
        answered.set()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        while not seen:
            thread.join(0.01)
        configure(memory_limit="600MB")
        asked.set()
        answered.wait(30)
    finally:
        reset()
        asked.set()
        thread.join()
    assert seen[1] in {"600.0 MB", "572.2 MiB"} and seen[0] != seen[1]


def test_each_configure_and_reset_reaches_a_connection_already_open_on_another_thread() -> None:
    """Not only the first change: a second configure, then a reset, each reach the open connection (the settings'
    version moves on every call, whatever it was)."""
    asked: queue.Queue[str | None] = queue.Queue()
    answers: queue.Queue[str] = queue.Queue()

    def worker() -> None:
        while (name := asked.get()) is not None:
            answers.put(current_setting(name))

    def on_the_open_connection() -> str:
        asked.put("memory_limit")
        return answers.get(timeout=30)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        before = on_the_open_connection()  # its connection opened before any change
        configure(memory_limit="600MB")
        first = on_the_open_connection()
        configure(memory_limit="700MB")
        second = on_the_open_connection()
        reset()
        after = on_the_open_connection()
    finally:
        reset()
        asked.put(None)
        thread.join()
    assert first in {"600.0 MB", "572.2 MiB"}
    assert second in {"700.0 MB", "667.5 MiB"}
    assert after == before


def test_configure_makes_the_spill_folder_and_no_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spill = tmp_path / "spill" / "duckdb"  # a folder inside one that does not exist yet
    try:
        configure(memory_limit="600MB", temp_directory=spill, threads=1)
        configure(temp_directory=spill)  # again: the folder is there already
        assert spill.is_dir()
    finally:
        reset()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spill"]  # no folder named after another setting


def test_a_statement_keeps_the_order_of_its_rows_unless_told_not_to(tmp_path: Path) -> None:
    def written(ordered: bool | None) -> str:
        out = tmp_path / f"{ordered}.csv"
        statement = f"COPY (SELECT current_setting('preserve_insertion_order') AS kept) TO '{out}' (FORMAT csv)"
        if ordered is None:
            run_statement(statement)
        else:
            run_statement(statement, ordered=ordered)
        return out.read_text(encoding="utf-8").split()[1].lower()

    assert (written(None), written(True), written(False)) == ("true", "true", "false")
    assert current_setting("preserve_insertion_order").lower() == "true"


def test_an_interruption_while_writing_stops_the_query(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    statement = f"COPY (SELECT sum(range) AS s FROM range(20000000000)) TO '{out}' (FORMAT csv)"
    seen: list[float] = []

    def interrupted(fraction: float) -> None:
        seen.append(fraction)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_statement(statement, interrupted, interval=0.01)
    assert len(seen) == 1
    assert not [t for t in threading.enumerate() if t.name == "paritrana-write"]  # the query stopped, its thread done
    assert not out.exists()


def test_progress_is_reported_as_a_fraction_from_0_to_1(tmp_path: Path) -> None:
    seen: list[float] = []
    out = tmp_path / "out.parquet"
    run_statement(f"COPY (SELECT range AS i FROM range(30000000)) TO '{out}' (FORMAT parquet)", seen.append, 0.01)
    assert seen[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen)
    # 30 million rows take far longer than 0.01 s: the fractions in between are reported, not only the end
    assert any(0.0 < f < 1.0 for f in seen)


@pytest.mark.parametrize("suffix", [".avro", ".xlsx", ".json", ""])
def test_an_output_suffix_that_is_not_parquet_or_csv_is_refused(suffix: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        copy_options(Path(f"out{suffix}"))
    assert caught.value.field == "out"


def test_csv_and_parquet_outputs_by_suffix() -> None:
    assert copy_options(Path("out.CSV")) == "FORMAT csv, HEADER true"
    for name in ("out.parquet", "out.pq"):
        assert copy_options(Path(name)).startswith("FORMAT parquet, ROW_GROUP_SIZE 122880")


def test_an_arrow_result_gets_the_declared_types_and_stays_nullable() -> None:
    schema = ibis.schema({"total": "int64", "name": "string"})
    summed = pa.table({"total": pa.array([Decimal(3), Decimal(4)], pa.decimal128(38, 0)), "name": pa.array(["a", "b"])})
    typed = typed_arrow(summed, schema)
    assert typed.schema.field("total").type == pa.int64()
    assert typed.column("total").to_pylist() == [3, 4]
    already = pa.table({"total": pa.array([1], pa.int64()), "name": pa.array(["a"])})
    assert typed_arrow(already, schema) is already  # in the declared types: given back as it is
    strict = pa.Table.from_arrays(
        [pa.array([1], pa.int64()), pa.array(["a"])],
        schema=pa.schema([pa.field("total", pa.int64(), nullable=False), pa.field("name", pa.string())]),
    )
    assert all(f.nullable for f in typed_arrow(strict, schema).schema)
