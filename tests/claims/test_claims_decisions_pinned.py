"""The claims decisions pinned where the mutation run of claims/services/decisions.py found them unasserted
(issue 19): the value a correction is weighed against counts a pension's year (the amount now and twelve
months), the branch's share is written as the officer reads it, a refused correction stores nothing; a benefit
paid once is refused beside another claim approved and not yet paid; the JHT balance the refusal names.

No one completes a money decision alone (decision 0010): a correction raising a claim by more than the branch's
share needs a reason the approver weighs, so these amounts are computed by hand here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from paritrana.claims.models import BenefitPayment, Claim, ClaimControls, ClaimStep, Status
from paritrana.claims.services import claims as svc
from paritrana.contributions.models import Bill, BillLine
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services import ledger
from paritrana.core.errors import ValidationFailed
from tests.claims.claimkit import documents_for, file_case_scholarship, legal_case
from tests.claims.factkit import heir_user, jht_balance, participant, second_officer
from tests.platform.world import World

DEATH = dt.date(2024, 3, 1)
JOINED = dt.date(2020, 11, 1)  # 40 months of JP before the death: November 2020 to February 2024


def _paid_jp_months(world: World, person: Any, wage: int) -> None:
    """A paid bill of PT Semarang for each month from ``JOINED`` to the month before the death, with the
    person's JP line on ``wage``: the registry's 40 contribution months and average wage."""
    payer = payer_of(world.employers["E33"])
    month = JOINED
    while month < DEATH:
        bill = Bill.objects.create(payer=payer, period=month, due_date=month, amount=60_000, paid=60_000)
        BillLine.objects.create(
            bill=bill, worker=person, programme="JP", kind="contribution", wage=wage, amount=60_000,
            rule="pu_contributions", law_date=month,
        )  # fmt: skip
        month = (month + dt.timedelta(days=32)).replace(day=1)


@pytest.fixture
def survivor(world: World) -> Claim:
    """The widow's JP survivor pension after a death on 1 March 2024 (jp_benefits.yaml, "widow, minimum of 2024
    from 1 March 2024"): 40 months paid on Rp 2,000,000, deemed 15 years, the formula's 1 % × 15 × 2,000,000 ×
    50 % = 150,000 is under the minimum of March 2024, Rp 393,500 a month. KC-33's share is 10.5 %."""
    ClaimControls.objects.create(branch=world.branches["KC-33"], correction_reason_share_bp=1050)
    person = participant(world, dt.date(1980, 1, 1), {"JP": JOINED, "JKM": JOINED}, wage=2_000_000)
    _paid_jp_months(world, person, 2_000_000)
    heir, row = heir_user(person)
    claim = svc.submit(
        heir,
        "jp_survivor",
        {"event_date": DEATH.isoformat(), "recipient": "widow_widower"},
        documents_for("jp_survivor"),
        heir_id=row.pk,
        bank_account="BRI 5",
    )
    assert claim.eligible and (claim.amount, claim.monthly_amount) == (0, 393_500)
    assert claim.inputs["contribution_months"] == 40 and claim.inputs["average_wage"] == 2_000_000
    return claim


def test_a_pensions_correction_is_weighed_on_its_year_and_within_the_share_needs_no_reason(
    world: World, survivor: Claim
) -> None:
    """The value before: 0 now + 12 × 393,500 = 4,722,000. The officer's average wage of Rp 5,600,000 from the
    old records gives 1 % × 15 × 5,600,000 × 50 % = 420,000 a month (PP 45/2015 art 17(2), deemed 15 years),
    a year of 5,040,000: +6.7 %, within 10.5 %, so no reason. (Weighed on eleven months, 4,328,500, it
    would be +16.4 %; weighed as 0 − 4,722,000, any raise.)"""
    claim = svc.verify(world.users["branch"], survivor.pk, {"average_wage": 5_600_000})
    assert claim.status == Status.VERIFIED and claim.monthly_amount == 420_000
    step = claim.steps.get(step=ClaimStep.Step.CORRECTED)
    assert (step.note, step.reason) == ("average_wage=5600000", "")


def test_a_pensions_correction_beyond_the_share_names_the_values_and_the_share_and_stores_nothing(
    world: World, survivor: Claim
) -> None:
    """Rp 6,000,000 gives 450,000 a month, a year of 5,400,000: +14.4 % of 4,722,000, beyond 10.5 %, so the
    officer gives the reason (weighed on thirteen months, 5,115,500, it would be +5.6 % and pass)."""
    officer = world.users["branch"]
    with pytest.raises(ValidationFailed) as err, translation.override("en"):
        svc.verify(officer, survivor.pk, {"average_wage": 6_000_000})
    assert err.value.field == "reason"
    assert err.value.reason == (
        "the corrections raise the claim's value from Rp 4.722.000 to Rp 5.400.000, more than 10,5 %: give the reason"
    )
    stored = Claim.objects.get(pk=survivor.pk)
    assert (stored.status, stored.monthly_amount, stored.inputs["average_wage"]) == (
        Status.SUBMITTED,
        393_500,
        2_000_000,
    )
    assert not stored.steps.filter(step__in=(ClaimStep.Step.CORRECTED, ClaimStep.Step.VERIFIED)).exists()
    claim = svc.verify(officer, survivor.pk, {"average_wage": 6_000_000}, reason="old card records")
    assert (
        claim.monthly_amount == 450_000 and claim.steps.get(step=ClaimStep.Step.CORRECTED).reason == "old card records"
    )


def test_a_benefit_paid_once_is_refused_beside_a_claim_approved_and_not_yet_paid(world: World) -> None:
    """KC-33 takes a second approver from Rp 100,000,000: the heir's JKM claim (Rp 42,000,000) is approved by one
    officer and waits for its payment; the paper claim for the same death is refused as already approved (not
    as paid: nothing was paid), and nothing of it is approved."""
    ClaimControls.objects.create(branch=world.branches["KC-33"], second_approval_threshold=100_000_000)
    case = legal_case("jkm_benefit.yaml", "worked example #1: PP 82/2019, Rp42,000,000")
    officer, approver = world.users["branch"], second_officer(world)
    inputs = {"event_date": case["date"].isoformat()}
    first = svc.submit(world.users["heir"], "jkm", inputs, documents_for("jkm"), bank_account="BRI 1")
    paper = svc.submit(
        officer, "jkm", inputs, documents_for("jkm"), worker_id=world.workers["W33PU"].pk, bank_account="BRI 1"
    )
    for claim in (first, paper):
        svc.verify(officer, claim.pk)
    assert svc.approve(approver, first.pk).status == Status.APPROVED
    with pytest.raises(ValidationFailed) as err, translation.override("en"):
        svc.approve(approver, paper.pk)
    assert err.value.field == "claim"
    assert err.value.reason == (
        f"{first.number}, a claim of this type for the same participant, is already approved: reject this one"
    )
    stored = Claim.objects.get(pk=paper.pk)
    assert (stored.status, stored.approved_by) == (Status.VERIFIED, None)
    assert not BenefitPayment.objects.exists()


def test_a_jht_claim_on_an_emptied_account_names_a_balance_of_nought(world: World) -> None:
    """Resignation on 15 March 2024 (jht_benefits.yaml): the whole Rp 30,000,000 assessed; another payment
    order then took it all, so the approval is refused naming Rp 0 held today, and nothing is debited."""
    case = legal_case("jht_benefits.yaml", "resignation, the day the 1-month waiting period ends")
    facts = case["inputs"]
    person = participant(world, facts["birth_date"], {"JHT": facts["membership_start"]})
    jht_balance(person, facts["balance"], facts["membership_start"])
    officer = world.users["branch"]
    inputs = {"event": facts["event"], "event_date": facts["event_date"].isoformat()}
    claim = svc.submit(
        officer, "jht_full", inputs, documents_for("jht_full"), worker_id=person.pk, bank_account="BRI 2",
        received_on=case["date"],
    )  # fmt: skip
    assert claim.amount == 30_000_000
    svc.verify(officer, claim.pk)
    today = timezone.localdate()
    ledger.withdraw(officer, person.pk, 30_000_000, today, "another payment order")
    with pytest.raises(ValidationFailed) as err, translation.override("en"):
        svc.approve(second_officer(world), claim.pk)
    assert (err.value.field, err.value.reason) == (
        "amount",
        "the JHT account holds Rp 0 today, less than the Rp 30.000.000 assessed: reject this claim",
    )
    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED and ledger.balance(person.pk, today) == 0


def test_each_scholarship_instalment_stored_at_payment_names_its_child_level_and_year(world: World) -> None:
    """Scholarship after a JKM death in August 2020 (scholarship.yaml, worked example #10: university year 1,
    Rp 12,000,000): the child, born 1 June 2001, studies from the 2020 school year; the 36 contribution months
    come from the old records. Every school year from 2020 has begun, so each is paid with the claim, and its
    instalment keeps whom and what it pays (the letter and the pages read them there)."""
    case = legal_case("scholarship.yaml", "worked example #10: university year 1, Rp12 jt (death Aug 2020)")
    child = {"name": "Anak Kuliah", "birth_date": "2001-06-01", "level": "higher", "year_in_level": 1}
    claim = file_case_scholarship(world.users["heir"], [{**child, "school_year": 2020}])
    officer = world.users["branch"]
    months = {"contribution_months": case["inputs"]["contribution_months"]}
    svc.verify(officer, claim.pk, months, reason="old card records")
    # four school years of Rp 12,000,000 (2020 to 2023: the child is 22 at the start of the last), Rp 48,000,000,
    # under the national threshold of Rp 50,000,000: one approval
    assert svc.approve(second_officer(world), claim.pk).status == Status.APPROVED
    payments = svc.pay(second_officer(world), claim.pk)
    stored = list(
        claim.instalments.order_by("school_year").values_list(
            "child_order", "child_name", "school_year", "level", "year_in_level", "amount", "state"
        )
    )
    assert stored == [(1, "Anak Kuliah", 2020 + n, "higher", 1 + n, 12_000_000, "paid") for n in range(4)]
    assert sorted(p.amount for p in payments) == [12_000_000] * 4


@pytest.mark.parametrize(("balance", "instructions"), [(0, []), (1, [1])])
def test_a_jht_claim_pays_its_last_rupiah_and_sends_no_instruction_of_nought(
    world: World, balance: int, instructions: list[int]
) -> None:
    """Resignation on 15 March 2024 (jht_benefits.yaml) on an account holding ``balance``: the whole balance is
    payable (Permenaker 4/2022 arts 8-10). One rupiah is paid and debited; an empty account's claim is closed as
    paid with no payment instruction of Rp 0 to the bank and no ledger entry."""
    case = legal_case("jht_benefits.yaml", "resignation, the day the 1-month waiting period ends")
    facts = case["inputs"]
    person = participant(world, facts["birth_date"], {"JHT": facts["membership_start"]})
    if balance:
        jht_balance(person, balance, facts["membership_start"])
    officer, approver = world.users["branch"], second_officer(world)
    inputs = {"event": facts["event"], "event_date": facts["event_date"].isoformat()}
    claim = svc.submit(
        officer, "jht_full", inputs, documents_for("jht_full"), worker_id=person.pk, bank_account="BRI 3",
        received_on=case["date"],
    )  # fmt: skip
    assert claim.eligible and claim.amount == balance
    svc.verify(officer, claim.pk)
    payments = svc.approve_and_pay(approver, claim.pk)
    assert [p.amount for p in payments] == instructions
    assert list(BenefitPayment.objects.filter(claim=claim).values_list("amount", flat=True)) == instructions
    withdrawals = list(person.jht_entries.filter(kind="withdrawal").values_list("amount", flat=True))
    assert withdrawals == [-a for a in instructions] and ledger.balance(person.pk, timezone.localdate()) == 0
    assert Claim.objects.get(pk=claim.pk).status == Status.PAID
