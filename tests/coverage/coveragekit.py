"""Demo-like data for the coverage tests (pages too): demo-like data (the demo generator, billed and paid, with the demo's
denominators) and a few cases the demo lacks (a part-paid bill, a line corrected to zero, a worker located
only at province level, an ended membership)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from paritrana.contributions.demo import billed_months, load_demo_contributions
from paritrana.contributions.models import Bill, BillLine
from paritrana.coverage.demo import load_demo_coverage
from paritrana.registry.demo_data import build_plan, load_demo
from paritrana.registry.models import Region, Worker
from paritrana.registry.regions import load_regions

# A test that exports a snapshot is marked so: its data committed, the export's transaction is the outermost, as
# in production (on PostgreSQL it reads at REPEATABLE READ, READ ONLY); the tables are emptied after it.
COMMITTED = pytest.mark.django_db(transaction=True)

TODAY = dt.date(2026, 11, 26)
MONTHS = billed_months(TODAY)


@dataclass
class DemoLike:
    months: list[dt.date]
    part_paid_bill: Bill
    zeroed_worker: Worker
    province_only_worker: Worker


def build_demo_like(workers: int = 240) -> DemoLike:
    load_regions(villages=False)
    load_demo(build_plan(seed=11, workers=workers, today=dt.date(2026, 1, 1)))
    load_demo_contributions(TODAY, seed=11)
    load_demo_coverage([m.year for m in MONTHS])
    last = MONTHS[-1]
    # a bill paid in part: all its workers are unpaid for the month
    bill = (
        Bill.objects.filter(kind=Bill.Kind.CONTRIBUTION, period=last, payer__kind="employer", paid__gte=1)
        .order_by("id")
        .first()
    )
    assert bill is not None and bill.amount > 1
    Bill.objects.filter(pk=bill.pk).update(paid=bill.amount - 1)
    # a worker whose month is corrected to zero by an adjustment line on a paid bill: not billed, not active
    line = BillLine.objects.filter(bill__period=last, bill__paid__gte=1, worker__isnull=False).exclude(bill=bill)
    line = line.exclude(bill__paid__lt=1).order_by("id").first()
    assert line is not None and line.worker is not None
    worker = line.worker
    total = sum(BillLine.objects.filter(bill=line.bill, worker=worker).values_list("amount", flat=True))
    BillLine.objects.create(bill=line.bill, worker=worker, programme=line.programme, kind="adjustment",
                            amount=-total, rule=line.rule, law_date=line.law_date)  # fmt: skip
    Bill.objects.filter(pk=line.bill.pk).update(amount=line.bill.amount - total, paid=line.bill.amount - total)
    # a BPU worker located only at province level
    moved = Worker.objects.filter(scheme="BPU").order_by("id").first()
    assert moved is not None
    moved.region = Region.objects.get(code=moved.region.code[:2])
    moved.save()
    return DemoLike(MONTHS, bill, worker, moved)


def coverage_users() -> dict[str, Any]:
    """A user per role over the demo-like data: admin, branch (KC-33), assessor, province (33), city (33.74),
    other_city (35.78), hr (an employer of Jawa Tengah), worker (a BPU worker of Jawa Tengah)."""
    from django.contrib.auth import get_user_model

    from paritrana.accounts.models import Profile, Role
    from paritrana.registry.models import Branch, Employer

    model = get_user_model()
    scopes: dict[str, tuple[str, dict[str, Any]]] = {
        "admin": (Role.ADMIN, {}),
        "branch": (Role.BRANCH_OFFICER, {"branch": Branch.objects.get(code="KC-33")}),
        "assessor": (Role.ASSESSOR, {}),
        "province": (Role.REGIONAL_OFFICER, {"region": Region.objects.get(code="33")}),
        "city": (Role.REGIONAL_OFFICER, {"region": Region.objects.get(code="33.74")}),
        "other_city": (Role.REGIONAL_OFFICER, {"region": Region.objects.get(code="35.78")}),
        "hr": (Role.EMPLOYER_HR, {"employer": Employer.objects.filter(region__code__startswith="33.").first()}),
        "worker": (Role.WORKER, {"worker": Worker.objects.filter(scheme="BPU").first()}),
    }
    users = {}
    for name, (role, scope) in scopes.items():
        user = model.objects.create(username=f"cov_{name}", is_staff=role == Role.ADMIN)
        Profile.objects.create(user=user, role=role, **scope)
        users[name] = user
    return users
