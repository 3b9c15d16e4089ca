"""The demo's contributions: minimum wages (demo values), three billed months, payments.

Seeded and idempotent like the registry's demo: run again, it finds the bills and adds
nothing. Most payers pay on time, some late (a penalty is booked), some not at all (arrears).

The payments come in as a real payment would (decision 0009): the demo writes the bank's statement
(CSV, one credit line per transfer to the payer's payment code) and imports it; the lines that
match are allocated, and a few transfers are made to go wrong (too little, too much, a mistyped
code, the same money twice) so that the exceptions queue has open lines for an officer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from typing import NamedTuple

from django.db import transaction

from paritrana.contributions.models import Bill, BillingRun, Payer, RegionalMinimumWage
from paritrana.contributions.paycode import payment_code
from paritrana.contributions.periods import month_start
from paritrana.core.errors import ValidationFailed
from paritrana.registry.demo_data import DEMO_MINIMUM_WAGE
from paritrana.registry.models import Region
from paritrana.rules.money import rupiah_text

DEMO_WAGE_REFERENCE = "demo value: approximate 2024 provincial minimum wage (UMP), not the governor's decree"
BILLED_MONTHS = 3
DEMO_ACCOUNT = "0012345678"  # the demo's collection account at the bank
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

    rows: list[StatementRow] = []
    self_payers = list(
        Payer.objects.filter(kind=Payer.Kind.WORKER).order_by("id").values_list("id", flat=True)[:SELF_PAYERS_PAYING]
    )
    payers = list(Payer.objects.exclude(kind=Payer.Kind.WORKER).order_by("id").values_list("id", flat=True))
    defaulters: list[Bill] = []
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
                    defaulters.append(bill)
                    continue
                paid_on = bill.due_date - dt.timedelta(days=2)
            if paid_on > today or paid_on < bill.period:
                continue
            rows.append(StatementRow(f"DEMO-{payer_id}-{bill.period:%Y%m}", paid_on, bill.amount, payer_id, "IURAN"))
    rows += _gone_wrong(rows, defaulters, today)
    result = import_demo_statement(rows, f"demo-statement-{today:%Y%m%d}.csv", today)
    counts["payments"] = result.get("matched", 0)
    counts["exceptions left open"] = result.get("exceptions", 0)
    return counts


class StatementRow(NamedTuple):
    """A credit line of the demo's statement (``payer_id`` None: a transfer without a code)."""

    reference: str
    day: dt.date
    amount: int
    payer_id: int | None
    text: str


def _gone_wrong(rows: Sequence[StatementRow], defaulters: Sequence[Bill], today: dt.date) -> list[StatementRow]:
    """A few transfers that do not match, for the exceptions queue: too little, too much, a mistyped code,
    the same money twice (each from the first payers that fit; fewer in a small demo)."""
    extra: list[StatementRow] = []
    late = [b for b in defaulters if b.due_date <= today][:2]
    for bill in late:  # a defaulter pays part of a month
        extra.append(
            StatementRow(f"DEMO-PART-{bill.pk}", bill.due_date, max(bill.amount // 2, 1), bill.payer_id, "SEBAGIAN")
        )
    if rows:
        ref, day, amount, payer_id, _text = rows[0]
        extra.append(StatementRow(f"{ref}-BIS", day, amount, payer_id, "TRANSFER ULANG"))  # the same money twice
        extra.append(StatementRow("DEMO-TANPA-KODE", day, 125_000, None, "SETORAN TUNAI TANPA KODE"))  # no code
        # too much: a payer's last month paid, then 50,000 more the same day (nothing is open any more)
        ref, day, amount, payer_id, _text = rows[-1]
        extra.append(StatementRow(f"{ref}-LEBIH", day, 50_000, payer_id, "LEBIH BAYAR"))
    return extra


def import_demo_statement(rows: Sequence[StatementRow], file_name: str, today: dt.date) -> dict[str, int]:
    """Write ``rows`` as the bank's CSV statement, in value-date order, and import it as the system; a
    statement imported before (the demo run again) adds nothing."""
    from paritrana.contributions.services.bank import import_statement

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["bank_reference", "value_date", "amount", "payment_code", "description", "account"])
    for ref, day, amount, payer_id, description in sorted(rows, key=lambda r: (r[1], r[0])):
        code = payment_code(payer_id) if payer_id is not None else ""
        writer.writerow([ref, day.isoformat(), amount, code, f"{description} {code}".strip(), DEMO_ACCOUNT])
    try:
        result = import_statement(None, io.BytesIO(text.getvalue().encode()), file_name, today=today)
    except ValidationFailed:
        return {}  # imported before
    if not result.stored:
        raise ValueError(f"the demo's statement {file_name} has errors: {[e.message for e in result.errors[:5]]}")
    return {"matched": result.matched, "exceptions": result.exceptions}
