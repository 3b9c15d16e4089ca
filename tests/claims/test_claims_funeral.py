"""The JKM funeral cost paid to whoever arranged the funeral when the participant left no heir (PP 44/2015
art 34 as amended by PP 82/2019; the heirs' order, Permenaker 44/2015 art 19): a lump-sum claim type added as
one declaration (issue 14, must-show 3). The branch files it for the payee, who has no account; it is paid
once, and never beside a JKM death benefit (whose total already holds the funeral cost)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from paritrana.claims.declaration import Payout
from paritrana.claims.models import BenefitPayment, Claim, Status
from paritrana.claims.services import claims as svc
from paritrana.claims.types import TYPES
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.registry.models import Membership
from tests.claims.claimkit import documents_for, legal_case
from tests.claims.factkit import second_officer
from tests.platform.world import World

BANK = "BNI 5566778899"
CASE = "worked example #1: PP 82/2019, Rp42,000,000"


def file(filer: object, claim_type: str, date: dt.date, worker_id: int | None = None) -> Claim:
    return svc.submit(
        filer,
        claim_type,
        {"event_date": date.isoformat()},
        documents_for(claim_type),
        worker_id=worker_id,
        bank_account=BANK,
    )


def test_the_funeral_cost_is_declared_as_a_lump_sum_filed_by_the_branch() -> None:
    ctype = TYPES["jkm_funeral"]
    assert ctype.payout == Payout.LUMP_SUM and ctype.once and ctype.exclusive_with == {"jkm"}
    assert ctype.filers == frozenset()  # nobody's own: the payee has no account
    assert {d.code for d in ctype.documents if d.required} >= {"death_certificate", "funeral_letter", "bank_book"}


def test_the_branch_files_it_and_another_officer_pays_the_funeral_cost_once(world: World) -> None:
    case = legal_case("jkm_benefit.yaml", CASE)
    pu = world.workers["W33PU"]
    officer, approver = world.users["branch"], second_officer(world)
    claim = file(officer, "jkm_funeral", case["date"], pu.pk)
    assert claim.inputs["membership_active"] is True and claim.input_sources["membership_active"] == "registry"
    assert claim.eligible and claim.amount == case["expected"]["funeral_cost"] == 10_000_000
    assert claim.outputs["total"] == case["expected"]["total"]  # the rule's total is not what this type pays
    svc.verify(officer, claim.pk)
    with pytest.raises(NotAllowed):
        svc.approve_and_pay(officer, claim.pk)  # the verifier neither approves nor pays
    payments = svc.approve_and_pay(approver, claim.pk)
    assert [(p.kind, p.amount, p.bank_account) for p in payments] == [(BenefitPayment.Kind.LUMP_SUM, 10_000_000, BANK)]
    claim.refresh_from_db()
    assert claim.status == Status.PAID
    again = file(officer, "jkm_funeral", case["date"], pu.pk)
    svc.verify(officer, again.pk)
    with pytest.raises(ValidationFailed) as err, translation.override("en"):
        svc.approve(approver, again.pk)
    assert err.value.field == "claim" and claim.number in err.value.reason and "already paid" in err.value.reason


def test_a_worker_or_an_heir_cannot_file_it(world: World) -> None:
    case = legal_case("jkm_benefit.yaml", CASE)
    for filer in (world.users["worker"], world.users["heir"]):
        with pytest.raises(NotAllowed):
            file(filer, "jkm_funeral", case["date"])
    assert not Claim.objects.exists()


def test_it_is_refused_when_the_membership_had_ended(world: World) -> None:
    case = legal_case("jkm_benefit.yaml", "membership not active on the date of death")
    pu = world.workers["W33PU"]
    Membership.objects.filter(worker=pu, programme="JKM").update(end=case["date"] - dt.timedelta(days=1))
    claim = file(world.users["branch"], "jkm_funeral", case["date"], pu.pk)
    assert not claim.eligible and claim.amount == 0 and claim.refusal == case["expected"]["reason"]


@pytest.mark.parametrize("paid_first", ["jkm", "jkm_funeral"])
def test_it_is_never_paid_beside_the_jkm_death_benefit(world: World, paid_first: str) -> None:
    """Either way round: the JKM total holds the funeral cost, so the one paid first holds the other back."""
    case = legal_case("jkm_benefit.yaml", CASE)
    pu = world.workers["W33PU"]
    officer, approver = world.users["branch"], second_officer(world)
    other = "jkm" if paid_first == "jkm_funeral" else "jkm_funeral"
    first, second = (file(officer, code, case["date"], pu.pk) for code in (paid_first, other))
    for claim in (first, second):
        svc.verify(officer, claim.pk)
    svc.approve_and_pay(approver, first.pk)
    with pytest.raises(ValidationFailed) as err, translation.override("en"):
        svc.approve_and_pay(approver, second.pk)
    assert err.value.field == "claim" and first.number in err.value.reason and "instead" in err.value.reason
    with translation.override("id"), pytest.raises(ValidationFailed) as err:
        svc.approve_and_pay(approver, second.pk)
    assert "pengganti" in err.value.reason
    assert list(BenefitPayment.objects.values_list("claim", flat=True)) == [first.pk]


def test_the_api_lists_it_with_its_checklist(world: World, api: Any) -> None:
    response = api("branch").call("GET", "/api/claims/types")
    assert response.status_code == 200
    types = {t["code"]: t for t in response.json()}
    funeral = types["jkm_funeral"]
    assert funeral["programme"] == "JKM" and funeral["rule"] == "jkm_benefit" and funeral["filers"] == []
    assert funeral["registry_fields"] == ["membership_active"]
    assert "funeral_letter" in [d["code"] for d in funeral["documents"]]
