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


def test_save_version_run_and_read(billed: World, api: Any) -> None:
    first = _saved(api)
    assert first.status_code == 201 and first.json()["version"] == 1
    again = _saved(api, UNCHANGED)
    assert again.json()["id"] == first.json()["id"] and again.json()["version"] == 2
    sid = first.json()["id"]
    listed = api("admin").call("GET", "/api/scenarios").json()
    assert [(s["name"], s["version"]) for s in listed] == [("JKM x2", 2)]
    _saved(api)  # version 3: doubled again
    ran = api("analyst").call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-01"})
    assert ran.status_code == 201, ran.json()
    body = ran.json()
    assert body["version"] == 3 and body["month"] == "2025-01"
    jkm = next(p for p in body["programmes"] if p["programme"] == "JKM")
    assert jkm["reform_amount"] == 2 * jkm["baseline_amount"] > 0
    provinces = {row["province"]: row for row in body["by"]["province"]}
    assert provinces["35"]["label"] == "Jawa Timur" and provinces["35"]["delta_amount"] == 14_400
    read = api("analyst").call("GET", f"/api/scenario-runs/{body['id']}").json()
    assert read["total"] == body["total"]
    # what the run read, and the benefits of the month (no benefit payment due in January 2025: none, and no change)
    assert read["source"] == "registry" and read["engine"] == "duckdb"
    assert read["benefits"] == {"earlier": False, "programmes": []}
    detail = api("analyst").call("GET", f"/api/scenarios/{sid}").json()
    assert detail["runs"] == [{"id": body["id"], "version": 3, "month": "2025-01"}]


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
    saved = client.call("POST", "/api/scenarios", {"name": "mine", "description": "d", "parameters": UNCHANGED})
    assert saved.status_code == expected
    ran = client.call("POST", f"/api/scenarios/{sid}/runs", {"month": "2025-01"})
    assert ran.status_code == expected
    assert list(Scenario.objects.values_list("name", "version")) == [("JKM x2", 1)]
    assert ScenarioRun.objects.count() == 1
