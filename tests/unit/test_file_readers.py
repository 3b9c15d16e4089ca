"""Reading a rule's input file and writing its result: a bad value beyond the rows DuckDB samples refused naming
its row and field, a column that is not an input kept in its type, totals of no column, a failing write raised."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import duckdb
import pytest

from paritrana.rules import InvalidInput, get_rule, prepare
from paritrana.rules.duck import file_totals, run_statement
from paritrana.rules.engine import read_file, write_file
from paritrana.rules.fetch import rows_of

PU = "pu_contributions"
ON = dt.date(2025, 1, 1)
ROWS = 30_000  # more than DuckDB's CSV sniffer samples (20,480 rows) to guess a column's type
BAD_ROW = 25_001


def _wages_csv(path: Path, bad: str | None = None) -> Path:
    lines = ["worker_id,wage,risk_group"] + [f"{i},5000000,1" for i in range(1, ROWS + 1)]
    if bad is not None:
        lines[BAD_ROW] = f"{BAD_ROW},{bad},1"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_bad_value_beyond_the_sampled_rows_is_refused_naming_its_row_and_field(tmp_path: Path) -> None:
    rule = get_rule(PU)
    source = _wages_csv(tmp_path / "wages.csv", bad="5.000.000")  # a thousands separator: not a whole number
    with pytest.raises(InvalidInput) as caught:
        prepare(rule, read_file(source, rule), on=ON)
    assert (caught.value.field, caught.value.row) == ("wage", BAD_ROW)
    assert f"row {BAD_ROW}" in str(caught.value)


def test_a_column_that_is_not_an_input_keeps_the_type_read(tmp_path: Path) -> None:
    rule = get_rule(PU)
    table = read_file(_wages_csv(tmp_path / "wages.csv"), rule)
    assert table.schema()["worker_id"].is_integer()  # not read as text: it is no input of the rule
    assert table.schema()["wage"].is_string()  # an input: read as text, converted by the checks
    first = rows_of(prepare(rule, table, on=ON).table.limit(2))
    assert [(r["worker_id"], r["wage"], r["jkk"]) for r in first] == [(1, 5_000_000, 12_000), (2, 5_000_000, 12_000)]


def test_the_totals_of_no_column_are_none_and_of_a_file_its_sums(tmp_path: Path) -> None:
    source = _wages_csv(tmp_path / "wages.csv")
    assert file_totals(source, []) == {}
    assert file_totals(source, ["wage"]) == {"wage": 5_000_000 * ROWS}


def test_a_failing_statement_with_progress_raises_its_error(tmp_path: Path) -> None:
    seen: list[float] = []
    statement = f"COPY (SELECT * FROM no_such_table) TO '{tmp_path / 'out.csv'}' (FORMAT csv)"
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        run_statement(statement, seen.append, interval=0.01)
    assert 1.0 not in seen  # never said done
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("name", ["wages", "wages.avro", "wages.arrow", "wages.bin", "wages.txt", "wages.json"])
def test_an_input_file_that_is_not_csv_or_parquet_is_refused_by_its_suffix_whatever_it_holds(
    tmp_path: Path, name: str
) -> None:
    """The suffix decides the reader: a file named otherwise is refused naming the file, even when it holds CSV text
    (no suffix and ``.avro``, ``.arrow``, ``.bin`` sort before ``.csv``; ``.txt`` and ``.json`` after it)."""
    source = tmp_path / name
    source.write_text("wage,risk_group\n5000000,1\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_file(source, get_rule(PU))
    assert caught.value.field == "file"
    assert f"{name}: expected a .csv or .parquet file" in str(caught.value)


def test_a_missing_input_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_file(tmp_path / "absent.csv")
    assert caught.value.field == "file" and "absent.csv does not exist" in str(caught.value)


@pytest.mark.parametrize("name", ["wages.CSV", "wages.Csv"])
def test_the_csv_suffix_is_read_whatever_its_case(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_text("wage,risk_group\n5000000,1\n", encoding="utf-8")
    assert rows_of(read_file(source)) == [{"wage": 5_000_000, "risk_group": 1}]


def test_a_write_asks_its_progress_at_most_every_fifth_of_a_second_by_default(tmp_path: Path) -> None:
    """Between two reports the writing thread is waited on for 0.2 s (unless it ended): never a busy loop. An upper
    bound on the count against the time measured holds however loaded the machine is."""
    rule = get_rule(PU)
    run = prepare(rule, read_file(_wages_csv(tmp_path / "wages.csv"), rule), on=ON)
    seen: list[float] = []
    started = time.monotonic()
    write_file(run, tmp_path / "out.parquet", seen.append)
    elapsed = time.monotonic() - started
    assert seen[-1] == 1.0
    assert len(seen) <= elapsed / 0.2 + 2  # a report per full wait, the last wait cut short, and the end
