"""Allocation of money to a payer's open bills, oldest first (decision 0026 gives the readings chosen).

Used by ``payments.record_payment`` (a payment, after the payer's credit) and ``settlement.settle_run`` (the
payers' credit after a billing run). The callers lock the payer row first; the open bills are locked here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F

from paritrana.contributions.models import Allocation, Bill, Payer, Payment


@dataclass
class Money:
    """Money to allocate: the payer's credit (``payment`` None) or a payment; ``late_fee`` when a late
    allocation of it books a penalty."""

    payment: Payment | None
    left: int
    late_fee: bool


@dataclass(frozen=True)
class LateAllocation:
    bill: Bill
    amount: int


def open_bills(payer_id: int) -> list[Bill]:
    """The payer's bills with money still owed, oldest first, locked."""
    return list(
        Bill.objects.select_for_update()
        .filter(payer_id=payer_id, paid__lt=F("amount"))
        .order_by("due_date", "period", "id")
    )


def allocate(payer: Payer, money: Sequence[Money], value_date: dt.date) -> tuple[set[int], list[LateAllocation]]:
    """Apply ``money`` (in its order) to the payer's open bills, oldest first.

    Writes the allocations and the bills' ``paid`` / ``paid_at``; leaves what is not used in
    ``money[i].left``. Returns the ids of the bills that received money and the allocations to
    contribution bills past their due date of money that books a penalty.
    """
    bills = open_bills(payer.pk)
    allocations: list[Allocation] = []
    changed: dict[int, Bill] = {}
    late: list[LateAllocation] = []
    for source in money:
        for bill in bills:
            amount = min(bill.amount - bill.paid, source.left)
            if amount <= 0:
                continue
            source.left -= amount
            bill.paid += amount
            if bill.paid >= bill.amount:
                bill.paid_at = value_date
            changed[bill.pk] = bill
            allocations.append(Allocation(payment=source.payment, bill=bill, amount=amount, allocated_on=value_date))
            if source.late_fee and bill.kind == Bill.Kind.CONTRIBUTION and value_date > bill.due_date:
                late.append(LateAllocation(bill, amount))
    Allocation.objects.bulk_create(allocations)
    Bill.objects.bulk_update(list(changed.values()), ["paid", "paid_at"])
    return set(changed), late


def apply_credit(payer: Payer, on: dt.date) -> tuple[set[int], int]:
    """Apply a (locked) payer's credit to its open bills; the bills that received money and the amount."""
    credit = Money(None, payer.credit, late_fee=False)
    received, _late = allocate(payer, [credit], on)
    used = payer.credit - credit.left
    if used:
        payer.credit = credit.left
        payer.save(update_fields=["credit"])
    return received, used


def credit_jht(bill_ids: Iterable[int]) -> int:
    ids = sorted(set(bill_ids))
    if not ids:
        return 0
    from paritrana.contributions.services.ledger import credit_paid_bills

    return credit_paid_bills(ids)
