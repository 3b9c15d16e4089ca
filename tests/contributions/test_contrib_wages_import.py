"""Wage files (services/wage_uploads.py import_wage_file, store_valid_rows): real CSV and XLSX files on disk.

A file with any error stores no wage unless the user chose to keep the valid rows (then, or later with
``store_valid_rows``, only those are stored); the report names each bad row and field; the employer's bills
follow the wages stored. The world is tests/platform/world.py made billable (tests/contributions/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from paritrana.accounts.models import Profile
from paritrana.contributions.models import Bill, BillingRun, BillLine, WageReport, WageUpload
from paritrana.contributions.services.wage_uploads import import_wage_file, store_valid_rows
from paritrana.contributions.services.wages import report_wage
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.core.messages import row_message
from paritrana.registry.models import Membership, Worker
from paritrana.registry.nik import make_nik
from paritrana.rules import compute_one
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)
STATUS = WageUpload.Status


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages are asserted in English (a use case outside a request speaks the default, Bahasa Indonesia)."""
    with translation.override("en"):
        yield


def write_csv(tmp_path: Path, lines: list[str], name: str = "upah.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "upah.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def extra_workers(world: World, n: int, start: int = 100) -> list[Worker]:
    """``n`` more wage earners of E33 (JKK, JKM, JHT from 2024-01-01), inserted in bulk."""
    e33, region = world.employers["E33"], world.regions["33.74"]
    born = dt.date(1991, 2, 3)
    workers = [
        Worker(
            nik=make_nik("33.74.01", born, "M", start + i),
            name=f"Pekerja {start + i:05d}",
            birth_date=born,
            sex="M",
            occupation="employee",
            region=region,
            scheme="PU",
            employer=e33,
            wage=3_000_000,
        )
        for i in range(n)
    ]
    Worker.objects.bulk_create(workers)
    created = list(Worker.objects.filter(nik__in=[w.nik for w in workers]).order_by("nik"))
    Membership.objects.bulk_create(
        [Membership(worker=w, programme=p, start=dt.date(2024, 1, 1)) for w in created for p in ("JKK", "JKM", "JHT")]
    )
    return created


def errors(upload: WageUpload) -> list[tuple[int | None, str]]:
    return [(e["row"], e["field"]) for e in upload.errors]


def stored_wages() -> dict[tuple[int, dt.date], int]:
    return {(r.worker_id, r.period): r.wage for r in WageReport.objects.all()}


@pytest.fixture
def three(world: World) -> list[Worker]:
    return extra_workers(world, 3)


def test_a_clean_csv_is_stored_and_billed(world: World, three: list[Worker], tmp_path: Path) -> None:
    a, b, c = three
    path = write_csv(
        tmp_path,
        ["NIK;Bulan;Upah", f"{a.nik};2025-03;3.500.000", f"{b.nik};2025-03;4.000.000", f"{c.nik};2025-04;3500000"],
    )
    upload = import_wage_file(world.users["hr"], world.employers["E33"].pk, path, "upah maret.csv")
    assert (upload.status, upload.row_count, upload.stored_count, upload.errors) == (STATUS.STORED, 3, 3, [])
    assert upload.file_name == "upah maret.csv" and upload.uploaded_by == world.users["hr"]
    assert stored_wages() == {(a.pk, MARCH): 3_500_000, (b.pk, MARCH): 4_000_000, (c.pk, APRIL): 3_500_000}
    assert set(WageReport.objects.values_list("upload", flat=True)) == {upload.pk}
    assert WageReport.history.count() == 3
    assert set(WageReport.history.values_list("history_user", flat=True)) == {world.users["hr"].pk}
    # March and April are billed for E33 at once; a's March JKK is the rule's
    assert sorted(BillingRun.objects.values_list("period", flat=True)) == [MARCH, APRIL]
    jkk = compute_one("pu_contributions", MARCH, {"wage": 3_500_000, "risk_group": 2}).outputs["jkk"]
    assert BillLine.objects.get(worker=a, programme="JKK", bill__period=MARCH).amount == jkk


def csv_with_one_bad_row(tmp_path: Path, workers: list[Worker]) -> Path:
    a, b, c = workers
    return write_csv(
        tmp_path,
        [
            "nik,period,wage",
            f"{a.nik},2025-03,3500000",
            f"{b.nik},2025-03,-4000000",  # row 3: negative
            f'{c.nik},2025-03,"3,700,000"',
        ],
    )


def xlsx_with_one_bad_row(tmp_path: Path, workers: list[Worker]) -> Path:
    a, b, c = workers
    return write_xlsx(
        tmp_path,
        [
            ["nik", "bulan", "upah"],
            [a.nik, "2025-03", 3_500_000],
            [b.nik, "2025-03", "empat juta"],  # row 3: not a number
            [c.nik, dt.date(2025, 3, 1), "3.700.000"],
        ],
    )


@pytest.mark.parametrize("make", [csv_with_one_bad_row, xlsx_with_one_bad_row])
def test_one_bad_row_stores_nothing(world: World, three: list[Worker], tmp_path: Path, make: Any) -> None:
    a, b, c = three
    path = make(tmp_path, three)
    upload = import_wage_file(world.users["hr"], world.employers["E33"].pk, path, path.name)
    assert upload.status == STATUS.REJECTED
    assert (upload.row_count, upload.stored_count) == (3, 0)
    assert errors(upload) == [(3, "wage")]
    assert b.nik not in upload.errors[0]["message"]  # a wage error names the wage
    assert not WageReport.objects.exists()
    assert not BillingRun.objects.exists() and not Bill.objects.exists()
    assert [(p["row"], p["worker"], p["period"], p["wage"]) for p in upload.pending_rows] == [
        (2, a.pk, "2025-03", 3_500_000),
        (4, c.pk, "2025-03", 3_700_000),
    ]
    # stored later, on request: the valid rows only
    done = store_valid_rows(world.users["hr"], upload.pk)
    assert (done.status, done.stored_count, done.pending_rows) == (STATUS.PARTIAL, 2, [])
    assert errors(done) == [(3, "wage")]
    assert stored_wages() == {(a.pk, MARCH): 3_500_000, (c.pk, MARCH): 3_700_000}
    assert list(BillingRun.objects.values_list("period", flat=True)) == [MARCH]
    with pytest.raises(ValidationFailed) as err:
        store_valid_rows(world.users["hr"], upload.pk)
    assert err.value.field == "upload"
    assert WageReport.objects.count() == 2


@pytest.mark.parametrize("make", [csv_with_one_bad_row, xlsx_with_one_bad_row])
def test_keep_valid_stores_the_others(world: World, three: list[Worker], tmp_path: Path, make: Any) -> None:
    a, _, c = three
    path = make(tmp_path, three)
    upload = import_wage_file(world.users["hr"], world.employers["E33"].pk, path, path.name, keep_valid=True)
    assert (upload.status, upload.stored_count, upload.pending_rows) == (STATUS.PARTIAL, 2, [])
    assert errors(upload) == [(3, "wage")]
    assert stored_wages() == {(a.pk, MARCH): 3_500_000, (c.pk, MARCH): 3_700_000}
    assert Bill.objects.filter(period=MARCH, payer__employer=world.employers["E33"]).exists()
    with pytest.raises(ValidationFailed):  # nothing is waiting
        store_valid_rows(world.users["hr"], upload.pk)


def test_registry_errors_name_row_and_field(world: World, three: list[Worker], tmp_path: Path) -> None:
    a, b, c = three
    w = world.workers
    Membership.objects.filter(worker=c).update(start=dt.date(2025, 2, 10))
    path = write_csv(
        tmp_path,
        [
            "nik,period,wage",
            f"{a.nik},2025-03,3500000",  # 2 fine
            "3374010101990009,2025-03,1",  # 3 nobody has this NIK
            f"{w['W35'].nik},2025-03,1",  # 4 E35's worker
            f"{w['W33BPU'].nik},2025-03,1",  # 5 a non-wage earner
            f"{c.nik},2025-01,1",  # 6 before c's membership (February 2025)
            f"{c.nik},2025-02,1",  # 7 the month the membership began: fine
            f"{b.nik},2025-03,1",  # 8 twice
            f"{b.nik},2025-03,2",  # 9 twice
            "123,2025-03,1",  # 10 not 16 digits
        ],
    )
    hr = import_wage_file(world.users["hr"], world.employers["E33"].pk, path, "w.csv")
    assert errors(hr) == [(3, "nik"), (4, "nik"), (5, "nik"), (6, "period"), (8, "nik"), (9, "nik"), (10, "nik")]
    messages = {e["row"]: e["message"] for e in hr.errors}
    # HR does not see E35's worker nor the BPU worker: the same answer as an unknown NIK (nothing leaks)
    assert (
        messages[3] == "no worker with NIK 3374010101990009 is registered with PT Semarang; register the worker first"
    )
    assert messages[4] == messages[3].replace("3374010101990009", w["W35"].nik)
    assert messages[5] == messages[3].replace("3374010101990009", w["W33BPU"].nik)
    # the dates kept as ISO text, shown in the reader's words in either language
    assert messages[6] == "2025-01 is before the worker's membership began (2025-02-10)"
    row6 = next(e for e in hr.errors if e["row"] == 6)
    with translation.override("en"):
        assert row_message(row6) == "January 2025 is before the worker's membership began (10 February 2025)"
    with translation.override("id"):
        assert row_message(row6) == "Januari 2025 sebelum kepesertaan pekerja dimulai (10 Februari 2025)"
    assert messages[8] == f"NIK {b.nik} and month 2025-03 are also on row 9; give each worker's month once"
    assert messages[10] == "NIK 123 has 3 digits; it needs 16"
    assert [p["row"] for p in hr.pending_rows] == [2, 7]
    # the administrator sees every worker: it is told which is another employer's, which is BPU
    admin = import_wage_file(world.users["admin"], world.employers["E33"].pk, path, "w.csv")
    messages = {e["row"]: e["message"] for e in admin.errors}
    assert messages[4] == f"the worker with NIK {w['W35'].nik} is a wage earner of PT Surabaya, not of PT Semarang"
    assert "non-wage earner (BPU)" in messages[5]
    assert not WageReport.objects.exists()


def test_a_correcting_file_updates_reports_and_keeps_history(world: World, three: list[Worker], tmp_path: Path) -> None:
    a, b, _ = three
    report_wage(world.users["hr"], a.pk, MARCH, 3_000_000)
    first = WageReport.objects.get()
    lines = ["nik,period,wage", f"{a.nik},2025-03,3.300.000", f"{b.nik},2025-03,3.000.000"]
    upload = import_wage_file(world.users["hr"], world.employers["E33"].pk, write_csv(tmp_path, lines), "w.csv")
    assert upload.status == STATUS.STORED
    first.refresh_from_db()
    assert (first.wage, first.upload_id) == (3_300_000, upload.pk)
    history = WageReport.history.filter(id=first.pk).order_by("history_date")
    assert list(history.values_list("wage", "history_type", "upload")) == [
        (3_000_000, "+", None),
        (3_300_000, "~", upload.pk),
    ]
    # the history rows written in bulk are simple-history's own: the record's history reads them back
    latest = first.history.latest()
    assert (latest.history_user, latest.prev_record.wage) == (world.users["hr"], 3_000_000)
    b_history = WageReport.history.get(worker_id=b.pk)
    assert (b_history.history_type, b_history.history_user, b_history.wage) == ("+", world.users["hr"], 3_000_000)
    assert b_history.history_date == WageReport.objects.get(worker=b).reported_at
    # the correction is an adjustment line on March's bill
    adjustment = BillLine.objects.get(worker=a, programme="JKK", kind=BillLine.Kind.ADJUSTMENT)
    jkk = {
        wage: compute_one("pu_contributions", MARCH, {"wage": wage, "risk_group": 2}).outputs["jkk"]
        for wage in (3_000_000, 3_300_000)
    }
    assert adjustment.amount == jkk[3_300_000] - jkk[3_000_000]
    # the same file again changes nothing and bills nothing
    runs = BillingRun.objects.count()
    again = import_wage_file(world.users["hr"], world.employers["E33"].pk, write_csv(tmp_path, lines), "w.csv")
    assert (again.status, again.stored_count) == (STATUS.STORED, 2)
    assert WageReport.history.count() == 3
    assert BillingRun.objects.count() == runs


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("upah.pdf", b"%PDF-1.4 not a spreadsheet", "file"),
        ("upah.xlsx", b"this is not a workbook", "file"),
        ("upah.csv", b"", "file"),
        ("upah.csv", b"nik,wage\n3374010101850003,1\n", "period"),
    ],
)
def test_whole_file_errors(world: World, tmp_path: Path, name: str, content: bytes, field: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    upload = import_wage_file(world.users["hr"], world.employers["E33"].pk, path, name, keep_valid=True)
    assert upload.status == STATUS.REJECTED
    assert [e["field"] for e in upload.errors] == [field]
    assert upload.pending_rows == [] and upload.stored_count == 0
    with pytest.raises(ValidationFailed):
        store_valid_rows(world.users["hr"], upload.pk)


@pytest.mark.parametrize(
    ("role", "employer", "error"),
    [
        ("hr", "E35", NotFound),
        ("branch", "E35", NotFound),
        ("city", "E33", NotAllowed),
        ("province", "E33", NotAllowed),
        ("worker", "E33", NotFound),
        ("heir", "E33", NotFound),
        ("assessor", "E33", NotFound),
        (None, "E33", NotFound),
    ],
)
def test_import_refused_by_role_and_scope(
    world: World, tmp_path: Path, role: str | None, employer: str, error: type[Exception]
) -> None:
    path = write_csv(tmp_path, ["nik,period,wage", f"{world.workers['W35'].nik},2025-03,1"])
    with pytest.raises(error):
        import_wage_file(world.users[role] if role else None, world.employers[employer].pk, path, "w.csv")
    assert not WageUpload.objects.exists()


def test_store_valid_rows_in_scope(world: World, three: list[Worker], tmp_path: Path) -> None:
    upload = import_wage_file(
        world.users["hr"], world.employers["E33"].pk, csv_with_one_bad_row(tmp_path, three), "w.csv"
    )
    for role, error in [("city", NotFound), ("worker", NotFound), ("assessor", NotFound), ("heir", NotFound)]:
        with pytest.raises(error):
            store_valid_rows(world.users[role], upload.pk)
    # the HR of another employer does not see the upload
    hr35 = get_user_model().objects.create(username="hr35")
    Profile.objects.create(user=hr35, role="employer_hr", employer=world.employers["E35"])
    with pytest.raises(NotFound):
        store_valid_rows(hr35, upload.pk)
    assert not WageReport.objects.exists()
    # the branch officer of E33 may store it
    assert store_valid_rows(world.users["branch"], upload.pk).stored_count == 2


def test_rows_checked_again_when_stored_later(world: World, three: list[Worker], tmp_path: Path) -> None:
    a, _, c = three
    upload = import_wage_file(
        world.users["hr"], world.employers["E33"].pk, csv_with_one_bad_row(tmp_path, three), "w.csv"
    )
    # c moves to E35 before the valid rows are stored: its row is refused then
    Worker.objects.filter(pk=c.pk).update(employer=world.employers["E35"])
    done = store_valid_rows(world.users["admin"], upload.pk)
    assert (done.status, done.stored_count) == (STATUS.PARTIAL, 1)
    assert errors(done) == [(3, "wage"), (4, "nik")]
    assert stored_wages() == {(a.pk, MARCH): 3_500_000}


def test_two_thousand_rows_in_bulk(world: World, tmp_path: Path) -> None:
    workers = extra_workers(world, 2_000)
    dotted = [f"{3_000_000 + i * 1_000:,}".replace(",", ".") for i in range(len(workers))]
    lines = ["nik,period,wage"] + [f"{w.nik},2025-03,{wage}" for w, wage in zip(workers, dotted, strict=True)]
    path = write_csv(tmp_path, lines)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        upload = import_wage_file(world.users["hr"], world.employers["E33"].pk, path, "w.csv")
    elapsed = time.perf_counter() - started
    assert (upload.status, upload.row_count, upload.stored_count) == (STATUS.STORED, 2_000, 2_000), upload.errors[:3]
    assert WageReport.objects.filter(employer=world.employers["E33"], period=MARCH).count() == 2_000
    assert WageReport.history.count() == 2_000
    assert WageReport.objects.get(worker=workers[1999]).wage == 3_000_000 + 1999 * 1_000
    # the bill of March for E33 carries a line per worker and programme (JKK, JKM, JHT)
    lines_of_file = BillLine.objects.filter(bill__period=MARCH, worker__in=[w.pk for w in workers])
    assert lines_of_file.count() == 2_000 * 3
    wage_queries = [q for q in queries.captured_queries if "wagereport" in q["sql"].lower()]
    # look-ups and writes by the set, not per row (a row at a time would be 4,000 statements or more): the
    # reports replaced (1), INSERTs of 500 rows (4), their history (1), and billing's reads of the wages
    assert len(wage_queries) <= 10, [q["sql"][:80] for q in wage_queries]
    print(f"\n2,000-row wage file: {len(queries.captured_queries)} queries, {elapsed:.2f} s (billing included)")
    # corrections in bulk too
    lines = ["nik,period,wage"] + [f"{w.nik},2025-03,9000000" for w in workers]
    with CaptureQueriesContext(connection) as queries:
        again = import_wage_file(world.users["hr"], world.employers["E33"].pk, write_csv(tmp_path, lines), "w.csv")
    assert again.stored_count == 2_000
    assert set(WageReport.objects.values_list("wage", flat=True)) == {9_000_000}
    assert WageReport.history.count() == 4_000
    assert len([q for q in queries.captured_queries if "wagereport" in q["sql"].lower()]) <= 10
