"""A scenario run started from its page runs in a thread after the request commits (decision 0037): queued, then
running, then done with the same roll-ups as a run at the command line, its stages written to the progress
record only its starter reads; a failed run keeps why, shown in the reader's language. These tests commit
(``transaction=True``): the thread reads what the request committed, through its own connection."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from paritrana.contributions.services.billing import run_billing
from paritrana.core import background
from paritrana.core.models import Progress
from paritrana.scenarios import services
from paritrana.scenarios.models import Scenario, ScenarioRun
from tests.contributions.test_contrib_bounded_input import page_client
from tests.platform.world import World, build_world, enrol_for_contributions
from tests.scenarios.conftest import MONTH
from tests.scenarios.test_scenario_run import DOUBLE_JKM


@pytest.fixture
def billed(transactional_db: None) -> World:
    world = enrol_for_contributions(build_world())
    run_billing(MONTH)
    return world


def signed_in(world: World, role: str, language: str = "id") -> Client:
    return page_client(world, role, language)


def _start(world: World, client: Client) -> ScenarioRun:
    scenario = services.save(world.users["analyst"], "JKM dua kali", "iuran JKM dua kali", DOUBLE_JKM)
    answer = client.post(f"/scenarios/{scenario.pk}/", {"period": "2025-01"})
    # read the run once its thread has ended: on the tests' in-memory SQLite (shared cache) a read here while the
    # thread writes the run makes the thread's write fail with "database table is locked" (seen under load)
    assert background.wait(120)
    run = ScenarioRun.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"?run={run.pk}#results")
    return run


def test_a_run_from_the_page_is_computed_in_the_background_and_shown(billed: World) -> None:
    analyst = signed_in(billed, "analyst")
    run = _start(billed, analyst)
    assert run.status == ScenarioRun.Status.DONE and run.finished_at is not None
    same = services.run(billed.users["analyst"], run.scenario_id, MONTH)  # the command line's way, at once
    assert run.results == same.results
    record = Progress.objects.get(token=run.progress_token)
    assert record.user == billed.users["analyst"] and record.stage == "done"
    assert analyst.get(f"/progress/{run.progress_token}/").json()["finished"] is True
    page = analyst.get(f"/scenarios/{run.scenario_id}/?run={run.pk}").content.decode()
    assert 'id="group-table"' in page and 'id="run-progress"' not in page
    # another analyst sees the run's results, but not its starter's progress record
    assert signed_in(billed, "admin").get(f"/progress/{run.progress_token}/").status_code == 404


def test_a_queued_run_shows_its_progress_record(billed: World) -> None:
    scenario = services.save(billed.users["analyst"], "JKM dua kali", "iuran JKM dua kali", DOUBLE_JKM)
    run = ScenarioRun.objects.create(
        scenario=scenario, version=1, parameters=DOUBLE_JKM, period=MONTH, status=ScenarioRun.Status.RUNNING,
        progress_token="r" * 32, started_by=billed.users["analyst"],
    )  # fmt: skip
    Progress.objects.create(
        token="r" * 32, user=billed.users["analyst"], stage="read", message="Reading the registry's month: {done} rows",
        done=12_345, updated=run.started_at,
    )  # fmt: skip
    page = signed_in(billed, "analyst").get(f"/scenarios/{scenario.pk}/?run={run.pk}").content.decode()
    assert 'id="run-progress"' in page and f'data-progress-wait="/progress/{"r" * 32}/"' in page
    assert "Membaca data kepesertaan bulan ini: 12.345 baris" in page and 'role="progressbar"' in page
    assert 'id="group-table"' not in page


def test_a_failed_run_says_why_in_the_readers_language(billed: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "compute_source", broken)
    run = _start(billed, signed_in(billed, "analyst"))
    assert run.status == ScenarioRun.Status.FAILED and run.error == services.UNEXPECTED
    assert Progress.objects.get(token=run.progress_token).stage == "failed"
    path = f"/scenarios/{run.scenario_id}/?run={run.pk}"
    indonesian = signed_in(billed, "analyst").get(path).content.decode()
    assert "Perhitungan gagal: perhitungan terhenti karena kesalahan yang tidak terduga" in indonesian
    assert "disk full" not in indonesian  # the detail is in the server's log, not on the page
    english = signed_in(billed, "analyst", "en").get(path).content.decode()
    assert "The run failed: the computation stopped on an unexpected error" in english


def test_a_scenario_the_law_no_longer_takes_fails_with_the_laws_reason(billed: World) -> None:
    analyst = signed_in(billed, "analyst")
    scenario = services.save(billed.users["analyst"], "JKM dua kali", "iuran JKM dua kali", DOUBLE_JKM)
    Scenario.objects.filter(pk=scenario.pk).update(parameters=DOUBLE_JKM.replace("unit: rate", "unit: rupiah"))
    analyst.post(f"/scenarios/{scenario.pk}/", {"period": "2025-01"})
    assert background.wait(120)
    run = ScenarioRun.objects.get()
    assert run.status == ScenarioRun.Status.FAILED and "jkm.pu.rate" in run.error
    page = analyst.get(f"/scenarios/{scenario.pk}/?run={run.pk}").content.decode()
    assert "Perhitungan gagal:" in page and 'id="run-progress"' not in page


def test_runs_left_under_way_by_a_stopped_server_are_failed_when_it_starts(billed: World) -> None:
    scenario = services.save(billed.users["analyst"], "JKM dua kali", "iuran JKM dua kali", DOUBLE_JKM)
    statuses = (ScenarioRun.Status.QUEUED, ScenarioRun.Status.RUNNING, ScenarioRun.Status.DONE)
    for n, status in enumerate(statuses):
        ScenarioRun.objects.create(
            scenario=scenario, version=1, parameters=DOUBLE_JKM, period=MONTH, status=status,
            progress_token=f"{n}" * 32, started_by=billed.users["analyst"],
        )  # fmt: skip
        Progress.objects.create(
            token=f"{n}" * 32, user=billed.users["analyst"], stage="read", updated=scenario.updated_at
        )
    assert services.abandon_unfinished() == 2
    after = dict(ScenarioRun.objects.values_list("progress_token", "status"))
    assert after == {"0" * 32: "failed", "1" * 32: "failed", "2" * 32: "done"}
    assert set(Progress.objects.filter(stage="failed").values_list("token", flat=True)) == {"0" * 32, "1" * 32}
    run = ScenarioRun.objects.get(progress_token="1" * 32)
    page = signed_in(billed, "analyst").get(f"/scenarios/{scenario.pk}/?run={run.pk}").content.decode()
    assert "Perhitungan gagal: server berhenti sebelum perhitungan selesai" in page


def test_a_run_through_the_api_is_computed_in_the_background(billed: World) -> None:
    """``POST /api/scenarios/<id>/runs`` answers 202 before the run is computed (its thread starts once the request
    commits); its status URL then says done, and its results are those of a run at the command line."""
    from tests.platform.client import Api

    scenario = services.save(billed.users["analyst"], "JKM dua kali", "iuran JKM dua kali", DOUBLE_JKM)
    analyst = Api(billed.tokens["analyst"])
    answer = analyst.call("POST", f"/api/scenarios/{scenario.pk}/runs", {"month": "2025-01"})
    assert background.wait(120)
    assert answer.status_code == 202, answer.content
    started = answer.json()
    # (the thread may have begun by the time the answer is written)
    assert started["status"] in ("queued", "running") and started["progress_url"].startswith("/progress/")
    status = analyst.call("GET", started["status_url"]).json()
    assert status["status"] == "done" and status["error"] is None and status["progress"]["finished"] is True
    results = analyst.call("GET", status["results_url"]).json()
    same = services.run(billed.users["analyst"], scenario.pk, MONTH)
    assert results["total"] == same.results["total"] and results["programmes"] == same.results["programmes"]
    # the status of another analyst's run: its status, not its starter's progress
    other = Api(billed.tokens["admin"]).call("GET", started["status_url"]).json()
    assert other["status"] == "done" and other["progress"] is None
