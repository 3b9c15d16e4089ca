"""Every role against every API endpoint: the allowed answer, the others refuse (403/404, 401 anonymous)."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from tests.platform.matrix import API, Access
from tests.platform.world import World

_counter = itertools.count(1)


def fill(value: Any, ids: dict[str, Any], n: int) -> Any:
    if isinstance(value, str):
        text = value.format(n=n, **ids)
        return int(text) if value.startswith("{") and value.endswith("}") and text.isdigit() else text
    if isinstance(value, dict):
        return {k: fill(v, ids, n) for k, v in value.items()}
    return value


def claim_ids(world: World) -> dict[str, int]:
    """The claims of the matrix's claim rows, filed through the use cases (see matrix.py)."""
    from paritrana.claims.services import claims as svc
    from paritrana.claims.types import TYPES

    def docs(claim_type: str) -> list[Any]:
        pdf = b"%PDF-1.4\n%%EOF\n"
        return [svc.Upload(d.code, f"{d.code}.pdf", pdf) for d in TYPES[claim_type].documents if d.required]

    medical = {"event_date": "2025-06-02", "kind": "land", "claimed": 500_000}
    users, w35 = world.users, world.workers["W35"].pk
    k_worker = svc.submit(users["worker"], "jkk_medical", medical, docs("jkk_medical"), bank_account="BRI 1")
    k_heir = svc.submit(users["heir"], "jkm", {"event_date": "2025-06-02"}, docs("jkm"), bank_account="BRI 2")
    k_w35 = svc.submit(users["admin"], "jkk_medical", medical, docs("jkk_medical"), worker_id=w35, bank_account="3")
    k_done = svc.submit(users["heir"], "jkm", {"event_date": "2025-06-02"}, docs("jkm"), bank_account="BRI 4")
    svc.reject(users["branch"], k_done.pk, "the death certificate is not legible")
    return {"K_WORKER": k_worker.pk, "K_HEIR": k_heir.pk, "K_W35": k_w35.pk, "K_DONE": k_done.pk}


@pytest.mark.parametrize("row", API, ids=[r.id for r in API])
def test_api_access(row: Access, world: World, api: Any) -> None:
    n = next(_counter)
    ids = world.ids()
    if "{K_" in row.url:
        ids.update(claim_ids(world))
    response = api(row.role).call(row.method, fill(row.url, ids, n), fill(row.body, ids, n) if row.body else None)
    assert response.status_code == row.expected, response.content.decode()[:500]
    pdf = row.url.endswith(".pdf") and row.expected == 200
    assert response["Content-Type"].startswith("application/pdf" if pdf else "application/json")


def test_scoped_lists(world: World, api: Any) -> None:
    """The lists hold exactly the records in scope."""
    expected_workers = {
        "admin": {"W33PU", "W33CITY", "W33BPU", "W35"},
        "branch": {"W33PU", "W33CITY", "W33BPU"},
        "province": {"W33PU", "W33CITY", "W33BPU"},
        "city": {"W33PU", "W33CITY"},
        "hr": {"W33PU"},
        "worker": {"W33BPU"},
        "heir": {"W33PU"},
        "assessor": set(),
    }
    expected_employers = {
        "admin": {"E33", "E33B", "E35"},
        "branch": {"E33", "E33B"},
        "province": {"E33", "E33B"},
        "city": {"E33"},
        "hr": {"E33"},
        "worker": set(),
        "heir": set(),
        "assessor": set(),
    }
    names = {v.pk: k for k, v in world.workers.items()} | {v.pk + 10**9: k for k, v in world.employers.items()}
    for role, expected in expected_workers.items():
        body = json.loads(api(role).call("GET", "/api/workers").content)
        assert {names[i["id"]] for i in body["items"]} == expected, role
        assert body["count"] == len(expected)
    for role, expected in expected_employers.items():
        body = json.loads(api(role).call("GET", "/api/employers").content)
        assert {names[i["id"] + 10**9] for i in body["items"]} == expected, role


def test_search_by_nik_and_name(world: World, api: Any) -> None:
    nik = world.workers["W33PU"].nik
    body = json.loads(api("branch").call("GET", f"/api/workers?nik={nik[:10]}").content)
    assert [i["nik"] for i in body["items"]] == [nik]
    body = json.loads(api("branch").call("GET", "/api/workers?q=w33c").content)
    assert [i["name"] for i in body["items"]] == ["Worker W33CITY"]
    # another province's worker is not found by NIK either
    body = json.loads(api("branch").call("GET", f"/api/workers?nik={world.workers['W35'].nik}").content)
    assert body["items"] == []
