"""``paritrana award …``: the award's rounds and rankings from the command line (run as the system: the
agency's operator, with the central committee's reach)."""

from __future__ import annotations

from typing import Annotated

import typer

from paritrana.cli.demo import setup_django
from paritrana.cli.output import console, fail

app = typer.Typer(help="The Paritrana Award: rounds, rankings, results.", no_args_is_help=True,
                  add_completion=False)  # fmt: skip


@app.command("rounds")
def rounds() -> None:
    """The rounds of every edition: id, tier, province, status, latest ranking."""
    setup_django()
    from paritrana.award.models import Round
    from paritrana.award.services import ranking

    for r in Round.objects.select_related("edition", "province").order_by("-edition__year", "tier", "province__code"):
        latest = ranking.latest(r)
        where = r.province.name if r.province else "Indonesia"
        console.print(f"{r.pk:>5}  {r.edition.year}  {r.tier:<10} {where:<32} {r.status:<9} "
                      f"ranking {latest.pk if latest else '—'}", highlight=False)  # fmt: skip


@app.command("rank")
def rank(round_id: Annotated[int, typer.Argument(help="the round's id (paritrana award rounds)")]) -> None:
    """Rank a round whose panel is closed, from a new snapshot of the registry; prints the ranking."""
    setup_django()
    from paritrana.award.services import ranking
    from paritrana.core.errors import RegistryError

    try:
        comp = ranking.compute(None, round_id)
    except RegistryError as err:
        raise fail(str(err)) from None
    _print(comp.pk)


@app.command("show")
def show(
    ranking_id: Annotated[int, typer.Argument(help="a ranking's id")],
    recompute: Annotated[bool, typer.Option(help="recompute it from its frozen snapshot and compare")] = False,
) -> None:
    """A ranking with its snapshot, weights and each rank's range when the weights move ±20 %."""
    setup_django()
    _print(ranking_id, recompute)


@app.command("prune-snapshots")
def prune_snapshots(
    dry_run: Annotated[bool, typer.Option(help="list what would be removed, remove nothing")] = False,
) -> None:
    """Remove the snapshots of superseded rankings (never a published ranking's, nor a round's latest) and the
    folders of computations that failed more than a day ago."""
    setup_django()
    from paritrana.award.services import ranking, retention

    pruned = retention.prune(ranking.snapshots_folder(), dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    console.print(f"{verb} the snapshots of {len(pruned.computations)} superseded rankings "
                  f"{pruned.computations} and {len(pruned.orphans)} orphan folders; "
                  f"{pruned.bytes_freed:,} bytes", highlight=False)  # fmt: skip


def _print(ranking_id: int, recompute: bool = False) -> None:
    from paritrana.award.models import Computation
    from paritrana.award.services import ranking
    from paritrana.award.snapshot import SnapshotChanged, SnapshotRemoved

    comp = Computation.objects.select_related("round__edition").filter(pk=ranking_id).first()
    if comp is None:
        raise fail(f"no ranking with id {ranking_id}")
    console.print(f"ranking {comp.pk}: round {comp.round_id}, snapshot {comp.as_of} sha256 {comp.snapshot_sha256}, "
                  f"weights v{comp.parameters['weights_version']} ({comp.parameters['weights_reference']})",
                  highlight=False)  # fmt: skip
    for r in comp.results:
        span = r["rank_range"]
        console.print(f"  {r['category']:<15} {r['zone']:<28} {r['rank'] or '—':>3}  {r['score']:7.2f}  "
                      f"{(f'{span[0]}–{span[1]}') if span else '':<6} {r['name']}  {'; '.join(r['gate_reasons'])}",
                      highlight=False, markup=False)  # fmt: skip
    if recompute:
        try:
            again = ranking.recompute(comp)
        except SnapshotChanged:
            raise fail("the snapshot's files changed since the ranking: refused") from None
        except SnapshotRemoved:
            raise fail("the snapshot of this superseded ranking was removed (prune-snapshots)") from None
        same = [(r["candidate_id"], r["rank"]) for r in again] == [(r["candidate_id"], r["rank"]) for r in comp.results]
        console.print(f"recomputed from the snapshot: {'the same ranks' if same else 'DIFFERENT ranks'}")
        if not same:
            raise typer.Exit(1)
