"""A programme's beneficiaries on the shared list: found by NIK, name or village (by its name, not only its
code), sorted by village name; another regency's officer finds nothing, whatever it types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from paritrana.programmes.models import Programme
from paritrana.programmes.services import lists
from paritrana.registry.models import Region
from tests.platform.world import World
from tests.programmes.progkit import ON, SEMARANG_VILLAGE, csv_file, person

OTHER_VILLAGE = "33.74.01.1002"


@pytest.fixture
def enrolled(world: World, semarang: Programme, tmp_path: Path) -> list[str]:
    district = world.regions["33.74.01"]
    Region.objects.create(code=SEMARANG_VILLAGE, name="Pekunden", level="village", parent=district)
    Region.objects.create(code=OTHER_VILLAGE, name="Miroto", level="village", parent=district)
    people = [person(1), person(2), person(3, village=OTHER_VILLAGE)]
    lst = lists.preview_list(world.users["city"], semarang.pk, csv_file(tmp_path / "l.csv", people), "l.csv", on=ON)
    assert lists.confirm_list(world.users["city"], lst.pk, on=ON).enrolled_count == 3
    return [p.nik for p in people]


def client(world: World, role: str) -> Client:
    c = Client()
    c.force_login(world.users[role])
    return c


def names(html: str) -> list[str]:
    return re.findall(r'<tr id="beneficiary-\d+"><td><a href="/workers/\d+/">([^<]+)</a>', html)


def test_beneficiaries_by_village_name_nik_or_name(world: World, semarang: Programme, enrolled: list[str]) -> None:
    c = client(world, "city")
    url = f"/programmes/{semarang.pk}/beneficiaries/"
    html = c.get(url).content.decode()
    assert "Pekunden" in html and "Miroto" in html  # villages by name, the code beside
    assert names(c.get(url, {"q": "miroto"}).content.decode()) == ["Warga 3"]
    assert names(c.get(url, {"q": enrolled[1]}).content.decode()) == ["Warga 2"]
    assert names(c.get(url, {"q": "warga 1"}).content.decode()) == ["Warga 1"]
    assert names(c.get(url, {"q": OTHER_VILLAGE}).content.decode()) == ["Warga 3"]
    by_village = names(c.get(url, {"sort": "village"}).content.decode())
    assert by_village[0] == "Warga 3" and sorted(by_village[1:]) == ["Warga 1", "Warga 2"]  # Miroto < Pekunden
    partial = c.get(url, {"q": "pekunden", "sort": "-name"}, headers={"hx-request": "true"}).content.decode()
    assert "<html" not in partial and names(partial) == ["Warga 2", "Warga 1"]


@pytest.mark.parametrize("role", ["cilacap", "province", "hr", "worker", "assessor"])
def test_another_scope_finds_no_beneficiary(world: World, semarang: Programme, enrolled: list[str], role: str) -> None:
    url = f"/programmes/{semarang.pk}/beneficiaries/"
    for query in ("", "warga", enrolled[0], "pekunden"):
        response = client(world, role).get(url, {"q": query})
        assert response.status_code in (403, 404), (role, query)
        assert "Warga" not in response.content.decode()
