"""Segregation of duties on claims (decision 0010): the verifier neither approves nor pays, at any amount; above
the branch's threshold a third person approves; a raising correction needs a reason; the controls are the
administrator's settings per branch, with their history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from paritrana.claims.models import BenefitPayment, ClaimControls, ClaimStep, Status
from paritrana.claims.services import claims as svc
from paritrana.claims.services.controls import controls_for
from paritrana.core.errors import NotAllowed, ValidationFailed
from tests.claims.claimkit import documents_for, legal_case
from tests.claims.factkit import second_officer, third_officer

MEDICAL = legal_case("jkk_benefits.yaml", "sea transport under the cap is paid in full")


def file_medical(world: Any, claimed: int | None = None) -> Any:
    """The worker's own JKK transport reimbursement (KC-33), as the legal case has it or with ``claimed``."""
    inputs = {**MEDICAL["inputs"], "event_date": MEDICAL["date"].isoformat()}
    if claimed is not None:
        inputs["claimed"] = claimed
    return svc.submit(world.users["worker"], "jkk_medical", inputs, documents_for("jkk_medical"), bank_account="BNI 1")


def test_the_probe_one_officer_alone_no_longer_pays_a_raised_claim(world: Any) -> None:
    """As found: one officer verified a reimbursement, raised the claimed amount 850,000 → 2,000,000,000,
    approved and paid it. Now the raise wants a reason, the verifier cannot approve or pay, and nothing is paid."""
    claim = file_medical(world, claimed=850_000)
    officer = world.users["branch"]
    before = claim.amount
    assert 0 < before <= 850_000
    with pytest.raises(ValidationFailed) as err, translation.override("en"):
        svc.verify(officer, claim.pk, {"claimed": 2_000_000_000})
    assert err.value.field == "reason" and "give the reason" in err.value.reason
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED and claim.amount == before and claim.inputs["claimed"] == 850_000
    svc.verify(officer, claim.pk, {"claimed": 2_000_000_000}, reason="receipts re-read at the counter")
    for act in (svc.approve, svc.approve_and_pay, svc.pay):
        with pytest.raises(NotAllowed):
            act(officer, claim.pk)
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED and claim.approved_by is None and not BenefitPayment.objects.exists()
    # the reason is on the step, for the approver to weigh
    step = claim.steps.get(step=ClaimStep.Step.CORRECTED)
    assert (step.by, step.note, step.reason) == (officer, "claimed=2000000000", "receipts re-read at the counter")


def test_a_correction_within_the_share_needs_no_reason_and_a_lowering_never(world: Any) -> None:
    claim = file_medical(world, claimed=500_000)
    assert claim.eligible and claim.amount == 500_000
    officer = world.users["branch"]
    svc.verify(officer, claim.pk, {"claimed": 550_000})  # +10 %: the national share, no reason needed
    claim.refresh_from_db()
    assert claim.amount == 550_000 and claim.steps.get(step=ClaimStep.Step.CORRECTED).reason == ""
    lower = file_medical(world, claimed=500_000)
    svc.verify(officer, lower.pk, {"claimed": 100_000})
    lower.refresh_from_db()
    assert lower.amount == 100_000
    over = file_medical(world, claimed=500_000)
    with pytest.raises(ValidationFailed) as err:
        svc.verify(officer, over.pk, {"claimed": 550_001})  # a rupiah beyond the share
    assert err.value.field == "reason"


def test_every_amount_takes_two_people_and_the_threshold_a_third(world: Any) -> None:
    verifier, approver, third = world.users["branch"], second_officer(world), third_officer(world)
    small = file_medical(world, claimed=10_000)
    assert not small.needs_second_approval
    svc.verify(verifier, small.pk)
    with pytest.raises(NotAllowed):
        svc.approve(verifier, small.pk)
    [payment] = svc.approve_and_pay(approver, small.pk)  # one approval below the threshold: then paid
    assert payment.amount == 10_000
    small.refresh_from_db()
    assert (small.verified_by, small.approved_by, small.status) == (verifier, approver, Status.PAID)

    # the branch's own threshold: Rp 100,000, so the legal case's reimbursement needs a second approver
    ClaimControls.objects.create(branch=world.branches["KC-33"], second_approval_threshold=100_000)
    big = file_medical(world)
    assert big.amount >= 100_000 and big.needs_second_approval and big.approval_threshold == 100_000
    svc.verify(verifier, big.pk)
    assert svc.approve_and_pay(approver, big.pk) == []  # waits for the second approver
    with pytest.raises(NotAllowed):
        svc.approve_and_pay(verifier, big.pk)  # the verifier is not the second approver
    assert svc.approve(approver, big.pk).status == Status.VERIFIED  # nor the first one again: no change
    big.refresh_from_db()
    assert big.status == Status.VERIFIED and big.second_approved_by is None
    svc.approve_and_pay(third, big.pk)
    big.refresh_from_db()
    assert big.status == Status.PAID and big.second_approved_by == third
    assert len({big.verified_by_id, big.approved_by_id, big.second_approved_by_id}) == 3


def test_the_controls_per_branch_with_the_national_default_and_their_history(world: Any) -> None:
    national = ClaimControls.objects.get(branch__isnull=True)  # made by the migration
    assert (national.second_approval_threshold, national.correction_reason_share_bp) == (50_000_000, 1_000)
    kc33, kc35 = world.branches["KC-33"], world.branches["KC-35"]
    assert controls_for(kc33.pk) == controls_for(kc35.pk) == controls_for(None)
    own = ClaimControls.objects.create(branch=kc33, second_approval_threshold=1_000_000, correction_reason_share_bp=0)
    assert controls_for(kc33.pk).second_approval_threshold == 1_000_000
    assert controls_for(kc35.pk).second_approval_threshold == 50_000_000
    own.correction_reason_share_bp = 500
    own.save()
    assert [h.correction_reason_share_bp for h in own.history.order_by("history_date")] == [0, 500]
    # a share of 0 at the branch: any raise needs a reason
    own.correction_reason_share_bp = 0
    own.save()
    claim = file_medical(world, claimed=500_000)
    with pytest.raises(ValidationFailed):
        svc.verify(world.users["branch"], claim.pk, {"claimed": 500_001})


def test_the_administrator_edits_the_controls_in_the_admin_and_others_cannot(world: Any) -> None:
    national = ClaimControls.objects.get(branch__isnull=True)
    admin = Client()
    admin.force_login(world.users["admin"])
    url = f"/admin/claims/claimcontrols/{national.pk}/change/"
    assert admin.get(url).status_code == 200
    response = admin.post(
        url, {"branch": "", "second_approval_threshold": "75000000", "correction_reason_share_bp": "2000"}
    )
    assert response.status_code == 302, response.content[:500]
    national.refresh_from_db()
    assert national.second_approval_threshold == 75_000_000
    last = national.history.latest()
    assert last.history_user == world.users["admin"] and last.second_approval_threshold == 75_000_000
    assert admin.get(f"/admin/claims/claimcontrols/{national.pk}/history/").status_code == 200
    for role in ("branch", "worker", "hr"):
        other = Client()
        other.force_login(world.users[role])
        response = other.post(url, {"branch": "", "second_approval_threshold": "1", "correction_reason_share_bp": "0"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role
    national.refresh_from_db()
    assert national.second_approval_threshold == 75_000_000
    # a new claim is held against the new threshold
    saver_claim = file_medical(world)
    assert saver_claim.approval_threshold == 75_000_000


def test_the_api_refuses_the_verifier_and_names_a_missing_reason(world: Any, api: Any) -> None:
    claim = file_medical(world, claimed=500_000)
    branch, approver = api("branch"), api("branch2")
    response = branch.call("POST", f"/api/claims/{claim.pk}/verify", {"corrections": {"claimed": 5_000_000}})
    assert response.status_code == 422 and [d["loc"] for d in response.json()["detail"]] == [["body", "reason"]]
    body = {"corrections": {"claimed": 5_000_000}, "reason": "second receipt"}
    assert branch.call("POST", f"/api/claims/{claim.pk}/verify", body).status_code == 200
    for action in ("approve", "approve-and-pay", "pay"):
        assert branch.call("POST", f"/api/claims/{claim.pk}/{action}").status_code == 403, action
    paid = approver.call("POST", f"/api/claims/{claim.pk}/approve-and-pay").json()
    assert paid["status"] == "paid" and paid["verified_by"] == "t_branch" and paid["approved_by"] == "t_branch2"
    assert paid["steps"][1]["reason"] == "second receipt"
    assert timezone.localdate() - dt.date.fromisoformat(paid["submitted_on"]) == dt.timedelta(0)
