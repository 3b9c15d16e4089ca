"""The JHT ledger (services/ledger.py): crediting paid JHT lines, statements, withdrawals and the invariant.

Bills, lines and allocations are built with the models here, as the billing and payments
modules would leave them; every contribution amount is computed by the rule
``pu_contributions`` (or ``bpu_contributions``) for the wage or income given.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import pytest
from django.utils import timezone, translation

from paritrana.contributions.models import Allocation, Bill, BillingRun, BillLine, JhtEntry, Payment
from paritrana.contributions.payers import payer_of, payer_party
from paritrana.contributions.services.ledger import balance, credit_paid_bills, statement, totals, withdraw
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Worker
from paritrana.rules import compute_one
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)
_refs = itertools.count(1)


def pu_lines(worker: Worker, wage: int, period: dt.date = MARCH) -> dict[str, int]:
    """The amount per programme of a PU worker in JKK, JKM and JHT for ``wage``, from the rule."""
    o = compute_one("pu_contributions", period, {"wage": wage, "risk_group": worker.employer.risk_group}).outputs
    return {"JKK": o["jkk"], "JKM": o["jkm"], "JHT": o["jht_employer"] + o["jht_worker"]}


def new_bill(worker: Worker, period: dt.date = MARCH) -> Bill:
    payer = payer_of(payer_party(worker))
    bill, _ = Bill.objects.get_or_create(
        payer=payer, period=period, kind=Bill.Kind.CONTRIBUTION, defaults={"due_date": period.replace(day=15)}
    )
    return bill


def bill_run(bill: Bill, lines: Sequence[tuple[Worker, str, int]], kind: str = "contribution") -> BillingRun:
    """One billing run adding ``lines`` (worker, programme, amount) to ``bill``, as billing and its
    settlement do: an amount lowered below what was paid releases the excess (a negative allocation)."""
    run = BillingRun.objects.create(period=bill.period)
    BillLine.objects.bulk_create(
        BillLine(
            bill=bill,
            worker=w,
            programme=p,
            kind=kind,
            amount=a,
            rule="pu_contributions",
            law_date=bill.period,
            billing_run=run,
        )
        for w, p, a in lines
    )
    bill.refresh_from_db()
    bill.amount += sum(a for _, _, a in lines)
    if bill.amount > bill.paid:
        bill.paid_at = None
    elif bill.amount < bill.paid:
        Allocation.objects.create(bill=bill, amount=bill.amount - bill.paid, allocated_on=timezone.localdate())
        bill.paid = bill.amount
    bill.save()
    return run


def allocate(bill: Bill, amount: int, on: dt.date) -> None:
    """Money allocated to ``bill`` on ``on`` (a release when negative), as payments does."""
    bill.refresh_from_db()
    payment = None
    if amount > 0:
        payment = Payment.objects.create(payer=bill.payer, amount=amount, paid_on=on, reference=f"REF-{next(_refs)}")
    Allocation.objects.create(payment=payment, bill=bill, amount=amount, allocated_on=on)
    bill.paid += amount
    if bill.paid == bill.amount and bill.paid_at is None:
        bill.paid_at = on
    bill.save()


def entries(worker: Worker) -> list[tuple[str, dt.date, int]]:
    return [(e.kind, e.value_date, e.amount) for e in JhtEntry.objects.filter(worker=worker).order_by("id")]


def month_bill(world: World, wage: int = 3_000_000) -> tuple[Bill, dict[str, int]]:
    w = world.workers["W33PU"]
    bill = new_bill(w)
    amounts = pu_lines(w, wage)
    bill_run(bill, [(w, p, a) for p, a in amounts.items()])
    return bill, amounts


def test_a_fully_paid_bill_credits_its_jht_lines_once(world: World) -> None:
    w = world.workers["W33PU"]
    bill, amounts = month_bill(world)
    unpaid = new_bill(world.workers["W35"])
    bill_run(unpaid, [(world.workers["W35"], p, a) for p, a in pu_lines(world.workers["W35"], 4_800_000).items()])
    allocate(bill, bill.amount, dt.date(2025, 4, 10))

    assert credit_paid_bills([bill.pk, unpaid.pk]) == 1
    assert entries(w) == [("contribution", dt.date(2025, 4, 10), amounts["JHT"])]
    entry = JhtEntry.objects.get(worker=w)
    assert entry.bill_line.programme == "JHT" and entry.bill_line.bill == bill
    assert "2025-03" in entry.reference
    assert not JhtEntry.objects.filter(worker=world.workers["W35"]).exists()  # its bill is unpaid

    assert credit_paid_bills([bill.pk, unpaid.pk]) == 0  # idempotent
    assert JhtEntry.objects.count() == 1
    assert balance(w.pk, dt.date(2025, 4, 9)) == 0 and balance(w.pk, dt.date(2025, 4, 10)) == amounts["JHT"]


def test_a_part_payment_credits_no_one(world: World) -> None:
    w = world.workers["W33PU"]
    bill, amounts = month_bill(world)
    allocate(bill, bill.amount - 1, dt.date(2025, 4, 10))
    assert credit_paid_bills([bill.pk]) == 0
    allocate(bill, 1, dt.date(2025, 4, 20))
    assert credit_paid_bills([bill.pk]) == 1
    assert entries(w) == [("contribution", dt.date(2025, 4, 20), amounts["JHT"])]


def test_a_self_paid_bpu_workers_jht_is_credited(world: World) -> None:
    w = world.workers["W33BPU"]
    o = compute_one("bpu_contributions", MARCH, {"declared_income": 1_000_000, "with_jht": True}).outputs
    bill = new_bill(w)
    bill_run(bill, [(w, "JKK", o["jkk"]), (w, "JKM", o["jkm"]), (w, "JHT", o["jht"])])
    allocate(bill, bill.amount, dt.date(2025, 3, 31))
    assert credit_paid_bills([bill.pk]) == 1
    assert entries(w) == [("contribution", dt.date(2025, 3, 31), o["jht"])]


def test_a_bill_reopened_by_an_adjustment_keeps_its_credited_lines(world: World) -> None:
    """Paid, credited; a wage raised afterwards adds an adjustment that waits for its money."""
    w = world.workers["W33PU"]
    bill, amounts = month_bill(world)
    allocate(bill, bill.amount, dt.date(2025, 4, 10))
    credit_paid_bills([bill.pk])

    raised = pu_lines(w, 3_500_000)
    bill_run(bill, [(w, p, raised[p] - amounts[p]) for p in raised], kind="adjustment")
    bill.refresh_from_db()
    assert bill.paid < bill.amount  # reopened
    assert credit_paid_bills([bill.pk]) == 0
    assert totals(dt.date(2025, 12, 31)).holds

    allocate(bill, bill.amount - bill.paid, dt.date(2025, 5, 2))
    assert credit_paid_bills([bill.pk]) == 1
    assert entries(w) == [
        ("contribution", dt.date(2025, 4, 10), amounts["JHT"]),
        ("contribution", dt.date(2025, 5, 2), raised["JHT"] - amounts["JHT"]),
    ]
    assert balance(w.pk, dt.date(2025, 5, 2)) == raised["JHT"]
    assert totals(dt.date(2025, 12, 31)).holds


def test_money_covers_a_bills_lines_in_the_order_they_were_billed(world: World) -> None:
    """The month's lines paid in full, its later adjustment not: only the month's lines are credited."""
    w = world.workers["W33PU"]
    bill, amounts = month_bill(world)
    raised = pu_lines(w, 3_500_000)
    bill_run(bill, [(w, p, raised[p] - amounts[p]) for p in raised], kind="adjustment")
    original = sum(amounts.values())
    allocate(bill, original + 1, dt.date(2025, 4, 10))  # the original lines, and 1 rupiah of the adjustment
    assert credit_paid_bills([bill.pk]) == 1
    assert entries(w) == [("contribution", dt.date(2025, 4, 10), amounts["JHT"])]
    assert totals(dt.date(2025, 12, 31)).holds


def test_a_wage_corrected_downward_after_payment_credits_a_negative_amount_dated_today(world: World) -> None:
    w = world.workers["W33PU"]
    bill, amounts = month_bill(world)
    allocate(bill, bill.amount, dt.date(2025, 4, 10))
    credit_paid_bills([bill.pk])

    lowered = pu_lines(w, 2_500_000)
    bill_run(bill, [(w, p, lowered[p] - amounts[p]) for p in lowered], kind="adjustment")  # releases the excess
    bill.refresh_from_db()
    assert bill.paid == bill.amount == sum(lowered.values())
    assert credit_paid_bills([bill.pk]) == 1
    today = timezone.localdate()
    assert entries(w) == [
        ("contribution", dt.date(2025, 4, 10), amounts["JHT"]),
        ("contribution", today, lowered["JHT"] - amounts["JHT"]),
    ]
    assert lowered["JHT"] < amounts["JHT"]
    assert balance(w.pk, today) == lowered["JHT"]
    assert totals(today).holds


def test_a_downward_correction_covers_the_lines_billed_before_it(world: World) -> None:
    """Part-paid; a correction lowers the bill to what was paid: every line is paid in at once."""
    w = world.workers["W33PU"]
    bill, amounts = month_bill(world)
    lowered = pu_lines(w, 2_500_000)
    allocate(bill, sum(lowered.values()), dt.date(2025, 4, 10))
    assert credit_paid_bills([bill.pk]) == 0
    bill_run(bill, [(w, p, lowered[p] - amounts[p]) for p in lowered], kind="adjustment")
    bill.refresh_from_db()
    assert bill.paid == bill.amount
    assert credit_paid_bills([bill.pk]) == 2
    assert sorted(e.amount for e in JhtEntry.objects.filter(worker=w)) == sorted(
        [amounts["JHT"], lowered["JHT"] - amounts["JHT"]]
    )
    assert balance(w.pk, timezone.localdate()) == lowered["JHT"]
    assert totals(timezone.localdate()).holds


def test_the_invariant_sees_a_missing_or_a_wrong_credit(world: World) -> None:
    w = world.workers["W33PU"]
    bill, amounts = month_bill(world)
    allocate(bill, bill.amount, dt.date(2025, 4, 10))
    end = dt.date(2025, 12, 31)
    before = totals(end)
    assert before.paid_in == amounts["JHT"] and before.balances == 0 and not before.holds  # not yet credited

    credit_paid_bills([bill.pk])
    after = totals(end)
    assert after.holds and after.balances == after.paid_in == amounts["JHT"] and after.accounts == 1
    assert totals(dt.date(2025, 4, 9)).holds and totals(dt.date(2025, 4, 9)).paid_in == 0  # dated by the payment

    JhtEntry.objects.create(worker=w, kind="contribution", value_date=dt.date(2025, 5, 1), amount=1)  # no bill line
    assert not totals(end).holds and totals(end).balances == amounts["JHT"] + 1


def test_statement_lists_entries_with_running_balances(world: World) -> None:
    w = world.workers["W33PU"]
    JhtEntry.objects.create(worker=w, kind="contribution", value_date=dt.date(2024, 12, 10), amount=171_000)
    JhtEntry.objects.create(worker=w, kind="return", value_date=dt.date(2024, 12, 31), amount=500, year=2024)
    JhtEntry.objects.create(worker=w, kind="contribution", value_date=dt.date(2025, 2, 10), amount=171_000)
    JhtEntry.objects.create(worker=w, kind="withdrawal", value_date=dt.date(2025, 3, 1), amount=-50_000)
    JhtEntry.objects.create(worker=w, kind="contribution", value_date=dt.date(2025, 6, 10), amount=171_000)

    s = statement(world.users["admin"], w.pk, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert s.worker == w and s.opening_balance == 171_500
    assert [(e.value_date, e.kind, e.amount, e.balance) for e in s.entries] == [
        (dt.date(2025, 2, 10), "contribution", 171_000, 342_500),
        (dt.date(2025, 3, 1), "withdrawal", -50_000, 292_500),
    ]
    assert s.closing_balance == 292_500 == balance(w.pk, dt.date(2025, 3, 31))
    assert s.totals == {"contribution": 171_000, "return": 0, "withdrawal": -50_000}
    with pytest.raises(ValidationFailed) as err:
        statement(world.users["admin"], w.pk, dt.date(2025, 3, 31), dt.date(2025, 1, 1))
    assert err.value.field == "end"


def test_statements_are_seen_within_scope(world: World) -> None:
    w = world.workers
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    assert statement(world.users["worker"], w["W33BPU"].pk, start, end).worker == w["W33BPU"]
    assert statement(world.users["heir"], w["W33PU"].pk, start, end).worker == w["W33PU"]
    assert statement(world.users["branch"], w["W33PU"].pk, start, end).worker == w["W33PU"]
    assert statement(world.users["admin"], w["W35"].pk, start, end).worker == w["W35"]
    refused = [
        ("worker", "W33PU"),
        ("heir", "W33BPU"),
        ("branch", "W35"),
        ("hr", "W33PU"),
        ("city", "W33CITY"),
        ("province", "W33PU"),
        ("assessor", "W33PU"),
    ]
    for role, key in refused:
        with pytest.raises(NotFound):
            statement(world.users[role], w[key].pk, start, end)


def test_withdrawal_debits_at_most_the_balance(world: World) -> None:
    w = world.workers["W33PU"]
    JhtEntry.objects.create(worker=w, kind="contribution", value_date=dt.date(2025, 2, 10), amount=171_000)
    with (
        pytest.raises(ValidationFailed) as err,
        translation.override("id"),
    ):  # the date as the reader's language writes it
        withdraw(world.users["admin"], w.pk, 171_001, dt.date(2025, 3, 1), "KLAIM-1")
    assert err.value.field == "amount" and "Rp 171.000" in err.value.reason and "1 Maret 2025" in err.value.reason
    with pytest.raises(ValidationFailed) as err:
        withdraw(world.users["admin"], w.pk, 1, dt.date(2025, 2, 9), "KLAIM-1")  # nothing yet on that day
    assert err.value.field == "amount" and "Rp 0" in err.value.reason

    entry = withdraw(world.users["branch"], w.pk, 100_000, dt.date(2025, 3, 1), "KLAIM-1")
    assert (entry.kind, entry.value_date, entry.amount, entry.reference) == (
        "withdrawal",
        dt.date(2025, 3, 1),
        -100_000,
        "KLAIM-1",
    )
    assert balance(w.pk, dt.date(2025, 3, 1)) == 71_000
    # an earlier date may not overdraw the account at the later withdrawal
    with pytest.raises(ValidationFailed) as err:
        withdraw(world.users["admin"], w.pk, 71_001, dt.date(2025, 2, 20), "KLAIM-2")
    assert "Rp 71.000" in err.value.reason
    withdraw(world.users["admin"], w.pk, 71_000, dt.date(2025, 2, 20), "KLAIM-2")
    assert balance(w.pk, dt.date(2025, 12, 31)) == 0


def test_withdrawal_refusals(world: World) -> None:
    w = world.workers
    JhtEntry.objects.create(worker=w["W33PU"], kind="contribution", value_date=dt.date(2024, 2, 10), amount=9_000)
    admin = world.users["admin"]
    cases = [
        ((admin, w["W33PU"].pk, 0, dt.date(2025, 3, 1), "K"), "amount"),
        ((admin, w["W33PU"].pk, -5, dt.date(2025, 3, 1), "K"), "amount"),
        ((admin, w["W33PU"].pk, 5, timezone.localdate() + dt.timedelta(days=1), "K"), "on"),
        ((admin, w["W33PU"].pk, 5, dt.date(2025, 3, 1), "  "), "reference"),
    ]
    for args, field in cases:
        with pytest.raises(ValidationFailed) as err:
            withdraw(*args)
        assert err.value.field == field, args
    JhtEntry.objects.create(worker=w["W33PU"], kind="return", value_date=dt.date(2024, 12, 31), amount=10, year=2024)
    with pytest.raises(ValidationFailed) as err:
        withdraw(admin, w["W33PU"].pk, 5, dt.date(2024, 6, 1), "K")  # within a year already credited
    assert err.value.field == "on" and "2024" in err.value.reason
    with pytest.raises(NotAllowed):
        withdraw(world.users["heir"], w["W33PU"].pk, 5, dt.date(2025, 3, 1), "K")  # sees it, may not pay it
    with pytest.raises(NotAllowed):
        withdraw(world.users["worker"], w["W33BPU"].pk, 5, dt.date(2025, 3, 1), "K")
    for role, key in (("hr", "W33PU"), ("branch", "W35"), ("city", "W33CITY"), ("worker", "W33PU")):
        with pytest.raises(NotFound):
            withdraw(world.users[role], w[key].pk, 5, dt.date(2025, 3, 1), "K")
    with pytest.raises(NotFound):
        withdraw(None, 999_999, 5, dt.date(2025, 3, 1), "K")
    assert not JhtEntry.objects.filter(kind="withdrawal").exists()
    assert withdraw(None, w["W33PU"].pk, 9_010, dt.date(2025, 3, 1), "K").amount == -9_010  # the system (claims)


def test_totals_count_each_side_and_negative_accounts(world: World) -> None:
    w = world.workers
    bill, amounts = month_bill(world)
    allocate(bill, bill.amount, dt.date(2025, 4, 10))
    credit_paid_bills([bill.pk])
    JhtEntry.objects.create(worker=w["W33PU"], kind="return", value_date=dt.date(2025, 12, 31), amount=700, year=2025)
    JhtEntry.objects.create(worker=w["W33PU"], kind="withdrawal", value_date=dt.date(2026, 1, 5), amount=-1_000)
    t = totals(dt.date(2026, 1, 5))
    assert (t.paid_in, t.returns, t.withdrawals, t.balances) == (amounts["JHT"], 700, 1_000, amounts["JHT"] - 300)
    assert t.holds and t.negative_accounts == 0
    assert totals(dt.date(2026, 1, 4)).withdrawals == 0 and totals(dt.date(2026, 1, 4)).holds
    assert totals(dt.date(2025, 12, 30)).returns == 0 and totals(dt.date(2025, 12, 30)).holds
