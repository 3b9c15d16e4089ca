"""The projection from a snapshot exported from the registry gives the registry's own figures (decision 0044): the
export writes the JP pensions paid (``pension``, the projection's one definition of its columns) and the
projection from the snapshot takes those in payment on its first day, as from the registry; on SQLite and
PostgreSQL, through the service and ``paritrana projection run --snapshot``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.projection import services
from paritrana.registry.models import Worker
from tests.platform.world import World
from tests.projection.test_projection_registry import _pension

FUNDS = ["--jp-fund", "5000000000", "--jht-fund", "9000000000"]  # the snapshot has no ledger of the funds


def _with_pensions(world: World) -> None:
    """An old-age pensioner and a widow's pension in payment in 2026, and an old-age pension first paid in May 2026
    (not yet in payment on 1 January)."""
    place = {"region": world.regions["33.74"], "employer": world.employers["E33"], "scheme": "PU"}
    retired = Worker.objects.create(nik="3374010101600001", name="Pensiunan", birth_date=dt.date(1960, 1, 1), sex="M",
                                    **place)  # fmt: skip
    deceased = Worker.objects.create(nik="3374010106860002", name="Almarhum", birth_date=dt.date(1971, 6, 1), sex="M",
                                     **place)  # fmt: skip
    later = Worker.objects.create(nik="3374010101610003", name="Nanti", birth_date=dt.date(1961, 1, 1), sex="F",
                                  **place)  # fmt: skip
    _pension(retired, "jp_old_age", 1_500_000, dt.date(2025, 2, 1), outputs={"first_payment_date": "2025-02-01"})
    _pension(deceased, "jp_survivor", 650_000, dt.date(2025, 4, 1), event_date=dt.date(2025, 3, 15),
             inputs={"recipient": "widow_widower"})  # fmt: skip
    _pension(later, "jp_old_age", 900_000, dt.date(2026, 5, 1), outputs={"first_payment_date": "2026-05-01"})


def _export(folder: Path) -> dict[str, object]:
    exported = CliRunner().invoke(app, ["snapshot", "export", "--out", str(folder), "-q"])
    assert exported.exit_code == 0, exported.output
    manifest: dict[str, object] = json.loads((folder / "manifest.json").read_text())
    return manifest


def test_the_projection_from_an_exported_snapshot_equals_the_registrys(billed: World, tmp_path: Path) -> None:
    _with_pensions(billed)
    manifest = _export(tmp_path / "snap")
    entry = manifest["tables"]["pension"]  # type: ignore[index]
    # every pension paid, the one not yet in payment too (the projection chooses by its first day)
    assert entry["rows"] == 3 and entry["partitioned_by"] is None
    written = pq.read_table(tmp_path / "snap" / entry["files"][0]["path"])
    assert written.schema.equals(services.cells.PENSION_SCHEMA)
    assert sorted(written.column("monthly").to_pylist()) == [650_000, 900_000, 1_500_000]
    analyst = billed.users["analyst"]
    funds = {"jp_fund": 5_000_000_000, "jht_fund": 9_000_000_000}
    registry = services.run(analyst, horizon=30, **funds)
    snapshot = services.run(analyst, horizon=30, snapshot=tmp_path / "snap", **funds)
    assert registry.projection.jp.rows == snapshot.projection.jp.rows  # every figure of every year
    assert registry.projection.jht.rows == snapshot.projection.jht.rows
    assert registry.projection.balancing == snapshot.projection.balancing
    first = snapshot.projection.jp.rows[0]
    # 2026: the old-age pension and the widow's, twelve months (the third is first paid in May: not in payment)
    assert first.pensioners == 2 and first.benefits - first.lump_sums == 12 * (1_500_000 + 650_000)


def test_projection_run_from_a_snapshot_prints_the_same_figures(billed: World, tmp_path: Path) -> None:
    _with_pensions(billed)
    _export(tmp_path / "snap")
    registry = CliRunner().invoke(app, ["projection", "run", "--years", "10", "--json", *FUNDS])
    snapshot = CliRunner().invoke(
        app, ["projection", "run", "--years", "10", "--json", "--snapshot", str(tmp_path / "snap"), *FUNDS]
    )
    assert registry.exit_code == 0 and snapshot.exit_code == 0, snapshot.output
    from_registry, from_snapshot = json.loads(registry.output), json.loads(snapshot.output)
    assert from_snapshot["jp"] == from_registry["jp"] and from_snapshot["jht"] == from_registry["jht"]
    assert from_snapshot["jp"][0]["pensioners"] == 2
    table = CliRunner().invoke(app, ["projection", "run", "--years", "10", "-q", "--snapshot", str(tmp_path / "snap"),
                                     *FUNDS])  # fmt: skip
    assert table.exit_code == 0 and f"JP, from {tmp_path / 'snap'}" in " ".join(table.output.split())
