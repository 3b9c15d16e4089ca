"""A scenario run keeps the long-term projection under its scenario (decision 0039): the run's page and its brief
read the stored rows back and never project again; the rows are those a projection with the same file gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from paritrana.projection import model, present, services
from paritrana.scenarios import services as scenarios
from tests.platform.world import World
from tests.projection.conftest import BILLED
from tests.projection.test_projection_pages import RAISE_JP


def test_the_run_keeps_the_projection_and_its_pages_read_it_back(
    billed: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyst = billed.users["analyst"]
    saved = scenarios.save(analyst, "JP 4 %", "iuran JP naik", RAISE_JP)
    run = scenarios.run(analyst, saved.pk, BILLED[-1])
    fund = run.results["fund"]
    path = tmp_path / "scenario.yaml"
    path.write_text(RAISE_JP)
    again = services.run(analyst, scenario=path)
    assert fund["start_year"] == again.projection.start_year == 2026
    assert fund["jp"] == present.year_rows(again.projection.jp) and len(fund["jp"]) == model.HORIZON
    assert fund["jht"] == present.year_rows(again.projection.jht)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stored projection is read back, not run again")

    monkeypatch.setattr(model, "run", never)
    client = Client(headers={"accept-language": "id"})
    client.force_login(analyst)
    page = client.get(f"/scenarios/{saved.pk}/?run={run.pk}").content.decode()
    assert 'id="fund-chart"' in page and "Dana dan rasio cadangan JP" in page
    brief = client.get(f"/scenario-runs/{run.pk}/brief.pdf")
    assert brief.status_code == 200 and brief.content.startswith(b"%PDF")


def test_a_run_kept_without_the_projection_projects_once_and_keeps_it(billed: World) -> None:
    analyst = billed.users["analyst"]
    saved = scenarios.save(analyst, "JP 4 %", "iuran JP naik", RAISE_JP)
    run = scenarios.run(analyst, saved.pk, BILLED[-1])
    del run.results["fund"]
    run.save()
    client = Client(headers={"accept-language": "id"})
    client.force_login(analyst)
    assert 'id="fund-chart"' in client.get(f"/scenarios/{saved.pk}/?run={run.pk}").content.decode()
    run.refresh_from_db()
    assert len(run.results["fund"]["jp"]) == model.HORIZON
