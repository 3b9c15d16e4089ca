"""The JHT ledger's invariant after many random operations over the billable world (hypothesis).

Operations, through the real services: bill a month (``billing.run_billing``), record a
payment of a random amount on a random date (``payments.record_payment``), correct a wage
(a ``WageReport``, then the month billed again → adjustment lines), credit a year's returns
at a random declared rate, withdraw a random part of a balance (and try more than it).
After each step:

- the invariant holds exactly, on several dates: the sum of all balances equals the JHT
  paid in (from bills and payments) plus the returns credited less the withdrawals;
- no account is negative on any date (running balance over its entries in value-date order);
- each account's balance (and its statement's closing balance) equals the sum of its entries,
  and each contribution entry carries the amount and worker of its JHT line.

A wage is not corrected after its worker has withdrawn: a downward correction of a month
already credited, after the balance was paid out, leaves the account owing (the ledger
records that as a negative balance, see ``services/ledger.py``), which is not an error.

Each example runs inside a savepoint rolled back at its end, over one world per test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from paritrana.contributions.models import Bill, BillingRun, JhtEntry, Payer, WageReport
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.ledger import balance, credit_yearly_returns, statement, totals, withdraw
from paritrana.contributions.services.payments import record_payment
from paritrana.core.errors import ValidationFailed
from tests.platform.world import World

MONTHS = [dt.date(2024 + i // 12, i % 12 + 1, 1) for i in range(24)]  # 2024-01 … 2025-12
PAYERS = ("E33", "E35", "W33BPU")
PU_WORKERS = ("W33PU", "W35")
ACCOUNTS = ("W33PU", "W35", "W33BPU")
DATES = [dt.date(2024, 2, 20), dt.date(2024, 7, 10), dt.date(2024, 12, 30), dt.date(2025, 4, 15), dt.date(2025, 11, 3)]
CHECK_DATES = [dt.date(2024, 6, 30), dt.date(2024, 12, 31), dt.date(2025, 6, 30), dt.date(2025, 12, 31)]
_refs = itertools.count(1)


@dataclass(frozen=True)
class BillMonth:
    month: dt.date


@dataclass(frozen=True)
class Pay:
    payer: str
    mode: str  # "oldest": the oldest open bill exactly; "all": everything open plus extra; "part": a part
    percent: int
    paid_on: dt.date


@dataclass(frozen=True)
class CorrectWage:
    worker: str
    pick: int  # a month already billed (the pick-th, cyclically), else any month
    wage: int


@dataclass(frozen=True)
class CreditReturns:
    year: int
    rate_bp: int


@dataclass(frozen=True)
class Withdraw:
    worker: str
    percent: int
    on: dt.date | None  # None: today
    too_much: bool


bill_month = st.builds(BillMonth, st.sampled_from(MONTHS))
pay = st.builds(
    Pay,
    st.sampled_from(PAYERS),
    st.sampled_from(("oldest", "all", "part")),
    st.integers(1, 100),
    st.sampled_from(DATES),
)
correct_wage = st.builds(
    CorrectWage,
    st.sampled_from(PU_WORKERS),
    st.integers(0, 23),
    st.one_of(
        st.sampled_from((1_500_000, 2_500_000, 4_000_000, 6_000_000)),
        st.integers(1_000, 12_000).map(lambda k: k * 1_000),
    ),
)
credit_returns = st.builds(CreditReturns, st.sampled_from((2024, 2025)), st.integers(1, 1_500))
withdrawal = st.builds(
    Withdraw,
    st.sampled_from(ACCOUNTS),
    st.integers(1, 100),
    st.sampled_from((None, None, dt.date(2025, 5, 1), dt.date(2026, 1, 15))),
    st.integers(0, 3).map(lambda k: k == 0),  # a quarter of the time, also try one rupiah too many
)
# payments and withdrawals twice as likely as the rest
operations = st.one_of(bill_month, pay, pay, correct_wage, credit_returns, withdrawal, withdrawal)


class Ledger:
    """Applies operations through the services and checks the ledger after each."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.admin = world.users["admin"]
        self.today = timezone.localdate()
        self.withdrawn: set[str] = set()

    def payer(self, key: str) -> Payer | None:
        if key in self.world.employers:
            return Payer.objects.filter(employer=self.world.employers[key]).first()
        return Payer.objects.filter(worker=self.world.workers[key]).first()

    def apply(self, op: Any) -> None:
        getattr(self, type(op).__name__.lower())(op)

    def billmonth(self, op: BillMonth) -> None:
        run_billing(op.month)

    def pay(self, op: Pay) -> None:
        payer = self.payer(op.payer)
        if payer is None:
            return
        open_bills = [b for b in Bill.objects.filter(payer=payer).order_by("due_date", "id") if b.paid < b.amount]
        outstanding = sum(b.amount - b.paid for b in open_bills) - payer.credit
        if op.mode == "oldest" and open_bills:
            amount = open_bills[0].amount - open_bills[0].paid
        elif op.mode == "all":
            amount = max(outstanding, 0) + op.percent * 1_000  # an overpayment is kept as credit
        else:
            amount = max(outstanding * op.percent // 100, 1)
        if amount > 0:
            record_payment(None, payer.pk, amount, op.paid_on, f"BANK-{next(_refs)}")

    def correctwage(self, op: CorrectWage) -> None:
        if op.worker in self.withdrawn:
            return
        worker = self.world.workers[op.worker]
        billed = sorted(set(BillingRun.objects.values_list("period", flat=True)))
        month = billed[op.pick % len(billed)] if billed else MONTHS[op.pick]
        WageReport.objects.update_or_create(
            worker=worker, period=month, defaults={"employer": worker.employer, "wage": op.wage}
        )
        if billed:
            run_billing(month, employer_ids=[worker.employer_id])

    def creditreturns(self, op: CreditReturns) -> None:
        credit_yearly_returns(op.year, declared_rate_bp=op.rate_bp)
        assert credit_yearly_returns(op.year, declared_rate_bp=op.rate_bp) == 0  # a year is credited once

    def withdraw(self, op: Withdraw) -> None:
        worker = self.world.workers[op.worker]
        on = op.on or self.today
        last_return = max(
            JhtEntry.objects.filter(worker=worker, kind="return").values_list("year", flat=True), default=0
        )
        if on.year <= last_return:
            on = self.today
        available = self.available(worker.pk, on)
        if op.too_much:
            try:
                withdraw(self.admin, worker.pk, available + 1, on, f"KLAIM-{next(_refs)}")
            except ValidationFailed as err:
                assert err.field == "amount"
            else:
                raise AssertionError(f"withdrew more than the {available} available on {on}")
            return
        amount = available * op.percent // 100
        if amount > 0:
            entry = withdraw(self.admin, worker.pk, amount, on, f"KLAIM-{next(_refs)}")
            assert entry.amount == -amount
            self.withdrawn.add(op.worker)

    @staticmethod
    def available(worker_id: int, on: dt.date) -> int:
        """The lowest running balance from ``on`` on, from the entries themselves."""
        amounts = JhtEntry.objects.filter(worker_id=worker_id).order_by("value_date", "id")
        running, lowest = 0, None
        for value_date, amount in amounts.values_list("value_date", "amount"):
            if value_date > on and lowest is None:
                lowest = running
            running += amount
            if lowest is not None:
                lowest = min(lowest, running)
        return running if lowest is None else lowest

    def check(self) -> None:
        for on in [*CHECK_DATES, self.today]:
            t = totals(on)
            assert t.holds, (on, t)
            assert t.negative_accounts == 0, (on, t)
        entries: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
        for e in JhtEntry.objects.select_related("bill_line").order_by("value_date", "id"):
            entries[e.worker_id].append((e.value_date, e.amount))
            if e.kind == "contribution":
                assert e.bill_line is not None and e.bill_line.programme == "JHT"
                assert (e.worker_id, e.amount) == (e.bill_line.worker_id, e.bill_line.amount)
        far = dt.date(self.today.year + 1, 12, 31)
        for worker_id, rows in entries.items():
            running = 0
            for value_date, amount in rows:
                running += amount
                assert running >= 0, (worker_id, value_date, rows)
            assert balance(worker_id, far) == running == sum(a for _, a in rows)
            s = statement(self.admin, worker_id, dt.date(2024, 1, 1), far)
            assert s.opening_balance == 0 and s.closing_balance == running
            assert [x.balance for x in s.entries][-1] == running


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    months=st.lists(st.sampled_from(MONTHS), min_size=1, max_size=3, unique=True),
    payers=st.sets(st.sampled_from(PAYERS), min_size=1),
    paid_on=st.sampled_from(DATES),
    steps=st.lists(operations, min_size=3, max_size=10),
)
def test_the_ledger_invariant_holds_after_random_operations(
    world: World, months: list[dt.date], payers: set[str], paid_on: dt.date, steps: list[Any]
) -> None:
    start = [BillMonth(m) for m in months] + [Pay(p, "all", 1, paid_on) for p in sorted(payers)]
    with transaction.atomic():
        ledger = Ledger(world)
        for op in [*start, *steps]:
            ledger.apply(op)
            ledger.check()
        kinds = {k: JhtEntry.objects.filter(kind=k).count() for k in ("contribution", "return", "withdrawal")}
        for kind, count in kinds.items():
            event(f"{kind} entries: {'none' if not count else 'some'}")
        event(
            f"negative credits: {'some' if JhtEntry.objects.filter(amount__lt=0, kind='contribution').exists() else 'none'}"
        )
        transaction.set_rollback(True)
