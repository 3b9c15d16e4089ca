"""Every role against every API endpoint: the allowed answer, the others refuse (403/404, 401 anonymous).

Each write is checked for its effect: a refused one (any answer from 400 up) changes no stored row (every
table of the registry, contributions, claims and programmes, their history included, compared before and
after); an accepted one makes the change it names (``EFFECTS``), and a calculation that answers a POST
(the rules) changes nothing."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps

from tests.platform.matrix import API, NOT_FOUND, NOT_FOUND_ID, REFUSED_BEFORE_LOOKUP, Access
from tests.platform.records import (
    Shared,
    by_records,
    changed,
    shared_world_per_test,  # noqa: F401 (the fixture "world")
    snapshot,
)
from tests.platform.world import World

_counter = itertools.count(1)


def fill(value: Any, ids: dict[str, Any], n: int) -> Any:
    if isinstance(value, str):
        text = value.format(n=n, **ids)
        return int(text) if value.startswith("{") and value.endswith("}") and text.isdigit() else text
    if isinstance(value, dict):
        return {k: fill(v, ids, n) for k, v in value.items()}
    return value


Effect = Callable[[dict[str, Any], Any, dict[str, Any]], None]


def _model(label: str) -> Any:
    return apps.get_model(label)


def _created(label: str, **match: Any) -> Effect:
    def check(body: dict[str, Any], answer: Any, ids: dict[str, Any]) -> None:
        found = _model(label).objects.get(pk=answer["id"])
        for name, key in match.items():
            assert getattr(found, name) == body[key], (label, name)

    return check


def _patched(label: str, placeholder: str) -> Effect:
    def check(body: dict[str, Any], answer: Any, ids: dict[str, Any]) -> None:
        found = _model(label).objects.get(pk=ids[placeholder])
        assert found.name == body["name"] == answer["name"]

    return check


def _claim_status(placeholder: str, *statuses: str) -> Effect:
    def check(body: dict[str, Any], answer: Any, ids: dict[str, Any]) -> None:
        assert _model("claims.Claim").objects.get(pk=ids[placeholder]).status in statuses

    return check


def _document_added(placeholder: str) -> Effect:
    def check(body: dict[str, Any], answer: Any, ids: dict[str, Any]) -> None:
        claim = _model("claims.Claim").objects.get(pk=ids[placeholder])
        assert claim.documents.filter(file_name=body["file_name"], kind=body["kind"]).count() == 1

    return check


def _renewed(placeholder: str) -> Effect:
    def check(body: dict[str, Any], answer: Any, ids: dict[str, Any]) -> None:
        renewal = _model("programmes.Programme").objects.get(pk=answer["id"])
        assert renewal.renewed_from_id == ids[placeholder] and renewal.budget_amount == body["budget_amount"]

    return check


def _list_uploaded(placeholder: str) -> Effect:
    def check(body: dict[str, Any], answer: Any, ids: dict[str, Any]) -> None:
        found = _model("programmes.BeneficiaryList").objects.get(pk=answer["id"])
        assert found.programme_id == ids[placeholder] and found.status == "preview"

    return check


def _list_confirmed(placeholder: str) -> Effect:
    def check(body: dict[str, Any], answer: Any, ids: dict[str, Any]) -> None:
        found = _model("programmes.BeneficiaryList").objects.get(pk=ids[placeholder])
        assert found.status == "confirmed"
        assert _model("programmes.Beneficiary").objects.filter(programme_id=found.programme_id).count() == 1

    return check


# what an accepted write must have done, by the row's method and URL (placeholders unfilled)
EFFECTS: dict[tuple[str, str], Effect] = {
    ("POST", "/api/employers"): _created("registry.Employer", registration_number="registration_number", name="name"),
    ("POST", "/api/workers"): _created("registry.Worker", nik="nik", name="name", wage="wage"),
    ("PATCH", "/api/employers/{E33}"): _patched("registry.Employer", "E33"),
    ("PATCH", "/api/employers/{E35}"): _patched("registry.Employer", "E35"),
    ("PATCH", "/api/workers/{W33PU}"): _patched("registry.Worker", "W33PU"),
    ("PATCH", "/api/workers/{W35}"): _patched("registry.Worker", "W35"),
    ("POST", "/api/claims"): _created("claims.Claim", claim_type="claim_type", bank_account="bank_account"),
    ("POST", "/api/claims/{K_HEIR}/documents"): _document_added("K_HEIR"),
    ("POST", "/api/claims/{K_WORKER}/documents"): _document_added("K_WORKER"),
    ("POST", "/api/claims/{K_WORKER}/verify"): _claim_status("K_WORKER", "verified"),
    ("POST", "/api/claims/{K_W35}/verify"): _claim_status("K_W35", "verified"),
    ("POST", "/api/claims/{K_HEIR}/reject"): _claim_status("K_HEIR", "rejected"),
    ("POST", "/api/programmes"): _created("programmes.Programme", name="name", budget_amount="budget_amount"),
    ("POST", "/api/programmes/{P_CITY}/renewal"): _renewed("P_CITY"),
    ("POST", "/api/programmes/{P35}/renewal"): _renewed("P35"),
    ("POST", "/api/programmes/{P_CITY}/beneficiary-lists"): _list_uploaded("P_CITY"),
    ("POST", "/api/programmes/{P35}/beneficiary-lists"): _list_uploaded("P35"),
    ("POST", "/api/beneficiary-lists/{L_CITY}/confirm"): _list_confirmed("L_CITY"),
    ("POST", "/api/beneficiary-lists/{L35}/confirm"): _list_confirmed("L35"),
}
# answer a POST and store nothing: a calculation; stopping the instalments of a claim that has none (0 stopped)
CALCULATIONS = {
    ("POST", "/api/rules/pu_contributions"),
    ("POST", "/api/claims/{K_HEIR}/stop"),
    ("POST", "/api/projection"),
}


def send(api: Any, row: Access, url: str, body: dict[str, Any] | None, tmp_path: Path) -> Any:
    client = api(row.role)
    if body is not None and set(body) == {"file"}:  # a beneficiary list, uploaded as a file
        from tests.programmes.progkit import csv_file, person

        path = csv_file(tmp_path / body["file"], [person(7)])
        with path.open("rb") as f:
            return client.client.post(url, {"file": f}, headers=client.headers)
    return client.call(row.method, url, body)


@by_records(API)
def test_api_access(row: Access, shared_world: Shared, api: Any, tmp_path: Path) -> None:
    n = next(_counter)
    ids = shared_world.ids
    url, body = fill(row.url, ids, n), fill(row.body, ids, n) if row.body else None
    write = row.method != "GET"
    before = snapshot() if write else {}
    response = send(api, row, url, body, tmp_path)
    assert response.status_code == row.expected, response.content.decode()[:500]
    pdf = row.url.endswith(".pdf") and row.expected == 200
    assert response["Content-Type"].startswith("application/pdf" if pdf else "application/json")
    if not write:
        return
    after = snapshot()
    key = (row.method, row.url.split("?")[0])
    if row.expected >= 400 or key in CALCULATIONS:
        assert not changed(before, after), f"a refused write changed {sorted(changed(before, after))}"
        if key == ("POST", "/api/claims/{K_HEIR}/stop") and row.expected == 200:
            assert json.loads(response.content)["stopped"] == 0
    else:
        assert changed(before, after), "an accepted write changed nothing"
        assert key in EFFECTS, f"no effect check for the accepted {key}: add one to EFFECTS"
        EFFECTS[key](body or {}, json.loads(response.content), ids)


def test_only_the_not_found_rows_name_a_missing_id() -> None:
    """A literal id in a URL is the not-found check (labelled, 404 for everyone); every other row asks for a
    real record of the world through a placeholder."""
    literal = re.compile(r"/\d+(?=/|\?|$)")
    for row in API:
        if row in NOT_FOUND:
            assert str(NOT_FOUND_ID) in row.url and row.expected in (404, 401), row.id
        elif row in REFUSED_BEFORE_LOOKUP:  # 404 for the roles allowed, the others refused by role
            assert str(NOT_FOUND_ID) in row.url and row.expected in (404, 403, 401), row.id
        else:
            assert not literal.search(row.url), f"{row.id}: use a placeholder of a real record"
    labelled = {r.url for r in [*NOT_FOUND, *REFUSED_BEFORE_LOOKUP]}
    assert labelled >= {r.url for r in API if str(NOT_FOUND_ID) in r.url}


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
        "analyst": set(),
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
        "analyst": set(),
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
