"""The coverage API on demo-like data: the same figures as the pages, and each regional officer its own region."""

from __future__ import annotations

from typing import Any

from django.test import Client

from paritrana.accounts.models import ApiToken
from paritrana.contributions.services.status import active_workers
from paritrana.coverage.services import dashboard
from paritrana.registry.models import VULNERABLE_OCCUPATIONS
from tests.coverage.coveragekit import DemoLike, coverage_users


def api(user: Any) -> Client:
    raw = ApiToken.issue(user, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_api_gives_the_dashboards_figures_within_scope(demo_like: DemoLike) -> None:
    users = coverage_users()
    month = f"{demo_like.months[-1]:%Y-%m}"
    admin = api(users["admin"])
    body = admin.get(f"/api/coverage?month={month}&view=employer").json()
    board = dashboard.dashboard(None, view="employer")
    assert body["total"]["active"] == board.total.active > 0
    assert body["total"]["employed"] == board.total.employed
    assert body["total"]["rate"] == board.total.rate
    assert body["target"]["rate"] == "0.3499" and body["target"]["year"] == 2026
    assert {p["code"]: p["active"] for p in body["parts"]} == {p.code: p.active for p in board.parts}
    assert [t["month"] for t in body["trend"]] == [f"{m:%Y-%m}" for m in demo_like.months]
    assert sum(r["active"] for r in body["breakdowns"]["scheme"]) == board.total.active
    last = demo_like.months[-1]
    assert body["total"]["active"] == active_workers(last).count()
    groups = {r["key"]: r["active"] for r in body["breakdowns"]["occupation_group"]}
    vulnerable = active_workers(last).filter(occupation__in=VULNERABLE_OCCUPATIONS).count()
    assert groups["vulnerable"] == vulnerable > 0 and groups["other"] == board.total.active - vulnerable
    # a regency: the city officer gets its own; another regency or the province is 404, as for a record
    city = api(users["city"])
    own = city.get("/api/coverage?region=33.74").json()
    assert own["total"]["code"] == "33.74" and own["parts_level"] is None
    assert own["total"]["active"] == dashboard.dashboard(None, region_code="33.74").total.active
    for url in ("/api/coverage?region=33.01", "/api/coverage?region=33", "/api/coverage/segments?region=35.78",
                "/api/coverage/segments?region=33.01"):  # fmt: skip
        assert city.get(url).status_code == 404, url
    segments = city.get("/api/coverage/segments?region=33.74").json()
    assert sum(s["registered"] for s in segments["segments"]) == own["total"]["registered"]
    figures = city.get("/api/coverage/workforce?year=2026").json()
    assert figures and {f["region"] for f in figures} <= {"33.74"}
    assert api(users["hr"]).get("/api/coverage").status_code == 403
    assert api(users["worker"]).get("/api/coverage/workforce?year=2026").status_code == 403
    assert admin.get("/api/coverage?month=2026-13").status_code == 422
    bad_month = admin.get("/api/coverage?month=2020-01")
    assert bad_month.status_code == 422 and "2020-01" in str(bad_month.json())
