"""Payments: money received from a payer, allocated to its open bills oldest first; arrears.

- ``record_payment(user, payer_id, amount, paid_on, reference)``: one payment, allocated at once
  (``allocation``), booking late-payment penalties (``penalties``);
- ``arrears(user, payer_id, on)``: a payer's bills past their due date on ``on``, with the penalty
  that paying them that day would bring.

A billing run is settled by ``settlement.settle_run``. The readings chosen (who may record money, one
payer at a time, the allocation order, penalties, credit, corrections, JHT) are in decision 0026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.contributions.models import Bill, Payer, Payment
from paritrana.contributions.periods import collection_start, shown_date
from paritrana.contributions.scopes import visible_payers
from paritrana.contributions.services.allocation import Money, allocate, credit_jht
from paritrana.contributions.services.billing import DUE_RULE_PAYER
from paritrana.contributions.services.penalties import PENALTY_RULE, book_penalties
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.rules import compute_records
from paritrana.rules.money import rupiah_text

REFERENCE_LENGTH = Payment._meta.get_field("reference").max_length or 60


@dataclass(frozen=True)
class Arrear:
    """An open bill past its due date: what is owed, how late, and the penalty if paid on the day asked."""

    bill: Bill
    outstanding: int
    due_date: dt.date
    months_late: int
    penalty_if_paid_on: int


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _payer_in_scope(user: AnyUser | None, payer_id: int) -> Payer:
    """The payer, if the user sees it (``user=None``: the system sees every payer); else NotFound."""
    qs = Payer.objects.all() if user is None else visible_payers(user)
    payer = qs.filter(pk=payer_id).first() if isinstance(payer_id, int) and not isinstance(payer_id, bool) else None
    if payer is None:
        raise NotFound(_("no payer with id %(id)s") % {"id": payer_id})
    return payer


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
    """Record ``amount`` rupiah paid by ``payer_id`` on ``paid_on`` with the bank's ``reference``; decision 0026
    says who, the allocation, the credit and the penalties.

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
        money = [Money(None, payer.credit, late_fee=False), Money(payment, amount, late_fee=True)]
        received, late = allocate(payer, money, paid_on)
        if book_penalties(payer, late, payment):  # the money left, if any, goes to the penalty just booked
            more, _none = allocate(payer, money, paid_on)
            received |= more
        payer.credit = sum(m.left for m in money)
        payer.save(update_fields=["credit"])
        credit_jht(received)
    return payment


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
