"""The programme pages and API for each role: a regency's officer creates its programme, uploads a list,
sees the bad rows with their reasons, confirms; another regency's officer gets 404 on all of it (pages and
API); a branch officer reads but may not enrol (403); HR, workers, heirs and assessors get 403/404."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from progkit import CILACAP_VILLAGE, csv_file, person
from world import World

from paritrana.programmes.models import Beneficiary, BeneficiaryList, Programme


def client(world: World, role: str) -> Client:
    c = Client()
    c.force_login(world.users[role])
    return c


def upload(c: Client, programme: Programme, path: Path) -> Any:
    with path.open("rb") as f:
        return c.post(f"/programmes/{programme.pk}/lists/", {"file": f})


def test_regency_officer_creates_uploads_previews_confirms(world: World, tmp_path: Path) -> None:
    c = client(world, "city")
    assert c.get("/programmes/new/").status_code == 200
    form = {
        "name": "Semarang Peduli",
        "legal_basis_type": "perwali",
        "legal_basis_number": "7 Tahun 2026",
        "legal_basis_date": "2026-01-10",
        "budget_year": "2026",
        "budget_amount": "250000000",
        "funding_source": "dbh_cht",
        "occupations": ["farmer", "fisher"],
        "min_age": "18",
        "max_age": "60",
        "province_share": "30",
    }
    r = c.post("/programmes/new/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    programme = Programme.objects.get(name="Semarang Peduli")
    assert (programme.region.code, programme.province_share_bp, programme.regency_share_bp) == ("33.74", 3000, 7000)
    assert programme.sponsor.kind == "regional_programme" and programme.sponsor.region_id == programme.region_id
    # a bad form names the field
    r = c.post("/programmes/new/", {**form, "max_age": "10"})
    assert r.status_code == 200 and "di bawah usia minimum" in r.content.decode()  # Bahasa Indonesia, the default
    # the list: two bad rows, one good
    path = csv_file(
        tmp_path / "daftar.csv",
        [person(1), person(2, district="33.01.01", village=CILACAP_VILLAGE), person(3, occupation="trader")],
    )
    r = upload(c, programme, path)
    assert r.status_code == 302
    lst = BeneficiaryList.objects.get(programme=programme)
    page = c.get(r["Location"]).content.decode()
    assert 'data-row="3" data-field="village"' in page and 'data-row="4" data-field="occupation"' in page
    assert Beneficiary.objects.count() == 0
    rows = c.get(f"/beneficiary-lists/{lst.pk}/rows.csv").content.decode("utf-8-sig")
    assert len(rows.strip().splitlines()) == 3
    r = c.post(f"/beneficiary-lists/{lst.pk}/confirm/")
    assert r.status_code == 302 and Beneficiary.objects.filter(programme=programme).count() == 1
    detail = c.get(f"/programmes/{programme.pk}/").content.decode()
    assert 'id="budget-enrolled">1<' in detail
    assert c.get(f"/programmes/{programme.pk}/beneficiaries/").status_code == 200
    planner = c.get(f"/programmes/{programme.pk}/planner/?start=2026-01&months=12&budget=3024000&target=10")
    assert planner.status_code == 200 and 'id="plan-people"' in planner.content.decode()
    assert c.get("/follow-up/?period=2025-03").status_code == 200


PAGES = [
    ("GET", "/programmes/{p}/"),
    ("GET", "/programmes/{p}/beneficiaries/"),
    ("GET", "/programmes/{p}/planner/"),
    ("POST", "/programmes/{p}/lists/"),
    ("POST", "/programmes/{p}/renew/"),
    ("GET", "/beneficiary-lists/{l}/"),
    ("GET", "/beneficiary-lists/{l}/rows.csv"),
    ("POST", "/beneficiary-lists/{l}/confirm/"),
]


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        ("admin", 200, "ok"),
        ("city", 200, "ok"),
        ("branch", 200, 403),
        ("cilacap", 404, 404),
        ("province", 404, 404),
        ("hr", 404, 404),
        ("worker", 404, 404),
        ("heir", 404, 404),
        ("assessor", 404, 404),
    ],
)
def test_pages_by_role(
    world: World, semarang: Programme, tmp_path: Path, role: str, reads: int, writes: int | str
) -> None:
    from paritrana.programmes.services.lists import preview_list

    lst = preview_list(world.users["city"], semarang.pk, csv_file(tmp_path / "l.csv", [person(1)]), "l.csv")
    c = client(world, role)
    for method, url in PAGES:
        target = url.format(p=semarang.pk, l=lst.pk)
        if method == "GET":
            assert c.get(target).status_code == reads, (role, target)
        elif writes != "ok":
            assert c.post(target, {}).status_code == writes, (role, target)
    if writes != "ok":
        assert Beneficiary.objects.count() == 0
    lists = c.get("/programmes/")
    assert lists.status_code == (200 if role in ("admin", "city", "branch", "cilacap", "province") else 403)
    if lists.status_code == 200:
        assert (semarang.name in lists.content.decode()) == (reads == 200)


def test_api_by_role(world: World, semarang: Programme, cilacap: Programme, api: Any, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "l.csv", [person(1), person(2, district="33.01.01", village=CILACAP_VILLAGE)])

    def post_file(role: str, programme: Programme) -> Any:
        with path.open("rb") as f:
            return api(role).client.post(
                f"/api/programmes/{programme.pk}/beneficiary-lists", {"file": f}, headers=api(role).headers
            )

    # another regency's officer: 404 on the programme, its list, its upload, its confirmation
    assert api("cilacap").call("GET", f"/api/programmes/{semarang.pk}").status_code == 404
    assert post_file("cilacap", semarang).status_code == 404
    r = post_file("city", semarang)
    assert r.status_code == 201
    body = json.loads(r.content)
    assert body["status"] == "preview" and body["valid_count"] == 1
    assert body["errors"][0]["row"] == 3 and body["errors"][0]["field"] == "village"
    for role in ("cilacap", "province", "hr", "worker", "heir", "assessor"):
        assert api(role).call("GET", f"/api/beneficiary-lists/{body['id']}").status_code == 404, role
        assert api(role).call("POST", f"/api/beneficiary-lists/{body['id']}/confirm").status_code == 404, role
        assert api(role).call("GET", f"/api/programmes/{semarang.pk}/beneficiaries").status_code == 404, role
    assert api("branch").call("POST", f"/api/beneficiary-lists/{body['id']}/confirm").status_code == 403
    assert post_file("branch", semarang).status_code == 403
    r = api("city").call("POST", f"/api/beneficiary-lists/{body['id']}/confirm")
    assert r.status_code == 200 and json.loads(r.content)["enrolled_count"] == 1
    # the lists answer each scope
    names = {
        role: [p["name"] for p in json.loads(api(role).call("GET", "/api/programmes").content)["items"]]
        for role in ("admin", "city", "cilacap", "branch")
    }
    assert sorted(names["admin"]) == sorted([semarang.name, cilacap.name]) == sorted(names["branch"])
    assert names["city"] == [semarang.name] and names["cilacap"] == [cilacap.name]
    assert api("hr").call("GET", "/api/programmes").status_code == 403
    detail = json.loads(api("city").call("GET", f"/api/programmes/{semarang.pk}").content)
    assert detail["budget_use"]["enrolled"] == 1 and detail["budget_use"]["remaining"] == semarang.budget_amount
    beneficiaries = json.loads(api("city").call("GET", f"/api/programmes/{semarang.pk}/beneficiaries").content)
    assert beneficiaries["count"] == 1 and beneficiaries["items"][0]["nik"] == person(1).nik
    # creating: a regional officer for its own region only; 422 names the field
    created = api("cilacap").call(
        "POST",
        "/api/programmes",
        {"name": "Baru", "legal_basis_type": "perbup", "legal_basis_number": "1", "legal_basis_date": "2026-01-02",
         "budget_year": 2026, "budget_amount": 1000000},
    )  # fmt: skip
    assert created.status_code == 201 and json.loads(created.content)["region"] == "33.01"
    refused = api("cilacap").call(
        "POST",
        "/api/programmes",
        {"region": "33.74", "name": "Baru", "legal_basis_type": "perbup", "legal_basis_number": "1",
         "legal_basis_date": "2026-01-02", "budget_year": 2026, "budget_amount": 1000000},
    )  # fmt: skip
    assert refused.status_code == 422 and json.loads(refused.content)["detail"][0]["loc"] == ["body", "region"]
    plan = api("city").call("GET", f"/api/programmes/{semarang.pk}/planner?start=2025-01&months=12&target=15000")
    assert json.loads(plan.content)["cost_for_target"] == 3_024_000_000
    assert api("city").call("GET", "/api/follow-up?period=2025-03").status_code == 200
    assert api("worker").call("GET", "/api/follow-up?period=2025-03").status_code == 403
