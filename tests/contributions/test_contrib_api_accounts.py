"""A worker's JHT statement (and, as they land, month status and an employer's compliance) through the API:
every role, the answer's numbers against the ledger, refusals naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import balance, withdraw
from paritrana.rules import compute_one
from tests.platform.world import World

ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")
JHT_SEES = {
    "W33PU": {"admin", "branch", "heir"},
    "W33BPU": {"admin", "branch", "worker"},
    "W33CITY": {"admin", "branch"},
    "W35": {"admin"},
}


@pytest.fixture
def jht(world: World) -> int:
    """W33PU: March 2025's JHT (pu_contributions) credited on 10 April, 50.000 withdrawn on 2 May."""
    w = world.workers["W33PU"]
    out = compute_one("pu_contributions", dt.date(2025, 3, 1), {"wage": 3_000_000, "risk_group": 2}).outputs
    amount = int(out["jht_employer"] + out["jht_worker"])
    JhtEntry.objects.create(
        worker=w, kind="contribution", value_date=dt.date(2025, 4, 10), amount=amount, reference="2025-03"
    )
    withdraw(world.users["admin"], w.pk, 50_000, dt.date(2025, 5, 2), "WD-1")
    return amount


@pytest.mark.parametrize("key", sorted(JHT_SEES))
@pytest.mark.parametrize("suffix", ["", "/pdf"])
def test_jht_statement_by_role(world: World, jht: int, api: Any, key: str, suffix: str) -> None:
    url = f"/api/workers/{world.workers[key].pk}/jht-statement{suffix}?start=2025-01-01&end=2025-12-31"
    for role in ROLES:
        assert api(role).call("GET", url).status_code == (200 if role in JHT_SEES[key] else 404), (role, url)
    assert api("anonymous").call("GET", url).status_code == 401


def test_jht_statement_numbers(world: World, jht: int, api: Any) -> None:
    w = world.workers["W33PU"]
    body = api("heir").call("GET", f"/api/workers/{w.pk}/jht-statement?start=2025-04-11&end=2025-06-30").json()
    assert body["worker"] == {"id": w.pk, "nik": w.nik, "name": w.name}
    assert body["opening_balance"] == jht == balance(w.pk, dt.date(2025, 4, 10))
    assert body["closing_balance"] == jht - 50_000 == balance(w.pk, dt.date(2025, 6, 30))
    assert body["entries"] == [
        {
            "value_date": "2025-05-02",
            "kind": "withdrawal",
            "amount": -50_000,
            "balance": jht - 50_000,
            "reference": "WD-1",
            "year": None,
        }
    ]
    assert body["totals"] == {"contribution": 0, "return": 0, "withdrawal": -50_000}
    assert {r["name"] for r in body["rules"]} >= {"jht_yearly_return"}
    pdf = api("heir").call("GET", f"/api/workers/{w.pk}/jht-statement/pdf?lang=en")
    assert pdf.content.startswith(b"%PDF-") and pdf["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("query", "loc", "well_formed"),
    [
        ("start=2025-12-31&end=2025-01-01", "end", True),
        ("start=1800-01-01&end=2025-01-01", "start", True),
        ("start=2025-02-30", "start", False),
        ("end=someday", "end", False),
    ],
)
def test_jht_statement_bad_dates(world: World, jht: int, api: Any, query: str, loc: str, well_formed: bool) -> None:
    url = f"/api/workers/{world.workers['W33PU'].pk}/jht-statement?{query}"
    response = api("admin").call("GET", url)
    assert response.status_code == 422
    assert loc in [item["loc"][-1] for item in response.json()["detail"]]
    # well-formed dates: out of scope answers first (a refused role learns nothing); malformed: the schema's 422
    assert api("hr").call("GET", url).status_code == (404 if well_formed else 422)


SEES_WORKER = {
    "W33PU": {"admin", "branch", "province", "city", "hr", "heir"},
    "W33BPU": {"admin", "branch", "province", "worker"},
    "W35": {"admin"},
}
SEES_EMPLOYER = {"E33": {"admin", "branch", "province", "city", "hr"}, "E35": {"admin"}}


def months_back(n: int) -> dt.date:
    month = dt.date.today().replace(day=1)
    for _ in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def billed(world: World) -> dict[str, dt.date]:
    """E33 billed three months back (paid on time by HR) and two back (unpaid); Jawa Tengah's minimum wage
    is a test value above W33PU's wage (an administrator's data, not a parameter of the law)."""
    from paritrana.contributions.models import Bill
    from paritrana.contributions.services.billing import run_billing
    from paritrana.contributions.services.payments import record_payment
    from paritrana.contributions.services.status import set_minimum_wage

    e33 = world.employers["E33"]
    months = {"paid": months_back(3), "unpaid": months_back(2)}
    for month in months.values():
        run_billing(month, employer_ids=[e33.pk])
    paid = Bill.objects.get(payer__employer=e33, period=months["paid"])
    record_payment(None, paid.payer_id, paid.amount, months["unpaid"].replace(day=10), "TRF-1")
    set_minimum_wage(world.users["admin"], "33", dt.date(2024, 1, 1), 3_500_000, "test decree")
    return months


@pytest.mark.parametrize("key", sorted(SEES_WORKER))
def test_worker_status_by_role(world: World, api: Any, key: str) -> None:
    url = f"/api/workers/{world.workers[key].pk}/status?months=3"
    for role in ROLES:
        assert api(role).call("GET", url).status_code == (200 if role in SEES_WORKER[key] else 404), role
    assert api("anonymous").call("GET", url).status_code == 401


def test_worker_status_months(world: World, billed: dict[str, dt.date], api: Any) -> None:
    w = world.workers["W33PU"]
    body = api("hr").call("GET", f"/api/workers/{w.pk}/status?months=5").json()
    assert body["worker"]["id"] == w.pk and len(body["months"]) == 5
    statuses = {m["month"]: m["status"] for m in body["months"]}
    assert statuses[f"{billed['paid']:%Y-%m}"] == "paid"
    assert statuses[f"{billed['unpaid']:%Y-%m}"] == "unpaid"
    assert statuses[f"{months_back(0):%Y-%m}"] == "not billed"
    assert body["months"][0]["month"] == f"{months_back(0):%Y-%m}"  # newest first
    for query in ("months=0", "months=121", "months=x"):
        bad = api("hr").call("GET", f"/api/workers/{w.pk}/status?{query}")
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "months"], query


@pytest.mark.parametrize("key", sorted(SEES_EMPLOYER))
def test_compliance_by_role(world: World, api: Any, key: str) -> None:
    url = f"/api/employers/{world.employers[key].pk}/compliance?period=2025-03"
    for role in ROLES:
        assert api(role).call("GET", url).status_code == (200 if role in SEES_EMPLOYER[key] else 404), role
    assert api("anonymous").call("GET", url).status_code == 401


def test_compliance_numbers(world: World, billed: dict[str, dt.date], api: Any) -> None:
    e33 = world.employers["E33"]
    body = api("branch").call("GET", f"/api/employers/{e33.pk}/compliance?period={billed['paid']:%Y-%m}").json()
    assert body["workers"] == 1 and body["paid_up"] == 1 and body["share_paid_up"] == "1/1"
    assert body["required_programmes"] == ["JKK", "JKM", "JHT", "JP"]
    assert body["minimum_wage"]["amount"] == 3_500_000 and body["minimum_wage"]["region"] == "33"
    assert body["below_minimum_wage"] == 1 and body["missing_programme"] == 0
    assert [f["worker"]["id"] for f in body["flagged"]] == [world.workers["W33PU"].pk]
    assert body["flagged"][0]["wage"] == 3_000_000 and body["flagged"][0]["below_minimum_wage"] is True
    unpaid = api("hr").call("GET", f"/api/employers/{e33.pk}/compliance?period={billed['unpaid']:%Y-%m}").json()
    assert unpaid["paid_up"] == 0 and unpaid["share_paid_up"] == "0/1"
    bad = api("hr").call("GET", f"/api/employers/{e33.pk}/compliance?period=2025-13")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "period"]
