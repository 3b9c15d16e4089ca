"""The REST API: the OpenAPI document, 422 answers naming the field, session log-in with CSRF."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.utils.crypto import get_random_string
from world import World


def test_openapi_document_and_docs_are_served(db: None) -> None:
    client = Client()
    doc = client.get("/api/openapi.json")
    assert doc.status_code == 200
    paths = doc.json()["paths"]
    for path in ("/api/regions", "/api/employers", "/api/employers/{employer_id}", "/api/workers", "/api/workers/{worker_id}", "/api/rules", "/api/rules/{name}"):  # fmt: skip
        assert path in paths
    assert "422" in paths["/api/workers"]["post"]["responses"]
    assert client.get("/api/docs").status_code == 200


def test_bad_body_gets_422_naming_the_field(world: World, api: Any) -> None:
    admin = api("admin")
    # a type error caught by the schema
    r = admin.call("POST", "/api/workers", {"nik": "1", "name": "x", "birth_date": "not a date", "sex": "M", "occupation": "farmer", "region": "33.01", "scheme": "BPU", "wage": 0})  # fmt: skip
    assert r.status_code == 422
    assert any(item["loc"][-1] == "birth_date" for item in r.json()["detail"])
    # a domain error from the use case: the NIK's problem, named, in Bahasa Indonesia unless English is chosen
    body = {"nik": "337401", "name": "x", "birth_date": "1990-01-01", "sex": "M", "occupation": "farmer", "region": "33.01", "scheme": "BPU", "wage": 0}  # fmt: skip
    r = admin.call("POST", "/api/workers", body)
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"loc": ["body", "nik"], "msg": "NIK 3374… terdiri atas 6 digit; seharusnya 16", "type": "value_error"}
    ]
    admin.client.cookies["django_language"] = "en"
    r = admin.call("POST", "/api/workers", body)
    assert r.json()["detail"] == [
        {"loc": ["body", "nik"], "msg": "NIK 3374… has 6 digits; it needs 16", "type": "value_error"}
    ]
    # malformed JSON is a 4xx too, never a 500
    r = admin.client.post("/api/workers", data="{", content_type="application/json", headers=admin.headers)
    assert 400 <= r.status_code < 500


def test_calculator_explains_and_names_bad_inputs(world: World, api: Any) -> None:
    r = api("worker").call("POST", "/api/rules/pu_contributions", {"date": "2024-05-01", "inputs": {"wage": 5000000, "risk_group": 1}})  # fmt: skip
    assert r.status_code == 200
    body = r.json()
    assert body["outputs"]["jkk"] == 12000
    assert body["explanation"]["parameters"]
    r = api("worker").call("POST", "/api/rules/pu_contributions", {"date": "2024-05-01", "inputs": {"wage": -5, "risk_group": 1}})  # fmt: skip
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "inputs", "wage"]
    assert (
        api("worker").call("POST", "/api/rules/no_such_rule", {"date": "2024-05-01", "inputs": {}}).status_code == 404
    )


def test_session_auth_needs_csrf_for_writes(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])
    assert client.get("/api/me").json()["role"] == "admin"
    r = client.patch(
        f"/api/workers/{world.workers['W33PU'].pk}", data=json.dumps({"name": "X"}), content_type="application/json"
    )
    assert r.status_code == 403
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    r = client.patch(
        f"/api/workers/{world.workers['W33PU'].pk}",
        data=json.dumps({"name": "Budi"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "Budi"


def test_bad_tokens_are_refused(world: World) -> None:
    client = Client()
    assert client.get("/api/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/me").status_code == 401


def test_lists_do_not_query_per_item(world: World, api: Any, django_assert_max_num_queries: Any) -> None:
    for url in ("/api/workers?limit=500", "/api/employers?limit=500", "/api/regions?limit=500"):
        with django_assert_max_num_queries(8):
            assert api("admin").call("GET", url).status_code == 200


def test_a_body_that_is_not_an_object_or_has_unknown_fields_is_422(world: World, api: Any) -> None:
    url = f"/api/workers/{world.workers['W33PU'].pk}"
    r = api("admin").call("PATCH", url, [None, None])
    assert r.status_code == 422
    r = api("admin").call("PATCH", url, {"nmae": "x"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "nmae"
