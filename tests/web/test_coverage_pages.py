"""The coverage pages on demo-like data: the dashboard per role with the tile map of the 38 provinces and of a
province's regencies, the SVG charts, the drill-down to the uncovered segments, the XLSX export, the
workforce figures and their import; a regional officer sees its own region and nothing else."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from paritrana.coverage.models import WorkforceFigure, WorkforceUpload
from paritrana.coverage.services import dashboard
from paritrana.registry.models import Region
from tests.coverage.coveragekit import MONTHS, DemoLike, coverage_users
from tests.worlds import Recorded


@pytest.fixture
def users(demo_like_recorded: Recorded[DemoLike], db: None) -> dict[str, Any]:
    demo_like_recorded.laid_down()  # the run's one build (tests/conftest.py), in the test's transaction
    return coverage_users()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tiles(html: str) -> list[str]:
    return re.findall(r'id="tile-([\d.]+)"', html)


def test_dashboards_per_role(users: dict[str, Any]) -> None:
    expected = dashboard.dashboard(None, view="domicile")
    assert expected.total.rate is not None and expected.total.active > 0
    for role in ("admin", "branch", "assessor"):
        page = client_for(users[role]).get("/coverage/")
        assert page.status_code == 200, role
        html = page.content.decode()
        assert sorted(tiles(html)) == sorted(r.code for r in Region.objects.filter(level="province"))
        assert len(tiles(html)) == 38
        assert f'id="coverage-active">{expected.total.active:,}'.replace(",", ".") in html
        assert f"{expected.total.percent:.1f}".replace(".", ",") + " %" in html  # Bahasa Indonesia: decimal comma
        assert '<figure class="chart" id="chart-trend"><svg' in html
        assert 'id="nav-coverage"' in html
    # a regional officer's dashboard is its own region: the province with its regencies' tiles
    html = client_for(users["province"]).get("/coverage/").content.decode()
    assert "Jawa Tengah" in html
    assert sorted(tiles(html)) == sorted(Region.objects.filter(parent__code="33").values_list("code", flat=True))
    # a regency officer's: its regency, on the map of its province's regencies where only its own tile has a
    # figure and a link
    html = client_for(users["city"]).get("/coverage/?view=employer").content.decode()
    assert "Kota Semarang" in html and len(tiles(html)) == 35
    assert re.findall(r'<a href="/coverage/([\d.]+)/\?[^"]*" id="tile-', html) == ["33.74"]
    shown = dict(re.findall(r'id="tile-([\d.]+)"[^>]*>.*?<small[^>]*>([^<]*)</small>', html))
    assert shown["33.74"].endswith("%") and {v for k, v in shown.items() if k != "33.74"} == {"—"}
    # each tile says its region in full with its coverage on hover (title) and to a screen reader (its name);
    # a tile that is not a link is an image with that name; the tiles follow the official code order
    names = dict(re.findall(r'id="tile-([\d.]+)"[^>]*title="([^"]*)" aria-label="\2"', html))
    assert names["33.74"].startswith("Kota Semarang: ") and names["33.74"].endswith(" %")
    assert names["33.01"] == "Kabupaten Cilacap"  # not the officer's: no figure
    assert re.search(r'<span role="img" id="tile-33\.01"', html)
    assert tiles(html) == sorted(tiles(html))
    for role in ("hr", "worker"):
        assert client_for(users[role]).get("/coverage/").status_code == 403
        assert 'id="nav-coverage"' not in client_for(users[role]).get("/").content.decode()
        assert client_for(users[role]).get("/coverage/33/").status_code == 403
    assert Client().get("/coverage/").status_code == 302


def test_drill_down_province_regency_segments(users: dict[str, Any]) -> None:
    admin = client_for(users["admin"])
    month = f"{MONTHS[-1]:%Y-%m}"
    html = admin.get(f"/coverage/33/?month={month}&view=employer").content.decode()
    assert len(tiles(html)) == Region.objects.filter(parent__code="33").count() == 35
    assert f'href="/coverage/33.74/?month={month}&amp;view=employer"' in html
    board = dashboard.dashboard(None, region_code="33", view="employer")
    assert f'id="coverage-registered">{board.total.registered:,}'.replace(",", ".") in html
    # each regency's active figure in the table is the one of the regency's own dashboard
    some = next(p for p in board.parts if p.active > 0)
    regency = dashboard.dashboard(None, region_code=some.code, view="employer")
    assert regency.total.active == some.active and regency.total.employed == some.employed
    page = admin.get(f"/coverage/{some.code}/segments/?month={month}&view=employer").content.decode()
    _, _, segments, figure = dashboard.segments(None, some.code, view="employer")
    assert page.count('<tr class="segment">') == len(segments) > 0
    assert sum(s.registered for s in segments) == figure.registered
    assert sum(s.active for s in segments) == figure.active == some.active
    not_active = [s.not_active for s in segments]
    assert not_active == sorted(not_active, reverse=True)  # the least covered first


def test_a_regional_officer_sees_only_its_region(users: dict[str, Any]) -> None:
    city = client_for(users["city"])
    assert city.get("/coverage/33.74/").status_code == 200
    assert city.get("/coverage/33.74/segments/").status_code == 200
    for url in ("/coverage/33/", "/coverage/35.78/", "/coverage/35/", "/coverage/33.01/segments/",
                "/coverage/export.xlsx?region=33.01", "/coverage/99/"):  # fmt: skip
        assert city.get(url).status_code == 404, url
    other = client_for(users["other_city"])
    assert other.get("/coverage/33.74/").status_code == 404
    html = other.get("/coverage/").content.decode()
    assert "Kota Surabaya" in html and "Kota Semarang" not in html
    province = client_for(users["province"])
    assert province.get("/coverage/33.74/").status_code == 200
    assert province.get("/coverage/35/").status_code == 404
    # the workforce table of a regional officer holds its own region only, and it cannot import
    page = province.get("/coverage/workforce/?year=2026").content.decode()
    codes = re.findall(r'id="figure-([\w.]+)"', page)
    assert codes and all(c == "33" or c.startswith("33.") for c in codes)
    assert 'id="workforce-form"' not in page
    assert province.post("/coverage/workforce/", {}).status_code == 403


def test_export_is_the_dashboard_as_xlsx(users: dict[str, Any]) -> None:
    board = dashboard.dashboard(None, region_code="33", view="domicile")
    response = client_for(users["branch"]).get("/coverage/export.xlsx?region=33&view=domicile")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == "33" and rows[1][4] == board.total.active and rows[1][6] == board.total.employed
    assert {r[0] for r in rows[2:]} == {p.code for p in board.parts}
    assert len(list(book.worksheets[1].iter_rows())) == len(board.trend) + 1
    assert board.target is not None  # the notes are in the page's language (Bahasa Indonesia by default)
    notes = {r[0]: r[1] for r in book.worksheets[-1].iter_rows(values_only=True)}
    assert notes["target"] == f"{board.target.percent} % paling lambat 31 Desember {board.target.year}"


def test_workforce_import_page(users: dict[str, Any]) -> None:
    admin = client_for(users["admin"])
    before = WorkforceFigure.objects.count()
    bad = io.BytesIO(b"region_code;employed\n33;20.000.000\n33.99;10\n35;many\n")
    bad.name = "bps.csv"
    page = admin.post("/coverage/workforce/", {"year": "2024", "source": "BPS Sakernas Aug 2024", "kind": "official",
                                               "file": bad})  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 200 and 'id="upload-errors"' in html
    assert "33.99" in html and "many" in html
    assert WorkforceFigure.objects.count() == before
    assert WorkforceUpload.objects.get().status == "rejected"
    good = io.BytesIO(b"region_code;employed\n33;20.000.000\nID;142000000\n")
    good.name = "bps.csv"
    page = admin.post("/coverage/workforce/", {"year": "2024", "source": "BPS Sakernas Aug 2024", "kind": "official",
                                               "file": good})  # fmt: skip
    assert page.status_code == 200
    assert WorkforceFigure.objects.count() == before + 2
    assert WorkforceFigure.objects.get(region__code="33", year=2024).employed == 20_000_000
    assert client_for(users["hr"]).get("/coverage/workforce/").status_code == 403
