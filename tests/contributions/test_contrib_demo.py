"""The demo's contributions: three billed months, a seeded mix of payers on time, late and in arrears."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.contributions.demo import billed_months, demo_contributions_present, load_demo_contributions
from paritrana.contributions.models import Bill, BillLine, Payment, RegionalMinimumWage, StatementLine
from paritrana.registry.demo_data import DEMO_MINIMUM_WAGE, build_plan, load_demo
from paritrana.registry.regions import load_regions

TODAY = dt.date(2026, 11, 26)


def test_the_billed_months_are_the_last_three_complete_ones() -> None:
    assert billed_months(TODAY) == [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    assert billed_months(dt.date(2026, 2, 1)) == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)]


@pytest.mark.django_db(transaction=True)
def test_demo_contributions_bill_three_months_and_record_payments() -> None:
    load_regions(villages=False)
    load_demo(build_plan(seed=7, workers=300))
    assert not demo_contributions_present()
    counts = load_demo_contributions(TODAY, seed=7)
    assert demo_contributions_present()
    assert counts["billed months"] == 3
    assert RegionalMinimumWage.objects.count() == len(DEMO_MINIMUM_WAGE) == counts["minimum wages"]
    periods = set(Bill.objects.filter(kind=Bill.Kind.CONTRIBUTION).values_list("period", flat=True))
    assert periods == set(billed_months(TODAY))
    assert Payment.objects.count() == counts["payments"] > 0
    bills = Bill.objects.filter(kind=Bill.Kind.CONTRIBUTION)
    paid = [b for b in bills if b.is_paid and b.amount > 0]
    unpaid = [b for b in bills if not b.is_paid]
    assert paid and unpaid  # some pay, some are in arrears
    for bill in bills:
        assert bill.amount == sum(line.amount for line in BillLine.objects.filter(bill=bill))
    assert all(p.paid_on <= TODAY for p in Payment.objects.all())
    # every payment came from the demo's bank statement; some transfers wait in the exceptions queue
    assert not Payment.objects.filter(statement_line__isnull=True).exists()
    open_lines = StatementLine.objects.filter(status="exception", resolution="")
    assert open_lines.count() == counts["exceptions left open"] >= 3
    assert {"duplicate", "overpaid", "unknown"} <= set(open_lines.values_list("problem", flat=True))
    assert load_demo_contributions(TODAY, seed=7)["payments"] == 0  # again: the statement is not imported twice
    assert Payment.objects.count() == counts["payments"]
