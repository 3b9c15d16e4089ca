"""Retention of the award's snapshots: the Parquet folders of superseded computations are removed, never the
snapshot of a published ranking nor a round's latest one (decision 0021).

A round keeps, for every computation, its results, inputs, parameters and the snapshot's hash (the ranking stays
readable and its provenance stated); what goes is the folder of a computation that is neither its round's
published ranking nor its latest. A removed snapshot is marked by an empty ``snapshot`` path, and recomputing
that ranking is then refused with that reason. Folders no computation names (a computation that failed after
writing its snapshot) are removed once older than a day, so a computation still running keeps its own.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from paritrana.award.models import Computation, Round

ORPHAN_AGE = dt.timedelta(days=1)


@dataclass
class Pruned:
    computations: list[int] = field(default_factory=list)  # whose snapshot was removed
    orphans: list[str] = field(default_factory=list)  # folders no computation named
    bytes_freed: int = 0


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def kept_ids() -> set[int]:
    """The computations whose snapshot stays: every round's published one and its latest."""
    keep = set(Round.objects.filter(published__isnull=False).values_list("published_id", flat=True))
    for round_id in Round.objects.values_list("pk", flat=True):
        latest = (
            Computation.objects.filter(round_id=round_id).order_by("-computed_at", "-id").values_list("pk", flat=True)
        )
        keep.update(latest[:1])
    return {k for k in keep if k is not None}


def prune(folder: Path, dry_run: bool = False, now: dt.datetime | None = None) -> Pruned:
    """Remove the superseded snapshots (and the orphan folders under ``folder``); ``dry_run`` lists only."""
    out = Pruned()
    keep = kept_ids()
    for comp in Computation.objects.exclude(Q(pk__in=keep) | Q(snapshot="")).only("pk", "snapshot"):
        path = Path(comp.snapshot)
        if path.is_dir():
            out.bytes_freed += _size(path)
        out.computations.append(comp.pk)
        if not dry_run:
            with transaction.atomic():
                # the mark first: a ranking never names a folder that is gone
                Computation.objects.filter(pk=comp.pk).update(snapshot="")
            shutil.rmtree(path, ignore_errors=True)
    named = {Path(p).resolve() for p in Computation.objects.exclude(snapshot="").values_list("snapshot", flat=True)}
    cutoff = (now or timezone.now()).timestamp() - ORPHAN_AGE.total_seconds()
    if folder.is_dir():
        for child in sorted(folder.iterdir()):
            if child.is_dir() and child.resolve() not in named and child.stat().st_mtime < cutoff:
                out.bytes_freed += _size(child)
                out.orphans.append(child.name)
                if not dry_run:
                    shutil.rmtree(child, ignore_errors=True)
    return out
