"""The price of the package, the budget planner, and a programme's budget use.

**The price** of a person-month is what the billing bills for a worker a regional programme
sponsors: the rule ``bpu_contributions`` at the lowest income band (declared income 0), JKK + JKM,
no JHT, paid from a regional budget, under the law of that month (``contributions.billing_batch``):
Rp10,000 + Rp6,800 = Rp16,800. PP 50/2025 halves JKK and JKM of BPU in 2026 but not for those paid
from the national or a regional budget, so a regional programme keeps the full price; the rules say
so through the input ``paid_from`` and the dated parameter ``relief.bpu.pp50_applies_to_payer``.
Nothing here types an amount: every rupiah comes from the rules.

**The planner** uses the rule made for it, ``bpu_sponsored_package`` (the same monthly package,
summed over the months, each under its own law): for a budget, how many people it covers for 1 to
12 months from a month; for a target number of people, the cost.

**Budget use.** *Spent* is what the programme has paid: the payments recorded on its payer (the
sponsor's ``Payer``), overpayments kept as credit included, as the region's treasury has paid them out.
*Remaining* = budget − spent. *Billed* and *outstanding* come from its contribution and penalty
bills. *Committed* is what the beneficiaries enrolled cost from their enrolment to the end of the
budget year (each month priced under its law): the budget left after it is what new enrolments may use.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Q, Sum

from paritrana.contributions.billing_batch import TRANSPORT_OCCUPATIONS
from paritrana.contributions.models import Bill, BillLine, Payer, Payment
from paritrana.contributions.periods import month_end, next_month
from paritrana.core.errors import ValidationFailed
from paritrana.programmes.models import Beneficiary, Programme
from paritrana.rules import ParameterNotInForce, compute_one, compute_records

PRICE_RULE = "bpu_contributions"
PLAN_RULE = "bpu_sponsored_package"
PAID_FROM = "regional_budget"  # a regional programme pays from its APBD (who pays decides PP 50/2025's relief)
MAX_MONTHS = 12
MAX_PEOPLE = 300_000_000
MAX_RUPIAH = 10**15


def package_price(month: dt.date, transport: bool = False) -> int:
    """JKK + JKM of one sponsored person for the contribution month ``month`` (its first day), rupiah."""
    return year_prices(month.year)[(month, transport)]


@lru_cache(maxsize=64)
def year_prices(year: int) -> dict[tuple[dt.date, bool], int]:
    """JKK + JKM of one sponsored person for each month of ``year``, in and out of the transport sector, rupiah.

    One batch of the rule, each record under its own month's law: a budget's page prices every month of its
    year, and the rule's one-record plan is compiled per law date (half a second each, 6 s for a year on a
    first request); the batch compiles once."""
    records = [
        {"declared_income": 0, "with_jht": False, "sector_transport": transport, "paid_from": PAID_FROM, "date": month}
        for month in year_months(year)
        for transport in (False, True)
    ]
    return {
        (row["date"], bool(row["sector_transport"])): int(row["jkk"]) + int(row["jkm"])
        for row in compute_records(PRICE_RULE, records)
    }


def is_transport(occupation: str) -> bool:
    return occupation in TRANSPORT_OCCUPATIONS


def year_months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]


# --- the planner -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    months: int
    per_person: int  # JKK + JKM of one person for the months, rupiah
    people: int  # how many the budget covers for that many months


@dataclass(frozen=True)
class Plan:
    start: dt.date
    months: int
    transport: bool
    per_person_month: int  # the first month's price
    per_person: int  # for all the months
    budget: int | None
    people_for_budget: int | None
    leftover: int | None  # budget − people × per_person
    target: int | None
    cost_for_target: int | None
    table: list[PlanRow] = field(default_factory=list)  # for the budget: 1 … months
    rule: str = PLAN_RULE


def _package(start: dt.date, months: int, persons: int, transport: bool) -> dict[str, int]:
    try:
        inputs = {"persons": persons, "months": months, "sector_transport": transport, "paid_from": PAID_FROM}
        result = compute_one(PLAN_RULE, start, inputs)
    except ParameterNotInForce as err:
        raise ValidationFailed("start", str(err)) from None
    return {k: int(v) for k, v in result.outputs.items()}


def plan(
    start: dt.date,
    months: int,
    *,
    budget: int | None = None,
    target: int | None = None,
    transport: bool = False,
) -> Plan:
    """For ``budget`` rupiah, how many people for ``months`` months from ``start`` (and for 1 … months);
    for ``target`` people, the cost. ``ValidationFailed`` names the field of a bad value."""
    if not isinstance(start, dt.date) or start.day != 1:
        raise ValidationFailed("start", "give the first month as YYYY-MM")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise ValidationFailed("months", f"months must be a whole number from 1 to {MAX_MONTHS}")
    if budget is not None and (isinstance(budget, bool) or not 0 < budget <= MAX_RUPIAH):
        raise ValidationFailed("budget", "the budget must be a whole number of rupiah above zero")
    if target is not None and (isinstance(target, bool) or not 0 < target <= MAX_PEOPLE):
        raise ValidationFailed("target", "the target must be a whole number of people above zero")
    one = _package(start, months, 1, transport)
    people = leftover = cost = None
    table: list[PlanRow] = []
    if budget is not None:
        people = budget // one["per_person"] if one["per_person"] else 0
        leftover = budget - people * one["per_person"]
        records = [
            {"persons": 1, "months": m, "sector_transport": transport, "paid_from": PAID_FROM}
            for m in range(1, months + 1)
        ]
        for m, row in enumerate(compute_records(PLAN_RULE, records, on=start), start=1):
            each = int(row["per_person"])
            table.append(PlanRow(m, each, budget // each if each else 0))
    if target is not None:
        cost = _package(start, months, target, transport)["total"]
    return Plan(
        start=start,
        months=months,
        transport=transport,
        per_person_month=one["per_person_month"],
        per_person=one["per_person"],
        budget=budget,
        people_for_budget=people,
        leftover=leftover,
        target=target,
        cost_for_target=cost,
        table=table,
    )


# --- budget use --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthUse:
    period: dt.date
    people: int  # beneficiaries whose sponsorship is in force at some time in the month
    price: int  # of a person outside the transport sector
    committed: int  # what those people cost for the month, rupiah
    billed: int  # on the programme's bills of the month (contributions and penalties)
    paid: int  # of those bills, paid
    billed_people: int  # workers with a contribution line on the month's bill


@dataclass(frozen=True)
class BudgetUse:
    programme: Programme
    budget: int
    spent: int  # payments recorded
    remaining: int  # budget − spent
    billed: int
    paid_on_bills: int
    outstanding: int
    credit: int
    committed: int  # the enrolled beneficiaries to the end of the budget year
    uncommitted: int  # budget − committed
    enrolled: int
    months: list[MonthUse]
    payer: Payer | None
    bills: list[Bill]


def _people_by_month(programme: Programme) -> dict[tuple[dt.date, bool], int]:
    """Beneficiaries in force in each month of the budget year, split by transport sector (one query per month)."""
    out: dict[tuple[dt.date, bool], int] = {}
    transport = Q(worker__occupation__in=TRANSPORT_OCCUPATIONS)
    for month in year_months(programme.budget_year):
        counts = Beneficiary.objects.filter(
            programme=programme, enrolled_on__lte=month_end(month), ends_on__gte=month
        ).aggregate(all=Count("pk"), transport=Count("pk", filter=transport))
        out[(month, True)] = counts["transport"]
        out[(month, False)] = counts["all"] - counts["transport"]
    return out


def budget_use(programme: Programme) -> BudgetUse:
    """The programme's budget: spent, remaining, billed, committed, and by month (see the module's docstring)."""
    payer = Payer.objects.filter(sponsor_id=programme.sponsor_id).first()
    bills = list(Bill.objects.filter(payer=payer).order_by("period", "kind")) if payer else []
    spent = (Payment.objects.filter(payer=payer).aggregate(s=Sum("amount"))["s"] or 0) if payer else 0
    billed_by: dict[dt.date, int] = defaultdict(int)
    paid_by: dict[dt.date, int] = defaultdict(int)
    for bill in bills:
        billed_by[bill.period] += bill.amount
        paid_by[bill.period] += bill.paid
    billed_people: dict[dt.date, int] = {}
    if payer is not None:
        rows = (
            BillLine.objects.filter(bill__payer=payer, bill__kind=Bill.Kind.CONTRIBUTION, worker__isnull=False)
            .values("bill__period")
            .annotate(n=Count("worker", distinct=True))
            .order_by()
        )
        billed_people = {r["bill__period"]: r["n"] for r in rows}
    people = _people_by_month(programme)
    months: list[MonthUse] = []
    committed = 0
    for month in year_months(programme.budget_year):
        cost = 0
        for transport in (False, True):
            count = people[(month, transport)]
            if count:
                cost += count * package_price(month, transport)
        committed += cost
        months.append(
            MonthUse(
                period=month,
                people=people[(month, False)] + people[(month, True)],
                price=package_price(month, False),
                committed=cost,
                billed=billed_by.get(month, 0),
                paid=paid_by.get(month, 0),
                billed_people=billed_people.get(month, 0),
            )
        )
    billed = sum(b.amount for b in bills)
    paid = sum(b.paid for b in bills)
    return BudgetUse(
        programme=programme,
        budget=programme.budget_amount,
        spent=int(spent),
        remaining=programme.budget_amount - int(spent),
        billed=billed,
        paid_on_bills=paid,
        outstanding=billed - paid,
        credit=payer.credit if payer else 0,
        committed=committed,
        uncommitted=programme.budget_amount - committed,
        enrolled=Beneficiary.objects.filter(programme=programme).count(),
        months=months,
        payer=payer,
        bills=bills,
    )


def first_month(on: dt.date) -> dt.date:
    return on.replace(day=1)


def months_left(on: dt.date, year: int) -> int:
    """Months from ``on``'s month to December of ``year`` (at least 1, at most 12)."""
    start = max(first_month(on), dt.date(year, 1, 1))
    count, month = 0, start
    while month.year == year and count < MAX_MONTHS:
        count += 1
        month = next_month(month)
    return max(count, 1)
