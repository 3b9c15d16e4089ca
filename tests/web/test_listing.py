"""The shared list helper (web/listing.py): search in the declared fields, sort by the declared columns, pages
whose links keep the query; and on the pages using it, a search never reaches past the user's scope."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client, RequestFactory

from paritrana.registry.models import Worker
from paritrana.web.listing import Column, ListSpec, SearchField, list_page
from paritrana.web.views.workers import WORKER_LIST

World = dict[str, Any]

SPEC = ListSpec(
    columns=(Column("name", "name", ("name",)), Column("nik", "NIK", ("nik",))),
    default_sort="name",
    search=(SearchField("nik", "prefix"), SearchField("name"), SearchField("pk", "exact")),
)


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world["users"][role])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def many_workers(world: World, count: int) -> None:
    region = world["regions"]["33.74"]
    Worker.objects.bulk_create(
        Worker(
            nik=f"33740101018{i:05d}",
            name=f"Pekerja Nelayan {i:03d}",
            birth_date=dt.date(1980, 1, 1),
            sex="M",
            occupation="fisher",
            region=region,
            scheme="BPU",
            wage=2_000_000,
        )
        for i in range(count)
    )


def names(listing: Any) -> list[str]:
    return [w.name for w in listing.page.object_list]


def test_a_search_matches_any_declared_field_and_a_sort_reverses(world: World) -> None:
    rf = RequestFactory()
    qs = Worker.objects.all()
    assert names(list_page(rf.get("/", {"q": "3374"}), qs, SPEC)) == ["Joko Widodo Susanto"]
    assert names(list_page(rf.get("/", {"q": "LESTARI"}), qs, SPEC)) == ["Asih Lestari"]
    joko = world["workers"]["joko"]
    assert names(list_page(rf.get("/", {"q": str(joko.pk)}), qs, SPEC)) == ["Joko Widodo Susanto"]
    assert names(list_page(rf.get("/", {"q": "nobody"}), qs, SPEC)) == []
    assert names(list_page(rf.get("/"), qs, SPEC)) == ["Asih Lestari", "Joko Widodo Susanto"]
    descending = list_page(rf.get("/", {"sort": "-name"}), qs, SPEC)
    assert names(descending) == ["Joko Widodo Susanto", "Asih Lestari"]
    assert descending.sort == "name" and descending.descending


def test_an_unknown_sort_or_a_huge_number_falls_back_instead_of_failing(world: World) -> None:
    rf = RequestFactory()
    qs = Worker.objects.all()
    listing = list_page(rf.get("/", {"sort": "password", "q": "9" * 40}), qs, SPEC)
    assert listing.sort == "name" and not listing.descending and names(listing) == []
    assert len(list_page(rf.get("/", {"q": "x" * 500}), qs, SPEC).query) == 60
    with pytest.raises(ValueError):
        ListSpec(columns=(), default_sort="name").sort_of("")


def test_headers_flip_the_current_sort_and_keep_the_search_but_not_the_page(world: World) -> None:
    listing = list_page(RequestFactory().get("/", {"q": "asih", "page": "2"}), Worker.objects.all(), SPEC)
    headers = listing.headers()
    assert headers["name"]["url"] == "?q=asih&sort=-name" and headers["name"]["aria_sort"] == "ascending"
    assert headers["nik"]["url"] == "?q=asih&sort=nik" and headers["nik"]["aria_sort"] == "none"
    assert listing.query_string == "q=asih"


def test_the_workers_pages_keep_the_search_and_sort_on_every_link(world: World) -> None:
    many_workers(world, 60)
    client = signed_in(world, "admin")
    page = unescape(client.get("/workers/?q=nelayan&sort=-nik").content.decode())
    assert "60 workers found" in page and "page 1 of 2" in page
    assert 'href="?q=nelayan&sort=-nik&page=2"' in page
    first = re.findall(r"Pekerja Nelayan (\d{3})", page)
    assert first[0] == "059" and len(first) == 50  # by NIK, largest first
    second = unescape(client.get("/workers/?q=nelayan&sort=-nik&page=2").content.decode())
    assert re.findall(r"Pekerja Nelayan (\d{3})", second) == [f"{i:03d}" for i in range(9, -1, -1)]
    assert 'aria-sort="descending"' in second and 'href="?q=nelayan&sort=nik"' in second


def test_a_workers_search_never_reaches_past_the_users_scope(world: World) -> None:
    many_workers(world, 3)  # all in Semarang
    hr = signed_in(world, "employer_hr")
    for query in ("3374", "Nelayan", "Joko", ""):
        body = hr.get("/workers/", {"q": query}, headers={"hx-request": "true"}).content.decode()
        assert "Pekerja Nelayan" not in body and "Joko Widodo" not in body, query
    officer = signed_in(world, "branch_officer")  # Bandung
    body = officer.get("/workers/", {"q": "33", "sort": "-nik"}, headers={"hx-request": "true"}).content.decode()
    assert "Pekerja Nelayan" not in body and "Joko Widodo" not in body and "0 workers found" in body


def test_the_employers_list_sorts_by_its_worker_count(world: World) -> None:
    body = signed_in(world, "admin").get("/employers/", {"sort": "-workers"}).content.decode()
    assert body.index("PT Tekstil Priangan") < body.index("CV Batik Semarang")
    body = signed_in(world, "admin").get("/employers/", {"sort": "workers"}).content.decode()
    assert body.index("CV Batik Semarang") < body.index("PT Tekstil Priangan")


def test_the_worker_list_declares_columns_that_exist(world: World) -> None:
    rf = RequestFactory()
    for column in WORKER_LIST.columns:
        for direction in ("", "-"):
            listing = list_page(rf.get("/", {"sort": direction + column.key}), Worker.objects.all(), WORKER_LIST)
            assert listing.page.paginator.count == 2
