"""The demo's programme: Kota Semarang's list enrolled through the use cases, billed, partly paid; run once."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.contributions.demo import billed_months, load_demo_contributions
from paritrana.contributions.models import Bill
from paritrana.programmes.demo import DEMO_NAME, DEMO_PEOPLE, demo_programmes_present, load_demo_programmes
from paritrana.programmes.models import Beneficiary, Programme
from paritrana.programmes.services.budget import budget_use, package_price
from paritrana.registry.demo_data import build_plan, load_demo
from paritrana.registry.regions import load_regions

TODAY = dt.date(2026, 11, 26)


@pytest.mark.django_db(transaction=True)
def test_demo_programme_has_its_budget_in_use() -> None:
    load_regions(villages=False)
    load_demo(build_plan(seed=7, workers=300))
    load_demo_contributions(TODAY, seed=7)
    assert not demo_programmes_present()
    counts = load_demo_programmes(TODAY, seed=7)
    assert demo_programmes_present()
    programme = Programme.objects.get(name=DEMO_NAME)
    enrolled = Beneficiary.objects.filter(programme=programme).count()
    assert counts["beneficiaries"] == enrolled == DEMO_PEOPLE - 4  # the four bad rows are left out
    bills = {b.period: b for b in Bill.objects.filter(payer__sponsor_id=programme.sponsor_id, kind="contribution")}
    assert set(bills) == set(billed_months(TODAY))
    for month, bill in bills.items():
        expected = sum(
            package_price(month, b.worker.occupation in ("ojek_driver", "driver"))
            for b in Beneficiary.objects.filter(programme=programme).select_related("worker")
        )
        assert bill.amount == expected
    use = budget_use(programme)
    assert counts["bills paid"] == 2 and use.spent == sum(bills[m].amount for m in billed_months(TODAY)[:2])
    assert (
        use.remaining == programme.budget_amount - use.spent and use.outstanding == bills[dt.date(2026, 10, 1)].amount
    )
