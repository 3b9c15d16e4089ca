"""The demo's claims: filed through the use cases, at every step, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from paritrana.accounts.services import ensure_user
from paritrana.claims.demo import demo_claims_present, load_demo_claims
from paritrana.claims.models import BenefitPayment, Claim, Status
from paritrana.contributions.demo import load_demo_contributions
from paritrana.registry.demo_data import build_plan, demo_password, demo_users, load_demo
from paritrana.registry.regions import load_regions


@pytest.mark.django_db(transaction=True)
def test_demo_claims_cover_the_workflow_and_are_not_added_twice() -> None:
    today = timezone.localdate()  # the claims are filed today (paper claims received over the last days)
    load_regions(villages=False)
    load_demo(build_plan(seed=7, workers=600))
    load_demo_contributions(today, seed=7)
    for username, role, scope, _ in demo_users():
        ensure_user(username, demo_password(username), role, **scope)
    assert not demo_claims_present()
    counts = load_demo_claims(today, seed=7)
    assert demo_claims_present()
    by_status = {s: Claim.objects.filter(status=s).count() for s in Status.values}
    assert {k: v for k, v in by_status.items() if v} == counts
    assert by_status["paid"] and by_status["rejected"] and by_status["submitted"] and by_status["verified"]
    types = set(Claim.objects.values_list("claim_type", flat=True))
    assert {"jkm", "scholarship", "jkk_medical", "jht_full", "jkk_temporary", "jkp"} <= types
    for claim in Claim.objects.filter(status=Status.PAID):
        assert claim.payments.exists() and claim.service_days is not None
        assert claim.submitted_on >= today - dt.timedelta(days=12)
    for claim in Claim.objects.filter(status=Status.REJECTED):
        assert claim.rejection_reason
    assert Claim.objects.filter(filed_by__username="ahliwaris").count() == 2
    claims, payments = Claim.objects.count(), BenefitPayment.objects.count()
    assert load_demo_claims(today, seed=7) == counts  # run again: nothing filed
    assert (Claim.objects.count(), BenefitPayment.objects.count()) == (claims, payments)
