"""File plans shipped in the package (decision 0035): current, the same file as the general way, refused layouts."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from paritrana.rules import all_rules, get_rule
from paritrana.rules.base import Rule
from paritrana.rules.cases import load_cases
from paritrana.rules.engine import prepare, read_file, write_file
from paritrana.rules.file_shipped import COMPILED_DIR, compile_rule, shipped_plan, source_digest
from paritrana.rules.file_stored import stored_job
from paritrana.rules.values import coerced

CASES_DIR = Path(__file__).parent.parent / "rules"
ARROW = {"int64": pa.int64(), "bool": pa.bool_(), "date": pa.date32(), "string": pa.string()}
SHIPPED = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(COMPILED_DIR.glob("*.json"))}
LEGAL = {}
for _case in load_cases([CASES_DIR]):
    if _case.error is None and _case.expected and "date" not in _case.inputs and SHIPPED[_case.rule]["plans"]:
        LEGAL.setdefault(_case.rule, _case)


def test_every_rule_has_its_file_and_each_is_current() -> None:
    assert set(SHIPPED) == {r.name for r in all_rules()}
    digest = source_digest()
    for name, content in SHIPPED.items():
        assert content["source"] == digest, f"{name}: run ./dev plans (a rule or a parameter changed)"
        assert content["duckdb"] == duckdb.__version__, f"{name}: run ./dev plans (another DuckDB)"
    assert compile_rule(get_rule("jkk_death_benefit")) == SHIPPED["jkk_death_benefit"]


def test_the_money_rules_ship_plans_and_a_rule_that_writes_its_date_ships_none() -> None:
    assert {"pu_contributions", "construction_contributions", "migrant_contributions"} <= {
        n for n, c in SHIPPED.items() if c["plans"]
    }
    assert SHIPPED["jp_pension_age"]["plans"] == []  # the pension age is counted from the date itself
    assert SHIPPED["jht_yearly_return"]["plans"] == []  # the declared rate is the one of the date's year
    pu = SHIPPED["pu_contributions"]["plans"]
    assert pu[0]["from"] == "2015-07-01"  # no plan before the law: the general way refuses that date
    assert all(a["until"] == b["from"] for a, b in itertools.pairwise(pu))


def _file(path: Path, rule: Rule, inputs: dict[str, Any], count: int) -> Path:
    columns, _ = coerced(rule, [inputs])
    fields = rule.inputs[:count]
    pq.write_table(pa.table({f.name: pa.array(columns[f.name] * 3, ARROW[f.dtype]) for f in fields}), path)
    return path


@pytest.mark.parametrize("rule_name", sorted(LEGAL))
def test_a_shipped_plan_writes_what_the_general_way_writes(rule_name: str, tmp_path: Path) -> None:
    case, rule = LEGAL[rule_name], get_rule(rule_name)
    given = max(i + 1 for i, f in enumerate(rule.inputs) if f.name in case.inputs)
    for count in sorted({given, len(rule.inputs)}):  # every input, and the first ones up to the last given
        source = _file(tmp_path / f"in{count}.parquet", rule, case.inputs, count)
        job = stored_job(tmp_path / "no-plans", rule_name, case.date, source)
        assert job is not None, f"{rule_name}: no shipped plan for {case.date}"
        assert job.rows == 3 and not (tmp_path / "no-plans").exists()
        shipped, general = tmp_path / f"shipped{count}.parquet", tmp_path / f"general{count}.parquet"
        job.write(shipped)
        write_file(prepare(rule, read_file(source), on=case.date), general)
        ours, theirs = pq.read_table(shipped), pq.read_table(general)
        if count == len(rule.inputs):
            assert ours.equals(theirs), f"{rule_name}: every input"
        else:  # the same columns, types and values; DuckDB may mark a column not null on one side only
            assert [(f.name, f.type) for f in ours.schema] == [(f.name, f.type) for f in theirs.schema], rule_name
            assert ours.to_pylist() == theirs.to_pylist(), f"{rule_name}, {count} inputs"
    written = pq.read_table(shipped)
    for name, want in case.expected.items():
        if name in written.column_names:
            got = written.column(name).to_pylist()
            assert got == [want] * 3 or got == [_plain(want)] * 3, f"{case.id}: {name}"


def _plain(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value


PU = [("wage", "BIGINT"), ("risk_group", "BIGINT")]


@pytest.mark.parametrize(
    "columns",
    [
        [("risk_group", "BIGINT"), ("wage", "BIGINT")],  # another order
        [("wage", "INTEGER"), ("risk_group", "BIGINT")],  # another type
        [*PU, ("worker_id", "BIGINT")],  # a column that is not an input
        [("wage", "BIGINT")],  # a required input missing
        [*PU, ("in_jkp", "BOOLEAN")],  # an optional input left out before another
    ],
)
def test_another_layout_has_no_shipped_plan(columns: list[tuple[str, str]]) -> None:
    assert shipped_plan("pu_contributions", dt.date(2025, 3, 1), PU) is not None
    assert shipped_plan("pu_contributions", dt.date(2025, 3, 1), columns) is None


def test_a_stale_plan_or_a_date_before_the_law_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    assert shipped_plan("pu_contributions", dt.date(2010, 1, 1), PU) is None
    monkeypatch.setattr("paritrana.rules.file_shipped.source_digest", lambda: "another")
    assert shipped_plan("pu_contributions", dt.date(2025, 3, 1), PU) is None


def test_a_bad_row_under_a_shipped_plan_goes_the_general_way(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"wage": [5_000_000, 5_000_000], "risk_group": [1, 9]}), source)
    assert stored_job(tmp_path / "no-plans", "pu_contributions", dt.date(2025, 3, 1), source) is None
