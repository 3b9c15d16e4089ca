"""The snapshots of superseded rankings are removed (the retention rule, ``paritrana award prune-snapshots``);
a published ranking's snapshot and a round's latest stay, and so does a folder a running computation may still be
filling (an orphan younger than a day)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from paritrana.award.models import Computation, Edition, Round
from paritrana.award.services import ranking, retention
from paritrana.award.snapshot import SnapshotRemoved

pytestmark = pytest.mark.django_db


PARAMETERS = {"weights": {"region": {}, "company": {}}, "weights_version": 1, "weights_reference": "test"}
RESULTS = [{"candidate_id": 1, "name": "Kota Semarang", "category": "regency", "zone": "jawa_bali", "rank": 1,
            "score": 50.0, "rank_range": [1, 1], "gate_reasons": []}]  # fmt: skip


def folder_with_files(root: Path, name: str) -> Path:
    f = root / name
    f.mkdir(parents=True)
    (f / "line.parquet").write_bytes(b"x" * 1000)
    return f


def computation(round_: Round, folder: Path, at: dt.datetime) -> Computation:
    c = Computation.objects.create(round=round_, snapshot=str(folder), snapshot_sha256="0" * 64, as_of=at.date(),
                                   parameters=PARAMETERS, results=RESULTS)  # fmt: skip
    Computation.objects.filter(pk=c.pk).update(computed_at=at)  # auto_now_add: the order is set after
    return c


@pytest.fixture
def rounds(tmp_path: Path, settings: Any) -> dict[str, Any]:
    settings.PARITRANA_AWARD_SNAPSHOTS = str(tmp_path / "snapshots")
    root = tmp_path / "snapshots"
    edition = Edition.objects.create(year=2026, name="E", window_opens=dt.date(2026, 1, 1),
                                     window_closes=dt.date(2026, 3, 1), weights_reference="w", zones_version="z")  # fmt: skip
    national = Round.objects.create(edition=edition, tier=Round.Tier.NATIONAL)
    t0 = dt.datetime(2027, 1, 10, tzinfo=dt.UTC)
    published = computation(national, folder_with_files(root, "a-published"), t0)
    superseded = computation(national, folder_with_files(root, "b-superseded"), t0 + dt.timedelta(hours=1))
    latest = computation(national, folder_with_files(root, "c-latest"), t0 + dt.timedelta(hours=2))
    national.published = published
    national.status = Round.Status.PUBLISHED
    national.save()
    old_orphan = folder_with_files(root, "d-orphan-old")
    two_days_ago = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=2)).timestamp()
    os.utime(old_orphan, (two_days_ago, two_days_ago))
    fresh_orphan = folder_with_files(root, "e-orphan-running")
    return {"root": root, "published": published, "superseded": superseded, "latest": latest,
            "old_orphan": old_orphan, "fresh_orphan": fresh_orphan}  # fmt: skip


def test_prune_removes_only_superseded_snapshots_and_old_orphans(rounds: dict[str, Any]) -> None:
    root = rounds["root"]
    listed = retention.prune(root, dry_run=True)
    assert listed.computations == [rounds["superseded"].pk] and listed.orphans == ["d-orphan-old"]
    assert listed.bytes_freed == 2000
    assert all(Path(c.snapshot).is_dir() for c in Computation.objects.all())  # the dry run removed nothing
    assert rounds["old_orphan"].is_dir()

    pruned = retention.prune(root)
    assert pruned.computations == [rounds["superseded"].pk] and pruned.orphans == ["d-orphan-old"]
    assert not (root / "b-superseded").exists() and not rounds["old_orphan"].exists()
    assert (root / "a-published").is_dir() and (root / "c-latest").is_dir() and rounds["fresh_orphan"].is_dir()
    superseded = Computation.objects.get(pk=rounds["superseded"].pk)
    assert superseded.snapshot == "" and superseded.results == RESULTS  # the ranking itself stays
    assert superseded.snapshot_sha256 == "0" * 64
    with pytest.raises(SnapshotRemoved):
        ranking.recompute(superseded)
    assert retention.prune(root).computations == []  # nothing left to remove


def test_a_newer_computation_supersedes_the_latest_but_never_the_published(rounds: dict[str, Any]) -> None:
    national = rounds["latest"].round
    newest = computation(national, folder_with_files(rounds["root"], "f-newest"),
                         dt.datetime(2027, 2, 1, tzinfo=dt.UTC))  # fmt: skip
    pruned = retention.prune(rounds["root"])
    assert sorted(pruned.computations) == sorted([rounds["superseded"].pk, rounds["latest"].pk])
    assert Path(Computation.objects.get(pk=rounds["published"].pk).snapshot).is_dir()
    assert Path(Computation.objects.get(pk=newest.pk).snapshot).is_dir()


def test_prune_command(rounds: dict[str, Any]) -> None:
    from paritrana.cli.main import app

    runner = CliRunner()
    dry = runner.invoke(app, ["award", "prune-snapshots", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would remove the snapshots of 1 superseded rankings" in dry.output
    assert (rounds["root"] / "b-superseded").is_dir()
    done = runner.invoke(app, ["award", "prune-snapshots"])
    assert done.exit_code == 0, done.output
    assert "removed the snapshots of 1 superseded rankings" in done.output and "1 orphan folders" in done.output
    assert not (rounds["root"] / "b-superseded").exists()
    shown = runner.invoke(app, ["award", "show", str(rounds["superseded"].pk), "--recompute"])
    assert shown.exit_code != 0 and "was removed" in shown.output
