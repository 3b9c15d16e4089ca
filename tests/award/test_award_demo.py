"""The demo's award (finished edition with Jawa Tengah's round and the national round, published; an open
edition) built through the use cases on demo-like data, and ``paritrana award`` showing and recomputing it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from paritrana.accounts.services import ensure_user
from paritrana.award.demo import award_users, load_demo_award
from paritrana.award.models import Edition, Round, Score
from paritrana.award.services import results
from paritrana.cli.main import app
from tests.award.awardkit import AwardWorld

pytestmark = pytest.mark.django_db


def test_demo_award_is_finished_and_reproducible(world: AwardWorld) -> None:
    users = {name: ensure_user(name, "pw-demo-1", role, **scope) for name, role, scope, _ in award_users()}
    counts = load_demo_award(world.today, users)
    assert counts == {"editions": 2, "submissions": 4, "rankings": 2}
    finished, upcoming = Edition.objects.order_by("year")
    assert finished.year == world.year and upcoming.year == world.year + 1
    assert upcoming.rounds.filter(status=Round.Status.OPEN).count() == 39
    jateng = Round.objects.get(edition=finished, province__code="33")
    national = Round.objects.get(edition=finished, tier="national")
    assert jateng.status == national.status == Round.Status.PUBLISHED
    ranked = [r for r in jateng.published.results if r["rank"] is not None]
    assert len(ranked) >= 3 and sorted(r["rank"] for r in ranked) == list(range(1, len(ranked) + 1))
    # every other candidate is listed with the reason it was not ranked (no regulation, no workforce figure)
    assert all(r["gate_reasons"] for r in jateng.published.results if r["rank"] is None)
    assert not Score.objects.filter(candidate__region__code="33.74", assessor=users["juri2"]).exists()
    public = results.public_results(finished)
    assert any(r["where"] == "Indonesia" and r["category"] == "regency" and r["rank"] == 1 for r in public)

    runner = CliRunner()
    out = runner.invoke(app, ["award", "show", str(jateng.published_id), "--recompute"])
    assert out.exit_code == 0, out.output
    assert "the same ranks" in out.output and jateng.published.snapshot_sha256 in out.output
    listing = runner.invoke(app, ["award", "rounds"])
    assert listing.exit_code == 0 and "published" in listing.output
