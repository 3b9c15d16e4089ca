"""A file's plan stored by its first run (decision 0030), used in the same process: the stored plan checks and
writes the file as the compiled one did; a file with a refused row, another date or another layout is not
taken by it (the general way then names the row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from paritrana.rules import InvalidInput, get_rule
from paritrana.rules.file_stored import compiled_job, stored_job

PU = "pu_contributions"
ON = dt.date(2024, 5, 1)
WAGES = [5_000_000, 5_000_000, 12_000_000]
RISKS = [1, 2, 5]
JKK = [12_000, 27_000, 208_800]  # 0.24 %, 0.54 %, 1.74 % of the wage (PP 44/2015 art 16(1)(a), (b), (e))


def _wages(path: Path, risks: list[int], in_jp: bool | None = None) -> Path:
    """A worker number besides the rule's inputs: a layout no plan is shipped for."""
    columns = {
        "worker_id": pa.array(range(1, len(risks) + 1), pa.int64()),
        "wage": pa.array(WAGES[: len(risks)], pa.int64()),
        "risk_group": pa.array(risks, pa.int64()),
    }
    if in_jp is not None:
        columns["in_jp"] = pa.array([in_jp] * len(risks))
    pq.write_table(pa.table(columns), path)
    return path


def test_the_stored_plan_checks_and_writes_the_file_as_the_compiled_one(tmp_path: Path) -> None:
    folder, source = tmp_path / "plans", _wages(tmp_path / "in.parquet", RISKS)
    assert stored_job(folder, PU, ON, source) is None  # nothing stored yet
    compiled = compiled_job(folder, get_rule(PU), ON, source)
    compiled.write(tmp_path / "compiled.parquet")
    job = stored_job(folder, PU, ON, source)
    assert job is not None
    assert (job.rows, job.rule.name) == (3, PU)
    job.write(tmp_path / "stored.parquet")
    stored = pq.read_table(tmp_path / "stored.parquet")
    assert stored.equals(pq.read_table(tmp_path / "compiled.parquet"))
    assert stored.column("jkk").to_pylist() == JKK
    assert stored.column("worker_id").to_pylist() == [1, 2, 3]
    job.write(tmp_path / "stored.csv")
    lines = (tmp_path / "stored.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and lines[0].startswith("worker_id,wage,risk_group")


def test_a_refused_row_another_date_or_another_layout_is_not_taken_by_the_stored_plan(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    compiled_job(folder, get_rule(PU), ON, _wages(tmp_path / "in.parquet", RISKS))
    bad = _wages(tmp_path / "bad.parquet", [1, 2, 9])  # the same layout; risk group 9 does not exist
    assert stored_job(folder, PU, ON, bad) is None
    with pytest.raises(InvalidInput) as caught:
        compiled_job(folder, get_rule(PU), ON, bad)
    assert (caught.value.field, caught.value.row) == ("risk_group", 3)
    same = _wages(tmp_path / "same.parquet", RISKS)
    assert stored_job(folder, PU, ON + dt.timedelta(days=1), same) is None  # another date: not stored
    assert stored_job(folder, PU, ON, _wages(tmp_path / "wider.parquet", RISKS, in_jp=False)) is None
    assert stored_job(folder, PU, ON, same) is not None


@pytest.mark.parametrize(
    "checks",
    ["SELECT FROM nowhere", "SELECT 1 AS _v_wage WHERE false", "SELECT 3 AS rows_without_the_count"],
    ids=["not SQL", "no row", "no row count"],
)
def test_a_damaged_stored_plan_is_not_used_and_the_file_is_compiled_again(tmp_path: Path, checks: str) -> None:
    import json

    folder, source = tmp_path / "plans", _wages(tmp_path / "in.parquet", RISKS)
    compiled_job(folder, get_rule(PU), ON, source)
    (stored,) = folder.glob("*.json")
    plan = json.loads(stored.read_text(encoding="utf-8"))
    stored.write_text(json.dumps({**plan, "checks": checks}), encoding="utf-8")
    assert stored_job(folder, PU, ON, source) is None  # the general way then compiles it
    again = compiled_job(folder, get_rule(PU), ON, source)
    again.write(tmp_path / "out.parquet")
    assert pq.read_table(tmp_path / "out.parquet").column("jkk").to_pylist() == JKK
