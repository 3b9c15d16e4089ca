"""Bank statements (services/bank.py, reconcile.py; decision 0009), must-show 2: a statement with
matched, under-paid, over-paid, unknown-code and duplicate lines gives the right allocations and
exceptions, and the day's reconciliation balances to the rupiah. Every expected figure is written out
here from the bills' amounts, not read back from the code under test.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.utils import translation

from paritrana.contributions.models import Allocation, BankStatement, Bill, Payer, Payment, StatementLine
from paritrana.contributions.services.bank import exceptions_queue, import_statement, resolve
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.reconcile import reconcile
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from tests.contributions.bankkit import code, csv_statement, mt940_statement
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
DAY = dt.date(2025, 3, 10)  # before every March due date (BPU: in March; PU: in April): no penalty


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def payer_of(world: World, key: str) -> Payer:
    if key in world.employers:
        return Payer.objects.get(employer=world.employers[key])
    return Payer.objects.get(worker=world.workers[key])


def march(p: Payer) -> Bill:
    return Bill.objects.get(payer=p, period=MARCH, kind=Bill.Kind.CONTRIBUTION)


def statement_rows(world: World) -> tuple[list[tuple[str, dt.date, int, str, str]], dict[str, int]]:
    run_billing(MARCH)
    e33, e35, bpu = payer_of(world, "E33"), payer_of(world, "E35"), payer_of(world, "W33BPU")
    a33, a35, abpu = march(e33).amount, march(e35).amount, march(bpu).amount
    assert min(a33, a35, abpu) > 10_000
    rows = [
        ("BR-001", DAY, a33, code(e33.pk), "IURAN MARET PT SEMARANG"),  # matched
        ("BR-002", DAY, a35 - 7_000, code(e35.pk), "IURAN MARET"),  # under-paid by 7,000
        ("BR-003", DAY, abpu + 5_000, code(bpu.pk), "IURAN BPU"),  # over-paid by 5,000
        ("BR-004", DAY, 25_000, code(e33.pk)[:-1] + str((int(code(e33.pk)[-1]) + 1) % 10), "SALAH KETIK"),  # bad digit
        ("BR-005", DAY, 30_000, "", "TRANSFER TANPA KODE"),  # no code at all
        ("BR-006", DAY, a33, code(e33.pk), "IURAN MARET PT SEMARANG"),  # the same money again: duplicate
    ]
    amounts = {"a33": a33, "a35": a35, "abpu": abpu}
    return rows, amounts


@pytest.mark.parametrize("fmt", ["csv", "mt940"])
def test_a_statement_gives_the_right_allocations_exceptions_and_a_balanced_day(world: World, fmt: str) -> None:
    rows, a = statement_rows(world)
    e33, e35, bpu = payer_of(world, "E33"), payer_of(world, "E35"), payer_of(world, "W33BPU")
    if fmt == "csv":
        stream, name = csv_statement(rows), "stmt.csv"
    else:
        stream, name = mt940_statement([*rows, ("BR-FEE", DAY, -6_500, "", "BIAYA ADMIN")]), "stmt.sta"

    result = import_statement(world.users["admin"], stream, name)

    assert result.stored and result.error_count == 0
    assert (result.lines, result.matched, result.exceptions) == (6, 1, 5)
    assert result.debit_total == (6_500 if fmt == "mt940" else 0)
    # the matched line paid E33's March bill exactly; nothing else was allocated anywhere
    assert march(e33).paid == a["a33"]
    assert march(e35).paid == 0 and march(bpu).paid == 0
    assert Payment.objects.count() == 1
    assert sum(Allocation.objects.values_list("amount", flat=True)) == a["a33"]
    problems = dict(StatementLine.objects.values_list("bank_reference", "problem"))
    assert problems == {
        "BR-001": "",
        "BR-002": "underpaid",
        "BR-003": "overpaid",
        "BR-004": "unknown",
        "BR-005": "unknown",
        "BR-006": "duplicate",
    }
    assert StatementLine.objects.get(bank_reference="BR-002").expected == a["a35"]

    total = a["a33"] + (a["a35"] - 7_000) + (a["abpu"] + 5_000) + 25_000 + 30_000 + a["a33"]
    day = reconcile(world.users["admin"], DAY)
    assert day.statement.amount == total and day.statement.count == 6
    assert day.allocated.amount == a["a33"]
    assert day.open.amount == total - a["a33"] and day.open.count == 5
    assert day.balanced and day.difference == 0

    # officers resolve: the over-payment allocated (the 5,000 above the bill becomes credit), the
    # under-payment allocated (the bill stays part-paid), the unknown code assigned to E35, the
    # duplicate marked, the line without a code returned
    admin = world.users["admin"]
    line = {ref: StatementLine.objects.get(bank_reference=ref).pk for ref in problems}
    resolve(world.users["branch"], line["BR-003"], "allocate")
    resolve(admin, line["BR-002"], "allocate")
    resolve(admin, line["BR-004"], "allocate", payer_id=e35.pk)
    resolve(admin, line["BR-006"], "duplicate", note="the payer paid twice; returned on request")
    resolve(admin, line["BR-005"], "return", note="returned by transfer RTN-77")
    bpu.refresh_from_db()
    assert march(bpu).paid == a["abpu"] and bpu.credit == 5_000
    e35.refresh_from_db()  # a35 − 7,000, then 25,000 more: the bill paid, 18,000 kept as credit
    assert march(e35).paid == a["a35"] and e35.credit == 18_000

    day = reconcile(admin, DAY)
    assert day.open.count == 0
    assert day.allocated.amount == a["a33"]
    assert day.resolved_allocated.amount == (a["abpu"] + 5_000) + (a["a35"] - 7_000) + 25_000
    assert day.returned.amount == 30_000 and day.duplicate.amount == a["a33"]
    assert day.statement.amount == total and day.balanced
    resolved = StatementLine.objects.get(pk=line["BR-005"])
    assert resolved.resolved_by == admin and resolved.resolved_at is not None


def test_the_same_statement_twice_allocates_once(world: World) -> None:
    rows, a = statement_rows(world)
    admin = world.users["admin"]
    import_statement(admin, csv_statement(rows), "a.csv")
    with pytest.raises(ValidationFailed) as refused:
        import_statement(admin, csv_statement(rows), "a-again.csv")
    assert refused.value.field == "file" and "imported once" in refused.value.reason
    # an overlapping statement (the same lines, another file): the lines already stored are skipped
    more = [*rows, ("BR-101", DAY, 40_000, code(payer_of(world, "E35").pk), "SISA")]
    again = import_statement(admin, csv_statement(more), "month.csv")
    assert (again.already_imported, again.matched, again.exceptions) == (6, 0, 1)
    assert Payment.objects.count() == 1 and march(payer_of(world, "E33")).paid == a["a33"]
    assert StatementLine.objects.count() == 7 and BankStatement.objects.count() == 2


def test_a_file_with_a_bad_row_stores_nothing_and_names_row_and_field(world: World) -> None:
    rows, _a = statement_rows(world)
    text = csv_statement(rows).getvalue().decode().splitlines()
    text[3] = "BR-003,2025-02-30,1000,,X," + "1234567890"  # no such day
    text.append("BR-007,0001-01-01,5000,,OLD,1234567890")
    text.append(f"BR-008,{DAY.isoformat()},12.345,,X,1234567890")
    result = import_statement(world.users["admin"], io.BytesIO("\n".join(text).encode()), "bad.csv")
    assert not result.stored
    found = {(e.row, e.field) for e in result.errors}
    assert found == {(4, "value_date"), (8, "value_date"), (9, "amount")}
    assert StatementLine.objects.count() == 0 and Payment.objects.count() == 0
    assert BankStatement.objects.count() == 0 and Bill.objects.filter(paid__gt=0).count() == 0


def test_an_unbalanced_mt940_is_refused(world: World) -> None:
    rows, _a = statement_rows(world)
    text = mt940_statement(rows).getvalue().replace(b":62F:C", b":62F:C1")
    result = import_statement(world.users["admin"], io.BytesIO(text), "x.sta")
    assert not result.stored and result.errors[0].field == "62F"
    assert StatementLine.objects.count() == 0


@pytest.mark.parametrize("role", ["branch", "province", "city", "hr", "worker", "heir", "assessor"])
def test_only_the_administrator_imports_statements(world: World, role: str) -> None:
    rows, _a = statement_rows(world)
    with pytest.raises(NotAllowed):
        import_statement(world.users[role], csv_statement(rows), "a.csv")
    with pytest.raises(NotAllowed):
        reconcile(world.users[role], DAY)
    assert StatementLine.objects.count() == 0 and Payment.objects.count() == 0


def test_the_exceptions_queue_is_scoped_and_searchable(world: World) -> None:
    rows, _a = statement_rows(world)
    import_statement(world.users["admin"], csv_statement(rows), "a.csv")
    branch = world.users["branch"]  # KC-33: sees E33 and W33BPU, not E35, not the unknown codes
    seen = set(exceptions_queue(branch).values_list("bank_reference", flat=True))
    assert seen == {"BR-003", "BR-006"}
    assert set(exceptions_queue(world.users["admin"]).values_list("bank_reference", flat=True)) == {
        "BR-002", "BR-003", "BR-004", "BR-005", "BR-006"
    }  # fmt: skip
    assert list(exceptions_queue(world.users["admin"], search="TANPA").values_list("bank_reference", flat=True)) == [
        "BR-005"
    ]
    unknown = StatementLine.objects.get(bank_reference="BR-004")
    with pytest.raises(NotFound):  # out of its scope: as if absent
        resolve(branch, unknown.pk, "return", note="x")
    e35_line = StatementLine.objects.get(bank_reference="BR-002")
    with pytest.raises(NotFound):
        resolve(branch, e35_line.pk, "allocate")
    for role in ("hr", "worker", "city"):
        with pytest.raises(NotAllowed):
            resolve(world.users[role], e35_line.pk, "allocate")
        with pytest.raises(NotAllowed):
            exceptions_queue(world.users[role])
    with pytest.raises(ValidationFailed) as no_payer:
        resolve(world.users["admin"], unknown.pk, "allocate")
    assert no_payer.value.field == "payer"
    with pytest.raises(ValidationFailed) as no_note:
        resolve(world.users["admin"], unknown.pk, "return")
    assert no_note.value.field == "note"
    resolve(world.users["admin"], unknown.pk, "duplicate")
    with pytest.raises(ValidationFailed):  # resolved once
        resolve(world.users["admin"], unknown.pk, "return", note="again")
    assert Payment.objects.count() == 1


def test_a_preview_counts_as_the_import_would_and_stores_nothing(world: World) -> None:
    rows, a = statement_rows(world)
    preview = import_statement(world.users["admin"], csv_statement(rows), "a.csv", preview=True)
    assert preview.preview and not preview.stored
    assert (preview.lines, preview.matched, preview.exceptions) == (6, 1, 5)
    assert not StatementLine.objects.exists() and not BankStatement.objects.exists()
    assert not Payment.objects.exists() and march(payer_of(world, "E33")).paid == 0
    done = import_statement(world.users["admin"], csv_statement(rows), "a.csv")  # the same file, for real
    assert done.stored and (done.matched, done.exceptions) == (1, 5)
    assert march(payer_of(world, "E33")).paid == a["a33"]
