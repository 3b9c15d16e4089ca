"""Settling a billing run: what a downward correction left paid above a bill's amount is released to the
payer's credit, then the credit of the run's payers is applied to their open bills (decision 0026).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, Sum

from paritrana.contributions.models import Allocation, Bill, BillingRun, BillLine, Payer
from paritrana.contributions.services.allocation import apply_credit, credit_jht
from paritrana.core.bulk import chunks


@dataclass(frozen=True)
class Settlement:
    """What ``settle_run`` did (every count given: no defaults, which nothing would read)."""

    bills_corrected: int
    released: int
    payers_with_credit: int
    credit_applied: int
    jht_lines_credited: int


def settle_run(run: BillingRun, on: dt.date) -> Settlement:
    """Settle the bills of a billing run (decision 0026, Corrections): release what corrections left paid
    above a bill's amount, apply the credit of the run's payers, credit JHT. Runs in the caller's
    transaction (the billing run's).

    Billing sets the amount of every bill it adds lines to, unless the sum of its lines is below what
    was paid: only bills with money paid can be left out, so only those are read (a new month's bills
    have none). A bill whose lines add up to less than zero is left as it is: no payer can owe less than
    nothing on a bill (billing writes none since decision 0047; a guard).
    """
    with transaction.atomic():
        month_bills = Bill.objects.filter(period=run.period, kind=Bill.Kind.CONTRIBUTION)
        # Single-table queries on id lists, whatever the planner's statistics say after a bulk load:
        # the month's bills with money paid (none in a new month), then the lines of those the run touched
        paid_bills = {
            pk: (payer_id, amount)
            for pk, payer_id, amount in month_bills.filter(paid__gt=0).values_list("pk", "payer_id", "amount")
        }
        received: set[int] = set()
        mismatched: dict[int, int] = {}  # bill → payer
        for chunk in chunks(sorted(paid_bills)):
            rows = (
                BillLine.objects.filter(bill_id__in=chunk)
                .values("bill_id")
                .annotate(total=Sum("amount"), in_run=Count("pk", filter=Q(billing_run=run)))
                .values_list("bill_id", "total", "in_run")
                .order_by()
            )
            for pk, total, in_run in rows:
                if in_run:
                    received.add(pk)
                    payer_id, amount = paid_bills[pk]
                    if amount != total and total >= 0:
                        mismatched[pk] = payer_id
        # the payers with credit (few), and of them those with a bill the run touched
        with_credit: set[int] = set()
        for chunk in chunks(list(Payer.objects.filter(credit__gt=0).values_list("pk", flat=True))):
            their_bills = dict(month_bills.filter(payer_id__in=chunk).values_list("pk", "payer_id"))
            for bill_chunk in chunks(sorted(their_bills)):
                touched = BillLine.objects.filter(bill_id__in=bill_chunk, billing_run=run).values_list("bill_id")
                with_credit |= {their_bills[pk] for (pk,) in touched.distinct().order_by()}
        payers: dict[int, Payer] = {}
        for chunk in chunks(sorted(set(mismatched.values()) | with_credit)):
            payers.update((p.pk, p) for p in Payer.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
        released = 0
        for chunk in chunks(sorted(mismatched)):
            bills = list(Bill.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
            totals = dict(
                BillLine.objects.filter(bill_id__in=chunk)
                .values("bill_id")
                .annotate(total=Sum("amount"))
                .values_list("bill_id", "total")
                .order_by()
            )
            negatives: list[Allocation] = []
            for bill in bills:
                total = int(totals.get(bill.pk) or 0)
                if total < bill.paid:
                    excess = bill.paid - total
                    negatives.append(Allocation(payment=None, bill=bill, amount=-excess, allocated_on=on))
                    payers[bill.payer_id].credit += excess
                    released += excess
                    bill.paid = total
                bill.amount = total
                if bill.paid < bill.amount:
                    bill.paid_at = None
                elif bill.paid_at is None:
                    bill.paid_at = on
            Allocation.objects.bulk_create(negatives)
            Bill.objects.bulk_update(bills, ["amount", "paid", "paid_at"])
        applied = 0
        with_credit_now = 0
        for payer in payers.values():
            if payer.credit <= 0:
                continue
            with_credit_now += 1
            payer.save(update_fields=["credit"])
            bills_paid, used = apply_credit(payer, on)
            received |= bills_paid
            applied += used
        credited = credit_jht(received)
    return Settlement(len(mismatched), released, with_credit_now, applied, credited)
