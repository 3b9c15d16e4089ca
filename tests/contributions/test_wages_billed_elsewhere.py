"""A wage for a month already billed to another payer is refused (decision 0048), through every door that stores
wages: the single report (``report_wage``), a file (``import_wage_file``, ``store_valid_rows``) and the API.

Since decision 0047 a billing run leaves a worker's month billed (even partly) on another payer's bill as it is:
the report would change no bill. The scene: March 2025 billed for every worker (W35 to PT Surabaya, E35), then
W35 moves to PT Semarang (E33), whose HR reports his wages. The world is tests/platform/world.py made billable
(tests/contributions/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from paritrana.contributions.models import Bill, BillingRun, BillLine, Payer, WageReport, WageUpload
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.wage_checks import billed_elsewhere
from paritrana.contributions.services.wage_uploads import import_wage_file, store_valid_rows
from paritrana.contributions.services.wages import report_wage
from paritrana.core.errors import ValidationFailed
from paritrana.core.messages import row_message
from paritrana.registry.models import Worker
from tests.platform.world import World

MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)
STATUS = WageUpload.Status


def english_refusal(nik: str, month: str = "March 2025", other: str = "PT Surabaya") -> str:
    return (
        f"{month} of the worker with NIK {nik} is already billed to {other}; "
        f"a correction of that month is made on {other}'s bill by a branch officer"
    )


def indonesian_refusal(nik: str, month: str = "Maret 2025", other: str = "PT Surabaya") -> str:
    return (
        f"{month} pekerja dengan NIK {nik} sudah ditagihkan kepada {other}; "
        f"koreksi bulan itu dibuat pada tagihan {other} oleh petugas kantor cabang"
    )


@pytest.fixture
def moved(world: World) -> Worker:
    """W35, whose March the run billed to E35 (unpaid), now a wage earner of E33."""
    run_billing(MARCH)
    w35 = world.workers["W35"]
    assert BillLine.objects.filter(worker=w35, bill__payer__employer=world.employers["E35"]).count() == 4
    w35.employer = world.employers["E33"]
    w35.save()
    return w35


def lines_of(worker: Worker) -> list[tuple[int, str, int]]:
    return sorted(BillLine.objects.filter(worker=worker).values_list("bill_id", "programme", "amount"))


def write_csv(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "upah.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the single report --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"), [("en", english_refusal), ("id", indonesian_refusal)], ids=["english", "indonesian"]
)
def test_a_month_billed_to_the_former_employer_is_refused(
    world: World, moved: Worker, language: str, expected: Any
) -> None:
    lines = lines_of(moved)
    runs = BillingRun.objects.count()
    with translation.override(language), pytest.raises(ValidationFailed) as err:
        report_wage(world.users["hr"], moved.pk, "2025-03", "5.000.000", employer_id=world.employers["E33"].pk)
    assert err.value.field == "period"
    assert err.value.reason == expected(moved.nik)
    assert not WageReport.objects.exists()
    assert lines_of(moved) == lines and BillingRun.objects.count() == runs


def test_a_month_billed_partly_to_another_payer_is_refused(world: World, moved: Worker) -> None:
    """One line of W35's March on E33's own bill (written here: billing no longer writes one) does not make the
    month E33's: the rest is on E35's bill, which the run leaves as it is."""
    e33_march = Bill.objects.get(payer__employer=world.employers["E33"], period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    BillLine.objects.create(
        bill=e33_march, worker=moved, programme="JKK", kind=BillLine.Kind.ADJUSTMENT, amount=1,
        rule="pu_contributions", law_date=MARCH,
    )  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationFailed) as err:
        report_wage(world.users["admin"], moved.pk, MARCH, 5_000_000)
    assert (err.value.field, err.value.reason) == ("period", english_refusal(moved.nik))
    assert not WageReport.objects.exists()


def test_the_moved_workers_months_billed_to_no_one_are_accepted(world: World, moved: Worker) -> None:
    report = report_wage(world.users["hr"], moved.pk, "2025-04", 5_000_000, employer_id=world.employers["E33"].pk)
    assert (report.employer_id, report.period, report.wage) == (world.employers["E33"].pk, APRIL, 5_000_000)
    april = BillLine.objects.filter(worker=moved, bill__period=APRIL)
    assert set(april.values_list("bill__payer__employer", flat=True)) == {world.employers["E33"].pk}
    # JKK at E33's risk group 2 (0,54 % of the wage, PP 44/2015 Annex I): Rp27.000
    assert april.get(programme="JKK").amount == 27_000


def test_the_employers_correction_of_its_own_billed_month_is_accepted_and_billed(world: World) -> None:
    run_billing(MARCH)
    w = world.workers["W33PU"]
    e33_march = Bill.objects.get(payer__employer=world.employers["E33"], period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    jkk_before = sum(e33_march.lines.filter(worker=w, programme="JKK").values_list("amount", flat=True))
    report = report_wage(world.users["hr"], w.pk, "2025-03", 5_000_000, employer_id=world.employers["E33"].pk)
    assert report.wage == 5_000_000
    adjustment = e33_march.lines.get(worker=w, programme="JKK", kind=BillLine.Kind.ADJUSTMENT)
    # JKK at risk group 2 is 0,54 % of the wage: the line now sums to Rp27.000 on the same bill
    assert jkk_before + adjustment.amount == 27_000


# --- files ---------------------------------------------------------------------------------------------


def test_a_file_row_for_a_month_billed_elsewhere_names_row_and_field(
    world: World, moved: Worker, tmp_path: Path
) -> None:
    w33 = world.workers["W33PU"]
    path = write_csv(
        tmp_path,
        [
            "nik;bulan;upah",
            f"{w33.nik};2025-03;3.500.000",  # E33's own billed month: a correction
            f"{moved.nik};2025-03;5.000.000",  # row 3: March is E35's
            f"{moved.nik};2025-04;5.000.000",  # April is billed to no one
        ],
    )
    with translation.override("en"):
        upload = import_wage_file(world.users["hr"], world.employers["E33"].pk, path, "upah.csv", keep_valid=True)
    assert upload.status == STATUS.PARTIAL and upload.stored_count == 2
    # stored with the month as ISO text (read later in either language), shown in the reader's words
    assert [(e["row"], e["field"], e["message"]) for e in upload.errors] == [
        (3, "period", english_refusal(moved.nik, "2025-03"))
    ]
    with translation.override("en"):
        assert [row_message(e) for e in upload.errors] == [english_refusal(moved.nik)]
    stored = {(r.worker_id, r.period): r.wage for r in WageReport.objects.all()}
    assert stored == {(w33.pk, MARCH): 3_500_000, (moved.pk, APRIL): 5_000_000}
    assert not BillLine.objects.filter(worker=moved, bill__period=MARCH, bill__payer__employer=world.employers["E33"])


def test_a_rejected_file_keeps_the_other_rows_and_checks_again_on_storing(
    world: World, moved: Worker, tmp_path: Path
) -> None:
    """Without ``keep_valid`` nothing is stored and the refused row does not wait; its valid rows are stored later.
    A row valid at upload and billed to another payer by then is refused on storing."""
    w33 = world.workers["W33PU"]
    path = write_csv(tmp_path, ["nik;bulan;upah", f"{moved.nik};2025-03;5.000.000", f"{w33.nik};2025-05;3.500.000"])
    with translation.override("id"):
        upload = import_wage_file(world.users["hr"], world.employers["E33"].pk, path, "upah.csv")
    assert upload.status == STATUS.REJECTED and not WageReport.objects.exists()
    with translation.override("id"):  # the stored row error as a page or the API shows it, in Bahasa Indonesia
        assert [(e["row"], e["field"], row_message(e)) for e in upload.errors] == [
            (2, "period", indonesian_refusal(moved.nik))
        ]
    assert [p["row"] for p in upload.pending_rows] == [3]
    # May of W33PU is billed to a sponsor meanwhile (W33PU moved there and back: a stand-in for any other payer)
    sponsor_payer = Payer.objects.get(sponsor__isnull=False)
    may = Bill.objects.create(payer=sponsor_payer, period=dt.date(2025, 5, 1), due_date=dt.date(2025, 6, 15))
    BillLine.objects.create(
        bill=may, worker=w33, programme="JKK", kind=BillLine.Kind.CONTRIBUTION, amount=1, rule="pu_contributions",
        law_date=may.period,
    )  # fmt: skip
    with translation.override("en"):
        upload = store_valid_rows(world.users["hr"], upload.pk)
        messages = {e["row"]: row_message(e) for e in upload.errors}
    assert upload.status == STATUS.REJECTED and upload.stored_count == 0
    assert messages[3] == english_refusal(w33.nik, "May 2025", "Program Kota Semarang")
    assert not WageReport.objects.exists()


def test_the_check_is_one_query_per_chunk_of_workers(world: World, moved: Worker) -> None:
    """Set-based: the months of thousands of rows billed elsewhere in a query per 2,000 workers."""
    w33 = world.workers["W33PU"]
    pairs = [(moved.pk, MARCH), (moved.pk, APRIL), (w33.pk, MARCH)] + [(10**6 + i, MARCH) for i in range(2_500)]
    with CaptureQueriesContext(connection) as queries:
        found = billed_elsewhere(world.employers["E33"].pk, pairs)
    assert found == {(moved.pk, MARCH): "PT Surabaya"}
    assert len(queries) == 2
    # for E35 it is W33PU's March that is billed elsewhere (to E33), and W35's is its own
    assert billed_elsewhere(world.employers["E35"].pk, pairs) == {(w33.pk, MARCH): "PT Semarang"}


# --- the API -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "expected"), [("en", english_refusal), ("id", indonesian_refusal)])
def test_the_api_refuses_with_422_naming_the_period(
    world: World, api: Any, moved: Worker, language: str, expected: Any
) -> None:
    client = api("hr")
    client.client.cookies["django_language"] = language
    e33 = world.employers["E33"].pk
    response = client.call(
        "post", f"/api/employers/{e33}/wage-reports", {"nik": moved.nik, "period": "2025-03", "wage": 1}
    )
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "period"]
    assert detail[0]["msg"] == expected(moved.nik)
    assert not WageReport.objects.exists()
    accepted = client.call(
        "post", f"/api/employers/{e33}/wage-reports", {"nik": moved.nik, "period": "2025-04", "wage": 1}
    )
    assert accepted.status_code == 201
