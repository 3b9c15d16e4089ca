"""A stored file plan is keyed by the file's layout, its columns' names and their types (decision 0030): a file
whose columns are named or typed otherwise is not taken by the plan stored for another layout (its SQL names
the columns it was compiled over); the general way then compiles its own plan, which writes the file's columns
as they are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from paritrana.rules import get_rule
from paritrana.rules.file_stored import compiled_job, stored_job

PU = "pu_contributions"
ON = dt.date(2024, 5, 1)
JKK = [12_000, 27_000, 208_800]  # 0.24 %, 0.54 %, 1.74 % of the wage (PP 44/2015 art 16(1)(a), (b), (e))


def _wages(path: Path, worker: str = "worker_id", wage_type: pa.DataType | None = None) -> Path:
    """Three workers' wages and risk groups, with a worker number named ``worker``; the wage of ``wage_type``."""
    columns = {
        worker: pa.array([1, 2, 3], pa.int64()),
        "wage": pa.array([5_000_000, 5_000_000, 12_000_000], wage_type or pa.int64()),
        "risk_group": pa.array([1, 2, 5], pa.int64()),
    }
    pq.write_table(pa.table(columns), path)
    return path


def _stored(tmp_path: Path) -> Path:
    """A plan stored for the layout ``worker_id BIGINT, wage BIGINT, risk_group BIGINT``; its folder."""
    folder = tmp_path / "plans"
    compiled_job(folder, get_rule(PU), ON, _wages(tmp_path / "first.parquet"))
    assert stored_job(folder, PU, ON, _wages(tmp_path / "again.parquet")) is not None  # the same layout: taken
    return folder


def test_a_file_whose_column_is_named_otherwise_is_not_taken_by_the_stored_plan(tmp_path: Path) -> None:
    folder = _stored(tmp_path)
    renamed = _wages(tmp_path / "renamed.parquet", worker="employee_id")  # the same types, another name
    assert stored_job(folder, PU, ON, renamed) is None  # the stored SQL selects worker_id, which it lacks
    job = compiled_job(folder, get_rule(PU), ON, renamed)
    job.write(tmp_path / "out.parquet")
    written = pq.read_table(tmp_path / "out.parquet")
    assert written.column_names[0] == "employee_id" and written.column("employee_id").to_pylist() == [1, 2, 3]
    assert written.column("jkk").to_pylist() == JKK
    assert len(list(folder.glob("*.json"))) == 2  # a plan of its own, beside the first
    assert stored_job(folder, PU, ON, renamed) is not None  # and taken next time


def test_a_file_whose_column_has_another_type_is_not_taken_by_the_stored_plan(tmp_path: Path) -> None:
    folder = _stored(tmp_path)
    narrower = _wages(tmp_path / "int32.parquet", wage_type=pa.int32())  # the same names, the wage a 32-bit integer
    assert stored_job(folder, PU, ON, narrower) is None
    job = compiled_job(folder, get_rule(PU), ON, narrower)
    job.write(tmp_path / "out.parquet")
    written = pq.read_table(tmp_path / "out.parquet")
    assert written.schema.field("wage").type == pa.int32()  # the file's own column, as it was read
    assert written.column("jkk").to_pylist() == JKK
    assert len(list(folder.glob("*.json"))) == 2
