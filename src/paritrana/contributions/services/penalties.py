"""Late-payment penalties booked when money is allocated to a contribution bill after its due date.

The rule ``late_payment_penalty`` (PP 44/2015 and the parallel articles of PP 45/2015 and PP 46/2015) gives
the penalty and the next due date; the lines go on the payer's penalty bill of the month (decision 0026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from paritrana.contributions.line_notes import late_note
from paritrana.contributions.models import Bill, BillLine, Payer, Payment
from paritrana.contributions.periods import month_start, next_month
from paritrana.contributions.services.allocation import LateAllocation
from paritrana.contributions.services.billing import DUE_RULE_PAYER
from paritrana.rules import compute_records

PENALTY_RULE = "late_payment_penalty"
NOTE_LENGTH = BillLine._meta.get_field("note").max_length or 200


def penalty_inputs(payer: Payer, late: Sequence[LateAllocation], paid_on: dt.date) -> list[dict[str, Any]]:
    """The rule's records: one per late allocation, then one per candidate month of the next due date."""
    kind = DUE_RULE_PAYER[payer.kind]
    records: list[dict[str, Any]] = [
        {
            "contribution": item.amount,
            "payment_date": paid_on,
            "payer": kind,
            "due_date": item.bill.due_date,
            "date": item.bill.period,
        }
        for item in late
    ]
    # The due date of a month falls in that month or the next (penalty.due_months_after), and a late bill's
    # due date is before ``paid_on``: the first due date after ``paid_on`` is that of a month from the oldest
    # late bill's to the month after the payment's (never a month before the months billed).
    last = next_month(month_start(paid_on))
    month = min(item.bill.period for item in late)
    candidates = []
    while month <= last:
        candidates.append(month)
        month = next_month(month)
    records += [{"contribution": 0, "payment_date": paid_on, "payer": kind, "date": m} for m in candidates]
    return records


def book_penalties(payer: Payer, late: Sequence[LateAllocation], payment: Payment) -> int:
    """Penalty lines for the late allocations of ``payment``, on the payer's penalty bills; the total booked."""
    if not late:
        return 0
    records = penalty_inputs(payer, late, payment.paid_on)
    rows = compute_records(PENALTY_RULE, records)
    penalties, dues = rows[: len(late)], rows[len(late) :]
    next_due = min(row["due_date_applied"] for row in dues if row["due_date_applied"] > payment.paid_on)
    by_period: dict[dt.date, list[tuple[LateAllocation, dict[str, Any]]]] = {}
    for item, row in zip(late, penalties, strict=True):
        if int(row["penalty"]) > 0:
            by_period.setdefault(item.bill.period, []).append((item, row))
    total = 0
    for period, items in sorted(by_period.items()):
        bill = Bill.objects.select_for_update().filter(
            payer=payer, period=period, kind=Bill.Kind.PENALTY
        ).first() or Bill.objects.create(payer=payer, period=period, kind=Bill.Kind.PENALTY, due_date=next_due)
        lines = []
        for item, row in items:
            months = int(row["months_late"])
            # language-neutral: put in words in the reader's language where shown (contributions/line_notes.py)
            note = late_note(
                months, item.amount, item.bill.period, item.bill.due_date, payment.paid_on, payment.reference
            )
            lines.append(
                BillLine(
                    bill=bill,
                    worker=None,
                    programme="",
                    kind=BillLine.Kind.PENALTY,
                    wage=0,
                    amount=int(row["penalty"]),
                    worker_share=0,
                    rule=PENALTY_RULE,
                    law_date=item.bill.period,
                    note=note[:NOTE_LENGTH],
                )
            )
        BillLine.objects.bulk_create(lines)
        added = sum(line.amount for line in lines)
        bill.amount += added
        bill.due_date = max(bill.due_date, next_due)
        bill.paid_at = None
        bill.save(update_fields=["amount", "due_date", "paid_at"])
        total += added
    return total
