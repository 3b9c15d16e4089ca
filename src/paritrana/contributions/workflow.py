"""The workflow rules of contributions' records with a status, pure: no Django, no database (decision 0018).

A bill is paid, open or overdue; a manual payment waits for a second officer; a bank statement's
exception waits for an officer's resolution. Services, pages, the API and the PDFs ask these
functions instead of comparing statuses themselves; ``Bill.objects.with_status`` is the same bill rule
written as a database filter, and a test holds the two together.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class BillStatus(StrEnum):
    PAID = "paid"  # the money allocated covers the amount
    OPEN = "open"  # not fully paid, due date not passed
    OVERDUE = "overdue"  # not fully paid after its due date


def bill_status(amount: int, paid: int, due_date: dt.date, today: dt.date) -> BillStatus:
    """A bill's status on ``today``: paid once the money allocated covers it (a zero bill is paid), else
    overdue from the day after its due date, else open."""
    if paid >= amount:
        return BillStatus.PAID
    return BillStatus.OVERDUE if due_date < today else BillStatus.OPEN


def is_partly_paid(amount: int, paid: int) -> bool:
    """Some money allocated, not yet all: an open or overdue bill shown as partly paid."""
    return 0 < paid < amount


# --- manual payments: entered by one officer, decided by another (decision 0010) -------------------


class ManualStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class ManualRefusal(StrEnum):
    DECIDED = "decided"  # no longer pending
    OWN_ENTRY = "own_entry"  # the officer who entered it may not decide it
    NO_USER = "no_user"  # only a signed-in officer decides


MANUAL_DECISIONS = ("confirm", "reject")


def manual_refusal(status: str, entered_by_id: int | None, decider_id: int | None) -> ManualRefusal | None:
    """Why ``decider_id`` may not confirm or reject a manual payment, or None when they may (given that
    they are an officer who sees it: roles and scopes are the services' and the scopes' concern)."""
    if status != ManualStatus.PENDING:
        return ManualRefusal.DECIDED
    if decider_id is None:
        return ManualRefusal.NO_USER
    if entered_by_id == decider_id:
        return ManualRefusal.OWN_ENTRY
    return None


def manual_actions(status: str, entered_by_id: int | None, decider_id: int | None) -> tuple[str, ...]:
    """What ``decider_id`` may do with a manual payment: confirm and reject, or nothing."""
    return () if manual_refusal(status, entered_by_id, decider_id) else MANUAL_DECISIONS


# --- a bank statement's lines: matched, or an exception resolved once by an officer ------------------

MATCHED = "matched"
EXCEPTION = "exception"
UNRESOLVED = ""
EXCEPTION_ACTIONS = ("allocate", "return", "duplicate")


def is_open_exception(status: str, resolution: str) -> bool:
    """A line an officer still has to resolve: an exception with no resolution yet."""
    return status == EXCEPTION and resolution == UNRESOLVED


def exception_actions(status: str, resolution: str) -> tuple[str, ...]:
    """What an officer may do with a statement line: allocate it to a payer, return it, or mark it a
    duplicate while it is an open exception; nothing once matched or resolved."""
    return EXCEPTION_ACTIONS if is_open_exception(status, resolution) else ()
