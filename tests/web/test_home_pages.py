"""Each role's home answers its first question first, within its scope: the worker its status and JHT balance;
HR its unpaid bills and the next due date; the branch officer its claims waiting by age; the regional officer
its region's coverage, its programme's budget and latest list (with a link to the programme).

The world is the platform's (tests/platform/world.py) made billable, March 2025 billed; the figures expected are
computed here from the records the test made, not copied from the page.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from paritrana.claims.models import Claim, Status
from paritrana.claims.services import claims as svc
from paritrana.contributions.models import Bill, JhtEntry
from paritrana.contributions.services.billing import run_billing
from paritrana.programmes.models import Programme
from paritrana.programmes.services.programmes import create_programme
from paritrana.registry.models import Membership, Sponsor
from tests.claims.claimkit import documents_for, legal_case
from tests.platform.world import World, build_world, enrol_for_contributions
from tests.programmes.progkit import PROGRAMME

MARCH = dt.date(2025, 3, 1)


@pytest.fixture
def world(db: None) -> World:
    w = enrol_for_contributions(build_world())
    run_billing(MARCH)
    return w


def home(world: World, role: str) -> str:
    c = Client()
    c.force_login(world.users[role])
    c.cookies["django_language"] = "en"
    response = c.get("/")
    assert response.status_code == 200
    return html_text.unescape(response.content.decode())


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match is not None, element_id
    return match.group(1).strip()


def test_the_worker_sees_its_status_and_jht_balance_first(world: World) -> None:
    saver = world.workers["W33BPU"]
    JhtEntry.objects.create(worker=saver, kind="contribution", value_date=dt.date(2025, 1, 10), amount=1_234_567)
    html = home(world, "worker")
    assert text_of(html, "home-jht-balance") == "Rp 1,234,567"
    assert "JHT, JKK, JKM" in text_of(html, "home-membership")
    assert html.index('id="home-status"') < html.index('id="actions"')  # before anything else to do
    # a membership ended is shown as earlier; a worker never in JHT has no balance shown
    Membership.objects.filter(worker=saver, programme="JKM").update(end=dt.date(2024, 6, 30))
    Membership.objects.filter(worker=saver, programme="JHT").delete()
    html = home(world, "worker")
    assert 'id="home-jht-balance"' not in html and "earlier" in html and "JKM" in html.split("earlier")[1]
    # the figures are the worker's own: no other role gets them
    for role in ("branch", "hr", "city"):
        assert 'id="home-status"' not in home(world, role), role


def test_hr_sees_its_unpaid_bills_and_the_next_due_date(world: World) -> None:
    employer = world.employers["E33"]
    bills = Bill.objects.filter(payer__employer=employer)
    assert bills.exists()
    left = sum(b.amount - b.paid for b in bills if b.paid < b.amount)
    today = timezone.localdate()
    html = home(world, "hr")
    assert text_of(html, "home-unpaid-left") == f"Rp {left:,}"
    overdue = sum(1 for b in bills if b.paid < b.amount and b.due_date < today)
    assert ('id="card-overdue"' in html) == (overdue > 0)
    # a bill due later: it is the next due date shown
    due = today + dt.timedelta(days=9)
    bills.filter(pk=bills.first().pk).update(due_date=due)  # type: ignore[union-attr]
    html = home(world, "hr")
    assert text_of(html, "home-next-due") == f"{due.day} {due.strftime('%B')} {due.year}"
    # all paid: nothing left, no due date
    for bill in bills:
        Bill.objects.filter(pk=bill.pk).update(paid=bill.amount)
    html = home(world, "hr")
    assert text_of(html, "home-unpaid-left") == "Rp 0" and text_of(html, "home-next-due") == "—"


def test_the_branch_officer_sees_its_claims_waiting_by_age(world: World) -> None:
    case = legal_case("jkm_benefit.yaml", "worked example #9: widow Astin, husband died 16 Mar 2024, Rp42,000,000")
    today = timezone.localdate()
    made = []
    for days in (0, 10, 40):
        claim = svc.submit(
            world.users["heir"],
            "jkm",
            {"event_date": case["date"].isoformat()},
            documents_for("jkm"),
            bank_account="BRI 1",
        )
        Claim.objects.filter(pk=claim.pk).update(submitted_on=today - dt.timedelta(days=days))
        made.append(claim)
    Claim.objects.filter(pk=made[2].pk).update(status=Status.REJECTED, rejection_reason="x")  # closed: not waiting
    html = home(world, "branch")
    rows = dict(re.findall(r'<tr id="waiting-(\d+)">.*?class="num waiting-count">(\d+)</td>', html, re.S))
    assert rows == {"0": "1", "8": "1", "15": "0", "31": "0"}
    assert 'href="/claims/?status=submitted"' in html


def test_the_regional_officer_sees_coverage_budget_and_its_programme(world: World) -> None:
    sponsor = Sponsor.objects.get(name="Program Kota Semarang")
    programme = Programme.objects.create(
        sponsor=sponsor,
        region=world.regions["33.74"],
        name="Program Kota Semarang",
        legal_basis_type="perda",
        legal_basis_number="1/2025",
        legal_basis_date=dt.date(2025, 1, 2),
        budget_year=timezone.localdate().year,
        budget_amount=123_000_000,
        funding_source="apbd",
        regency_share_bp=10_000,
    )
    html = home(world, "city")
    assert f'href="/programmes/{programme.pk}/"' in html
    assert "Rp 123,000,000" in html and "none uploaded yet" in html
    workers = [w for w in world.workers.values() if w.region.code.startswith("33.74")]
    assert f"of {len(workers)} registered workers protected today" in html
    protected = [w for w in workers if Membership.objects.filter(worker=w, start__lte=timezone.localdate()).exists()]
    assert text_of(html, "home-coverage") == f"{100 * len(protected) / len(workers):.1f} %"
    # another region's officer sees no programme of Kota Semarang
    assert f'href="/programmes/{programme.pk}/"' not in home(world, "branch")


def test_the_regional_home_counts_programmes_from_the_records(world: World) -> None:
    """Each programme adds a few queries (payments, bills, beneficiaries, latest list), not the budget page's
    query per month of the year."""

    def add_programme(name: str) -> None:  # its own sponsor, this year's budget
        create_programme(world.users["city"], name=name, **{**PROGRAMME, "budget_year": timezone.localdate().year})

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            home(world, "city")
        return len(seen)

    add_programme("Program A")
    one = queries()
    add_programme("Program B")
    add_programme("Program C")
    three = queries()
    assert 0 < three - one <= 2 * 5  # five queries a programme at most; budget_use would run twelve or more
