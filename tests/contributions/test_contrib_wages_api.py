"""Wage reports in the REST API (api/wages.py): one report (201, a correction 200), the list of an employer's
reports, a wage file upload (multipart) with its per-row errors, storing the valid rows; every role's refusal.

The world is tests/platform/world.py made billable (tests/contributions/conftest.py); clients send the role's
bearer token. Messages are asserted in English (``Accept-Language`` is ignored: the language cookie).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from paritrana.contributions.models import Bill, WageReport, WageUpload
from paritrana.contributions.periods import next_month
from paritrana.registry.models import Membership, Worker
from paritrana.registry.nik import make_nik
from tests.platform.world import World

ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")
# E33's wage reports and uploads: who reaches them, and who is refused how
STATUS_E33 = {"admin": 200, "branch": 200, "hr": 200, "city": 403, "province": 403, "worker": 404, "heir": 404, "assessor": 404, None: 401}  # fmt: skip
STATUS_E35 = {"admin": 200, "branch": 404, "hr": 404, "city": 404, "province": 404, "worker": 404, "heir": 404, "assessor": 404, None: 401}  # fmt: skip


@pytest.fixture
def more(world: World) -> list[Worker]:
    """Two more wage earners of E33, in JKK from 2024-01-01."""
    born = world.workers["W33PU"].birth_date
    out = []
    for serial in (21, 22):
        w = Worker.objects.create(
            nik=make_nik("33.74.01", born, "M", serial),
            name=f"Worker E33-{serial}",
            birth_date=born,
            sex="M",
            occupation="employee",
            region=world.regions["33.74"],
            scheme="PU",
            employer=world.employers["E33"],
            wage=3_000_000,
        )
        Membership.objects.create(worker=w, programme="JKK", start=dt.date(2024, 1, 1))
        out.append(w)
    return out


def english(client: Any) -> Any:
    client.client.cookies["django_language"] = "en"
    return client


def upload(api: Any, role: str | None, employer: int, name: str, content: bytes, **form: Any) -> Any:
    data = {"file": SimpleUploadedFile(name, content), **form}
    return english(api(role)).call("post", f"/api/employers/{employer}/wage-uploads", data=data)


def one_bad_row(world: World, more: list[Worker]) -> bytes:
    lines = [
        "nik;bulan;upah",
        f"{world.workers['W33PU'].nik};2025-03;3.500.000",
        f"{more[0].nik};2025-13;3.500.000",  # row 3: not a month
        f"{more[1].nik};2025-03;3.700.000",
    ]
    return ("\n".join(lines) + "\n").encode()


def test_report_correct_and_list(world: World, api: Any) -> None:
    e33 = world.employers["E33"].pk
    w = world.workers["W33PU"]
    hr = english(api("hr"))
    created = hr.call(
        "post", f"/api/employers/{e33}/wage-reports", {"nik": w.nik, "period": "2025-03", "wage": 3_500_000}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["worker"] == {"id": w.pk, "nik": w.nik, "name": w.name}
    assert (body["employer"], body["period"], body["wage"], body["upload"]) == (e33, "2025-03", 3_500_000, None)
    corrected = hr.call(
        "post", f"/api/employers/{e33}/wage-reports", {"worker": w.pk, "period": "2025-03", "wage": 3_600_000}
    )
    assert corrected.status_code == 200 and corrected.json()["id"] == body["id"]
    assert WageReport.history.filter(id=body["id"]).count() == 2
    assert Bill.objects.filter(payer__employer_id=e33, period=dt.date(2025, 3, 1)).exists()
    hr.call("post", f"/api/employers/{e33}/wage-reports", {"worker": w.pk, "period": "2025-02", "wage": 3_400_000})
    listed = hr.call("get", f"/api/employers/{e33}/wage-reports").json()
    assert listed["count"] == 2
    assert [(i["period"], i["wage"]) for i in listed["items"]] == [("2025-03", 3_600_000), ("2025-02", 3_400_000)]
    march = hr.call("get", f"/api/employers/{e33}/wage-reports?period=2025-03").json()
    assert [i["wage"] for i in march["items"]] == [3_600_000]
    assert hr.call("get", f"/api/employers/{e33}/wage-reports?period=2025-3").status_code == 422


@pytest.mark.parametrize("role", [*ROLES, None])
def test_every_role_on_reports(world: World, api: Any, role: str | None) -> None:
    e33, e35 = world.employers["E33"].pk, world.employers["E35"].pk
    client = api(role)
    assert client.call("get", f"/api/employers/{e33}/wage-reports").status_code == STATUS_E33[role]
    assert client.call("get", f"/api/employers/{e35}/wage-reports").status_code == STATUS_E35[role]
    for employer, worker, expected in ((e33, "W33PU", STATUS_E33), (e35, "W35", STATUS_E35)):
        body = {"worker": world.workers[worker].pk, "period": "2025-03", "wage": 1_000_000}
        response = client.call("post", f"/api/employers/{employer}/wage-reports", body)
        assert response.status_code == (201 if expected[role] == 200 else expected[role]), (role, employer)
    stored = set(WageReport.objects.values_list("worker__name", flat=True))
    assert stored == {f"Worker {k}" for k, s in (("W33PU", STATUS_E33), ("W35", STATUS_E35)) if s[role] == 200}


@pytest.mark.parametrize(
    ("role", "body", "field"),
    [
        ("hr", {"worker": "W33PU", "period": "2025-03", "wage": -1}, "wage"),
        ("hr", {"worker": "W33PU", "period": "2025-13", "wage": 1}, "period"),
        ("hr", {"worker": "W33PU", "period": "FUTURE", "wage": 1}, "period"),
        ("hr", {"worker": "W33PU", "period": "2023-12", "wage": 1}, "period"),
        ("hr", {"nik": "3374010101990009", "period": "2025-03", "wage": 1}, "nik"),
        ("hr", {"nik": "W35", "period": "2025-03", "wage": 1}, "nik"),
        (
            "hr",
            {"worker": "W33PU", "nik": "W33PU", "period": "2025-03", "wage": 1},
            "body",
        ),  # one of the two: the body as a whole
        ("hr", {"worker": "W33PU", "period": "2025-03", "wage": 1, "note": "x"}, "note"),
        ("admin", {"worker": "W33BPU", "period": "2025-03", "wage": 1}, "worker"),
        ("admin", {"worker": "W35", "period": "2025-03", "wage": 1}, "worker"),
    ],
)
def test_refusals_name_the_field(world: World, api: Any, role: str, body: dict[str, Any], field: str) -> None:
    far = next_month(next_month(timezone.localdate().replace(day=1)))
    data = dict(body)
    for key in ("worker", "nik"):
        if data.get(key) in world.workers:
            worker = world.workers[data[key]]
            data[key] = worker.pk if key == "worker" else worker.nik
    if data["period"] == "FUTURE":
        data["period"] = f"{far:%Y-%m}"
    response = english(api(role)).call("post", f"/api/employers/{world.employers['E33'].pk}/wage-reports", data)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"][0] == "body" and detail[0]["loc"][-1] == field, detail
    assert not WageReport.objects.exists()


def test_an_upload_with_one_bad_row_then_store_valid(world: World, api: Any, more: list[Worker]) -> None:
    e33 = world.employers["E33"].pk
    response = upload(api, "hr", e33, "upah.csv", one_bad_row(world, more))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["row_count"], body["stored_count"], body["pending_count"]) == ("rejected", 3, 0, 2)
    assert body["file_name"] == "upah.csv" and body["employer"] == e33
    assert body["errors"] == [
        {"row": 3, "field": "period", "message": "2025-13 is not a month; write it as YYYY-MM, e.g. 2025-03"}
    ]
    assert not WageReport.objects.exists()
    hr = english(api("hr"))
    assert hr.call("get", f"/api/wage-uploads/{body['id']}").json() == body
    stored = hr.call("post", f"/api/wage-uploads/{body['id']}/store-valid")
    assert stored.status_code == 200
    assert (stored.json()["status"], stored.json()["stored_count"], stored.json()["pending_count"]) == ("partial", 2, 0)
    assert {r.worker_id for r in WageReport.objects.all()} == {world.workers["W33PU"].pk, more[1].pk}
    again = hr.call("post", f"/api/wage-uploads/{body['id']}/store-valid")
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "upload"]


def test_an_xlsx_upload_keeping_the_valid_rows(world: World, api: Any, more: list[Worker]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["NIK", "Period", "Wage"])
    ws.append([more[0].nik, "2025-03", 3_100_000])
    ws.append([more[1].nik, "2025-03", -5])  # row 3: negative
    ws.append([world.workers["W35"].nik, "2025-03", 5_000_000])  # row 4: another company's worker
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(api, "hr", world.employers["E33"].pk, "gaji.xlsx", buffer.getvalue(), keep_valid="true")
    body = response.json()
    assert response.status_code == 201 and body["status"] == "partial" and body["stored_count"] == 1
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(3, "wage"), (4, "nik")]
    assert body["errors"][1]["message"].startswith(f"no worker with NIK {world.workers['W35'].nik} is registered")
    assert list(WageReport.objects.values_list("worker_id", "wage")) == [(more[0].pk, 3_100_000)]


def test_an_unreadable_upload(world: World, api: Any) -> None:
    response = upload(api, "hr", world.employers["E33"].pk, "upah.docx", b"PK\x03\x04 not really a workbook")
    body = response.json()
    assert response.status_code == 201 and body["status"] == "rejected"
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(None, "file")]
    missing = english(api("hr")).call("post", f"/api/employers/{world.employers['E33'].pk}/wage-uploads", data={})
    assert missing.status_code == 422
    assert not WageUpload.objects.filter(status="stored").exists()


@pytest.mark.parametrize("role", [*ROLES, None])
def test_every_role_on_uploads(world: World, api: Any, more: list[Worker], role: str | None) -> None:
    e33, e35 = world.employers["E33"].pk, world.employers["E35"].pk
    own = upload(api, "hr", e33, "upah.csv", one_bad_row(world, more)).json()
    for employer, expected in ((e33, STATUS_E33), (e35, STATUS_E35)):
        response = upload(api, role, employer, "w.csv", b"nik,period,wage\n")
        assert response.status_code == (201 if expected[role] == 200 else expected[role]), (role, employer)
    # the upload of E33 is seen by who sees E33's wages; a regional officer does not see uploads at all
    seen = {"admin": 200, "branch": 200, "hr": 200, None: 401}.get(role, 404)
    assert api(role).call("get", f"/api/wage-uploads/{own['id']}").status_code == seen
    stored = api(role).call("post", f"/api/wage-uploads/{own['id']}/store-valid")
    assert stored.status_code == seen
    assert WageReport.objects.exists() == (seen == 200)
