"""What the engine does for speed keeps its results: outputs computed in stages, the compiled
one-record plans, in-memory tables registered for one query only, the out-of-core settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paritrana.rules import InvalidInput, compute_one, compute_records, get_rule, prepare
from paritrana.rules.base import Context
from paritrana.rules.duck import (
    configure,
    connection,
    copy_statement,
    current_setting,
    inline_shared,
    parquet_options,
    registered,
    reset,
    run_statement,
    sql,
)
from paritrana.rules.fetch import rows_of as _rows
from paritrana.rules.inputs import records_table, typed
from paritrana.rules.one_record import _one_plan
from paritrana.rules.parameters import load_parameters

PU = "pu_contributions"
PU_RECORD = st.fixed_dictionaries(
    {
        "wage": st.integers(min_value=0, max_value=60_000_000),
        "risk_group": st.integers(min_value=1, max_value=5),
        "in_jp": st.booleans(),
        "in_jkp": st.booleans(),
        "employer_in_arrears": st.booleans(),
        "labour_intensive_relief": st.booleans(),
    }
)
LAW_DATES = st.dates(min_value=dt.date(2015, 7, 1), max_value=dt.date(2026, 12, 31))


def _one_projection(rule_name: str, records: list[dict[str, Any]], on: dt.date) -> list[dict[str, Any]]:
    """The rule's outputs as ONE projection of the formula's expressions (the engine before stages)."""
    rule = get_rule(rule_name)
    table = records_table(rule, records)
    outputs = rule.formula(Context(load_parameters(), on), table)
    return _rows(table.mutate(**{f.name: typed(outputs[f.name], f.dtype) for f in rule.outputs}))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(PU_RECORD, min_size=1, max_size=6), on=LAW_DATES)
def test_outputs_in_stages_equal_one_projection(records: list[dict[str, Any]], on: dt.date) -> None:
    rule = get_rule(PU)
    staged = _rows(prepare(rule, records_table(rule, records), on=on).table)
    assert staged == _one_projection(PU, records, on)


def test_the_staged_sql_computes_a_total_from_its_parts_columns() -> None:
    plan = _one_plan(get_rule(PU), dt.date(2024, 6, 1), load_parameters())
    # ``total`` is employer_total + worker_total, read from their columns, not recomputed from the wage
    assert '"employer_total" + ' in plan.result_sql
    assert len(plan.result_sql) < 6_000


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=PU_RECORD, on=LAW_DATES)
def test_compute_one_equals_the_general_way(record: dict[str, Any], on: dt.date) -> None:
    general = compute_records(PU, [{**record, "date": on}])[0]
    one = compute_one(PU, on, record)
    assert {**one.outputs, **one.explanation.intermediate} == {f.name: general[f.name] for f in get_rule(PU).outputs}


def test_compute_one_refuses_a_bad_record_after_its_plan_is_compiled() -> None:
    good = compute_one(PU, "2024-06-01", {"wage": 5_000_000, "risk_group": 1})
    assert good.outputs["jkk"] == 12_000
    with pytest.raises(InvalidInput) as err:
        compute_one(PU, "2024-06-01", {"wage": 5_000_000, "risk_group": 9})
    assert err.value.field == "risk_group"
    assert "is not one of 1, 2, 3, 4, 5 (got 9)" in str(err.value)
    with pytest.raises(InvalidInput) as err:
        compute_one(PU, "2024-06-01", {"wage": -1, "risk_group": 1})
    assert err.value.field == "wage"
    # the same plan still answers afterwards, with the record's own values
    assert compute_one(PU, "2024-06-01", {"wage": 6_000_000, "risk_group": 1}).outputs["jht_worker"] == 120_000


def test_one_plan_per_rule_and_date() -> None:
    params = load_parameters()
    rule = get_rule(PU)
    assert _one_plan(rule, dt.date(2024, 6, 1), params) is _one_plan(rule, dt.date(2024, 6, 1), params)
    assert _one_plan(rule, dt.date(2024, 6, 2), params) is not _one_plan(rule, dt.date(2024, 6, 1), params)


def _registered_views() -> set[str]:
    rows = connection().con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    return {r[0] for r in rows}


def test_in_memory_tables_are_registered_for_one_query_only() -> None:
    before = _registered_views()
    rows = compute_records(PU, [{"wage": 5_000_000, "risk_group": 1}] * 3, on="2024-06-01")
    compute_one(PU, "2024-06-01", {"wage": 5_000_000, "risk_group": 2})
    assert [r["jkk"] for r in rows] == [12_000] * 3
    assert _registered_views() == before


def test_configure_sets_the_out_of_core_settings(tmp_path: Path) -> None:
    spill = tmp_path / "spill"
    before = current_setting("memory_limit")
    try:
        configure(memory_limit="600MB", temp_directory=spill)
        assert current_setting("memory_limit") in {"600.0 MB", "572.2 MiB"}
        assert Path(current_setting("temp_directory")) == spill
        assert spill.is_dir()
    finally:
        reset()
    assert current_setting("memory_limit") == before


def test_configure_refuses_a_bad_memory_limit_naming_it() -> None:
    before = current_setting("memory_limit")
    with pytest.raises(InvalidInput) as err:
        configure(memory_limit="a lot")
    assert err.value.field == "memory_limit"
    assert current_setting("memory_limit") == before


def test_an_unordered_statement_puts_the_order_setting_back(tmp_path: Path) -> None:
    out = tmp_path / "x.parquet"
    run_statement(f"COPY (SELECT range AS i FROM range(1000)) TO '{out}' (FORMAT parquet)", ordered=False)
    assert connection().con.execute(f"SELECT count(*), sum(i) FROM '{out}'").fetchall()[0] == (1000, 499500)
    assert current_setting("preserve_insertion_order").lower() == "true"


def test_the_environment_sets_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    before = current_setting("memory_limit")
    monkeypatch.setenv("PARITRANA_DUCKDB_MEMORY_LIMIT", "700MB")
    reset()  # connections take the settings again on their next use
    try:
        assert current_setting("memory_limit") in {"700.0 MB", "667.5 MiB"}
    finally:
        monkeypatch.delenv("PARITRANA_DUCKDB_MEMORY_LIMIT")
        reset()
    assert current_setting("memory_limit") == before


def test_a_written_result_streams_its_shared_subquery_instead_of_storing_it(tmp_path: Path) -> None:
    """A table read by several parts of a written result (each programme's lines of a billing month) is
    inlined in the COPY, not stored whole first: DuckDB's plan has no CTE, and the file is the same."""
    import ibis

    rule = get_rule(PU)
    records = [{"wage": 2_000_000 + 250_000 * i, "risk_group": 1 + i % 5, "in_jp": i % 2 == 0} for i in range(40)]
    source = tmp_path / "wages.parquet"  # a national job reads a file (a snapshot)
    given = records_table(rule, records)
    with registered(given) as con:
        con.con.execute(f"COPY ({sql(given)}) TO '{source}' (FORMAT parquet)").fetchall()
    c = prepare(rule, connection().read_parquet(str(source)), on=dt.date(2025, 3, 1)).table
    parts = [c.select("wage", programme=ibis.literal(name), amount=c[name]) for name in ("jkk", "jkm", "jp_worker")]
    lines = ibis.union(*parts)
    plain = sql(lines)
    assert 'WITH "t' in plain  # Ibis shares the outputs' table as a WITH clause
    out = tmp_path / "lines.parquet"
    with registered(lines) as con:
        stored = con.con.execute(f"EXPLAIN {plain}").fetchall()[0][1]
        assert "CTE" in stored  # which DuckDB stores whole before reading it
        streamed = con.con.execute(f"EXPLAIN {inline_shared(plain)}").fetchall()[0][1]
        assert "CTE" not in streamed
        statement = copy_statement(lines, out, parquet_options())
        assert "NOT MATERIALIZED" in statement
        run_statement(statement, ordered=False)
    got = (
        connection()
        .con.execute(f"SELECT programme, count(*), sum(amount) FROM '{out}' GROUP BY 1 ORDER BY 1")
        .fetchall()
    )
    want = {
        name: (len(records), sum(int(r[name]) for r in compute_records(PU, records, on="2025-03-01")))
        for name in ("jkk", "jkm", "jp_worker")
    }
    assert {p: (n, int(s)) for p, n, s in got} == want


def test_integer_division_is_the_engine_s_own_on_every_thread() -> None:
    """The rules divide with ``div``, a macro every engine connection defines (exact beyond 2^53, where a
    double is not), on a new thread's connection too."""
    import threading

    from paritrana.rules.money import integer, round_half_up_div

    numerator = 2**62 + 12_345_679  # not exact as a double
    found: list[int] = []

    def on_a_thread() -> None:
        found.append(int(connection().execute(round_half_up_div(integer(numerator), 10))))

    worker = threading.Thread(target=on_a_thread)
    worker.start()
    worker.join()
    assert found == [(numerator + 5) // 10]
    assert "div(" in sql(round_half_up_div(integer(numerator), 10).name("x").as_table()).lower()


def test_prepared_one_record_plans_are_released_when_the_cache_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each plan's statements are prepared once on the thread's connection; beyond the cache's bound of plans
    they are released there, so a long-running server does not keep every date's statements."""
    from paritrana.rules import one_record

    monkeypatch.setattr(one_record, "_PLANS_KEPT", 2)
    record = {"wage": 4_000_000, "risk_group": 3}
    early: set[str] = set()
    for day in range(1, 7):
        on = dt.date(2023, 2, day)  # dates no other test computes: each a new plan
        got = compute_one(PU, on, record)
        want = compute_records(PU, [{**record, "date": on}])[0]
        assert got.outputs == {f.name: want[f.name] for f in get_rule(PU).outputs if not f.explain_only}
        # from the third plan on the thread has released its statements at least once (those prepared before
        # this test too)
        assert day < 3 or len(one_record._sources.prepared) <= 2
        if day == 1:
            early = set(one_record._sources.prepared)
    released = early - set(one_record._sources.prepared)
    assert released
    for name in released:  # an early plan's statements are gone from the connection
        with pytest.raises(Exception, match=r"(?i)prepared statement"):
            connection().con.execute(f"EXECUTE {name}_result").fetchall()
