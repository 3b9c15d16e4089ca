"""The demo's contributions: minimum wages (demo values), three billed months, payments.

Seeded and idempotent like the registry's demo: run again, it finds the bills and adds
nothing. Most payers pay on time, some late (a penalty is booked), some not at all (arrears).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction

from paritrana.contributions.models import Bill, BillingRun, Payer, RegionalMinimumWage
from paritrana.contributions.periods import month_start
from paritrana.registry.demo_data import DEMO_MINIMUM_WAGE
from paritrana.registry.models import Region
from paritrana.rules.money import rupiah_text

DEMO_WAGE_REFERENCE = "demo value: approximate 2024 provincial minimum wage (UMP), not the governor's decree"
BILLED_MONTHS = 3
SELF_PAYERS_PAYING = 100  # of the self-paying BPU workers, how many pay (a sample keeps the demo quick)


def billed_months(today: dt.date) -> list[dt.date]:
    """The last complete months before ``today``, oldest first."""
    month = month_start(today)
    months = []
    for _ in range(BILLED_MONTHS):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return sorted(months)


def demo_contributions_present() -> bool:
    return BillingRun.objects.exists()


def load_demo_contributions(
    today: dt.date, seed: int = 2026, say: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Minimum wages, billing of the last three months, and the payments of a seeded mix of payers."""
    from paritrana.contributions.services.billing import run_billing
    from paritrana.contributions.services.payments import record_payment

    rng = random.Random(seed)
    counts: dict[str, int] = {}
    with transaction.atomic():
        regions = {r.code: r for r in Region.objects.filter(code__in=list(DEMO_MINIMUM_WAGE))}
        wages = [
            RegionalMinimumWage(
                region=regions[code], valid_from=dt.date(2024, 1, 1), amount=amount, reference=DEMO_WAGE_REFERENCE
            )
            for code, amount in DEMO_MINIMUM_WAGE.items()
            if code in regions
        ]
        RegionalMinimumWage.objects.bulk_create(wages, ignore_conflicts=True)
        counts["minimum wages"] = len(wages)
    months = billed_months(today)
    for month in months:
        run = run_billing(month)
        say(f"billed {month:%Y-%m}: {run.lines_added} lines, {rupiah_text(run.amount_added)}")
    counts["billed months"] = len(months)

    payments = 0
    self_payers = list(
        Payer.objects.filter(kind=Payer.Kind.WORKER).order_by("id").values_list("id", flat=True)[:SELF_PAYERS_PAYING]
    )
    payers = list(Payer.objects.exclude(kind=Payer.Kind.WORKER).order_by("id").values_list("id", flat=True))
    with transaction.atomic():
        for payer_id in payers + self_payers:
            # self-paying workers of the sample pay on time; employers and sponsors have habits
            habit = rng.random() if payer_id in payers else 0.0
            for bill in Bill.objects.filter(payer_id=payer_id, kind=Bill.Kind.CONTRIBUTION).order_by("period"):
                if bill.amount <= 0:
                    continue
                if habit < 0.85:  # pays on time
                    paid_on = bill.due_date - dt.timedelta(days=rng.randint(0, 10))
                elif habit < 0.9:  # pays late (a penalty is computed for each late payment: keep them few)
                    paid_on = bill.due_date + dt.timedelta(days=rng.randint(5, 40))
                else:  # pays the first month only, then falls into arrears
                    if bill.period != months[0]:
                        continue
                    paid_on = bill.due_date - dt.timedelta(days=2)
                if paid_on > today or paid_on < bill.period:
                    continue
                record_payment(None, payer_id, bill.amount, paid_on, f"DEMO-{payer_id}-{bill.period:%Y%m}")
                payments += 1
    counts["payments"] = payments
    return counts
