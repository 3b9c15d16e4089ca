"""The scenarios' API on the billed world: save, version, run, read; refusals by field; every other role 403
with nothing stored or run."""

from __future__ import annotations

from typing import Any

import pytest

from paritrana.scenarios.models import Scenario, ScenarioRun
from tests.platform.world import World
from tests.scenarios.conftest import stored_run
from tests.scenarios.test_scenario_run import DOUBLE_JKM, UNCHANGED


def _saved(api: Any, text: str = DOUBLE_JKM, name: str = "JKM x2") -> Any:
    return api("analyst").call("POST", "/api/scenarios", {"name": name, "description": "doubled", "parameters": text})


@pytest.fixture
def inline(settings: Any) -> None:
    settings.PARITRANA_JOBS_INLINE = True  # the run in the test's transaction (its thread: test_scenario_background)


def test_save_version_run_and_read(billed: World, api: Any, inline: None) -> None:
    first = _saved(api)
    assert first.status_code == 201 and first.json()["version"] == 1
    again = _saved(api, UNCHANGED)
    assert again.json()["id"] == first.json()["id"] and again.json()["version"] == 2
    sid = first.json()["id"]
    listed = api("admin").call("GET", "/api/scenarios").json()
    assert [(s["name"], s["version"]) for s in listed] == [("JKM x2", 2)]
    _saved(api)  # version 3: doubled again
    ran = api("analyst").call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-01"})
    assert ran.status_code == 202, ran.json()
    started = ran.json()
    run = ScenarioRun.objects.get(pk=started["id"])
    assert started == {
        "id": run.pk, "status": "done", "status_url": f"/api/scenario-runs/{run.pk}/status",
        "progress_url": f"/progress/{run.progress_token}/", "results_url": f"/api/scenario-runs/{run.pk}",
    }  # fmt: skip
    status = api("analyst").call("GET", started["status_url"]).json()
    assert status["status"] == "done" and status["error"] is None and status["results_url"] == started["results_url"]
    assert status["progress"]["finished"] is True and status["progress"]["failed"] is False
    body = api("analyst").call("GET", started["results_url"]).json()
    assert body["version"] == 3 and body["month"] == "2025-01"
    jkm = next(p for p in body["programmes"] if p["programme"] == "JKM")
    assert jkm["reform_amount"] == 2 * jkm["baseline_amount"] > 0
    provinces = {row["province"]: row for row in body["by"]["province"]}
    assert provinces["35"]["label"] == "Jawa Timur" and provinces["35"]["delta_amount"] == 14_400
    read = body
    # what the run read, and the benefits of the month (no benefit payment due in January 2025: none, and no change)
    assert read["source"] == "registry" and read["engine"] == "duckdb"
    assert read["benefits"] == {"earlier": False, "programmes": []}
    detail = api("analyst").call("GET", f"/api/scenarios/{sid}").json()
    assert detail["runs"] == [
        {"id": body["id"], "version": 3, "span": "month", "month": "2025-01", "year": None, "period": "Januari 2025"}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "description": "y", "parameters": "jkm.pu.rates: {}"}, "parameters"),
        ({"name": " ", "description": "y", "parameters": DOUBLE_JKM}, "name"),
        ({"name": "x", "description": "y"}, "parameters"),
    ],
)
def test_a_bad_scenario_is_refused_naming_its_field(world: World, api: Any, body: dict[str, str], field: str) -> None:
    refused = api("analyst").call("POST", "/api/scenarios", body)
    assert refused.status_code in (400, 422)
    assert field in str(refused.json())
    assert not Scenario.objects.exists()


def test_a_month_not_written_as_one_is_refused(world: World, api: Any) -> None:
    sid = _saved(api).json()["id"]
    refused = api("analyst").call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-13"})
    assert refused.status_code in (400, 422) and "month" in str(refused.json())
    assert not ScenarioRun.objects.exists()


@pytest.mark.parametrize("role", ["province", "city", "branch", "hr", "worker", "heir", "assessor", "anonymous"])
def test_other_roles_are_refused_with_nothing_stored_or_run(billed: World, api: Any, role: str) -> None:
    sid = _saved(api).json()["id"]
    rid = stored_run(Scenario.objects.get()).pk
    client = api(role)
    expected = 401 if role == "anonymous" else 403
    assert client.call("GET", "/api/scenarios").status_code == expected
    assert client.call("GET", f"/api/scenarios/{sid}").status_code == expected
    assert client.call("GET", f"/api/scenario-runs/{rid}").status_code == expected
    assert client.call("GET", f"/api/scenario-runs/{rid}/status").status_code == expected
    saved = client.call("POST", "/api/scenarios", {"name": "mine", "description": "d", "parameters": UNCHANGED})
    assert saved.status_code == expected
    ran = client.call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-01"})
    assert ran.status_code == expected
    assert list(Scenario.objects.values_list("name", "version")) == [("JKM x2", 1)]
    assert ScenarioRun.objects.count() == 1


def test_a_failed_run_says_why_in_the_callers_language(billed: World, api: Any, inline: None) -> None:
    sid = _saved(api).json()["id"]
    # the law no longer takes the scenario (the parameter's unit changed since it was saved)
    Scenario.objects.filter(pk=sid).update(parameters=DOUBLE_JKM.replace("unit: rate", "unit: rupiah"))
    started = api("analyst").call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-01"}).json()
    assert started["status"] == "failed"
    status = api("analyst").call("GET", started["status_url"]).json()
    assert status["status"] == "failed" and "jkm.pu.rate" in status["error"] and status["results_url"] is None
    assert status["progress"]["failed"] is True
    unfinished = api("analyst").call("GET", started["results_url"])
    assert unfinished.status_code == 404 and unfinished.json()["detail"] == "hasil skenario belum ada: baca statusnya"
    english = api("analyst").call("GET", started["results_url"], HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "the run has no results: read its status"
    # an unexpected error: a fixed message in the caller's language, never its detail
    ScenarioRun.objects.filter(pk=started["id"]).update(error="")
    indonesian = api("analyst").call("GET", started["status_url"]).json()["error"]
    assert indonesian == "perhitungan terhenti karena kesalahan yang tidak terduga; rinciannya ada di log server"
    english_error = api("analyst").call("GET", started["status_url"], HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert english_error == "the computation stopped on an unexpected error; the server's log has the details"


def test_a_refused_run_is_said_in_both_languages_with_nothing_queued(world: World, api: Any) -> None:
    sid = _saved(api).json()["id"]
    analyst = api("analyst")
    bad = analyst.call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-13"}).json()["detail"][0]
    assert bad["loc"][-1] == "month" and bad["msg"] == "tulis bulan sebagai TTTT-BB, mis. 2026-03"
    english = analyst.call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-13"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"][0]["msg"] == "give the month as YYYY-MM, e.g. 2026-03"
    worker = api("worker")
    refused = worker.call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-01"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "skenario reformasi hanya untuk analis kebijakan dan administrator"
    refused_en = worker.call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused_en.json()["detail"] == "reform scenarios are for policy analysts and administrators"
    missing = analyst.call("GET", "/api/scenario-runs/999999/status", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and missing.json()["detail"] == "no such scenario run"
    assert not ScenarioRun.objects.exists()


def test_the_openapi_schema_says_a_run_is_started_and_polled(db: None) -> None:
    from django.test import Client

    paths = Client().get("/api/openapi.json").json()["paths"]
    post = paths["/api/scenarios/{scenario_id}/runs"]["post"]
    assert "202" in post["responses"] and "201" not in post["responses"] and "background" in post["summary"]
    started = post["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    status = paths["/api/scenario-runs/{run_id}/status"]["get"]["responses"]["200"]
    polled = status["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    assert set(schemas[started]["properties"]) == {"id", "status", "status_url", "progress_url", "results_url"}
    assert set(schemas[polled]["properties"]) == {"id", "status", "error", "progress", "results_url"}
    assert "queued, running, done or failed" in schemas[polled]["properties"]["status"]["description"]
