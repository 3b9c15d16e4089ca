"""A scenario over a national snapshot (issue 18): the same month over the registry and over a snapshot exported
from it gives the same roll-ups; over the snapshot, Spark ``local[2]`` and DuckDB give the same cubes (a checksum
per column) and the same roll-ups; the run records what it read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from paritrana.core.errors import ValidationFailed
from paritrana.coverage.snapshot import export_snapshot
from paritrana.rules.engines import column_checksums
from paritrana.rules.parameters import load_parameters
from paritrana.scenarios import compute, definition, services, sources
from tests.platform.world import World
from tests.scenarios.conftest import MONTH
from tests.scenarios.test_scenario_run import DOUBLE_JKM


def _saved(world: World) -> tuple[Any, int]:
    analyst = world.users["analyst"]
    return analyst, services.save(analyst, "double JKM", "JKM doubled (test)", DOUBLE_JKM).pk


def test_the_registry_and_its_snapshot_give_the_same_roll_ups(billed: World, tmp_path: Path) -> None:
    export_snapshot(tmp_path / "snap")
    analyst, pk = _saved(billed)
    on_registry = services.run(analyst, pk, MONTH)
    snapshot = sources.SnapshotSource(tmp_path / "snap")
    on_snapshot = services.run(analyst, pk, MONTH, source=snapshot)
    assert on_registry.source == "registry"
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    assert on_snapshot.source.startswith(f"snapshot {manifest['exported_at']} sha256:")
    assert on_snapshot.results["total"]["delta_amount"] > 0  # the reform moves something to compare
    assert len(on_snapshot.results["by"]["province"]) >= 2
    assert on_snapshot.results == on_registry.results  # the benefit payments included (decision 0043)


def test_a_snapshot_run_on_spark_equals_duckdb(billed: World, tmp_path: Path, spark: Any) -> None:
    export_snapshot(tmp_path / "snap")
    snapshot = sources.SnapshotSource(tmp_path / "snap")
    law = load_parameters()
    own = definition.read(DOUBLE_JKM, law)
    reform = definition.reform(law, own)
    cubes = {}
    for engine in ("duckdb", "spark"):
        with snapshot.inputs(MONTH, engine, None) as t:
            cubes[engine] = compute.run(t.pu, t.bpu, t.people, MONTH, law, reform)
    for duck_cube, spark_cube in zip(cubes["duckdb"], cubes["spark"], strict=True):
        assert duck_cube.num_rows > 0
        assert spark_cube.schema == duck_cube.schema
        assert column_checksums(spark_cube) == column_checksums(duck_cube)
    # every roll-up the run keeps is a sum of the cubes: the same on both
    on_duckdb, on_spark = (services.summary(*cubes[e], law, own, MONTH) for e in ("duckdb", "spark"))
    assert on_duckdb["total"]["delta_amount"] > 0 and on_spark == on_duckdb


def test_a_snapshot_of_another_month_or_no_snapshot_is_refused(billed: World, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as missing:
        sources.SnapshotSource(tmp_path)
    assert missing.value.field == "snapshot"
    export_snapshot(tmp_path / "snap")
    manifest_file = tmp_path / "snap" / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["wage_month"] = "2024-11-01"  # a snapshot holding another month's wages
    manifest_file.write_text(json.dumps(manifest))
    analyst, pk = _saved(billed)
    with pytest.raises(ValidationFailed) as other:
        services.run(analyst, pk, MONTH, source=sources.SnapshotSource(tmp_path / "snap"))
    assert other.value.field == "month" and "2024-11" in other.value.reason
    (tmp_path / "snap" / "worker" / "province=33" / "part-0.parquet").unlink()
    with pytest.raises(ValidationFailed) as gone:
        sources.SnapshotSource(tmp_path / "snap")
    assert gone.value.field == "snapshot" and "worker" in gone.value.reason
