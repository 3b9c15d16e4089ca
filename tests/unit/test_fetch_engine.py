"""Which engine a small result is asked of (``rules.fetch``): tables named on the engine's DuckDB connection without
a backend (as a billing run builds them) are DuckDB's and run there; a table of another backend is foreign."""

from __future__ import annotations

from collections.abc import Iterator

import ibis
import pyarrow as pa
import pytest
from ibis.backends.sqlite import Backend as SQLiteBackend

from paritrana.rules.duck import connection
from paritrana.rules.fetch import is_foreign, rows_of


@pytest.fixture
def named() -> Iterator[ibis.Table]:
    """An Arrow table registered by name on this thread's connection, seen through an unbound Ibis table."""
    con = connection().con
    con.register("fetch_named_wages", pa.table({"worker_id": [7, 8], "wage": [5_000_000, 4_750_000]}))
    try:
        yield ibis.table(ibis.schema({"worker_id": "int64", "wage": "int64"}), name="fetch_named_wages")
    finally:
        con.unregister("fetch_named_wages")


def test_tables_named_without_a_backend_are_duckdbs_and_run_on_its_connection(named: ibis.Table) -> None:
    # Ibis cannot say which backend an unbound table belongs to (it raises): such a table is the engine's own
    assert is_foreign(named) is False
    total = named.aggregate(wages=named.wage.sum(), workers=named.count())
    assert rows_of(total) == [{"wages": 9_750_000, "workers": 2}]


def test_in_memory_tables_are_duckdbs() -> None:
    table = ibis.memtable({"worker_id": [1], "wage": [3_000_000]})
    assert is_foreign(table) is False
    assert rows_of(table) == [{"worker_id": 1, "wage": 3_000_000}]


def test_a_table_of_another_backend_is_foreign() -> None:
    other = SQLiteBackend().connect(":memory:")
    table = other.create_table("wages", schema=ibis.schema({"wage": "int64"}))
    assert table.get_backend().name == "sqlite"
    assert is_foreign(table) is True
