"""The API answers in the caller's language (decision 0040): ``Accept-Language`` (the language cookie first, as for
the pages), Bahasa Indonesia when neither is given or the language is not one the site speaks. Every message comes
from the catalogues: the rules' refusal reasons, a calculator input out of bounds, a field's validation error, the
401, 403, 404 and 429 answers. The pages still ignore ``Accept-Language``."""

from __future__ import annotations

from typing import Any

import pytest

from paritrana.accounts.models import RequestCount
from tests.platform.world import World

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
TOO_YOUNG = {
    "date": "2024-04-30",
    "inputs": {
        "event": "age_56",
        "balance": 40000000,
        "birth_date": "1968-05-01",
        "event_date": "2024-04-30",
        "membership_start": "2000-01-01",
    },
}
WORKER = {"nik": "337401", "name": "x", "birth_date": "1990-01-01", "sex": "M", "occupation": "farmer", "region": "33.01", "scheme": "BPU", "wage": 0}  # fmt: skip


def detail(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content[:400]
    return response.json()["detail"]


def test_a_rules_refusal_in_the_callers_language(world: World, api: Any) -> None:
    worker = api("worker")
    outputs = worker.call("POST", "/api/rules/jht_withdrawal", TOO_YOUNG).json()["outputs"]
    assert outputs["eligible"] is False and outputs["reason"] == "peserta belum berusia 56 tahun"
    english = worker.call("POST", "/api/rules/jht_withdrawal", TOO_YOUNG, **ENGLISH).json()["outputs"]
    assert english["reason"] == "the member is not yet 56"
    # a language the site does not speak is Bahasa Indonesia, the default
    french = worker.call("POST", "/api/rules/jht_withdrawal", TOO_YOUNG, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["outputs"]["reason"] == "peserta belum berusia 56 tahun"
    # the rules it lists: titles and descriptions in the caller's language, keys as they are
    listed = {r["name"]: r for r in worker.call("GET", "/api/rules", **ENGLISH).json()}
    indonesian = {r["name"]: r for r in worker.call("GET", "/api/rules").json()}
    assert listed["jht_withdrawal"]["title"] != indonesian["jht_withdrawal"]["title"]
    assert [f["name"] for f in listed["jht_withdrawal"]["inputs"]] == [
        f["name"] for f in indonesian["jht_withdrawal"]["inputs"]
    ]


def test_a_calculator_input_out_of_bounds_names_the_field_in_both_languages(world: World, api: Any) -> None:
    body = {"date": "2024-05-01", "inputs": {"wage": -5, "risk_group": 1}}
    [indonesian] = detail(api("worker").call("POST", "/api/rules/pu_contributions", body), 422)
    [english] = detail(api("worker").call("POST", "/api/rules/pu_contributions", body, **ENGLISH), 422)
    assert indonesian["loc"] == english["loc"] == ["body", "inputs", "wage"]
    assert english["msg"] == "must be at least 0 (got -5)"
    assert indonesian["msg"] == "paling kecil 0 (diisi -5)"


def test_validation_errors_name_the_field_in_both_languages(world: World, api: Any) -> None:
    admin = api("admin")
    [nik] = detail(admin.call("POST", "/api/workers", WORKER, **ENGLISH), 422)
    assert nik == {"loc": ["body", "nik"], "msg": "NIK 3374… has 6 digits; it needs 16", "type": "value_error"}
    [nik] = detail(admin.call("POST", "/api/workers", WORKER), 422)
    assert nik["loc"] == ["body", "nik"] and nik["msg"] == "NIK 3374… terdiri atas 6 digit; seharusnya 16"
    # the schema's own check (pydantic's message) as well
    nameless = {k: v for k, v in WORKER.items() if k != "name"}
    missing = detail(admin.call("POST", "/api/workers", nameless, **ENGLISH), 422)
    assert missing[0]["loc"][-1] == "name" and missing[0]["msg"] == "Field required"
    missing = detail(admin.call("POST", "/api/workers", nameless), 422)
    assert missing[0]["loc"][-1] == "name" and missing[0]["msg"] == "wajib diisi"
    # the language cookie (the pages' switch) comes first, as on the pages
    admin.client.cookies["django_language"] = "id"
    [nik] = detail(admin.call("POST", "/api/workers", WORKER, **ENGLISH), 422)
    assert nik["msg"] == "NIK 3374… terdiri atas 6 digit; seharusnya 16"


def test_401_403_404_in_both_languages(world: World, api: Any) -> None:
    anonymous = api("nobody")
    assert detail(anonymous.call("GET", "/api/workers", **ENGLISH), 401).startswith("sign in first")
    assert detail(anonymous.call("GET", "/api/workers"), 401).startswith("masuk dahulu")
    hr = api("hr")
    english = detail(hr.call("GET", "/api/follow-up?period=2024-05", **ENGLISH), 403)
    assert english == "your role does not see the compliance follow-up list"
    indonesian = detail(hr.call("GET", "/api/follow-up?period=2024-05"), 403)
    assert indonesian != english and "follow-up" not in indonesian
    admin = api("admin")
    assert detail(admin.call("GET", "/api/workers/99999999", **ENGLISH), 404) == "worker 99999999 does not exist"
    assert detail(admin.call("GET", "/api/workers/99999999"), 404) == "pekerja 99999999 tidak ada"
    assert detail(admin.call("POST", "/api/rules/no_such_rule", TOO_YOUNG, **ENGLISH), 404) == (
        "there is no rule named no_such_rule"
    )
    assert "no_such_rule" in detail(admin.call("POST", "/api/rules/no_such_rule", TOO_YOUNG), 404)


def test_the_public_calculator_api_is_limited_per_address_with_the_pages(world: World, api: Any, settings: Any) -> None:
    """Open without a token as the calculator's pages are; one count per address with those pages (a 429 in the
    caller's language with Retry-After); a caller with a token is not counted."""
    settings.PARITRANA_PUBLIC_PER_MINUTE = 3
    anonymous = api("nobody")
    anonymous.client.defaults["REMOTE_ADDR"] = "198.51.100.20"
    assert anonymous.client.get("/calculator/pu_contributions/?date=2024-05-01&wage=5000000").status_code == 200
    assert anonymous.call("GET", "/api/rules").status_code == 200
    assert anonymous.call("POST", "/api/rules/jht_withdrawal", TOO_YOUNG).status_code == 200
    refused = anonymous.call("POST", "/api/rules/jht_withdrawal", TOO_YOUNG)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert detail(refused, 429).startswith("Terlalu banyak permintaan dari alamat Anda")
    english = anonymous.call("GET", "/api/rules", **ENGLISH)
    assert detail(english, 429).startswith("Too many requests from your address")
    assert anonymous.client.get("/calculator/").status_code == 429  # the pages count with the API
    # a signed-in caller from the same address is not held back
    assert (
        api("worker").call("POST", "/api/rules/jht_withdrawal", TOO_YOUNG, REMOTE_ADDR="198.51.100.20").status_code
        == 200
    )
    # nothing else of the API is open to the anonymous
    assert anonymous.call("GET", "/api/claims").status_code == 401
    assert RequestCount.objects.get(address="198.51.100.20").count == 6


@pytest.mark.parametrize("header", ["en", "en-US,en;q=0.9"])
def test_the_pages_still_speak_indonesian_whatever_the_browser_asks(world: World, client: Any, header: str) -> None:
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE=header)
    assert page.status_code == 200 and 'lang="id"' in page.content.decode()
