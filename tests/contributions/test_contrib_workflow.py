"""The workflow rules of bills, manual payments and statement exceptions (contributions/workflow.py).

The rules are pure: every test but the last two runs without a database. The last two hold the database
filter ``Bill.objects.with_status`` and the model's choices to the same rules.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from paritrana.contributions.models import Bill, ManualPayment, StatementLine
from paritrana.contributions.payers import payer_of, payer_party
from paritrana.contributions.workflow import (
    EXCEPTION_ACTIONS,
    BillStatus,
    ManualRefusal,
    ManualStatus,
    bill_status,
    exception_actions,
    is_open_exception,
    is_partly_paid,
    manual_actions,
    manual_refusal,
)
from tests.platform.world import World

DUE = dt.date(2026, 4, 15)


@pytest.mark.parametrize(
    ("amount", "paid", "today", "expected"),
    [
        (100, 100, DUE + dt.timedelta(days=30), BillStatus.PAID),  # paid stays paid after the due date
        (100, 0, DUE, BillStatus.OPEN),  # on the due date itself: not yet overdue
        (100, 99, DUE, BillStatus.OPEN),
        (100, 99, DUE + dt.timedelta(days=1), BillStatus.OVERDUE),  # the day after
        (100, 0, DUE - dt.timedelta(days=10), BillStatus.OPEN),
        (0, 0, DUE + dt.timedelta(days=1), BillStatus.PAID),  # a bill corrected to nothing owes nothing
    ],
)
def test_bill_status(amount: int, paid: int, today: dt.date, expected: BillStatus) -> None:
    assert bill_status(amount, paid, DUE, today) == expected


def test_partly_paid_only_between_nothing_and_everything() -> None:
    assert [is_partly_paid(100, p) for p in (0, 1, 99, 100)] == [False, True, True, False]


def test_a_manual_payment_is_decided_once_by_another_officer() -> None:
    assert manual_refusal(ManualStatus.PENDING, 1, 2) is None
    assert manual_actions(ManualStatus.PENDING, 1, 2) == ("confirm", "reject")
    # the officer who entered it may not decide it
    assert manual_refusal(ManualStatus.PENDING, 1, 1) == ManualRefusal.OWN_ENTRY
    assert manual_actions(ManualStatus.PENDING, 1, 1) == ()
    # no one decides without signing in, even an entry with no author left
    assert manual_refusal(ManualStatus.PENDING, None, None) == ManualRefusal.NO_USER
    # decided is final, whoever asks, the author included
    for status in (ManualStatus.CONFIRMED, ManualStatus.REJECTED):
        for decider in (1, 2, None):
            assert manual_refusal(status, 1, decider) == ManualRefusal.DECIDED
            assert manual_actions(status, 1, decider) == ()


@pytest.mark.parametrize(
    ("status", "resolution", "open_"),
    [
        ("exception", "", True),
        ("exception", "allocated", False),
        ("exception", "returned", False),
        ("exception", "duplicate", False),
        ("matched", "", False),
    ],
)
def test_only_an_open_exception_can_be_resolved(status: str, resolution: str, open_: bool) -> None:
    assert is_open_exception(status, resolution) is open_
    assert exception_actions(status, resolution) == (EXCEPTION_ACTIONS if open_ else ())


def test_the_rules_speak_the_models_values() -> None:
    assert set(ManualStatus) == set(ManualPayment.Status.values)
    assert {"matched", "exception"} == set(StatementLine.Status.values)
    assert "" in StatementLine.Resolution.values


@pytest.mark.django_db
def test_the_database_filter_says_what_the_rule_says(world: World) -> None:
    today = timezone.localdate()
    payer = payer_of(payer_party(world.workers["W33PU"]))
    cases = [  # (amount, paid, due date)
        (100, 100, today - dt.timedelta(days=5)),
        (100, 40, today - dt.timedelta(days=1)),
        (100, 0, today),
        (100, 0, today + dt.timedelta(days=3)),
        (0, 0, today - dt.timedelta(days=9)),
    ]
    bills = [
        Bill.objects.create(payer=payer, period=dt.date(2020, i, 1), amount=a, paid=p, due_date=d)
        for i, (a, p, d) in enumerate(cases, start=1)
    ]
    by_rule = {b.pk: bill_status(b.amount, b.paid, b.due_date, today) for b in bills}
    assert sorted(set(by_rule.values())) == sorted(BillStatus)  # every status is exercised
    for status in BillStatus:
        got = set(Bill.objects.filter(payer=payer).with_status(status, today).values_list("pk", flat=True))
        # "open" as a filter is every bill not fully paid (the lists' and the API's reading), overdue ones too
        wanted = {BillStatus.OPEN, BillStatus.OVERDUE} if status == BillStatus.OPEN else {status}
        assert got == {pk for pk, s in by_rule.items() if s in wanted}, status
        for b in bills:
            assert (b.status_on(today) == status) == (by_rule[b.pk] == status)
