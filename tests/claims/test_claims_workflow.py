"""The workflow of a claim: submitted → verified → approved → paid, or rejected; who may do each step."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from paritrana.claims.models import BenefitPayment, ClaimStep, Status
from paritrana.claims.services import claims as svc
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from tests.claims.claimkit import JKM_CASE, documents_for, file_case_scholarship, file_jkm, legal_case


def test_jkm_by_heir_paid_once_with_the_legal_amount(world: Any) -> None:
    claim = file_jkm(world)
    assert claim.status == Status.SUBMITTED and claim.eligible, claim.refusal
    assert claim.amount == JKM_CASE["expected"]["total"]
    assert claim.inputs["membership_active"] is True and claim.input_sources["membership_active"] == "registry"
    branch, approver = world.users["branch"], world.users["branch2"]
    svc.verify(branch, claim.pk)
    with pytest.raises(NotAllowed):
        svc.approve_and_pay(branch, claim.pk)  # the verifier does not approve (decision 0010)
    first = svc.approve_and_pay(approver, claim.pk)
    again = svc.approve_and_pay(approver, claim.pk)  # clicked twice
    assert [p.pk for p in first] == [p.pk for p in again]
    assert BenefitPayment.objects.filter(claim=claim).count() == 1
    claim.refresh_from_db()
    assert claim.status == Status.PAID and claim.service_days == 0
    steps = list(claim.steps.values_list("step", "by__username"))
    assert steps == [
        (ClaimStep.Step.SUBMITTED, "t_heir"),
        (ClaimStep.Step.VERIFIED, "t_branch"),
        (ClaimStep.Step.APPROVED, "t_branch2"),
        (ClaimStep.Step.PAID, "t_branch2"),
    ]


def test_other_roles_cannot_process_or_see(world: Any) -> None:
    claim = file_jkm(world)
    for role in ("hr", "city", "province", "assessor", "worker"):
        with pytest.raises((NotAllowed, NotFound)):
            svc.verify(world.users[role], claim.pk)
    with pytest.raises(NotAllowed):
        svc.verify(world.users["heir"], claim.pk)  # the filer sees it, but does not process it
    assert svc.get_claim(world.users["heir"], claim.pk).pk == claim.pk
    for role in ("hr", "city", "province", "assessor", "worker"):
        with pytest.raises(NotFound):
            svc.get_claim(world.users[role], claim.pk)


def test_a_worker_cannot_file_an_heirs_claim_and_documents_are_checked(world: Any) -> None:
    with pytest.raises(NotAllowed):
        svc.submit(world.users["worker"], "jkm", {"event_date": "2024-03-16"}, documents_for("jkm"), bank_account="x")
    docs = documents_for("jkm")[1:]
    with pytest.raises(ValidationFailed) as err:
        svc.submit(world.users["heir"], "jkm", {"event_date": "2024-03-16"}, docs, bank_account="BRI 1")
    assert err.value.field == "documents.id_card"
    bad = [svc.Upload("id_card", "ktp.pdf", b"MZ\x90\x00not a pdf"), *docs]
    with pytest.raises(ValidationFailed) as err, translation.override("en"):  # the English source message
        svc.submit(world.users["heir"], "jkm", {"event_date": "2024-03-16"}, bad, bank_account="BRI 1")
    assert err.value.field == "documents[1]" and "PDF, JPEG or PNG" in err.value.reason


def test_rejection_needs_a_reason_and_ends_the_claim(world: Any) -> None:
    claim = file_jkm(world)
    with pytest.raises(ValidationFailed) as err:
        svc.reject(world.users["branch"], claim.pk, "")
    assert err.value.field == "reason"
    svc.reject(world.users["branch"], claim.pk, "the death certificate is not legible")
    claim.refresh_from_db()
    assert claim.status == Status.REJECTED and claim.rejection_reason == "the death certificate is not legible"
    with pytest.raises(ValidationFailed):
        svc.approve(world.users["branch"], claim.pk)


def test_a_correction_at_verification_reassesses_and_is_recorded(world: Any) -> None:
    """Contribution months from the old records: the scholarship needs 36 (jkm_death, scholarship.yaml
    'worked example #10'); the registry has none, the officer's correction makes the claim eligible."""
    case = legal_case("scholarship.yaml", "worked example #10: university year 1, Rp12 jt (death Aug 2020)")
    child = {"name": "Anak", "birth_date": "2001-06-01", "level": "higher", "year_in_level": 1, "school_year": 2020}
    claim = file_case_scholarship(world.users["heir"], [child])
    assert not claim.eligible and claim.inputs["contribution_months"] == 0
    months = case["inputs"]["contribution_months"]
    with pytest.raises(ValidationFailed) as err:  # from nothing to a benefit: a raise that needs a reason
        svc.verify(world.users["branch"], claim.pk, {"contribution_months": months})
    assert err.value.field == "reason"
    assert not ClaimStep.objects.filter(claim=claim, step=ClaimStep.Step.CORRECTED).exists()
    claim = svc.verify(world.users["branch"], claim.pk, {"contribution_months": months}, reason="old card records")
    assert claim.eligible and claim.input_sources["contribution_months"] == "officer"
    assert claim.extra["schedule"][0]["amount"] == case["expected"]["amount"]
    assert claim.steps.filter(
        step=ClaimStep.Step.CORRECTED, note=f"contribution_months={months}", reason="old card records"
    ).exists()
