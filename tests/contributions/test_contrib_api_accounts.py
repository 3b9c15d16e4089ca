"""A worker's JHT statement (and, as they land, month status and an employer's compliance) through the API:
every role, the answer's numbers against the ledger, refusals naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from world import World

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import balance, withdraw
from paritrana.rules import compute_one

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
