"""A bank reference committed by another transaction between the check and the insert is still refused by name.

Decision 0026: a bank reference is posted once per payer (the unique constraint ``payment_reference_once_per_payer``).
``record_payment`` locks the payer's row and then looks for the reference, so on PostgreSQL a second posting
waits and is refused by that look-up (``test_contrib_concurrency.py``). If the look-up ever misses a posting
committed meanwhile (a writer that does not lock the payer first), the database's constraint refuses the
insert; the service must turn that into the same refusal naming the earlier payment, with nothing stored.
Here the look-up is made to miss once, as if the other posting had not yet committed when it ran: the
constraint and the second look-up are the real ones, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from paritrana.contributions.models import Allocation, Bill, Payer, Payment
from paritrana.contributions.payers import payer_of
from paritrana.contributions.services import payments
from paritrana.contributions.services.billing import run_billing
from paritrana.core.errors import ValidationFailed
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)


def test_a_reference_committed_meanwhile_is_refused_as_already_recorded_and_nothing_is_stored(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_billing(MARCH)
    e33 = payer_of(world.employers["E33"])
    march = Bill.objects.get(payer=e33, period=MARCH, kind=Bill.Kind.CONTRIBUTION)
    payments.record_payment(None, e33.pk, 1_000, dt.date(2025, 4, 10), "TRF-77")

    looked_up = payments._already_recorded
    misses = [True]

    def look_up_missing_once(payer_id: int, reference: str) -> ValidationFailed | None:
        if misses:
            misses.pop()
            return None  # the earlier posting not yet seen: the insert meets the unique constraint
        return looked_up(payer_id, reference)

    monkeypatch.setattr(payments, "_already_recorded", look_up_missing_once)
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        payments.record_payment(None, e33.pk, 5_000, dt.date(2025, 4, 12), "TRF-77")
    assert not misses  # the look-up did miss, so the constraint was met
    assert refused.value.field == "reference"
    assert "TRF-77 is already recorded on 10 April 2025 (Rp 1.000)" in refused.value.reason
    assert list(Payment.objects.filter(payer=e33).values_list("amount", flat=True)) == [1_000]
    assert sum(Allocation.objects.filter(bill=march).values_list("amount", flat=True)) == 1_000
    march.refresh_from_db()
    assert march.paid == 1_000 and Payer.objects.get(pk=e33.pk).credit == 0
