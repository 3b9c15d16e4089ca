"""A reform scenario over a year of a snapshot on Spark (issue 18, decision 0046): the year's loop keeps a cached
DataFrame per month and reads their union; its cubes (a checksum per column) and its summary (the yearly winners
and losers, the regional budget's coverage) equal DuckDB's, and the cached months are released after the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paritrana.coverage.snapshot import export_snapshot
from paritrana.rules import engines
from paritrana.rules.engines import column_checksums
from paritrana.scenarios import compute, services, sources
from tests.platform.world import World
from tests.scenarios.test_scenario_year import YEAR, jp_share_moves, with_budget

# the wage earners' JP share (the law: 1 %, PP 45/2015 art 28(1)) cut to 0,1 % in January and raised to 1,5 % from
# 1 July: each gains in a month before July and loses in a month after, a winner of the year; the BPU JKM (the law:
# Rp 6.800, PP 44/2015) doubled from 1 July: the self-paying W33BPU a loser of the year
DOWN_THEN_UP = jp_share_moves("0.001", "0.015")


def _cached_months() -> int:
    """How many cached tables (persisted RDDs) the Spark session holds."""
    return int(engines.spark_session().sparkContext._jsc.getPersistentRDDs().size())


@pytest.mark.sqlite_half  # about 3 minutes on Spark local; the export from PostgreSQL: test_scenario_year.py
def test_a_years_run_over_a_snapshot_on_spark_equals_duckdb(
    world: World, tmp_path: Path, spark: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_budget(world)
    export_snapshot(tmp_path / "snap")
    snapshot = sources.SnapshotSource(tmp_path / "snap")
    cubes: list[tuple[Any, ...]] = []
    cached_while_read: list[int] = []
    fetched_cubes = compute.fetched_cubes

    def kept_cubes(*args: Any) -> Any:  # the year's own loop, its cubes kept for the comparison
        cached_while_read.append(_cached_months())
        cubes.append(fetched_cubes(*args))
        return cubes[-1]

    monkeypatch.setattr(compute, "fetched_cubes", kept_cubes)
    before = _cached_months()
    on_duckdb, on_spark = (
        services.compute_source(snapshot, YEAR, "year", e, DOWN_THEN_UP) for e in ("duckdb", "spark")
    )
    for duck_cube, spark_cube in zip(*cubes, strict=True):
        assert duck_cube.num_rows > 0
        assert spark_cube.schema == duck_cube.schema
        assert column_checksums(spark_cube) == column_checksums(duck_cube)
    # each wage earner gains from January to June and loses less from July; W33BPU loses from July
    assert on_duckdb["workers"] == {"workers": 4, "gaining": 2, "losing": 1}
    (budget,) = on_duckdb["budgets"]
    assert budget["reform_covered"] < budget["baseline_covered"]  # the sponsored JKM dearer from July
    assert on_spark == on_duckdb
    # on Spark the twelve months were cached tables while the cubes read them, none is left after the run
    assert cached_while_read == [before, before + 12]
    assert _cached_months() == before
    views = engines.spark_session().sql("SHOW VIEWS").collect()
    assert not [v for v in views if v.viewName.startswith("_scenario_")]
