"""Payments: money received from a payer, allocated to its open bills oldest first; credit; penalties; arrears.

- ``record_payment(user, payer_id, amount, paid_on, reference)``: one payment, allocated at once.
- ``settle_run(run, on)``: called by ``billing.run_billing`` at the end of a run: releases what a
  downward correction left paid above a bill's amount, and applies the payers' credit to their bills.
- ``arrears(user, payer_id, on)``: a payer's bills past their due date on ``on``, with the penalty
  that paying them that day would bring.

The readings chosen, where the issue or the law leaves a choice:

**Who.** Nobody by their word: money is recorded by the system (``user=None``) when it comes from
a trusted source: a line of an imported bank statement (``services.bank``) or a manual payment
confirmed by a second officer (``services.manual``); ``recorded_by`` names the officer who imported
or confirmed it. Any user calling this is refused: ``NotFound`` for a payer outside its scope (as if
absent), else ``NotAllowed`` (decision 0009: a payer's own word, "SAYA-BAYAR-TUNAI", once turned its
overdue months paid).

**One payer at a time.** The payer's row is locked first (``SELECT … FOR UPDATE``), then its open
bills: two payments of one payer posted at once are allocated one after the other, the second
seeing what the first allocated, so nothing is counted twice (decision 0005; billing locks the same
payer rows first, in id order, so the two cannot deadlock). A bank reference is recorded once per
payer: a second posting is refused (checked under the lock, and by a unique constraint).

**Allocation.** The payer's credit (older money) and then the payment go to its open bills (amount
above paid), the oldest first: by due date, then month, then id, so a month's contributions come
before its penalty and before the next month. A bill may be paid in part. A bill's ``paid_at`` is
the value date of the money that completed it (the payment's ``paid_on``). What is left is the
payer's credit (an overpayment is kept, never returned here), used by the next bill
(``settle_run``) or the next payment.

**Late-payment penalty** (PP 44/2015 and the parallel articles of PP 45/2015 and PP 46/2015: 2 % for each month of delay of the
contribution that should have been paid, paid together with the next month's contribution). When
money of a payment is allocated to a *contribution* bill after its due date, the rule
``late_payment_penalty`` computes the penalty on the amount allocated late (inputs: that amount,
``payment_date`` = ``paid_on``, ``due_date`` = the bill's due date, the law of the bill's month;
``payer`` = ``employer`` for employers, ``bpu`` for self-paid and sponsored non-wage earners, as
the billing dates their bills: given the due date, the kind changes no amount). All late
allocations of one payment are computed in one call of the rules engine. Each penalty is a
``penalty`` line (rule ``late_payment_penalty``, the law date the bill's month, a note with the
months late) on the payer's *penalty bill* of that month, created when missing. A penalty bill is
due on the next due date of the payer's contributions strictly after the payment (the due date
the rule gives to the following months; "paid together with the next month's contribution"); a
later penalty on the same bill moves its due date to the later of the two. Penalty bills carry no
penalty themselves.

**The remainder pays the penalty.** When money is left after every open bill is paid, it goes on
to the penalty just booked (by due date it is the oldest open bill left) rather than staying
credit: the payer owes it, and credit would be applied to it at the next run anyway.

**Credit carries no penalty.** Credit applied to a bill (here or in ``settle_run``) is money the
payer paid earlier and the agency already holds: its allocation is not a late payment, whatever
its value date, and books no penalty. (The day each rupiah of credit arrived is not tracked.)

**Corrections** (``settle_run``). Billing sets a bill's amount to the sum of its lines unless that
sum is below what was already paid; for those bills ``settle_run`` releases the excess: a negative
allocation (no payment, value date ``on``), the payer's credit grows by it, and the bill's amount
and paid become the sum of its lines. Then the credit of every payer of the run's bills that has
some is applied to its open bills, oldest first (the same allocation as for payments, value date
``on``). Set-based: the month's bills with money paid (none in a new month) and the payers with
credit are found by two single-table queries; only those are read further, by id lists (a national
run touches about a million bills, few of them either). Single-table queries on id lists keep good
plans even when the planner's statistics predate the run's bulk load.

**JHT.** After money is allocated, the JHT lines of the bills that received it are credited to the
workers' accounts (``ledger.credit_paid_bills``; the ledger decides which lines are paid in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.contributions.models import Allocation, Bill, BillingRun, BillLine, Payer, Payment
from paritrana.contributions.periods import collection_start, month_start, next_month, shown_date
from paritrana.contributions.scopes import visible_payers
from paritrana.contributions.services.billing import DUE_RULE_PAYER
from paritrana.core.bulk import chunks
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.rules import compute_records
from paritrana.rules.money import rupiah_text

PENALTY_RULE = "late_payment_penalty"
REFERENCE_LENGTH = Payment._meta.get_field("reference").max_length or 60
NOTE_LENGTH = BillLine._meta.get_field("note").max_length or 200


@dataclass(frozen=True)
class Arrear:
    """An open bill past its due date: what is owed, how late, and the penalty if paid on the day asked."""

    bill: Bill
    outstanding: int
    due_date: dt.date
    months_late: int
    penalty_if_paid_on: int


@dataclass(frozen=True)
class Settlement:
    """What ``settle_run`` did."""

    bills_corrected: int = 0
    released: int = 0
    payers_with_credit: int = 0
    credit_applied: int = 0
    jht_lines_credited: int = 0


@dataclass
class _Money:
    """Money to allocate: the payer's credit (``payment`` None) or a payment; ``late_fee`` when a late
    allocation of it books a penalty."""

    payment: Payment | None
    left: int
    late_fee: bool


@dataclass(frozen=True)
class _Late:
    bill: Bill
    amount: int


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _payer_in_scope(user: AnyUser | None, payer_id: int) -> Payer:
    """The payer, if the user sees it (``user=None``: the system sees every payer); else NotFound."""
    qs = Payer.objects.all() if user is None else visible_payers(user)
    payer = qs.filter(pk=payer_id).first() if isinstance(payer_id, int) and not isinstance(payer_id, bool) else None
    if payer is None:
        raise NotFound(_("no payer with id %(id)s") % {"id": payer_id})
    return payer


def _open_bills(payer_id: int) -> list[Bill]:
    """The payer's bills with money still owed, oldest first, locked."""
    return list(
        Bill.objects.select_for_update()
        .filter(payer_id=payer_id, paid__lt=F("amount"))
        .order_by("due_date", "period", "id")
    )


def _allocate(payer: Payer, money: Sequence[_Money], value_date: dt.date) -> tuple[set[int], list[_Late]]:
    """Apply ``money`` (in its order) to the payer's open bills, oldest first.

    Writes the allocations and the bills' ``paid`` / ``paid_at``; leaves what is not used in
    ``money[i].left``. Returns the ids of the bills that received money and the allocations to
    contribution bills past their due date of money that books a penalty.
    """
    if not any(m.left > 0 for m in money):
        return set(), []
    allocations: list[Allocation] = []
    changed: list[Bill] = []
    late: list[_Late] = []
    for bill in _open_bills(payer.pk):
        received = False
        for source in money:
            need = bill.amount - bill.paid
            if need <= 0:
                break
            if source.left <= 0:
                continue
            amount = min(need, source.left)
            source.left -= amount
            bill.paid += amount
            received = True
            allocations.append(Allocation(payment=source.payment, bill=bill, amount=amount, allocated_on=value_date))
            if source.late_fee and bill.kind == Bill.Kind.CONTRIBUTION and value_date > bill.due_date:
                late.append(_Late(bill, amount))
        if received:
            if bill.paid >= bill.amount:
                bill.paid_at = value_date
            changed.append(bill)
        if all(m.left <= 0 for m in money):
            break
    Allocation.objects.bulk_create(allocations)
    Bill.objects.bulk_update(changed, ["paid", "paid_at"])
    return {b.pk for b in changed}, late


def _penalty_inputs(payer: Payer, late: Sequence[_Late], paid_on: dt.date) -> list[dict[str, Any]]:
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
    # The due date of a month falls in that month or the next (penalty.due_months_after): the
    # first due date after ``paid_on`` is that of one of these months. Never before the months billed.
    earliest = min(item.bill.period for item in late)
    month = month_start(paid_on)
    for _step in range(2):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    month = max(month, earliest)
    candidates = []
    while month <= next_month(month_start(paid_on)):
        candidates.append(month)
        month = next_month(month)
    records += [{"contribution": 0, "payment_date": paid_on, "payer": kind, "date": m} for m in candidates]
    return records


def _book_penalties(payer: Payer, late: Sequence[_Late], payment: Payment) -> int:
    """Penalty lines for the late allocations of ``payment``, on the payer's penalty bills; the total booked."""
    if not late:
        return 0
    records = _penalty_inputs(payer, late, payment.paid_on)
    rows = compute_records(PENALTY_RULE, records)
    penalties, dues = rows[: len(late)], rows[len(late) :]
    next_due = min(row["due_date_applied"] for row in dues if row["due_date_applied"] > payment.paid_on)
    by_period: dict[dt.date, list[tuple[_Late, dict[str, Any]]]] = {}
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
            note = (
                f"{months} month{'s' if months != 1 else ''} late: {rupiah_text(item.amount)} of the contributions "
                f"of {item.bill.period:%Y-%m} (due {item.bill.due_date.isoformat()}) paid "
                f"{payment.paid_on.isoformat()}, ref. {payment.reference}"
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


def _credit_jht(bill_ids: Iterable[int]) -> int:
    ids = sorted(set(bill_ids))
    if not ids:
        return 0
    from paritrana.contributions.services.ledger import credit_paid_bills

    return credit_paid_bills(ids)


def check_paid_on(paid_on: dt.date, field: str = "paid_on") -> None:
    """A payment's value date: a date, not in the future, not before the scheme collected anything."""
    if not _is_date(paid_on):
        raise ValidationFailed(field, _("give the day the money was paid"))
    if paid_on > timezone.localdate():
        raise ValidationFailed(field, _("%(date)s is in the future") % {"date": shown_date(paid_on)})
    earliest = collection_start()
    if paid_on < earliest:
        raise ValidationFailed(
            field,
            _("%(date)s is before %(earliest)s, when the scheme began collecting")
            % {"date": shown_date(paid_on), "earliest": shown_date(earliest)},
        )


def _check_payment(amount: int, paid_on: dt.date, reference: str) -> str:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed("amount", _("the amount must be a whole number of rupiah above zero"))
    check_paid_on(paid_on)
    reference = (reference or "").strip() if isinstance(reference, str) else ""
    if not reference:
        raise ValidationFailed("reference", _("give the bank's reference of the payment"))
    if len(reference) > REFERENCE_LENGTH:
        raise ValidationFailed(
            "reference",
            _("at most %(n)s characters, not %(got)s") % {"n": REFERENCE_LENGTH, "got": len(reference)},
        )
    return reference


def _already_recorded(payer_id: int, reference: str) -> ValidationFailed | None:
    earlier = Payment.objects.filter(payer_id=payer_id, reference=reference).first()
    if earlier is None:
        return None
    return ValidationFailed(
        "reference",
        _("%(reference)s is already recorded on %(date)s (%(amount)s): a payment is recorded once")
        % {"reference": reference, "date": shown_date(earlier.paid_on), "amount": rupiah_text(earlier.amount)},
    )


def record_payment(
    user: AnyUser | None,
    payer_id: int,
    amount: int,
    paid_on: dt.date,
    reference: str,
    *,
    recorded_by: AnyUser | None = None,
) -> Payment:
    """Record ``amount`` rupiah paid by ``payer_id`` on ``paid_on`` with the bank's ``reference``; see the
    module's docstring for who, the allocation, the credit and the penalties.

    ``user`` must be None (the system, posting money from a bank statement or a confirmed manual
    payment; ``recorded_by`` is kept on the payment). Raises ``NotFound`` (unknown, or out of the
    user's scope), ``NotAllowed`` (any user) or ``ValidationFailed`` (``amount`` not above zero,
    ``paid_on`` in the future or before 2014, ``reference`` missing or already recorded for the
    payer); then nothing is stored.
    """
    payer = _payer_in_scope(user, payer_id)
    if user is not None:
        raise NotAllowed(
            _("a payment is recorded from the bank's statement, or entered by an officer and confirmed by another")
        )
    reference = _check_payment(amount, paid_on, reference)
    with transaction.atomic():
        payer = Payer.objects.select_for_update().get(pk=payer.pk)
        if (refused := _already_recorded(payer.pk, reference)) is not None:
            raise refused
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    payer=payer,
                    amount=amount,
                    paid_on=paid_on,
                    reference=reference,
                    recorded_by_id=recorded_by.pk if recorded_by is not None and recorded_by.is_authenticated else None,
                )
        except IntegrityError:
            # the same reference committed by another transaction meanwhile (the unique constraint)
            refused = _already_recorded(payer.pk, reference)
            raise refused or ValidationFailed("reference", _("this payment could not be recorded")) from None
        money = [_Money(None, payer.credit, late_fee=False), _Money(payment, amount, late_fee=True)]
        received, late = _allocate(payer, money, paid_on)
        if _book_penalties(payer, late, payment) and any(m.left > 0 for m in money):
            more, _none = _allocate(payer, money, paid_on)
            received |= more
        payer.credit = sum(m.left for m in money)
        payer.save(update_fields=["credit"])
        _credit_jht(received)
    return payment


def _apply_credit(payer: Payer, on: dt.date) -> tuple[set[int], int]:
    """Apply a (locked) payer's credit to its open bills; the bills that received money and the amount."""
    money = [_Money(None, payer.credit, late_fee=False)]
    received, _late = _allocate(payer, money, on)
    used = payer.credit - money[0].left
    if used:
        payer.credit = money[0].left
        payer.save(update_fields=["credit"])
    return received, used


def settle_run(run: BillingRun, on: dt.date) -> Settlement:
    """Settle the bills of a billing run (see the module's docstring): release what corrections left paid
    above a bill's amount, apply the credit of the run's payers, credit JHT. Runs in the caller's
    transaction (the billing run's).

    Billing sets the amount of every bill it adds lines to, unless the sum of its lines is below what
    was paid: only bills with money paid can be left out, so only those are read (a new month's bills
    have none). A bill whose lines add up to less than zero (a correction billed to a payer that had
    none of the worker's lines) is left as it is: no payer can owe less than nothing on a bill.
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
            bills_paid, used = _apply_credit(payer, on)
            received |= bills_paid
            applied += used
        credited = _credit_jht(received)
    return Settlement(len(mismatched), released, with_credit_now, applied, credited)


def arrears(user: AnyUser | None, payer_id: int, on: dt.date) -> list[Arrear]:
    """The payer's open bills past their due date on ``on``, oldest first, with the months of delay and the
    penalty that paying them in full on ``on`` would book (one call of ``late_payment_penalty``; none on a
    penalty bill). Within the caller's scope (``NotFound`` otherwise)."""
    if not _is_date(on):
        raise ValidationFailed("on", _("give the day the arrears are counted on"))
    payer = _payer_in_scope(user, payer_id)
    bills = list(
        Bill.objects.filter(payer=payer, paid__lt=F("amount"), due_date__lt=on).order_by("due_date", "period", "id")
    )
    if not bills:
        return []
    kind = DUE_RULE_PAYER[payer.kind]
    rows = compute_records(
        PENALTY_RULE,
        [
            {
                "contribution": b.outstanding if b.kind == Bill.Kind.CONTRIBUTION else 0,
                "payment_date": on,
                "payer": kind,
                "due_date": b.due_date,
                "date": b.period,
            }
            for b in bills
        ],
    )
    return [
        Arrear(b, b.outstanding, b.due_date, int(row["months_late"]), int(row["penalty"]))
        for b, row in zip(bills, rows, strict=True)
    ]
