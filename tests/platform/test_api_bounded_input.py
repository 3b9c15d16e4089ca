"""Bounded input in the API and on the pages: membership start and calculator dates within sensible years, booleans
refused as numbers, whole numbers beyond 64 bits (or the money bound) a 422 naming the field for every rule of the
calculator, a page's month filter past 2100 a form error (never a 500), bidirectional controls stripped from names,
and the answers of the Indonesian default in Indonesian only. Each refusal stores nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from world import World

from paritrana.contributions.models import WageReport
from paritrana.registry.models import Membership, Worker
from paritrana.registry.nik import make_nik
from paritrana.rules import all_rules

BIRTH = dt.date(1990, 5, 17)
RULE_CASES = Path(__file__).resolve().parents[1] / "rules"


def bpu_worker(serial: int, **changes: Any) -> dict[str, Any]:
    return {
        "nik": make_nik("33.74.01", BIRTH, "M", serial),
        "name": "Budi Santoso",
        "birth_date": BIRTH.isoformat(),
        "sex": "M",
        "occupation": "farmer",
        "region": "33.74",
        "scheme": "BPU",
        "wage": 2_000_000,
        **changes,
    }


def english(client: Any) -> Any:
    client.client.cookies["django_language"] = "en"
    return client


def refused_field(response: Any) -> tuple[str, str]:
    assert response.status_code == 422, response.content
    [item] = response.json()["detail"]
    return str(item["loc"][-1]), item["msg"]


@pytest.mark.parametrize("start", ["0001-01-01", "1976-12-31", "9999-12-31"])
def test_a_membership_start_outside_1977_to_a_year_ahead_is_refused(world: World, api: Any, start: str) -> None:
    workers = Worker.objects.count()
    field, message = refused_field(english(api("admin")).call("POST", "/api/workers", bpu_worker(61, start=start)))
    assert field == "start" and "1977-01-01" in message and "PP 33/1977" in message
    assert Worker.objects.count() == workers


def test_a_membership_start_within_the_bounds_is_kept(world: World, api: Any) -> None:
    response = api("admin").call("POST", "/api/workers", bpu_worker(62, start="1977-01-01"))
    assert response.status_code == 201, response.content
    starts = set(Membership.objects.filter(worker_id=response.json()["id"]).values_list("start", flat=True))
    assert starts == {dt.date(1977, 1, 1)}


@pytest.mark.parametrize(
    ("field", "value"), [("wage", True), ("wage", 2**63), ("wage", 2**64), ("employer", True), ("wage", "9" * 5_000)]
)
def test_booleans_and_huge_numbers_are_refused_naming_the_field(world: World, api: Any, field: str, value: Any) -> None:
    workers = Worker.objects.count()
    named, _ = refused_field(api("admin").call("POST", "/api/workers", bpu_worker(63, **{field: value})))
    assert named == field
    e33, w = world.employers["E33"].pk, world.workers["W33PU"]
    report = {"nik": w.nik, "period": "2025-03", "wage": value}
    named, _ = refused_field(api("admin").call("POST", f"/api/employers/{e33}/wage-reports", report))
    assert named == "wage"
    assert Worker.objects.count() == workers and WageReport.objects.count() == 0


def valid_cases() -> dict[str, tuple[str, dict[str, Any]]]:
    """For each rule, the date and inputs of its first legal case that computes (tests/rules/*.yaml)."""
    cases: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(RULE_CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()) or []:
            if isinstance(case, dict) and "error" not in case and case.get("rule") not in cases:
                inputs = {
                    k: v.isoformat() if isinstance(v, dt.date) else v for k, v in (case.get("inputs") or {}).items()
                }
                cases[case["rule"]] = (str(case["date"]), inputs)
    return cases


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**16, "99999999999999999999999"])
def test_every_whole_number_input_of_the_calculator_is_bounded(world: World, api: Any, value: Any) -> None:
    client = english(api("worker"))
    cases = valid_cases()
    checked = 0
    for rule in all_rules():
        if rule.name not in cases:
            continue
        date, inputs = cases[rule.name]
        for field in (f.name for f in rule.inputs if f.dtype == "int64"):
            body = {"date": date, "inputs": {**inputs, field: value}}
            response = client.call("POST", f"/api/rules/{rule.name}", body)
            assert response.status_code == 422, (rule.name, field, response.content[:200])
            assert response.json()["detail"][0]["loc"] == ["body", "inputs", field], (rule.name, response.json())
            checked += 1
    assert checked >= 30


def test_a_boolean_input_is_not_a_number_in_the_calculator(world: World, api: Any) -> None:
    response = api("worker").call("POST", "/api/rules/pu_contributions", {"date": "2025-03-01", "inputs": {"wage": True, "risk_group": 1}})  # fmt: skip
    assert refused_field(response)[0] == "wage"


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_calculator_dates_are_bounded(world: World, api: Any, date: str) -> None:
    client = english(api("worker"))
    response = client.call("POST", "/api/rules/pu_contributions", {"date": date, "inputs": {"wage": 5_000_000, "risk_group": 1}})  # fmt: skip
    field, message = refused_field(response)
    assert field == "date" and "1900-01-01" in message and "2100-12-31" in message


@pytest.mark.parametrize("period", ["9999-12", "2101-01", "0000-01", "abc"])
def test_a_month_filter_of_a_page_is_a_form_error_never_a_500(world: World, period: str) -> None:
    admin = Client()
    admin.force_login(world.users["admin"])
    admin.cookies["django_language"] = "en"
    e33 = world.employers["E33"].pk
    for url in (f"/follow-up/?period={period}", f"/employers/{e33}/compliance/?period={period}"):
        response = admin.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)
        assert "is not a month" in response.content.decode(), url
    api_answer = Client().get(
        f"/api/employers/{e33}/compliance?period={period}",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['admin']}",
    )
    assert 400 <= api_answer.status_code < 500


@pytest.mark.parametrize("period", ["2117-11", "2101-01"])
def test_a_month_past_2100_is_a_422_in_the_wage_api(world: World, api: Any, period: str) -> None:
    e33, w = world.employers["E33"].pk, world.workers["W33PU"]
    admin = english(api("admin"))
    assert refused_field(admin.call("GET", f"/api/employers/{e33}/wage-reports?period={period}"))[0] == "period"
    report = {"nik": w.nik, "period": period, "wage": 3_500_000}
    assert refused_field(admin.call("POST", f"/api/employers/{e33}/wage-reports", report))[0] == "period"
    assert WageReport.objects.count() == 0


def test_bidi_controls_are_stripped_from_names(world: World, api: Any) -> None:
    body = bpu_worker(64, name="\u202eBudi\u2066 Santoso\u200f")
    response = api("admin").call("POST", "/api/workers", body)
    assert response.status_code == 201, response.content
    assert Worker.objects.get(pk=response.json()["id"]).name == "Budi Santoso"
    patch = api("admin").call("PATCH", f"/api/workers/{response.json()['id']}", {"name": "Siti\u202d Aminah"})
    assert patch.status_code == 200 and Worker.objects.get(pk=response.json()["id"]).name == "Siti Aminah"
    empty = api("admin").call("POST", "/api/workers", bpu_worker(65, name="\u202e\u202c"))
    assert refused_field(empty)[0] == "name"


ENGLISH = re.compile(r"\b(does|not|exist|is|the|future|digits|encode|must|whole|number|required|true|false)\b")


def test_indonesian_answers_speak_indonesian_only(world: World, api: Any) -> None:
    admin = api("admin")  # no language cookie: Bahasa Indonesia
    answers = [
        admin.call("GET", "/api/workers/987654").json()["detail"],
        refused_field(admin.call("POST", "/api/workers", bpu_worker(66, birth_date="2999-01-01")))[1],
        refused_field(admin.call("POST", "/api/workers", bpu_worker(67, wage=True)))[1],
        refused_field(admin.call("POST", "/api/workers", bpu_worker(68, start="0001-01-01")))[1],
        refused_field(admin.call("POST", "/api/workers", {**bpu_worker(69), "nik": make_nik("33.74.01", BIRTH, "M", 69)[:6] + "010180" + "0069"}))[1],
        refused_field(admin.call("POST", "/api/rules/pu_contributions", {"date": "2025-03-01", "inputs": {"wage": 2**63, "risk_group": 1}}))[1],
    ]  # fmt: skip
    for answer in answers:
        assert not ENGLISH.search(answer), answer
    assert answers[0] == "pekerja 987654 tidak ada"
    missing = {k: v for k, v in bpu_worker(70).items() if k != "name"}
    assert refused_field(admin.call("POST", "/api/workers", missing)) == ("name", "wajib diisi")
