"""Each claim type end to end (issue 7, must-show 1): the registry holds the facts of a legal test case
(tests/rules/*.yaml, read by name: the expected figures come from the case file, which cites its source),
the claim is filed, verified, approved (by a second officer above the threshold) and paid, and the
claim, its payment instructions and the JHT ledger carry the case's figures.

Facts the registry lacks (contribution months and the JP average wage from before this system's
records, the JP lump sum held by the old system) are the verifying officer's recorded corrections.
Claims whose law date is the claim date (JHT, JP old age) are entered by an officer with the day the
paper claim was received. Every JP old-age case is dated 2032 (the pension age rises to 61 then, and
only those cases give a benefit): those tests set Django's clock to some days after the case's date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from paritrana.accounts.models import Role
from paritrana.claims.dates import add_months, age_on, month_start, school_year_start
from paritrana.claims.models import BenefitPayment, Claim, ClaimControls, ClaimStep, Instalment, Status
from paritrana.claims.services import claims as svc
from paritrana.claims.services import intake
from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services import ledger
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Heir, Membership
from tests.claims.claimkit import documents_for, legal_case
from tests.claims.factkit import (
    heir_user,
    jht_balance,
    participant,
    second_officer,
    set_today,
    third_officer,
    user,
    wage_report,
)
from tests.platform.world import World

BANK = "BRI 0123456789"
Step = ClaimStep.Step


def plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


OLD_RECORDS = "months from the branch's old records"


def today() -> dt.date:
    return timezone.localdate()


def file(filer: Any, claim_type: str, inputs: dict[str, Any], *, worker: Any = None, **kw: Any) -> Claim:
    return svc.submit(
        filer,
        claim_type,
        {k: plain(v) for k, v in inputs.items()},
        documents_for(claim_type),
        worker_id=worker.pk if worker is not None else None,
        bank_account=BANK,
        **kw,
    )


def assert_facts(claim: Claim, facts: dict[str, Any], source: str | None = None) -> None:
    """The claim's rule inputs are the case's inputs (and, when given, came from ``source``)."""
    for name, value in facts.items():
        assert claim.inputs[name] == plain(value), (name, claim.inputs[name], value)
        if source is not None:
            assert claim.input_sources[name] == source, (name, claim.input_sources)


def assert_outputs(claim: Claim, expected: dict[str, Any]) -> None:
    """The claim's outputs (and the explanation's intermediate values) are the case's expected ones."""
    decided = {**claim.explanation["intermediate"], **claim.outputs}
    for name, value in expected.items():
        assert decided[name] == plain(value), (name, decided[name], value)


def approve(claim: Claim, verifier: Any, first: Any, second: Any) -> Claim:
    """Approve: never by the verifier; above the branch's threshold the first approver alone leaves it waiting,
    and a third person completes it. The verifier cannot pay it either."""
    claim.refresh_from_db()
    threshold = ClaimControls.objects.get(branch__isnull=True).second_approval_threshold
    assert claim.approval_threshold == threshold  # KC-33 has no controls of its own: the national default
    assert claim.needs_second_approval == (claim.amount + 12 * claim.monthly_amount >= threshold)
    with pytest.raises(NotAllowed):
        svc.approve(verifier, claim.pk)
    claim = svc.approve(first, claim.pk)
    if claim.needs_second_approval:
        assert claim.status == Status.VERIFIED and svc.awaiting_second_approval(claim)
        with pytest.raises(ValidationFailed):
            svc.pay(first, claim.pk)  # not approved yet
        assert svc.approve(first, claim.pk).status == Status.VERIFIED  # the same person again: still waiting
        with pytest.raises(NotAllowed):
            svc.approve(verifier, claim.pk)  # nor is the verifier the second approver
        claim = svc.approve(second, claim.pk)
        assert claim.second_approved_by == second
    assert claim.status == Status.APPROVED
    with pytest.raises(NotAllowed):
        svc.pay(verifier, claim.pk)
    return claim


def steps(claim: Claim) -> list[tuple[str, str | None]]:
    return list(claim.steps.values_list("step", "by__username"))


def expected_steps(
    claim: Claim, filer: Any, officer: Any, approver: Any, second: Any, corrected: bool = False
) -> list[Any]:
    """Filed, (corrected and) verified by the officer, approved and paid by another, a third's second approval."""
    out = [(Step.SUBMITTED, filer.username)]
    if corrected:
        out.append((Step.CORRECTED, officer.username))
    out += [(Step.VERIFIED, officer.username), (Step.APPROVED, approver.username)]
    if claim.needs_second_approval:
        out.append((Step.SECOND_APPROVAL, second.username))
    return [*out, (Step.PAID, approver.username)]


def assert_paid(claim: Claim, received: dt.date) -> Claim:
    claim.refresh_from_db()
    assert claim.status == Status.PAID and claim.paid_at is not None
    assert claim.submitted_on == received
    assert claim.service_days == (today() - received).days
    return claim


# --- JHT -------------------------------------------------------------------------------------------


def test_jht_full_pays_the_net_and_debits_the_gross(world: World) -> None:
    case = legal_case("jht_benefits.yaml", "lump sum above Rp50 jt, 5 % on the part above")
    facts, exp = case["inputs"], case["expected"]
    person = participant(world, facts["birth_date"], {"JHT": facts["membership_start"]})
    heir = Heir.objects.create(worker=person, name="Widow", relation="spouse", rank=1)
    jht_balance(person, facts["balance"], facts["membership_start"])
    officer, approver, second = world.users["branch"], second_officer(world), third_officer(world)

    claim = file(
        officer,
        "jht_full",
        {"event": facts["event"], "event_date": facts["event_date"]},
        worker=person,
        heir_id=heir.pk,
        received_on=case["date"],
    )
    assert claim.law_date == case["date"] and claim.eligible, claim.refusal
    assert_facts(claim, facts)
    assert claim.input_sources["balance"] == "registry" and claim.input_sources["membership_start"] == "registry"
    assert_outputs(claim, exp)
    assert claim.amount == exp["amount"] and claim.net_amount == exp["net_amount"]
    assert claim.branch == world.branches["KC-33"]

    svc.verify(officer, claim.pk)
    approve(claim, officer, approver, second)
    assert claim.needs_second_approval  # Rp150 jt
    before = ledger.balance(person.pk, today())
    payments = svc.pay(approver, claim.pk)
    after = ledger.balance(person.pk, today())

    assert [(p.key, p.kind, p.amount, p.due_on) for p in payments] == [
        ("", BenefitPayment.Kind.LUMP_SUM, exp["net_amount"], today())
    ]
    entry = payments[0].jht_entry
    assert entry is not None and entry.kind == JhtEntry.Kind.WITHDRAWAL and entry.amount == -exp["amount"]
    assert before == facts["balance"] and before - after == exp["amount"]
    claim = assert_paid(claim, case["date"])
    assert steps(claim) == expected_steps(claim, officer, officer, approver, second)
    # paying again changes nothing
    assert [p.pk for p in svc.pay(approver, claim.pk)] == [payments[0].pk]
    assert ledger.balance(person.pk, today()) == after
    assert JhtEntry.objects.filter(worker=person, kind=JhtEntry.Kind.WITHDRAWAL).count() == 1


def test_jht_partial_paid_once_then_a_second_partial_is_refused(world: World) -> None:
    case = legal_case("jht_benefits.yaml", "partial withdrawal for housing on the 10th anniversary of membership")
    facts, exp = case["inputs"], case["expected"]
    person = participant(world, facts["birth_date"], {"JHT": facts["membership_start"]})
    jht_balance(person, facts["balance"], facts["membership_start"])
    officer, approver, second = world.users["branch"], second_officer(world), third_officer(world)
    claim = file(
        officer,
        "jht_partial",
        {"event": facts["event"], "event_date": facts["event_date"]},
        worker=person,
        received_on=case["date"],
    )
    assert_facts(claim, facts)
    assert claim.inputs["partial_taken_before"] is False
    assert_outputs(claim, exp)
    assert claim.eligible and claim.amount == exp["amount"] and claim.net_amount == exp["net_amount"]
    svc.verify(officer, claim.pk)
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    assert [(p.kind, p.amount) for p in payments] == [(BenefitPayment.Kind.LUMP_SUM, exp["amount"])]
    assert payments[0].jht_entry is not None and payments[0].jht_entry.amount == -exp["amount"]
    assert ledger.balance(person.pk, today()) == facts["balance"] - exp["amount"]
    assert_paid(claim, case["date"])

    # the registry now knows a partial withdrawal was paid: the rule refuses another
    again = legal_case("jht_benefits.yaml", "a second partial withdrawal is refused")
    second_claim = file(officer, "jht_partial", {"event": "partial_other", "event_date": today()}, worker=person)
    assert second_claim.inputs["partial_taken_before"] is True
    assert not second_claim.eligible and second_claim.refusal == again["expected"]["reason"]
    assert second_claim.amount == again["expected"]["amount"]


def test_jht_partial_a_day_short_of_ten_years_is_refused_and_rejected_with_the_rules_reason(world: World) -> None:
    case = legal_case("jht_benefits.yaml", "partial withdrawal a day short of 10 years is refused")
    facts, exp = case["inputs"], case["expected"]
    person = participant(world, facts["birth_date"], {"JHT": facts["membership_start"]})
    jht_balance(person, facts["balance"], facts["membership_start"])
    officer = world.users["branch"]
    claim = file(
        officer,
        "jht_partial",
        {"event": facts["event"], "event_date": facts["event_date"]},
        worker=person,
        received_on=case["date"],
    )
    assert_facts(claim, facts)
    assert not claim.eligible and claim.amount == exp["amount"] and claim.refusal == exp["reason"]
    assert claim.steps.get().note.endswith(exp["reason"])
    svc.verify(officer, claim.pk)
    with pytest.raises(ValidationFailed) as err:
        svc.approve(second_officer(world), claim.pk)
    assert err.value.field == "eligible" and exp["reason"] in err.value.reason
    svc.reject(officer, claim.pk, "")  # no reason given: the rule's
    claim.refresh_from_db()
    assert claim.status == Status.REJECTED and claim.rejection_reason == exp["reason"]
    assert not claim.payments.exists() and ledger.balance(person.pk, today()) == facts["balance"]
    with pytest.raises(ValidationFailed):
        svc.pay(second_officer(world), claim.pk)  # a rejected claim is not paid
    with pytest.raises(NotAllowed):
        svc.pay(officer, claim.pk)  # and its verifier is refused before its status is looked at


# --- JKM -------------------------------------------------------------------------------------------


def test_jkm_filed_by_the_heir_is_paid_the_case_total(world: World) -> None:
    case = legal_case("jkm_benefit.yaml", "worked example #1: PP 82/2019, Rp42,000,000")
    exp = case["expected"]
    heir, officer, approver, second = (
        world.users["heir"],
        world.users["branch"],
        second_officer(world),
        third_officer(world),
    )
    claim = file(heir, "jkm", {"event_date": case["date"]})
    assert_facts(claim, case["inputs"], "registry")
    assert claim.eligible and claim.amount == exp["total"]
    assert_outputs(claim, exp)
    svc.verify(officer, claim.pk)
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    assert [(p.kind, p.amount, p.bank_account) for p in payments] == [
        (BenefitPayment.Kind.LUMP_SUM, exp["total"], BANK)
    ]
    claim = assert_paid(claim, today())
    assert steps(claim) == expected_steps(claim, heir, officer, approver, second)


def test_jkm_with_the_membership_ended_is_refused_and_rejected(world: World) -> None:
    case = legal_case("jkm_benefit.yaml", "membership not active on the date of death")
    exp = case["expected"]
    pu = world.workers["W33PU"]
    Membership.objects.filter(worker=pu, programme="JKM").update(end=case["date"] - dt.timedelta(days=1))
    heir, officer = world.users["heir"], world.users["branch"]
    claim = file(heir, "jkm", {"event_date": case["date"]})
    assert claim.inputs["membership_active"] is False
    # the months paid before this system's records: the officer's correction from the old records
    claim = svc.verify(officer, claim.pk, corrections={"contribution_months": case["inputs"]["contribution_months"]})
    assert_facts(claim, case["inputs"])
    assert claim.input_sources["contribution_months"] == "officer"
    assert_outputs(claim, exp)
    assert not claim.eligible and claim.amount == exp["total"] and claim.refusal == exp["reason"]
    with pytest.raises(ValidationFailed) as err:
        svc.approve_and_pay(second_officer(world), claim.pk)
    assert exp["reason"] in err.value.reason
    claim = svc.reject(officer, claim.pk, "")
    assert claim.status == Status.REJECTED and claim.rejection_reason == exp["reason"]
    assert [s for s, _ in steps(claim)] == [Step.SUBMITTED, Step.CORRECTED, Step.VERIFIED, Step.REJECTED]
    assert not BenefitPayment.objects.exists()


# --- JKK -------------------------------------------------------------------------------------------


def test_jkk_reimbursement_by_a_bpu_worker(world: World) -> None:
    case = legal_case("jkk_benefits.yaml", "sea transport under the cap is paid in full")
    exp = case["expected"]
    filer, officer, approver, second = (
        world.users["worker"],
        world.users["branch"],
        second_officer(world),
        third_officer(world),
    )
    claim = file(filer, "jkk_medical", {"event_date": case["date"], **case["inputs"]})
    assert claim.worker == world.workers["W33BPU"] and claim.worker.scheme == "BPU"
    assert claim.branch == world.branches["KC-33"]  # the branch serving the BPU worker's regency
    assert_facts(claim, case["inputs"], "claimant")
    assert_outputs(claim, exp)
    assert claim.eligible and claim.amount == exp["payable"]
    svc.verify(officer, claim.pk)
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    assert [(p.kind, p.amount) for p in payments] == [(BenefitPayment.Kind.LUMP_SUM, exp["payable"])]
    claim = assert_paid(claim, today())
    assert steps(claim) == expected_steps(claim, filer, officer, approver, second)


def test_jkk_temporary_incapacity_on_the_bpu_workers_wage_needs_a_second_approver(world: World) -> None:
    case = legal_case("jkk_benefits.yaml", "STMB 13 months, the 13th at 50 %")
    facts, exp = case["inputs"], case["expected"]
    bpu = world.workers["W33BPU"]
    bpu.wage = facts["wage"]  # a BPU worker's declared income is the wage basis
    bpu.save()
    filer, officer, approver, second = (
        world.users["worker"],
        world.users["branch"],
        second_officer(world),
        third_officer(world),
    )
    claim = file(filer, "jkk_temporary", {"event_date": case["date"], "months": facts["months"]})
    assert_facts(claim, facts)
    assert claim.input_sources["wage"] == "registry"
    assert_outputs(claim, exp)
    assert claim.amount == exp["total"] and claim.needs_second_approval
    svc.verify(officer, claim.pk)
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    assert [(p.kind, p.amount) for p in payments] == [(BenefitPayment.Kind.LUMP_SUM, exp["total"])]
    claim = assert_paid(claim, today())
    assert steps(claim) == expected_steps(claim, filer, officer, approver, second)


def test_jkk_total_disability_on_the_reported_wage(world: World) -> None:
    case = legal_case("jkk_benefits.yaml", "total permanent disability, wage Rp5,000,000")
    facts, exp = case["inputs"], case["expected"]
    pu = world.workers["W33PU"]
    wage_report(pu, case["date"], facts["wage"])
    wage_report(pu, add_months(case["date"], 1), facts["wage"] * 2)  # a later month is not the basis
    officer, approver, second = world.users["branch"], second_officer(world), third_officer(world)
    claim = file(
        officer,
        "jkk_disability",
        {"event_date": case["date"], "disability_type": facts["disability_type"]},
        worker=pu,
    )
    assert_facts(claim, facts)
    assert_outputs(claim, exp)
    assert claim.amount == exp["total"]
    svc.verify(officer, claim.pk)
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    assert [(p.kind, p.amount) for p in payments] == [(BenefitPayment.Kind.LUMP_SUM, exp["total"])]
    claim = assert_paid(claim, today())
    assert steps(claim) == expected_steps(claim, officer, officer, approver, second)


def test_jkk_death_filed_by_the_heir(world: World) -> None:
    case = legal_case("jkk_benefits.yaml", "worked example #5: Pak Asep Kamil, JKK death 27 Oct 2019, wage Rp4,000,000")
    facts, exp = case["inputs"], case["expected"]
    pu = world.workers["W33PU"]
    wage_report(pu, case["date"], facts["wage"])
    heir, officer, approver, second = (
        world.users["heir"],
        world.users["branch"],
        second_officer(world),
        third_officer(world),
    )
    claim = file(heir, "jkk_death", {"event_date": case["date"]})
    assert_facts(claim, facts, "registry")
    assert_outputs(claim, exp)
    assert claim.amount == exp["total"]
    svc.verify(officer, claim.pk)
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    assert [(p.kind, p.amount) for p in payments] == [(BenefitPayment.Kind.LUMP_SUM, exp["total"])]
    claim = assert_paid(claim, today())
    assert steps(claim) == expected_steps(claim, heir, officer, approver, second)


# --- JP --------------------------------------------------------------------------------------------


def test_jp_old_age_pension_back_pay_and_the_monthly_run(world: World, monkeypatch: Any) -> None:
    case = legal_case("jp_benefits.yaml", "old-age pension with exactly 180 months")
    facts, exp = case["inputs"], case["expected"]
    set_today(monkeypatch, add_months(case["date"], 1) + dt.timedelta(days=9))  # a month and some days later
    person = participant(world, facts["birth_date"], {"JP": dt.date(2015, 7, 1)}, wage=3_000_000)
    officer, approver, second = world.users["branch"], second_officer(world), third_officer(world)
    claim = file(officer, "jp_old_age", {}, worker=person, received_on=case["date"])
    assert claim.inputs["birth_date"] == plain(facts["birth_date"]) and claim.input_sources["birth_date"] == "registry"
    assert not claim.eligible  # the registry holds none of the months paid before it
    corrections = {k: facts[k] for k in ("contribution_months", "average_wage")}
    claim = svc.verify(officer, claim.pk, corrections=corrections, reason=OLD_RECORDS)
    assert_facts(claim, facts)
    assert_outputs(claim, exp)
    assert claim.eligible and claim.monthly_amount == exp["monthly_benefit"] and claim.amount == exp["lump_sum_payable"]
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    first = exp["first_payment_date"]
    months = [first, add_months(first, 1)]  # back pay: the first month and the current one
    assert month_start(today()) == months[-1]
    assert [(p.key, p.kind, p.amount, p.due_on) for p in payments] == [
        (f"{m:%Y-%m}", BenefitPayment.Kind.MONTHLY, exp["monthly_benefit"], m) for m in months
    ]
    claim = assert_paid(claim, case["date"])
    assert steps(claim) == expected_steps(claim, officer, officer, approver, second, corrected=True)

    # the monthly run: once per pensioner and month, a rerun pays nothing, a month paid already neither
    assert svc.pay_due(months[-1]).pensions == 0
    nxt = add_months(months[-1], 1)
    set_today(monkeypatch, nxt)
    run = svc.pay_due(nxt)
    assert (run.pensions, run.instalments, run.amount) == (1, 0, exp["monthly_benefit"])
    assert svc.pay_due(nxt).pensions == 0
    assert list(claim.payments.values_list("key", flat=True)) == [f"{m:%Y-%m}" for m in [*months, nxt]]


def test_jp_old_age_under_15_years_pays_the_lump_sum(world: World, monkeypatch: Any) -> None:
    case = legal_case("jp_benefits.yaml", "179 months at pension age gives the lump sum")
    facts, exp = case["inputs"], case["expected"]
    set_today(monkeypatch, case["date"] + dt.timedelta(days=9))
    person = participant(world, facts["birth_date"], {"JP": dt.date(2015, 7, 1)})
    officer, approver, second = world.users["branch"], second_officer(world), third_officer(world)
    claim = file(officer, "jp_old_age", {}, worker=person, received_on=case["date"])
    # the months and the accumulated contributions with returns come from the old records
    corrections = {k: facts[k] for k in ("contribution_months", "average_wage", "lump_sum")}
    claim = svc.verify(officer, claim.pk, corrections=corrections, reason=OLD_RECORDS)
    assert_facts(claim, facts)
    assert_outputs(claim, exp)  # eligible: false is the monthly pension's
    assert claim.eligible, claim.refusal  # the lump sum is payable
    assert claim.amount == exp["lump_sum_payable"] and claim.monthly_amount == exp["monthly_benefit"]
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    assert [(p.key, p.kind, p.amount) for p in payments] == [
        ("", BenefitPayment.Kind.LUMP_SUM, exp["lump_sum_payable"])
    ]
    assert_paid(claim, case["date"])
    set_today(monkeypatch, add_months(case["date"], 1))
    assert svc.pay_due(add_months(case["date"], 1)).pensions == 0  # no pension follows a lump sum


def test_jp_survivor_pension_from_the_month_after_the_death(world: World) -> None:
    case = legal_case("jp_benefits.yaml", "widow, minimum of 2024 from 1 March 2024")
    facts, exp = case["inputs"], case["expected"]
    death = case["date"]
    joined = add_months(death, -facts["membership_months"])
    person = participant(world, facts["participant_birth_date"], {"JP": joined, "JKM": joined})
    heir, heir_row = heir_user(person)
    officer, approver, second = world.users["branch"], second_officer(world), third_officer(world)
    claim = file(heir, "jp_survivor", {"event_date": death, "recipient": facts["recipient"]}, heir_id=heir_row.pk)
    assert claim.inputs["membership_months"] == facts["membership_months"]
    corrections = {k: facts[k] for k in ("contribution_months", "average_wage")}
    claim = svc.verify(officer, claim.pk, corrections=corrections, reason=OLD_RECORDS)
    assert_facts(claim, facts)
    assert_outputs(claim, exp)
    assert claim.eligible and claim.monthly_amount == exp["monthly_total"] and claim.amount == 0
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    months = []
    month = add_months(month_start(death), 1)
    while month <= month_start(today()):
        months.append(month)
        month = add_months(month, 1)
    assert [(p.key, p.amount) for p in payments] == [(f"{m:%Y-%m}", exp["monthly_total"]) for m in months]
    assert {p.kind for p in payments} == {BenefitPayment.Kind.MONTHLY}
    claim = assert_paid(claim, today())
    assert steps(claim) == expected_steps(claim, heir, officer, approver, second, corrected=True)
    nxt = add_months(month_start(today()), 1)
    assert svc.pay_due(month_start(today())).pensions == 0
    assert (svc.pay_due(nxt).pensions, svc.pay_due(nxt).pensions) == (1, 0)


# --- JKP -------------------------------------------------------------------------------------------


def test_jkp_six_months_the_first_with_the_claim_the_rest_by_the_monthly_run(world: World) -> None:
    early = legal_case("jkp_benefit.yaml", "PP 37/2021, month 3 is 45 % of the wage")
    late = legal_case("jkp_benefit.yaml", "PP 37/2021, month 4 is 25 % of the wage")
    facts = early["inputs"]
    assert {k: v for k, v in late["inputs"].items() if k != "month"} == {k: v for k, v in facts.items() if k != "month"}
    phk = early["date"]
    birth = dt.date(1991, 3, 1)
    registered = dt.date(birth.year + facts["age_at_registration"], 6, 1)
    person = participant(world, birth, {"JKP": registered})
    wage_report(person, phk, facts["wage"])
    officer, approver, second = world.users["branch"], second_officer(world), third_officer(world)
    claim = file(
        officer,
        "jkp",
        {"event_date": phk, "separation": facts["separation"]},
        worker=person,
        received_on=facts["claim_date"],
    )
    claim = svc.verify(
        officer,
        claim.pk,
        corrections={k: facts[k] for k in ("contribution_months", "consecutive_months")},
        reason=OLD_RECORDS,
    )
    assert_facts(claim, {k: v for k, v in facts.items() if k != "month"})
    assert claim.input_sources["age_at_registration"] == "registry" and claim.input_sources["wage"] == "registry"
    assert claim.eligible and claim.amount == early["expected"]["total_6_months"]
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)
    paid_on = today()
    months_1_3, months_4_6 = early["expected"]["benefit"], late["expected"]["benefit"]
    assert [(p.key, p.kind, p.amount, p.due_on) for p in payments] == [
        ("jkp-1", BenefitPayment.Kind.INSTALMENT, months_1_3, paid_on)
    ]
    schedule = list(claim.instalments.order_by("due_on").values_list("key", "amount", "due_on", "state"))
    assert schedule == [
        (
            f"jkp-{n}",
            months_1_3 if n <= 3 else months_4_6,
            add_months(paid_on, n - 1),
            "paid" if n == 1 else "scheduled",
        )
        for n in range(1, 7)
    ]
    claim = assert_paid(claim, facts["claim_date"])
    assert steps(claim) == expected_steps(claim, officer, officer, approver, second, corrected=True)

    assert svc.pay_due(month_start(paid_on)).instalments == 0  # month 2 falls due next month
    for n in range(2, 7):
        month = month_start(add_months(paid_on, n - 1))
        run = svc.pay_due(month)
        assert (run.instalments, run.amount) == (1, months_1_3 if n <= 3 else months_4_6), n
        assert svc.pay_due(month).instalments == 0
    assert sum(claim.payments.values_list("amount", flat=True)) == early["expected"]["total_6_months"]
    assert set(claim.instalments.values_list("state", flat=True)) == {Instalment.State.PAID}


# --- scholarship ---------------------------------------------------------------------------------------


def test_scholarship_schedules_each_child_through_the_levels_to_a_limit(world: World) -> None:
    maximum = legal_case("scholarship.yaml", "worked example #4: maximum per child Rp87 jt, per family Rp174 jt")
    per_level = {
        c["inputs"]["level"]: c["expected"]["amount"]
        for c in (
            maximum,
            legal_case("scholarship.yaml", "primary school Rp1.5 jt a year"),
            legal_case("scholarship.yaml", "worked example #11: second child of a JKM death is covered"),
            legal_case("scholarship.yaml", "senior secondary Rp3 jt a year"),
            legal_case("scholarship.yaml", "worked example #10: university year 1, Rp12 jt (death Aug 2020)"),
        )
    }
    still = legal_case("scholarship.yaml", "child aged 22 still receives")["inputs"]["child_age"]
    too_old = legal_case("scholarship.yaml", "child aged 23 no longer receives")["inputs"]["child_age"]
    death = maximum["date"]
    first_year = today().year if (today().month, today().day) >= (7, 1) else today().year - 1
    # the younger child starts kindergarten this school year at 4, young enough to go through every level;
    # the elder starts university at 20 and reaches the age limit before its last year
    young = dt.date(first_year - 4, 1, 1)
    elder = dt.date(first_year - 20, 3, 1)
    children = [
        {"name": "Ayu", "birth_date": young.isoformat(), "level": maximum["inputs"]["level"], "year_in_level": 1},
        {"name": "Bima", "birth_date": elder.isoformat(), "level": "higher", "year_in_level": 1},
    ]
    heir, officer, approver, second = (
        world.users["heir"],
        world.users["branch"],
        second_officer(world),
        third_officer(world),
    )
    claim = file(heir, "scholarship", {"event_date": death, "trigger": maximum["inputs"]["trigger"]}, children=children)
    assert claim.eligible, claim.refusal
    assert claim.outputs["max_total_per_child"] == maximum["expected"]["max_total_per_child"]
    schedule = claim.extra["schedule"]
    ayu = [s for s in schedule if s["child_order"] == 1]
    bima = [s for s in schedule if s["child_order"] == 2]
    # every year its level's amount, a year apart from the first school year
    for rows in (ayu, bima):
        assert [s["school_year"] for s in rows] == list(range(first_year, first_year + len(rows)))
        assert all(s["amount"] == per_level[s["level"]] for s in rows)
        assert all(s["due_on"] == school_year_start(s["school_year"]).isoformat() for s in rows)
    # Ayu goes through every level to its last year: the most a child can receive
    assert ayu[0]["level"] == "tk" and ayu[-1]["level"] == "higher"
    assert sum(s["amount"] for s in ayu) == maximum["expected"]["max_total_per_child"]
    # Bima's schedule ends at the age limit: the last year paid at 22, none at 23
    ages = [age_on(elder, school_year_start(s["school_year"])) for s in bima]
    assert ages[-1] == still and age_on(elder, school_year_start(bima[-1]["school_year"] + 1)) == too_old
    assert claim.amount == sum(s["amount"] for s in schedule) <= maximum["expected"]["max_total_per_family"]

    svc.verify(officer, claim.pk)
    approve(claim, officer, approver, second)
    payments = svc.pay(approver, claim.pk)  # the school year has begun: its year is paid with the claim
    assert sorted((p.key, p.amount) for p in payments) == [
        (f"child-1-{first_year}", ayu[0]["amount"]),
        (f"child-2-{first_year}", bima[0]["amount"]),
    ]
    assert {p.kind for p in payments} == {BenefitPayment.Kind.SCHOLARSHIP}
    claim = assert_paid(claim, today())

    def july(year: int) -> dt.date:
        return school_year_start(year)

    assert svc.pay_due(july(first_year + 1) - dt.timedelta(days=1)).instalments == 0  # June: not begun
    run = svc.pay_due(july(first_year + 1))
    assert (run.instalments, run.amount) == (2, ayu[1]["amount"] + bima[1]["amount"])
    assert svc.pay_due(july(first_year + 1)).instalments == 0  # a rerun pays nothing

    # Bima marries: his remaining years stop, with the reason; Ayu's go on
    assert svc.stop_instalments(officer, claim.pk, "the child married", child_order=2) == len(bima) - 2
    stopped = claim.instalments.filter(state=Instalment.State.STOPPED)
    assert set(stopped.values_list("child_order", "stop_reason")) == {(2, "the child married")}
    assert claim.steps.filter(step=Step.STOPPED, note="the child married").count() == 1
    for year in range(first_year + 2, first_year + len(ayu)):
        run = svc.pay_due(july(year))
        assert (run.instalments, run.amount) == (1, ayu[year - first_year]["amount"]), year
    assert svc.pay_due(july(first_year + len(ayu))).instalments == 0
    paid = claim.payments.filter(instalment__child_order=1)
    assert sum(paid.values_list("amount", flat=True)) == maximum["expected"]["max_total_per_child"]
    assert claim.payments.filter(instalment__child_order=2).count() == 2
    assert not claim.instalments.filter(state=Instalment.State.SCHEDULED).exists()


# --- weak spots -----------------------------------------------------------------------------------------


def test_the_branch_of_a_bpu_worker_is_the_one_serving_its_region(world: World) -> None:
    district = participant(world, dt.date(1990, 1, 1), {}, employer=None)
    district.region = world.regions["33.01.01"]  # a district of a regency the branch serves
    district.save()
    assert intake.branch_of(district) == world.branches["KC-33"]
    assert intake.branch_of(world.workers["W33BPU"]) == world.branches["KC-33"]
    assert intake.branch_of(world.workers["W35"]) == world.branches["KC-35"]  # PU: its employer's branch


def test_an_officer_of_another_branch_does_not_approve(world: World) -> None:
    case = legal_case("jkk_benefits.yaml", "sea transport under the cap is paid in full")
    claim = file(world.users["worker"], "jkk_medical", {"event_date": case["date"], **case["inputs"]})
    other = user("t_branch35", Role.BRANCH_OFFICER, branch=world.branches["KC-35"])
    svc.verify(world.users["branch"], claim.pk)
    with pytest.raises(NotFound):
        svc.approve(other, claim.pk)


def test_a_benefit_paid_once_is_not_approved_twice_for_one_participant(world: World) -> None:
    """Two JKM claims for one death (the heir's, and a paper one the branch entered): the first is paid, the
    second is refused at approval and rejected; a rejected claim does not count."""
    case = legal_case("jkm_benefit.yaml", "worked example #1: PP 82/2019, Rp42,000,000")
    heir, officer, approver = world.users["heir"], world.users["branch"], second_officer(world)
    pu = world.workers["W33PU"]
    rejected = file(heir, "jkm", {"event_date": case["date"]})
    svc.reject(officer, rejected.pk, "the death certificate is not legible")
    first = file(heir, "jkm", {"event_date": case["date"]})
    paper = file(officer, "jkm", {"event_date": case["date"]}, worker=pu)
    for claim in (first, paper):
        svc.verify(officer, claim.pk)
    svc.approve_and_pay(approver, first.pk)
    with pytest.raises(ValidationFailed) as err, translation.override("en"):
        svc.approve_and_pay(approver, paper.pk)
    assert err.value.field == "claim" and first.number in err.value.reason and "already paid" in err.value.reason
    svc.reject(officer, paper.pk, err.value.reason)
    assert list(BenefitPayment.objects.values_list("claim", "amount")) == [(first.pk, case["expected"]["total"])]
    # a type paid as often as it is due (a JKK reimbursement) is not held back
    medical = legal_case("jkk_benefits.yaml", "sea transport under the cap is paid in full")
    for _ in range(2):
        claim = file(world.users["worker"], "jkk_medical", {"event_date": medical["date"], **medical["inputs"]})
        svc.verify(officer, claim.pk)
        assert len(svc.approve_and_pay(approver, claim.pk)) == 1


def test_a_second_approval_is_refused_while_the_same_benefit_waits_for_its_own(world: World) -> None:
    case = legal_case("jkk_benefits.yaml", "worked example #5: Pak Asep Kamil, JKK death 27 Oct 2019, wage Rp4,000,000")
    wage_report(world.workers["W33PU"], case["date"], case["inputs"]["wage"])
    heir, officer, approver, second = (
        world.users["heir"],
        world.users["branch"],
        second_officer(world),
        third_officer(world),
    )
    one, two = (file(heir, "jkk_death", {"event_date": case["date"]}) for _ in range(2))
    for claim in (one, two):
        svc.verify(officer, claim.pk)
    assert svc.approve(approver, one.pk).needs_second_approval  # waiting for its second approver
    with pytest.raises(ValidationFailed) as err, translation.override("en"):
        svc.approve(second, two.pk)
    assert one.number in err.value.reason and "already approved" in err.value.reason
    svc.approve(second, one.pk)
    assert [p.amount for p in svc.pay(approver, one.pk)] == [case["expected"]["total"]]


def test_a_jht_claim_is_not_approved_when_the_account_no_longer_holds_its_amount(world: World) -> None:
    """Another payment order debited the account after the assessment: approving would leave a claim that can
    be neither paid (the ledger refuses to overdraw) nor rejected (rejection comes before approval)."""
    case = legal_case("jht_benefits.yaml", "resignation, the day the 1-month waiting period ends")
    facts, exp = case["inputs"], case["expected"]
    person = participant(world, facts["birth_date"], {"JHT": facts["membership_start"]})
    jht_balance(person, facts["balance"], facts["membership_start"])
    officer = world.users["branch"]
    claim = file(
        officer,
        "jht_full",
        {"event": facts["event"], "event_date": facts["event_date"]},
        worker=person,
        received_on=case["date"],
    )
    assert claim.amount == exp["amount"]
    svc.verify(officer, claim.pk)
    ledger.withdraw(officer, person.pk, 1, today(), "another payment order")
    with pytest.raises(ValidationFailed) as err:
        svc.approve(second_officer(world), claim.pk)
    assert err.value.field == "amount"
    claim = svc.reject(officer, claim.pk, err.value.reason)
    assert claim.status == Status.REJECTED and not claim.payments.exists()
    assert ledger.balance(person.pk, today()) == facts["balance"] - 1


def test_an_event_date_corrected_at_verification_is_the_claims_event_date(world: World) -> None:
    case = legal_case("jht_benefits.yaml", "resignation, the day the 1-month waiting period ends")
    facts, exp = case["inputs"], case["expected"]
    person = participant(world, facts["birth_date"], {"JHT": facts["membership_start"]})
    jht_balance(person, facts["balance"], facts["membership_start"])
    officer = world.users["branch"]
    typo = facts["event_date"] + dt.timedelta(days=1)  # entered a day late: the waiting period has not passed
    claim = file(
        officer, "jht_full", {"event": facts["event"], "event_date": typo}, worker=person, received_on=case["date"]
    )
    assert not claim.eligible and claim.event_date == typo
    with pytest.raises(ValidationFailed) as err:  # from a refusal to a benefit: the verifier says why
        svc.verify(officer, claim.pk, corrections={"event_date": facts["event_date"].isoformat()})
    assert err.value.field == "reason"
    claim = svc.verify(
        officer, claim.pk, corrections={"event_date": facts["event_date"].isoformat()}, reason="typing error"
    )
    assert claim.eligible and claim.amount == exp["amount"]
    assert claim.input_sources["event_date"] == "officer"
    claim.refresh_from_db()
    assert claim.event_date == facts["event_date"] and claim.inputs["event_date"] == facts["event_date"].isoformat()
