"""A worker's month status (services/status.py): not billed → not yet due → unpaid → paid, by the bills
carrying its lines; active workers of a month as one query; scopes.

The due dates are the bills' (rule ``late_payment_penalty``): an employer's March 2025 by 15 April 2025
(reference contributions.md 3.1), a self-paying worker's by 15 March 2025 (3.3). No grace period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from paritrana.contributions.models import Bill, BillLine, Payer, WageReport
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.contributions.services.status import MonthStatus, active_workers, month_status
from paritrana.core.errors import NotFound, ValidationFailed
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)
PAID, UNPAID, NOT_YET_DUE, NOT_BILLED = "paid", "unpaid", "not yet due", "not billed"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages checked here are the English source strings (the default language is Bahasa Indonesia)."""
    with translation.override("en"):
        yield


def status(world: World, key: str, month: dt.date, on: dt.date, role: str = "admin") -> str:
    return month_status(world.users[role], world.workers[key].pk, [month], on=on)[month]


def employer_bill(world: World, key: str, period: dt.date = MARCH) -> Bill:
    return Bill.objects.get(payer__employer=world.employers[key], period=period, kind=Bill.Kind.CONTRIBUTION)


def test_a_wage_earners_month_from_not_billed_to_paid(world: World) -> None:
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 10)) == NOT_BILLED
    run_billing(MARCH)
    bill = employer_bill(world, "E33")
    assert bill.due_date == dt.date(2025, 4, 15)
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 10)) == NOT_YET_DUE
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 15)) == NOT_YET_DUE  # the due date itself
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 16)) == UNPAID  # no grace period
    record_payment(None, bill.payer_id, bill.amount - 1, dt.date(2025, 4, 10), "ALMOST")
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 12)) == NOT_YET_DUE
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 20)) == UNPAID  # a part payment is not paid
    record_payment(None, bill.payer_id, 1, dt.date(2025, 4, 11), "LAST-RUPIAH")
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 20)) == PAID
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 12)) == PAID
    # several months at once, in the order asked
    got = month_status(world.users["hr"], world.workers["W33PU"].pk, [APRIL, MARCH], on=dt.date(2025, 4, 20))
    assert list(got.items()) == [(APRIL, NOT_BILLED), (MARCH, PAID)]
    assert got[MARCH] == MonthStatus.PAID and str(got[MARCH].label) == "paid"


def test_a_wage_corrected_upward_after_payment_leaves_the_month_unpaid_until_paid(world: World) -> None:
    run_billing(MARCH)
    bill = employer_bill(world, "E33")
    record_payment(None, bill.payer_id, bill.amount, dt.date(2025, 4, 10), "FULL")
    WageReport.objects.create(
        worker=world.workers["W33PU"], employer=world.employers["E33"], period=MARCH, wage=3_500_000
    )
    run_billing(MARCH)
    assert status(world, "W33PU", MARCH, dt.date(2025, 5, 1)) == UNPAID
    bill.refresh_from_db()
    record_payment(None, bill.payer_id, bill.amount - bill.paid, dt.date(2025, 5, 2), "TOP-UP")
    assert status(world, "W33PU", MARCH, dt.date(2025, 5, 3)) == PAID


def test_a_self_paying_worker_is_due_in_the_month_itself(world: World) -> None:
    run_billing(MARCH)
    own = Payer.objects.get(worker=world.workers["W33BPU"])
    bill = Bill.objects.get(payer=own, period=MARCH)
    assert status(world, "W33BPU", MARCH, dt.date(2025, 3, 15), role="worker") == NOT_YET_DUE
    assert status(world, "W33BPU", MARCH, dt.date(2025, 3, 16), role="worker") == UNPAID
    record_payment(None, own.pk, bill.amount, dt.date(2025, 3, 20), "BPU")
    assert status(world, "W33BPU", MARCH, dt.date(2025, 3, 21), role="worker") == PAID
    # the penalty booked for the late payment is not a contribution: it does not hold the status back
    assert Bill.objects.filter(payer=own, kind=Bill.Kind.PENALTY, paid__lt=1).exists()


def test_a_sponsored_worker_is_paid_when_its_sponsor_pays(world: World) -> None:
    run_billing(MARCH)
    sponsor = Payer.objects.get(sponsor=world.workers["W33CITY"].sponsor)
    bill = Bill.objects.get(payer=sponsor, period=MARCH)
    assert status(world, "W33CITY", MARCH, dt.date(2025, 3, 20)) == UNPAID
    record_payment(None, sponsor.pk, bill.amount, dt.date(2025, 3, 25), "APBD-03")
    assert status(world, "W33CITY", MARCH, dt.date(2025, 3, 26)) == PAID


def test_every_bill_carrying_the_workers_lines_must_be_paid(world: World) -> None:
    run_billing(MARCH)
    bill = employer_bill(world, "E33")
    record_payment(None, bill.payer_id, bill.amount, dt.date(2025, 4, 10), "FULL")
    # a line of the same month on another payer's bill (the worker moved employer within the month), unpaid
    other = Bill.objects.create(
        payer=payer_of(world.employers["E33B"]), period=MARCH, due_date=dt.date(2025, 4, 15), amount=5_000
    )
    BillLine.objects.create(
        bill=other,
        worker=world.workers["W33PU"],
        programme="JKK",
        kind="contribution",
        amount=5_000,
        rule="pu_contributions",
        law_date=MARCH,
    )
    assert status(world, "W33PU", MARCH, dt.date(2025, 4, 20)) == UNPAID
    assert world.workers["W33PU"] not in active_workers(MARCH)


def test_lines_that_add_up_to_nothing_are_not_billed(world: World) -> None:
    p = payer_of(world.employers["E33"])
    jan = dt.date(2025, 1, 1)
    bill = Bill.objects.create(payer=p, period=jan, due_date=dt.date(2025, 2, 15), amount=0)
    common: dict[str, Any] = {"bill": bill, "worker": world.workers["W33PU"], "programme": "JKK"}
    BillLine.objects.create(**common, kind="contribution", amount=16_200, rule="pu_contributions", law_date=jan)
    BillLine.objects.create(**common, kind="adjustment", amount=-16_200, rule="pu_contributions", law_date=jan)
    assert status(world, "W33PU", jan, dt.date(2025, 3, 1)) == NOT_BILLED
    assert world.workers["W33PU"] not in active_workers(jan)


def test_active_workers_of_a_month_in_one_query(world: World, django_assert_num_queries: Any) -> None:
    run_billing(MARCH)
    w = world.workers
    with django_assert_num_queries(1):
        assert list(active_workers(MARCH)) == []
    e33, e35 = employer_bill(world, "E33"), employer_bill(world, "E35")
    record_payment(None, e33.payer_id, e33.amount, dt.date(2025, 4, 10), "E33")
    record_payment(None, e35.payer_id, e35.amount - 1, dt.date(2025, 4, 10), "E35-PART")
    own = Bill.objects.get(payer__worker=w["W33BPU"], period=MARCH)
    record_payment(None, own.payer_id, own.amount, dt.date(2025, 3, 10), "BPU")
    with django_assert_num_queries(1):
        active = set(active_workers(MARCH))
    assert active == {w["W33PU"], w["W33BPU"]}
    assert set(active_workers(APRIL)) == set()
    # the queryset composes: the active workers of one employer
    assert list(active_workers(MARCH).filter(employer=world.employers["E33"])) == [w["W33PU"]]


# who sees which worker's months: accounts.scopes.visible_workers
SEES = {
    "W33PU": {"admin", "branch", "province", "city", "hr", "heir"},
    "W33BPU": {"admin", "branch", "province", "worker"},
    "W35": {"admin"},
}
ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")


@pytest.mark.parametrize("key", sorted(SEES))
def test_a_workers_months_only_in_scope(world: World, key: str) -> None:
    run_billing(MARCH)
    for role in ROLES:
        if role in SEES[key]:
            assert status(world, key, MARCH, dt.date(2025, 3, 1), role=role) in (NOT_YET_DUE, UNPAID), role
        else:
            with pytest.raises(NotFound):
                status(world, key, MARCH, dt.date(2025, 3, 1), role=role)
    with pytest.raises(NotFound):
        month_status(world.users["admin"], 999_999, [MARCH])


@pytest.mark.parametrize("bad", [dt.date(2025, 3, 2), "2025-03", dt.datetime(2025, 3, 1, 0, 0), None])
def test_months_are_first_days(world: World, bad: Any) -> None:
    with pytest.raises(ValidationFailed) as err:
        month_status(world.users["admin"], world.workers["W33PU"].pk, [MARCH, bad])
    assert err.value.field == "months"
    with pytest.raises(ValidationFailed) as err:
        active_workers(bad)
    assert err.value.field == "period"
