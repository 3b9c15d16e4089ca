"""The figures of each role's home (web/home_figures.py), counted within the role's scope: HR's unpaid bills
and next due date, a branch officer's claims waiting by age, a regional officer's programmes (the province
reading the regencies' programmes it co-funds, and only those), an assessor's employers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from paritrana.award.models import Candidate, Edition, Round
from paritrana.claims.models import Claim
from paritrana.contributions.models import Bill
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.programmes.services.programmes import create_programme
from paritrana.web import home_figures
from tests.platform.world import World, build_world, enrol_for_contributions
from tests.programmes.progkit import PROGRAMME

MARCH = dt.date(2025, 3, 1)


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())


def test_hr_sees_its_unpaid_bills_and_the_next_due_date(world: World) -> None:
    run_billing(MARCH)
    run_billing(dt.date(2025, 4, 1))
    own = Bill.objects.filter(payer__employer=world.employers["E33"], kind="contribution").order_by("period")
    march, april = list(own)
    hr = world.users["hr"]
    before_march_due = home_figures.bills_due(hr, march.due_date)
    assert before_march_due.unpaid == 2 and before_march_due.overdue == 0
    assert before_march_due.owed == march.amount + april.amount  # not PT Surabaya's, outside its scope
    assert before_march_due.next_due == march.due_date
    later = home_figures.bills_due(hr, march.due_date + dt.timedelta(days=1))
    assert later.overdue == 1 and later.next_due == april.due_date
    record_payment(None, march.payer_id, march.amount + april.amount, march.due_date, "T-1")
    paid = home_figures.bills_due(hr, march.due_date)
    assert (paid.unpaid, paid.owed, paid.overdue, paid.next_due) == (0, 0, 0, None)
    assert home_figures.bills_due(world.users["assessor"], march.due_date).unpaid == 0


def claim(world: World, key: str, status: str, submitted: dt.date) -> Claim:
    worker = world.workers[key]
    at = timezone.make_aware(dt.datetime.combine(submitted, dt.time(9)))
    return Claim.objects.create(
        claim_type="jkm_death", worker=worker, branch=world.branches["KC-33" if key != "W35" else "KC-35"],
        filed_as="branch_officer", status=status, submitted_at=at, submitted_on=submitted, law_date=submitted,
        rule="jkm_benefits",
    )  # fmt: skip


def test_a_branch_officer_sees_the_claims_waiting_by_age(world: World) -> None:
    today = dt.date(2026, 12, 5)
    claim(world, "W33PU", "submitted", today)  # today: 0 days
    claim(world, "W33PU", "submitted", today - dt.timedelta(days=7))  # still the first week
    claim(world, "W33BPU", "verified", today - dt.timedelta(days=8))
    claim(world, "W33BPU", "submitted", today - dt.timedelta(days=40))
    claim(world, "W33PU", "paid", today - dt.timedelta(days=60))  # done: not waiting
    claim(world, "W35", "submitted", today - dt.timedelta(days=20))  # another branch's
    waiting = home_figures.claims_waiting(world.users["branch"], today)
    assert (waiting.to_verify, waiting.to_approve, waiting.total) == (3, 1, 4)
    assert [(a.first_day, a.last_day, a.count) for a in waiting.by_age] == [
        (0, 7, 2),
        (8, 14, 1),
        (15, 30, 0),
        (31, None, 1),
    ]
    assert waiting.oldest == today - dt.timedelta(days=40)
    assert home_figures.claims_waiting(world.users["hr"], today).total == 0


def test_the_province_reads_the_regency_programmes_it_cofunds_and_only_those(world: World) -> None:
    shared = create_programme(world.users["city"], name="Semarang Peduli", **{**PROGRAMME, "province_share_bp": 3000})
    alone = create_programme(world.users["city"], name="Semarang Mandiri", **PROGRAMME)
    province = world.users["province"]
    figures = home_figures.programme_figures(province)
    assert [(f.programme.name, f.own, f.share_percent) for f in figures] == [("Semarang Peduli", False, 30.0)]
    assert figures[0].budget == shared.budget_amount and figures[0].last_list is None
    city = home_figures.programme_figures(world.users["city"])
    assert sorted((f.programme.name, f.own, f.share_percent) for f in city) == [
        ("Semarang Mandiri", True, 100.0),
        ("Semarang Peduli", True, 70.0),
    ]
    c = Client()
    c.force_login(province)
    assert c.get(f"/programmes/{shared.pk}/").status_code == 200
    assert c.get(f"/programmes/{alone.pk}/").status_code == 404
    assert c.post(f"/programmes/{shared.pk}/lists/", {}).status_code in (403, 404)  # reads, never manages
    assert "Semarang Peduli" in c.get("/programmes/").content.decode()
    assert home_figures.programme_figures(world.users["hr"]) == []


def test_an_assessor_counts_the_employers_it_scores(world: World) -> None:
    assessor = world.users["assessor"]
    assert home_figures.employer_count(assessor) == 0
    edition = Edition.objects.create(year=2026, name="Paritrana Award 2026", window_opens=dt.date(2026, 1, 1),
                                     window_closes=dt.date(2026, 3, 1), weights_reference="w", zones_version="z")  # fmt: skip
    national = Round.objects.create(edition=edition, tier=Round.Tier.NATIONAL)
    national.assessors.add(assessor)
    for key in ("E33", "E35"):
        employer = world.employers[key]
        Candidate.objects.create(
            round=national, category="company_large", name=employer.name, zone="z", employer=employer
        )
    other = Round.objects.create(edition=edition, tier=Round.Tier.PROVINCIAL, province=world.regions["33"])
    Candidate.objects.create(
        round=other, category="company_large", name="x", zone="z", employer=world.employers["E33B"]
    )
    assert home_figures.employer_count(assessor) == 2
    assert home_figures.employer_count(world.users["hr"]) == 1
    c = Client()
    c.force_login(assessor)
    assert 'id="card-employers"><div class="count">2<' in c.get("/").content.decode()
