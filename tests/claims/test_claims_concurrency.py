"""Payment exactly once under concurrent clicks (issue 7, must-show 2).

Twenty threads, each with its own database connection, are released together at a barrier and call
``approve_and_pay`` for one verified claim; each keeps its transaction open a moment after the call
returns (as if its request were still rendering), so the calls overlap. On PostgreSQL the claim row
lock (``SELECT … FOR UPDATE`` in ``_locked``) makes each wait until the one before has committed;
it then finds the claim paid and returns the instruction already made. Without the lock (tried:
``Claim.objects.get`` in ``_locked``) the threads all read the claim as verified, all approve it and
all try to pay it: the unique key of the payment instruction stops the second instruction, so 19
threads fail with an IntegrityError; two officers racing to approve above the threshold overwrite
each other as the first approver (18 to 20 "approved" steps for one claim), and in one run of three the
claim was left unpaid, waiting for a second approval both had given.

SQLite serialises write transactions (``BEGIN IMMEDIATE``); its shared-cache in-memory test database
answers "table is locked" at once instead of waiting, so there a thread retries until the others have
committed (as tests/contributions/test_contrib_concurrency.py does): the same serialised outcome.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from paritrana.claims.dates import add_months, month_start
from paritrana.claims.models import BenefitPayment, Claim, ClaimStep, Status
from paritrana.claims.services import claims as svc
from paritrana.claims.services import lookup
from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services import ledger
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.registry.models import Heir
from tests.claims.claimkit import documents_for, legal_case
from tests.claims.factkit import heir_user, jht_balance, participant, second_officer, third_officer
from tests.concurrency import at_once as run_at_once
from tests.platform.world import World

# SQLite has one writer at a time: what these tests prove (locks, waits, no deadlock) needs PostgreSQL.
pytestmark = pytest.mark.postgresql_only

THREADS = 20
HOLD = 0.05  # seconds each transaction stays open after its call returned


def at_once(calls: list[Callable[[], Any]]) -> list[dict[str, Any]]:
    """Run each call in its own thread and connection, all released together, each transaction held open
    ``HOLD`` seconds after the call returns (tests/concurrency.py). Per call: its result or error."""
    return run_at_once(calls, hold=HOLD)


def jht_claim(world: World, case_name: str) -> tuple[Claim, dict[str, Any]]:
    """A verified JHT claim of a legal case, entered by the branch officer on the case's date."""
    case = legal_case("jht_benefits.yaml", case_name)
    facts = case["inputs"]
    person = participant(world, facts["birth_date"], {"JHT": facts["membership_start"]})
    heir = Heir.objects.create(worker=person, name="Spouse", relation="spouse", rank=1)
    jht_balance(person, facts["balance"], facts["membership_start"])
    officer = world.users["branch"]
    claim = svc.submit(
        officer,
        "jht_full",
        {"event": facts["event"], "event_date": facts["event_date"].isoformat()},
        documents_for("jht_full"),
        worker_id=person.pk,
        heir_id=heir.pk,
        bank_account="BRI 0123456789",
        received_on=case["date"],
    )
    assert claim.eligible and claim.amount == case["expected"]["amount"], claim.refusal
    return svc.verify(officer, claim.pk), case


def assert_paid_once(claim: Claim, case: dict[str, Any], balance_before: int) -> BenefitPayment:
    claim.refresh_from_db()
    assert claim.status == Status.PAID
    payment = BenefitPayment.objects.get(claim=claim)
    assert payment.amount == claim.net_amount
    withdrawals = JhtEntry.objects.filter(worker=claim.worker, kind=JhtEntry.Kind.WITHDRAWAL)
    assert list(withdrawals.values_list("amount", flat=True)) == [-case["expected"]["amount"]]
    assert payment.jht_entry == withdrawals.get()
    assert ledger.balance(claim.worker_id, timezone.localdate()) == balance_before - case["expected"]["amount"]
    assert claim.steps.filter(step=ClaimStep.Step.PAID).count() == 1
    assert claim.steps.filter(step=ClaimStep.Step.APPROVED).count() == 1
    return payment


@pytest.mark.django_db(transaction=True)
def test_twenty_clicks_on_approve_and_pay_pay_once(world: World) -> None:
    claim, case = jht_claim(world, "resignation, the day the 1-month waiting period ends")
    assert not claim.needs_second_approval
    verifier, officer = world.users["branch"], second_officer(world)
    before = ledger.balance(claim.worker_id, timezone.localdate())
    # the approver's clicks, and among them the verifier's, which are refused whenever they come
    clickers = [officer if i % 4 else verifier for i in range(THREADS)]
    outcomes = at_once([lambda u=u: svc.approve_and_pay(u, claim.pk) for u in clickers])

    by_approver = [o for u, o in zip(clickers, outcomes, strict=True) if u == officer]
    by_verifier = [o for u, o in zip(clickers, outcomes, strict=True) if u == verifier]
    assert [o for o in by_approver if "error" in o] == []
    assert by_verifier and all(isinstance(o.get("error"), NotAllowed) for o in by_verifier), by_verifier
    payment = assert_paid_once(claim, case, before)
    assert all([p.pk for p in o["result"]] == [payment.pk] for o in by_approver), outcomes
    claim.refresh_from_db()
    assert claim.approved_by == officer and claim.verified_by == verifier


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_above_the_threshold_at_once_approve_and_pay_once(world: World) -> None:
    claim, case = jht_claim(world, "lump sum above Rp50 jt, 5 % on the part above")
    assert claim.needs_second_approval
    first, second = second_officer(world), third_officer(world)  # neither is the verifier
    before = ledger.balance(claim.worker_id, timezone.localdate())
    officers = [first, second] * (THREADS // 2)
    outcomes = at_once([lambda u=u: svc.approve_and_pay(u, claim.pk) for u in officers])

    assert [o for o in outcomes if "error" in o] == []
    payment = assert_paid_once(claim, case, before)
    results = [[p.pk for p in o["result"]] for o in outcomes]
    assert set(map(tuple, results)) <= {(), (payment.pk,)} and (payment.pk,) in map(tuple, results)
    claim.refresh_from_db()
    approvals = list(claim.steps.filter(step__in=["approved", "second_approval"]).values_list("step", "by"))
    assert sorted(s for s, _ in approvals) == ["approved", "second_approval"]
    assert {by for _, by in approvals} == {first.pk, second.pk}
    assert {claim.approved_by_id, claim.second_approved_by_id} == {first.pk, second.pk}
    # whoever approved second paid; a click of the first approver before that returned nothing
    paid_by = claim.steps.get(step=ClaimStep.Step.PAID).by_id
    assert paid_by == claim.second_approved_by_id


@pytest.mark.django_db(transaction=True)
def test_two_monthly_runs_at_once_pay_each_pension_month_once(world: World) -> None:
    case = legal_case("jp_benefits.yaml", "widow, minimum of 2024 from 1 March 2024")
    facts = case["inputs"]
    joined = add_months(case["date"], -facts["membership_months"])
    person = participant(world, facts["participant_birth_date"], {"JP": joined})
    heir, heir_row = heir_user(person)
    officer = world.users["branch"]
    claim = svc.submit(
        heir,
        "jp_survivor",
        {"event_date": case["date"].isoformat(), "recipient": facts["recipient"]},
        documents_for("jp_survivor"),
        heir_id=heir_row.pk,
        bank_account="BRI 0123456789",
    )
    svc.verify(
        officer,
        claim.pk,
        corrections={k: facts[k] for k in ("contribution_months", "average_wage")},
        reason="old records",
    )
    svc.approve_and_pay(second_officer(world), claim.pk)
    nxt = add_months(month_start(timezone.localdate()), 1)
    outcomes = at_once([lambda: svc.pay_due(nxt)] * 2)

    assert [o for o in outcomes if "error" in o] == []
    assert BenefitPayment.objects.filter(claim=claim, key=f"{nxt:%Y-%m}").count() == 1
    runs = [o["result"] for o in outcomes]
    assert sorted(r.pensions for r in runs) == [0, 1]  # the run that paid says so, the other paid nothing
    assert sorted(r.amount for r in runs) == [0, case["expected"]["monthly_total"]]


@pytest.mark.django_db(transaction=True)
def test_the_monthly_run_and_an_officer_stopping_a_child_at_once_do_not_deadlock(world: World) -> None:
    """An officer stops the first child's scholarship (the claim row locked, a moment passes, its scheduled years
    updated) while the July run pays the years due. The run must not lock the claim row (its instalment rows
    are enough) and the claim lock must not block the run's payments referencing the claim: else the run
    holds the child's instalment and waits for the claim, the officer holds the claim and waits for the
    instalment, and PostgreSQL aborts one of them as a deadlock."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks: one write transaction at a time, so no deadlock to show")
    case = legal_case("scholarship.yaml", "worked example #4: maximum per child Rp87 jt, per family Rp174 jt")
    today = timezone.localdate()
    first_year = today.year if (today.month, today.day) >= (7, 1) else today.year - 1
    children = [
        {"name": "Ayu", "birth_date": f"{first_year - 8}-01-01", "level": "sd", "year_in_level": 3},
        {"name": "Bima", "birth_date": f"{first_year - 13}-01-01", "level": "smp", "year_in_level": 1},
    ]
    officer, approver, second = world.users["branch"], second_officer(world), third_officer(world)
    claim = svc.submit(
        world.users["heir"],
        "scholarship",
        {"event_date": case["date"].isoformat(), "trigger": case["inputs"]["trigger"]},
        documents_for("scholarship"),
        bank_account="BRI 0123456789",
        children=children,
    )
    svc.verify(officer, claim.pk)
    svc.approve(approver, claim.pk)
    if svc.get_claim(officer, claim.pk).needs_second_approval:
        svc.approve(second, claim.pk)
    svc.pay(approver, claim.pk)
    july = dt.date(first_year + 1, 7, 1)
    locked = threading.Event()

    def officer_stops() -> int:
        lookup.locked(officer, claim.pk)
        locked.set()
        time.sleep(0.5)  # the request goes on a moment before the update
        return svc.stop_instalments(officer, claim.pk, "the child married", child_order=1)

    def monthly_run() -> Any:
        assert locked.wait(10)
        time.sleep(0.1)
        return svc.pay_due(july)

    outcomes = at_once([officer_stops, monthly_run])
    assert [o for o in outcomes if "error" in o] == []
    due = claim.instalments.filter(due_on=july)
    ayu, bima = due.get(child_order=1), due.get(child_order=2)
    assert bima.state == "paid" and bima.payment is not None
    assert ayu.state in ("paid", "stopped") and (ayu.payment is not None) == (ayu.state == "paid")
    assert claim.instalments.filter(child_order=1, state="scheduled").count() == 0
    assert (
        BenefitPayment.objects.filter(claim=claim, key__endswith=str(july.year)).count()
        == outcomes[1]["result"].instalments
    )


@pytest.mark.django_db(transaction=True)
def test_two_claims_of_one_death_approved_at_once_pay_once(world: World) -> None:
    """The heir's JKM claim and the branch's paper claim for the same death, each approved and paid by its own
    officer at the same moment: one is paid, the other refused (the participant's row is locked for the check;
    without that lock both read the other as unpaid and both were paid)."""
    case = legal_case("jkm_benefit.yaml", "worked example #1: PP 82/2019, Rp42,000,000")
    verifier, first, second = world.users["branch"], second_officer(world), third_officer(world)
    claims = [
        svc.submit(
            filer,
            "jkm",
            {"event_date": case["date"].isoformat()},
            documents_for("jkm"),
            bank_account="BRI 0123456789",
            **kw,
        )
        for filer, kw in ((world.users["heir"], {}), (verifier, {"worker_id": world.workers["W33PU"].pk}))
    ]
    for claim in claims:
        svc.verify(verifier, claim.pk)
    outcomes = at_once(
        [lambda: svc.approve_and_pay(first, claims[0].pk), lambda: svc.approve_and_pay(second, claims[1].pk)]
    )
    paid = [o for o in outcomes if "result" in o]
    refused = [o for o in outcomes if isinstance(o.get("error"), ValidationFailed)]
    assert len(paid) == 1 and len(refused) == 1, outcomes
    assert refused[0]["error"].field == "claim"
    assert list(BenefitPayment.objects.values_list("amount", flat=True)) == [case["expected"]["total"]]
    assert sorted(Claim.objects.values_list("status", flat=True)) == [Status.PAID, Status.VERIFIED]
