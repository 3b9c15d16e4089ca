"""The JHT statement page and its PDF: the worker itself, its heir, branch officers in scope and administrators
see it; employer HR, regional officers and assessors never (404, as for a worker that does not exist).

The account's entries are a paid JHT contribution per month (its amount from ``pu_contributions``) and a
withdrawal through ``ledger.withdraw``; the balances shown are checked against ``ledger.balance``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from paritrana.contributions.documents import rupiah
from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import balance, withdraw
from paritrana.rules import compute_one
from tests.platform.world import World, build_world, enrol_for_contributions

ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")
SEES = {
    "W33PU": {"admin", "branch", "heir"},
    "W33BPU": {"admin", "branch", "worker"},
    "W33CITY": {"admin", "branch"},
    "W35": {"admin"},
}
MONTHS = (dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1))


def jht_of(wage: int, on: dt.date) -> int:
    out = compute_one("pu_contributions", on, {"wage": wage, "risk_group": 2}).outputs
    return int(out["jht_employer"] + out["jht_worker"])


@pytest.fixture
def world(db: None) -> World:
    """W33PU's JHT paid for January to March 2025 (credited on the 10th of the next month), 50.000 withdrawn."""
    w = enrol_for_contributions(build_world())
    worker = w.workers["W33PU"]
    for month in MONTHS:
        paid = month.replace(month=month.month + 1, day=10)
        JhtEntry.objects.create(
            worker=worker,
            kind="contribution",
            value_date=paid,
            amount=jht_of(3_000_000, month),
            reference=f"{month:%Y-%m}",
        )
    withdraw(w.users["admin"], worker.pk, 50_000, dt.date(2025, 4, 20), "WD-1")
    return w


def client(world: World, role: str | None) -> Client:
    c = Client()
    if role is not None:
        c.force_login(world.users[role])
    return c


@pytest.mark.parametrize("key", sorted(SEES))
@pytest.mark.parametrize("page", ["/workers/{pk}/statement/", "/workers/{pk}/statement/pdf"])
def test_a_statement_is_seen_only_by_the_worker_its_heir_and_officers_in_scope(
    world: World, key: str, page: str
) -> None:
    url = page.format(pk=world.workers[key].pk) + "?start=2025-01-01&end=2025-12-31"
    for role in ROLES:
        response = client(world, role).get(url)
        assert response.status_code == (200 if role in SEES[key] else 404), (role, url)
    assert client(world, None).get(url).status_code == 302


def test_the_statement_shows_the_balance_and_the_entries_between_two_dates(world: World) -> None:
    w = world.workers["W33PU"]
    jht = jht_of(3_000_000, MONTHS[0])
    html = client(world, "heir").get(f"/workers/{w.pk}/statement/?start=2025-03-01&end=2025-04-30").content.decode()
    # before 1 March: January's contribution (credited 10 February); in the period: February's and the withdrawal
    assert f'id="statement-opening">{rupiah(balance(w.pk, dt.date(2025, 2, 28)), "id")}<' in html
    assert balance(w.pk, dt.date(2025, 2, 28)) == jht
    closing = balance(w.pk, dt.date(2025, 4, 30))
    assert closing == 3 * jht - 50_000
    assert f"<strong>{rupiah(closing, 'id')}</strong>" in html
    assert html.count('class="entry-contribution"') == 2 and html.count('class="entry-withdrawal"') == 1
    assert "10 Maret 2025" in html and "10 April 2025" in html and "10 Februari 2025" not in html
    assert "WD-1" in html  # the withdrawal's reference
    assert f'id="statement-withdrawals">{rupiah(-50_000, "id")}<' in html
    assert "jht_yearly_return" in html  # the legal basis links the rules behind the entries
    # the balance at another date: a period that ends before the withdrawal
    html = client(world, "heir").get(f"/workers/{w.pk}/statement/?start=2025-01-01&end=2025-04-19").content.decode()
    assert f"<strong>{rupiah(3 * jht, 'id')}</strong>" in html
    assert "19 April 2025" in html


def test_the_statement_defaults_to_this_year(world: World) -> None:
    w = world.workers["W33PU"]
    html = client(world, "admin").get(f"/workers/{w.pk}/statement/").content.decode()
    today = dt.date.today()
    assert f'value="{today.year}-01-01"' in html
    # nothing was credited this year (2026): the balance is the whole account's
    assert f"<strong>{rupiah(balance(w.pk, today), 'id')}</strong>" in html


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2025-12-31&end=2025-01-01", "end"),
        ("start=1800-01-01&end=2025-01-01", "start"),
        ("start=x&end=y", "start"),
    ],
)
def test_wrong_dates_are_named(world: World, query: str, field: str) -> None:
    w = world.workers["W33PU"]
    response = client(world, "admin").get(f"/workers/{w.pk}/statement/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="error-{field}"' in html and 'id="statement-balance"' not in html
    assert client(world, "admin").get(f"/workers/{w.pk}/statement/pdf?{query}").status_code == 400


def test_links_to_the_statement(world: World) -> None:
    w = world.workers
    home = client(world, "worker").get("/").content.decode()
    assert f'href="/workers/{w["W33BPU"].pk}/statement/" id="home-statement"' in home
    heir_home = client(world, "heir").get("/").content.decode()
    assert f'href="/workers/{w["W33PU"].pk}/statement/" id="home-statement"' in heir_home
    assert 'id="home-statement"' not in client(world, "hr").get("/").content.decode()
    for role in ROLES:
        response = client(world, role).get(f"/workers/{w['W33PU'].pk}/")
        if response.status_code != 200:
            continue
        linked = 'id="worker-statement"' in response.content.decode()
        assert linked == (role in SEES["W33PU"]), role


def test_the_statement_page_in_english(world: World) -> None:
    w = world.workers["W33PU"]
    heir = client(world, "heir")
    heir.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = heir.get(f"/workers/{w.pk}/statement/?start=2025-01-01&end=2025-12-31").content.decode()
    closing = balance(w.pk, dt.date(2025, 12, 31))
    assert f"<strong>{rupiah(closing, 'en')}</strong>" in html and "10 March 2025" in html
    assert re.search(r"Rp \d{1,3}(,\d{3})+", html)


# ---- a worker's months and an employer's compliance, with real bills and payments ----


def months_back(n: int) -> dt.date:
    """The first day of the month ``n`` months before this one."""
    month = dt.date.today().replace(day=1)
    for _ in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def billed(world: World) -> dict[str, dt.date]:
    """E33 billed three months back (paid on time), two back (never paid) and this month (not yet due);
    not one month back. A second wage earner of E33 is only in JKK; Jawa Tengah has a minimum wage above
    W33PU's wage (a test value: minimum wages are an administrator's data, not the law's parameters)."""
    from paritrana.contributions.models import Bill
    from paritrana.contributions.services.billing import run_billing
    from paritrana.contributions.services.payments import record_payment
    from paritrana.contributions.services.status import set_minimum_wage
    from paritrana.registry.models import Membership, Worker
    from paritrana.registry.nik import make_nik

    e33 = world.employers["E33"]
    newcomer = Worker.objects.create(
        nik=make_nik("33.74.01", dt.date(1995, 2, 3), "M", 9), name="Worker E33NEW", birth_date=dt.date(1995, 2, 3),
        sex="M", occupation="employee", region=world.regions["33.74"], scheme="PU", employer=e33, wage=5_000_000,
    )  # fmt: skip
    Membership.objects.create(worker=newcomer, programme="JKK", start=dt.date(2024, 1, 1))
    months = {"paid": months_back(3), "unpaid": months_back(2), "gap": months_back(1), "current": months_back(0)}
    for key in ("paid", "unpaid", "current"):
        run_billing(months[key], employer_ids=[e33.pk])
    paid = Bill.objects.get(payer__employer=e33, period=months["paid"])
    record_payment(None, paid.payer_id, paid.amount, months["unpaid"].replace(day=10), "TRF-ON-TIME")
    set_minimum_wage(world.users["admin"], "33", dt.date(2024, 1, 1), 3_500_000, "test decree (not a real UMP)")
    return months


def test_a_workers_months(world: World, billed: dict[str, dt.date]) -> None:
    w = world.workers["W33PU"]
    html = client(world, "hr").get(f"/workers/{w.pk}/contributions/").content.decode()
    shown = dict(re.findall(r'<tr id="month-(\d{4}-\d{2})" data-status="([a-z ]+)">', html))
    assert len(shown) == 12
    expected = {
        billed["paid"]: "paid",
        billed["unpaid"]: "unpaid",  # due on the 15th of the month after: long past
        billed["gap"]: "not billed",
        billed["current"]: "not yet due",  # due on the 15th of next month
    }
    for month, label in expected.items():
        assert shown[f"{month:%Y-%m}"] == label, month
    assert set(shown.values()) == {"paid", "unpaid", "not billed", "not yet due"}
    assert list(shown.values()).count("not billed") == 9
    # HR sees the months of its worker but not the worker's JHT account
    assert 'id="months-statement"' not in html
    heir = client(world, "heir").get(f"/workers/{w.pk}/contributions/?months=4").content.decode()
    assert len(re.findall(r'<tr id="month-', heir)) == 4 and 'id="months-statement"' in heir
    assert client(world, "hr").get(f"/workers/{world.workers['W35'].pk}/contributions/").status_code == 404


def test_an_employers_compliance(world: World, billed: dict[str, dt.date]) -> None:
    e33 = world.employers["E33"]
    hr = client(world, "hr")
    html = hr.get(f"/employers/{e33.pk}/compliance/?period={billed['paid']:%Y-%m}").content.decode()
    # two wage earners; only W33PU is on the paid bill (the newcomer is billed JKK too, on the same bill)
    assert 'id="compliance-workers">2<' in html
    assert 'id="compliance-paid-up">2 (100.0 %)<' in html
    assert 'id="compliance-required">JKK, JKM, JHT, JP<' in html  # a medium employer gives JP too
    assert 'id="compliance-below">1<' in html and 'id="compliance-missing">1<' in html
    assert "test decree (not a real UMP)" in html and rupiah(3_500_000, "id") in html
    flagged = dict(re.findall(r'<tr id="flagged-(\d+)">(.*?)</tr>', html, re.S))
    assert set(flagged) == {str(world.workers["W33PU"].pk), str(e33.workers.get(name="Worker E33NEW").pk)}
    assert "JKM, JHT, JP" in flagged[str(e33.workers.get(name="Worker E33NEW").pk)]
    unpaid = hr.get(f"/employers/{e33.pk}/compliance/?period={billed['unpaid']:%Y-%m}").content.decode()
    assert 'id="compliance-paid-up">0 (0.0 %)<' in unpaid
    bad = hr.get(f"/employers/{e33.pk}/compliance/?period=2025-13").content.decode()
    assert 'id="error-period"' in bad
    assert hr.get(f"/employers/{world.employers['E35'].pk}/compliance/").status_code == 404
