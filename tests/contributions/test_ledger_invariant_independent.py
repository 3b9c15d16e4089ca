"""The JHT ledger checked against the source records by code written here, not by the ledger's queries.

Random sequences (hypothesis, bounded) of billing runs, payments (exact, whole, part), wage corrections
up and down (a downward one after payment reverses money already paid: the excess goes back to the
payer's credit), yearly returns and withdrawals go through the real services. After each step,
from the rows as stored (bills, lines, allocations, payments, entries) and the test's own log of
withdrawals and returns, in plain Python:

- money: each bill's ``paid`` is the sum of its allocations (releases negative), within its amount;
  each payer's credit is what it paid less what was allocated to its bills;
- which JHT lines are paid in: a bill's lines grouped by billing run (a line without a run alone),
  groups in the order billed; a group is paid in when the bill's money reaches the smallest running
  total from that group on (a later downward correction lowers what earlier groups need). A part
  payment that covers no group credits no one. The lines credited (entries linked to lines) must be
  exactly those, each once, for its worker and amount, value-dated on a day money reached the bill
  (or, for a debit, the day it was credited);
- returns: recomputed per account from the entries before each crediting (the average of the twelve
  month-start balances, each row rounded half up to the rupiah) and compared with what was written;
- the balance sum on each checked date equals the JHT paid in (dated by its entry) plus the returns
  in the test's log less the withdrawals in the test's log; no account is negative;
- a refused withdrawal (one rupiah above what is available) writes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paritrana.contributions.models import Allocation, Bill, BillingRun, BillLine, JhtEntry, Payer, Payment, WageReport
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.ledger import credit_yearly_returns, withdraw
from paritrana.contributions.services.payments import record_payment
from paritrana.core.errors import ValidationFailed
from tests.platform.world import World

MONTHS = [dt.date(2024 + i // 12, i % 12 + 1, 1) for i in range(24)]
PAYERS = ("E33", "E35", "W33BPU")
DATES = [dt.date(2024, 3, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2025, 6, 30)]
CHECKED_ON = [dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2025, 12, 31)]
_refs = itertools.count(1)


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- what the stored rows say, computed here ---------------------------------------------------------


def paid_in_lines() -> dict[int, BillLine]:
    """The JHT lines (contribution, adjustment) whose bill's money covers them, by the rule above."""
    money: dict[int, int] = defaultdict(int)
    for bill_id, amount in Allocation.objects.values_list("bill_id", "amount"):
        money[bill_id] += amount
    lines: dict[int, list[BillLine]] = defaultdict(list)
    for line in BillLine.objects.order_by("id"):
        lines[line.bill_id].append(line)
    paid: dict[int, BillLine] = {}
    for bill_id, bill_lines in lines.items():
        groups: dict[int, list[BillLine]] = {}  # insertion order = order of each group's first line
        for line in bill_lines:
            groups.setdefault(line.billing_run_id if line.billing_run_id else -line.id, []).append(line)
        running, upto = 0, []
        for group in groups.values():
            running += sum(line.amount for line in group)
            upto.append(running)
        for i, group in enumerate(groups.values()):
            if money[bill_id] >= min(upto[i:]):
                for line in group:
                    if line.programme == "JHT" and line.kind in ("contribution", "adjustment") and line.worker_id:
                        paid[line.pk] = line
    return paid


def expected_returns(year: int, rate_bp: int) -> dict[int, int]:
    """Each account's return of ``year`` not yet credited: the opening balance for the year, each month's
    net movement for (12 − month)/12 of it, each part rounded half up, a debit's part subtracted."""
    done = set(JhtEntry.objects.filter(kind="return", year=year).values_list("worker_id", flat=True))
    opening: dict[int, int] = defaultdict(int)
    months: dict[tuple[int, int], int] = defaultdict(int)
    for worker_id, kind, on, amount in JhtEntry.objects.values_list("worker_id", "kind", "value_date", "amount"):
        if worker_id in done:
            continue
        if on.year < year:
            opening[worker_id] += amount
        elif on.year == year and kind != "return":
            months[worker_id, on.month] += amount
    rate = Decimal(rate_bp) / 10_000
    out: dict[int, int] = defaultdict(int)
    for worker_id, amount in opening.items():
        out[worker_id] += (1 if amount > 0 else -1) * half_up(abs(amount) * rate)
    for (worker_id, month), amount in months.items():
        out[worker_id] += (1 if amount > 0 else -1) * half_up(abs(amount) * rate * (12 - month) / 12)
    return {w: r for w, r in out.items() if r > 0}


def available(worker_id: int, on: dt.date) -> int:
    """The lowest balance of the account from ``on`` on (the balance then and after each later entry)."""
    rows = sorted(JhtEntry.objects.filter(worker_id=worker_id).values_list("value_date", "id", "amount"))
    then = sum(a for d, _, a in rows if d <= on)
    lowest, running = then, then
    for d, _, amount in rows:
        if d > on:
            running += amount
            lowest = min(lowest, running)
    return lowest


# --- operations ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BillMonth:
    month: dt.date


@dataclass(frozen=True)
class Pay:
    payer: str
    mode: str  # "exact": the oldest open bill; "all": every open bill and more (credit); "part": part of the oldest
    percent: int
    paid_on: dt.date


@dataclass(frozen=True)
class Correct:
    worker: str
    pick: int
    wage: int


@dataclass(frozen=True)
class Returns:
    year: int
    rate_bp: int


@dataclass(frozen=True)
class Withdraw:
    worker: str
    percent: int
    on: dt.date


operations = st.one_of(
    st.builds(BillMonth, st.sampled_from(MONTHS)),
    st.builds(
        Pay, st.sampled_from(PAYERS), st.sampled_from(("exact", "all", "part")), st.integers(1, 99), st.sampled_from(DATES)
    ),
    st.builds(Correct, st.sampled_from(("W33PU", "W35")), st.integers(0, 23), st.integers(1_000, 9_000).map(lambda k: k * 1_000)),
    st.builds(Returns, st.sampled_from((2024, 2025)), st.integers(1, 1_200)),
    st.builds(Withdraw, st.sampled_from(("W33PU", "W35", "W33BPU")), st.integers(1, 100), st.sampled_from(DATES)),
)  # fmt: skip


@dataclass
class Model:
    """The world, and what the test itself did: withdrawals and returns written."""

    world: World
    withdrawn: list[tuple[int, dt.date, int]] = field(default_factory=list)
    returned: list[tuple[int, int, int]] = field(default_factory=list)  # worker, year, amount
    corrected_after_withdrawal: bool = False

    def payer(self, key: str) -> Payer | None:
        if key in self.world.employers:
            return Payer.objects.filter(employer=self.world.employers[key]).first()
        return Payer.objects.filter(worker=self.world.workers[key]).first()

    def apply(self, op: Any) -> None:
        admin = self.world.users["admin"]
        if isinstance(op, BillMonth):
            run_billing(op.month)
        elif isinstance(op, Pay):
            payer = self.payer(op.payer)
            open_bills = [
                b for b in Bill.objects.filter(payer=payer).order_by("due_date", "period", "id") if b.paid < b.amount
            ]
            if payer is None or not open_bills:
                return
            need = open_bills[0].amount - open_bills[0].paid
            owed = sum(b.amount - b.paid for b in open_bills) - payer.credit
            amount = {"exact": need, "all": max(owed, 0) + op.percent, "part": need * op.percent // 100}[op.mode]
            if amount > 0:
                record_payment(None, payer.pk, amount, op.paid_on, f"BANK-{next(_refs)}", recorded_by=admin)
        elif isinstance(op, Correct):
            worker = self.world.workers[op.worker]
            if any(w == worker.pk for w, _, _ in self.withdrawn):
                return  # a downward correction after a payout leaves the account owing: not this test's subject
            billed = sorted(set(BillingRun.objects.values_list("period", flat=True)))
            if billed:
                month = billed[op.pick % len(billed)]
                WageReport.objects.update_or_create(
                    worker=worker, period=month, defaults={"employer": worker.employer, "wage": op.wage}
                )
                run_billing(month, employer_ids=[worker.employer_id])
        elif isinstance(op, Returns):
            expected = expected_returns(op.year, op.rate_bp)
            assert credit_yearly_returns(op.year, declared_rate_bp=op.rate_bp) == len(expected)
            written = dict(
                JhtEntry.objects.filter(kind="return", year=op.year, worker_id__in=expected).values_list(
                    "worker_id", "amount"
                )
            )
            assert written == expected
            self.returned += [(w, op.year, a) for w, a in expected.items()]
        elif isinstance(op, Withdraw):
            worker_id = self.world.workers[op.worker].pk
            credited = JhtEntry.objects.filter(worker_id=worker_id, kind="return").values_list("year", flat=True)
            if op.on.year <= max(credited, default=0):
                return
            most = available(worker_id, op.on)
            before = JhtEntry.objects.count()
            with pytest.raises(ValidationFailed) as refused:
                withdraw(admin, worker_id, most + 1, op.on, f"KLAIM-{next(_refs)}")
            assert refused.value.field == "amount" and JhtEntry.objects.count() == before
            amount = most * op.percent // 100
            if amount > 0:
                withdraw(admin, worker_id, amount, op.on, f"KLAIM-{next(_refs)}")
                self.withdrawn.append((worker_id, op.on, amount))  # fmt: skip

    def check(self) -> None:
        # money
        allocated: dict[int, int] = defaultdict(int)
        for bill_id, amount in Allocation.objects.values_list("bill_id", "amount"):
            allocated[bill_id] += amount
        by_payer: dict[int, int] = defaultdict(int)
        for bill in Bill.objects.all():
            assert bill.paid == allocated[bill.pk] and 0 <= bill.paid <= bill.amount, bill
            by_payer[bill.payer_id] += bill.paid
        payments: dict[int, int] = defaultdict(int)
        for payer_id, amount in Payment.objects.values_list("payer_id", "amount"):
            payments[payer_id] += amount
        for payer in Payer.objects.all():
            assert payer.credit == payments[payer.pk] - by_payer[payer.pk], payer
        # lines paid in, and their entries
        paid = paid_in_lines()
        contributions = list(JhtEntry.objects.filter(kind="contribution"))
        assert {e.bill_line_id for e in contributions} == set(paid)
        today = timezone.localdate()
        arrived: dict[int, set[dt.date]] = defaultdict(set)
        for bill_id, on in Allocation.objects.values_list("bill_id", "allocated_on"):
            arrived[bill_id].add(on)
        dated: dict[int, dt.date] = {}
        for e in contributions:
            line = paid[e.bill_line_id]  # type: ignore[index]
            assert (e.worker_id, e.amount) == (line.worker_id, line.amount)
            assert e.value_date in arrived[line.bill_id] | {today}, (e.value_date, arrived[line.bill_id])
            dated[line.pk] = e.value_date
        # the balances
        entries = list(JhtEntry.objects.values_list("worker_id", "value_date", "amount"))
        for on in [*CHECKED_ON, today]:
            balances = sum(a for _, d, a in entries if d <= on)
            paid_in = sum(line.amount for pk, line in paid.items() if dated[pk] <= on)
            returns = sum(a for _, year, a in self.returned if dt.date(year, 12, 31) <= on)
            withdrawals = sum(a for _, d, a in self.withdrawn if d <= on)
            assert balances == paid_in + returns - withdrawals, on
            per_account: dict[int, int] = defaultdict(int)
            for worker_id, d, a in entries:
                if d <= on:
                    per_account[worker_id] += a
            assert min(per_account.values(), default=0) >= 0, (on, per_account)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    first=st.lists(st.sampled_from(MONTHS), min_size=1, max_size=3, unique=True),
    steps=st.lists(operations, min_size=4, max_size=9),
)  # fmt: skip
def test_the_ledger_matches_the_source_records(world: World, first: list[dt.date], steps: list[Any]) -> None:
    with transaction.atomic():
        model = Model(world)
        start = [BillMonth(m) for m in first] + [Pay(p, "part", 50, DATES[0]) for p in PAYERS]
        for op in [*start, *steps]:
            model.apply(op)
            model.check()
        transaction.set_rollback(True)
