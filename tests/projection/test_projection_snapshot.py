"""The projection from a snapshot exported from the registry gives the registry's own figures (decision 0044): the
export writes the JP pensions paid (``pension``, the projection's one definition of its columns) and the
projection from the snapshot takes those in payment on its first day, as from the registry; on SQLite and
PostgreSQL, through the service and ``paritrana projection run --snapshot``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
from django.utils import timezone
from typer.testing import CliRunner

from paritrana.claims.models import Claim, Status
from paritrana.claims.types import TYPES
from paritrana.cli.main import app
from paritrana.projection import cells, services
from paritrana.projection.engine import MIN_AGE
from paritrana.registry.models import Worker
from tests.platform.world import World
from tests.projection.test_projection_pages import signed_in
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


def _scholarship(worker: Worker, status: str, *born: str) -> None:
    """A scholarship claim listing the participant's children (as its intake stores them)."""
    children = [{"name": f"Anak {i}", "birth_date": b, "level": "SD", "year_in_level": 1} for i, b in enumerate(born)]
    Claim.objects.create(
        claim_type="scholarship", worker=worker, filed_as="heir", status=status, submitted_at=timezone.now(),
        submitted_on=dt.date(2025, 4, 1), law_date=dt.date(2025, 4, 1), rule=TYPES["scholarship"].rule,
        inputs={"children": children}, rejection_reason="akta kelahiran tidak sah" if status == Status.REJECTED else "",
    )  # fmt: skip


def test_a_childs_recorded_age_places_its_pension_and_the_output_says_which(billed: World, tmp_path: Path) -> None:
    """The registry records no heir's age but the children a scholarship claim lists with their birth certificates
    (decision 0044): a children's pension is placed at the elder recorded child's age; a widow's, and a child's
    pension whose children are listed only by a rejected claim, by the generation gap; the output counts both."""
    place = {"region": billed.regions["33.74"], "employer": billed.employers["E33"], "scheme": "PU", "sex": "M"}
    father = Worker.objects.create(nik="3374010106860002", name="Almarhum", birth_date=dt.date(1986, 6, 1), **place)
    other = Worker.objects.create(nik="3374010106800004", name="Almarhum B", birth_date=dt.date(1980, 6, 1), **place)
    husband = Worker.objects.create(nik="3374010106700005", name="Almarhum C", birth_date=dt.date(1970, 6, 1), **place)
    for worker, recipient in ((father, "child"), (other, "child"), (husband, "widow_widower")):
        _pension(worker, "jp_survivor", 400_000, dt.date(2025, 4, 1), event_date=dt.date(2025, 3, 15),
                 inputs={"recipient": recipient})  # fmt: skip
    _scholarship(father, Status.PAID, "2014-02-01", "2009-08-01")  # the elder: 17 in 2026
    _scholarship(other, Status.REJECTED, "2015-01-01")
    table = services.pensions_in_payment(dt.date(2026, 1, 1)).to_pylist()
    recorded = {(r["birth_date"], r["recipient_birth_date"]) for r in table}
    assert recorded == {(dt.date(1986, 6, 1), dt.date(2009, 8, 1)), (dt.date(1980, 6, 1), None),
                        (dt.date(1970, 6, 1), None)}  # fmt: skip
    _export(tmp_path / "snap")
    start = cells.from_snapshot(tmp_path / "snap", dt.date(2026, 1, 1), [5_000_000, None], 0.01, family=(28, 23))
    # the recorded child at 17; the other at 46 − 28 = 18 (assumed); the widow at her husband's 56
    assert start.in_payment.child.n[17] == 1 and start.in_payment.child.n[18] == 1
    assert start.in_payment.widow.n[56 - MIN_AGE, 1] == 1
    assert start.heir_ages == {"recorded": 1, "assumed": 2}
    report = services.run(billed.users["analyst"], horizon=2)
    assert report.heir_ages == {"recorded": 1, "assumed": 2}
    page = signed_in(billed, "analyst").get("/projection/").content.decode()
    said_on_page = " ".join(page[page.index('id="heir-ages"') :].split("</p>")[0].split())
    assert (
        "Pensiun ahli waris yang sedang dibayar pada awal proyeksi: 1 dengan usia penerima yang tercatat"
        in said_on_page
    )
    english = signed_in(billed, "analyst", "en").get("/projection/").content.decode()
    assert "2 with an assumed age (the generation gap)" in " ".join(english.split())
    printed = CliRunner().invoke(app, ["projection", "run", "--years", "2", "-q", "--snapshot", str(tmp_path / "snap"),
                                       *FUNDS])  # fmt: skip
    said = " ".join(printed.output.split())
    assert "survivors' pensions in payment at the start: 1 with the recipient's recorded age" in said
    assert "2 with an assumed age (projection.generation_gap)" in said
