"""The contributions REST API with real bills: every role against bills, a bill's lines and PDF, payers,
payments and arrears. Out of scope is 404 (as absent), bad input 422 naming the field.

March 2025 of the billable world is billed by ``run_billing``; amounts are the rules engine's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from paritrana.contributions.models import Bill, Payer, Payment
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.rules import compute_one
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")
SEES = {
    "E33": {"admin", "branch", "hr"},
    "E35": {"admin"},
    "W33BPU": {"admin", "branch", "worker"},
    "CITY": {"admin", "branch", "city"},
}


@pytest.fixture
def bills(world: World) -> dict[str, Bill]:
    run_billing(MARCH)
    w = world.workers
    payers = {
        "E33": Payer.objects.get(employer=world.employers["E33"]),
        "E35": Payer.objects.get(employer=world.employers["E35"]),
        "W33BPU": Payer.objects.get(worker=w["W33BPU"]),
        "CITY": Payer.objects.get(sponsor=w["W33CITY"].sponsor),
    }
    return {k: Bill.objects.get(payer=p, period=MARCH, kind=Bill.Kind.CONTRIBUTION) for k, p in payers.items()}


def field_of(response: Any) -> list[Any]:
    return [item["loc"] for item in response.json()["detail"]]


def test_bills_list_is_scoped_for_every_role(bills: dict[str, Bill], api: Any) -> None:
    for role in ROLES:
        response = api(role).call("GET", "/api/bills")
        assert response.status_code == 200, role
        got = {item["id"] for item in response.json()["items"]}
        assert got == {bills[k].pk for k, roles in SEES.items() if role in roles}, role
    assert api("anonymous").call("GET", "/api/bills").status_code == 401


@pytest.mark.parametrize("key", sorted(SEES))
@pytest.mark.parametrize("url", ["/api/bills/{bill}", "/api/bills/{bill}/pdf", "/api/payers/{payer}"])
def test_a_bill_and_its_payer_by_id_within_scope(bills: dict[str, Bill], api: Any, key: str, url: str) -> None:
    bill = bills[key]
    path = url.format(bill=bill.pk, payer=bill.payer_id)
    for role in ROLES:
        assert api(role).call("GET", path).status_code == (200 if role in SEES[key] else 404), (role, path)
    assert api("anonymous").call("GET", path).status_code == 401


def test_a_bill_with_its_lines_rules_and_totals(world: World, bills: dict[str, Bill], api: Any) -> None:
    bill = bills["E33"]
    body = api("hr").call("GET", f"/api/bills/{bill.pk}").json()
    out = compute_one("pu_contributions", MARCH, {"wage": 3_000_000, "risk_group": 2}).outputs
    assert body["payer"] == {"id": bill.payer_id, "kind": "employer", "name": "PT Semarang", "identifier": "33000001"}
    assert body["period"] == "2025-03" and body["status"] == "overdue"
    assert body["amount"] == sum(line["amount"] for line in body["lines"]) == body["outstanding"]
    lines = {line["programme"]: line for line in body["lines"]}
    assert lines["JKK"]["amount"] == out["jkk"] and lines["JKM"]["amount"] == out["jkm"]
    assert lines["JHT"]["amount"] == out["jht_employer"] + out["jht_worker"]
    assert lines["JHT"]["worker_share"] == out["jht_worker"]
    assert all(line["rule"] == "pu_contributions" and line["law_date"] == "2025-03-01" for line in body["lines"])
    assert {line["worker"]["id"] for line in body["lines"]} == {world.workers["W33PU"].pk}
    assert body["rules"][0]["name"] == "pu_contributions" and "PP 46/2015" in body["rules"][0]["reference"]


def test_the_pdf_through_the_api(bills: dict[str, Bill], api: Any) -> None:
    bill = bills["E33"]
    response = api("hr").call("GET", f"/api/bills/{bill.pk}/pdf?lang=en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response["Content-Language"] == "en"
    bad = api("hr").call("GET", f"/api/bills/{bill.pk}/pdf?lang=fr")
    assert bad.status_code == 422 and field_of(bad) == [["query", "lang"]]


def test_filters_and_bad_filters(bills: dict[str, Bill], api: Any) -> None:
    admin = api("admin")
    assert admin.call("GET", "/api/bills?period=2025-03").json()["count"] == 4
    assert admin.call("GET", "/api/bills?period=2025-04").json()["count"] == 0
    only = admin.call("GET", f"/api/bills?payer={bills['E35'].payer_id}").json()["items"]
    assert [b["id"] for b in only] == [bills["E35"].pk]
    for query, field in (("period=2025-13", "period"), ("status=late", "status"), ("payer=0", "payer")):
        response = admin.call("GET", f"/api/bills?{query}")
        assert response.status_code == 422 and field_of(response) == [["query", field]], query


def test_hr_cannot_pay_by_its_word_and_sees_the_payments_from_the_bank(bills: dict[str, Bill], api: Any) -> None:
    own, other = bills["E33"], bills["E35"]
    hr = api("hr")
    body = {"amount": other.amount, "paid_on": "2025-04-10", "reference": "TRF-1"}
    assert hr.call("POST", f"/api/payers/{other.payer_id}/payments", body).status_code == 404
    refused = hr.call("POST", f"/api/payers/{own.payer_id}/payments", {**body, "amount": own.amount + 5_000})
    assert refused.status_code == 403  # decision 0009: money comes from the bank, never the payer's word
    assert not Payment.objects.exists()
    # the bank's line, posted by the system as a statement import does: HR sees where it went
    record_payment(None, own.payer_id, own.amount + 5_000, dt.date(2025, 4, 10), "TRF-1")
    detail = hr.call("GET", f"/api/bills/{own.pk}").json()
    assert detail["paid"] == own.amount and detail["outstanding"] == 0 and detail["status"] == "paid"
    assert detail["allocations"][0]["reference"] == "TRF-1"
    payer = hr.call("GET", f"/api/payers/{own.payer_id}").json()
    assert payer["credit"] == 5_000 and payer["arrears"] == [] and payer["arrears_amount"] == 0
    listed = hr.call("GET", f"/api/payers/{own.payer_id}/payments").json()
    assert [p["reference"] for p in listed["items"]] == ["TRF-1"]
    assert listed["items"][0]["allocations"] == [{"bill": own.pk, "period": "2025-03", "amount": own.amount}]


@pytest.mark.parametrize("key", sorted(SEES))
def test_no_role_posts_a_payment_by_its_word(bills: dict[str, Bill], api: Any, key: str) -> None:
    bill = bills[key]
    for role in ROLES:
        body = {"amount": 1000, "paid_on": "2025-04-01", "reference": f"R-{role}"}
        response = api(role).call("POST", f"/api/payers/{bill.payer_id}/payments", body)
        assert response.status_code == (403 if role in SEES[key] else 404), (role, key, response.content)
    assert not Payment.objects.filter(payer_id=bill.payer_id).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 0, "paid_on": "2025-04-01", "reference": "A"}, "amount"),
        ({"amount": -5, "paid_on": "2025-04-01", "reference": "A"}, "amount"),
        ({"amount": 1000, "paid_on": "2025-02-30", "reference": "A"}, "paid_on"),
        ({"amount": 1000, "paid_on": "2025-04-01", "reference": ""}, "reference"),
        ({"amount": 1000, "paid_on": "2025-04-01", "reference": "A", "amonut": 1}, "amonut"),
        ({"paid_on": "2025-04-01", "reference": "A"}, "amount"),
    ],
)
def test_a_bad_payment_names_the_field(bills: dict[str, Bill], api: Any, body: dict[str, Any], field: str) -> None:
    response = api("hr").call("POST", f"/api/payers/{bills['E33'].payer_id}/payments", body)
    assert response.status_code == 422
    assert ["body", field] in [loc[:2] for loc in field_of(response)] or ["body", "body", field] in field_of(response)
    assert not Payment.objects.exists()


def test_arrears_and_payers_lists_are_scoped(bills: dict[str, Bill], api: Any) -> None:
    for role in ROLES:
        arrears = api(role).call("GET", "/api/arrears").json()
        expected = {bills[k].payer_id for k, roles in SEES.items() if role in roles}
        assert {p["id"] for p in arrears["items"]} == expected, role
        assert {p["id"] for p in api(role).call("GET", "/api/payers").json()["items"]} == expected, role
    items = {p["id"]: p for p in api("admin").call("GET", "/api/arrears").json()["items"]}
    e33 = bills["E33"]
    assert items[e33.payer_id]["overdue_amount"] == e33.amount and items[e33.payer_id]["overdue_bills"] == 1
