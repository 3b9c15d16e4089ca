"""``paritrana snapshot export``: the manifest's rows equal plain SQL counts, the files read back equal the tables,
each file's hash and province are right; on SQLite and PostgreSQL (``PARITRANA_DATABASE_URL``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from django.db import connection
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.contributions.models import WageReport
from paritrana.coverage.snapshot import NO_PROVINCE, export_snapshot, snapshot_tables_spec
from paritrana.registry.models import Worker
from tests.coverage.coveragekit import COMMITTED, DemoLike

pytestmark = COMMITTED

TABLES = {
    "region": "registry_region", "sponsor": "registry_sponsor", "workforce": "coverage_workforcefigure",
    "employer": "registry_employer", "worker": "registry_worker", "membership": "registry_membership",
    "payer": "contributions_payer", "wage": "contributions_wagereport", "bill": "contributions_bill",
    "line": "contributions_billline", "payment": "contributions_payment", "jht_entry": "contributions_jhtentry",
}  # fmt: skip


def plain_rows(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return [tuple(r) for r in cursor.fetchall()]


def ordered(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, v if v is not None else 0) for v in row)


def normal(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return dt.date.fromisoformat(value)  # SQLite's dates
    return value


def report_wages(month: dt.date) -> int:
    """Wage reports of ``month`` for some wage earners (the demo bills on registered wages), and one of the
    month before (not exported)."""
    workers = list(Worker.objects.filter(scheme="PU").order_by("id")[:30])
    for i, w in enumerate(workers):
        WageReport.objects.create(worker=w, employer_id=w.employer_id, period=month, wage=5_000_000 + i * 1_000)
    w = workers[0]
    WageReport.objects.create(
        worker=w, employer_id=w.employer_id, period=dt.date(month.year, month.month - 1, 1), wage=1
    )
    return len(workers)


def test_export_writes_every_table_by_province_with_its_manifest(demo_like: DemoLike, tmp_path: Path) -> None:
    reported = report_wages(demo_like.months[-1])
    out = tmp_path / "snap"
    result = CliRunner().invoke(app, ["snapshot", "export", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    # and the benefit payments with the scholarship children's school years (decision 0043; the reform scenarios'
    # test compares a run over them with the registry's), and the JP pensions paid that the projection reads
    # (decision 0044, tests/projection)
    assert manifest["database"] == connection.vendor
    assert manifest["tables"].keys() == TABLES.keys() | {"benefit_payment", "school_year", "pension"}
    month = dt.date.fromisoformat(manifest["wage_month"])
    assert plain_rows("SELECT MAX(period) FROM contributions_wagereport")[0][0] in (month, month.isoformat())
    specs = {s.name: s for s in snapshot_tables_spec(month)}
    for name, db_table in TABLES.items():
        entry = manifest["tables"][name]
        where = " WHERE period = %s" if name == "wage" else ""
        count = plain_rows(f"SELECT COUNT(*) FROM {db_table}{where}", [month] if where else [])[0][0]
        assert entry["rows"] == count == sum(f["rows"] for f in entry["files"]), name
        for f in entry["files"]:  # each file's rows and hash as the manifest says
            path = out / f["path"]
            assert pq.read_metadata(path).num_rows == f["rows"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"]
        # the files read back (the provinces as one table) equal the table, column by column
        columns = list(specs[name].columns)
        dataset = ds.dataset(out / name, format="parquet", partitioning="hive")
        read_back = dataset.to_table(columns=columns)
        quoted = ", ".join(f'"{c}"' for c in columns)
        expected = plain_rows(f"SELECT {quoted} FROM {db_table}{where}", [month] if where else [])
        got = sorted((tuple(row[c] for c in columns) for row in read_back.to_pylist()), key=ordered)
        expected = sorted((tuple(normal(v) for v in row) for row in expected), key=ordered)
        assert got == expected, name
    assert manifest["tables"]["worker"]["rows"] == 240 and manifest["tables"]["line"]["rows"] > 0
    assert manifest["tables"]["jht_entry"]["rows"] > 0 and manifest["tables"]["wage"]["rows"] == reported
    assert manifest["tables"]["worker"]["partitioned_by"] == "province"
    assert manifest["tables"]["region"]["partitioned_by"] is None
    # a worker's partition is the province of its domicile
    codes = dict(plain_rows("SELECT w.id, r.code FROM registry_worker w JOIN registry_region r ON r.id = w.region_id"))
    workers = ds.dataset(out / "worker", format="parquet", partitioning="hive").to_table(columns=["id", "province"])
    assert len(set(workers.column("province").to_pylist())) > 3
    for worker_id, province in zip(
        workers.column("id").to_pylist(), workers.column("province").to_pylist(), strict=True
    ):
        assert str(province).zfill(2) == codes[worker_id][:2] != NO_PROVINCE


def test_export_refuses_a_folder_in_use_and_a_bad_month(demo_like: DemoLike, tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("kept")
    refused = CliRunner().invoke(app, ["snapshot", "export", "--out", str(tmp_path), "--quiet"])
    said = " ".join(refused.output.split())
    assert refused.exit_code == 2 and "error: out:" in said and "is not empty" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]
    bad = CliRunner().invoke(app, ["snapshot", "export", "--out", str(tmp_path / "x"), "--month", "2026-13"])
    assert bad.exit_code == 2 and "month" in bad.output
    with pytest.raises(FileExistsError):
        export_snapshot(tmp_path)
