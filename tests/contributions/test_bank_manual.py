"""Manual payments (services/manual.py; decision 0009), must-show 3: a payment entered by an officer
takes effect only after a second, different officer confirms it; its author cannot confirm (nor
reject) it, and the database refuses it too. Evidence is checked by its first bytes; dates bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from paritrana.contributions.models import Bill, ManualPayment, Payer, Payment
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.manual import Evidence, confirm_manual, enter_manual, reject_manual
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from tests.contributions.bankkit import second_officer
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
PAID_ON = dt.date(2025, 4, 10)
PDF = Evidence("kuitansi.pdf", b"%PDF-1.4\n% receipt\n")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def e33(world: World) -> tuple[Payer, Bill]:
    run_billing(MARCH)
    payer = Payer.objects.get(employer=world.employers["E33"])
    return payer, Bill.objects.get(payer=payer, period=MARCH, kind=Bill.Kind.CONTRIBUTION)


def test_a_manual_payment_takes_effect_only_when_a_second_officer_confirms(world: World) -> None:
    payer, bill = e33(world)
    first, second = world.users["branch"], second_officer(world)
    entry = enter_manual(first, payer.pk, bill.amount, PAID_ON, "KWT-0001", PDF)
    assert entry.status == "pending" and entry.evidence_type == "application/pdf"
    bill.refresh_from_db()
    assert bill.paid == 0 and Payment.objects.count() == 0  # nothing yet

    with pytest.raises(NotAllowed):  # its author cannot confirm it
        confirm_manual(first, entry.pk)
    with pytest.raises(NotAllowed):  # nor reject it
        reject_manual(first, entry.pk, "changed my mind")
    bill.refresh_from_db()
    assert bill.paid == 0 and Payment.objects.count() == 0

    confirmed = confirm_manual(second, entry.pk)
    bill.refresh_from_db()
    assert bill.paid == bill.amount
    assert confirmed.status == "confirmed" and confirmed.decided_by == second and confirmed.decided_at is not None
    payment = Payment.objects.get()
    assert payment.amount == bill.amount and payment.reference == "KWT-0001" and payment.recorded_by == second
    assert confirmed.payment == payment
    with pytest.raises(ValidationFailed):  # decided once
        confirm_manual(world.users["admin"], entry.pk)
    assert Payment.objects.count() == 1


def test_the_database_refuses_the_author_as_its_confirmer(world: World) -> None:
    payer, _bill = e33(world)
    entry = enter_manual(world.users["branch"], payer.pk, 1_000, PAID_ON, "KWT-9", PDF)
    entry.status = "rejected"
    entry.decided_by = world.users["branch"]
    entry.decided_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_a_rejected_entry_posts_nothing(world: World) -> None:
    payer, bill = e33(world)
    entry = enter_manual(world.users["admin"], payer.pk, bill.amount, PAID_ON, "KWT-2", PDF)
    with pytest.raises(ValidationFailed) as no_reason:
        reject_manual(world.users["branch"], entry.pk, " ")
    assert no_reason.value.field == "note"
    rejected = reject_manual(world.users["branch"], entry.pk, "the receipt is for another company")
    assert rejected.status == "rejected" and rejected.payment is None
    with pytest.raises(ValidationFailed):
        confirm_manual(second_officer(world), entry.pk)
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("role", ["hr", "worker", "city", "province", "heir", "assessor"])
def test_payers_and_other_roles_cannot_enter_or_confirm(world: World, role: str) -> None:
    payer, _bill = e33(world)
    own = {"worker": Payer.objects.get(worker=world.workers["W33BPU"])}.get(role, payer)
    with pytest.raises((NotAllowed, NotFound)):
        enter_manual(world.users[role], own.pk, 1_000, PAID_ON, "MINE", PDF)
    entry = enter_manual(world.users["branch"], payer.pk, 1_000, PAID_ON, "KWT-3", PDF)
    with pytest.raises((NotAllowed, NotFound)):
        confirm_manual(world.users[role], entry.pk)
    assert ManualPayment.objects.count() == 1 and Payment.objects.count() == 0


def test_an_officer_enters_only_for_payers_it_sees(world: World) -> None:
    run_billing(MARCH)
    e35 = Payer.objects.get(employer=world.employers["E35"])  # KC-35's, not KC-33's
    with pytest.raises(NotFound):
        enter_manual(world.users["branch"], e35.pk, 1_000, PAID_ON, "X", PDF)
    entry = enter_manual(world.users["admin"], e35.pk, 1_000, PAID_ON, "X", PDF)
    with pytest.raises(NotFound):
        confirm_manual(world.users["branch"], entry.pk)


@pytest.mark.parametrize(
    ("amount", "paid_on", "reference", "evidence", "field"),
    [
        (0, PAID_ON, "R", PDF, "amount"),
        (True, PAID_ON, "R", PDF, "amount"),
        (1_000, dt.date(1, 1, 1), "R", PDF, "paid_on"),
        (1_000, dt.date(2025, 2, 28), "R", PDF, "paid_on"),  # before the payer's first billed month
        (1_000, dt.date(2999, 1, 1), "R", PDF, "paid_on"),
        (1_000, PAID_ON, "  ", PDF, "reference"),
        (1_000, PAID_ON, "R" * 61, PDF, "reference"),
        (1_000, PAID_ON, "R", None, "evidence"),
        (1_000, PAID_ON, "R", Evidence("x.pdf", b"MZ\x90\x00 not a pdf"), "evidence"),
    ],
)
def test_bad_entries_name_the_field_and_store_nothing(
    world: World, amount: int, paid_on: dt.date, reference: str, evidence: Evidence | None, field: str
) -> None:
    payer, _bill = e33(world)
    with pytest.raises(ValidationFailed) as refused:
        enter_manual(world.users["branch"], payer.pk, amount, paid_on, reference, evidence)
    assert refused.value.field == field
    assert ManualPayment.objects.count() == 0
