"""The demo data: deterministic, realistic, and loaded once."""

from __future__ import annotations

from collections import Counter

import pytest

from paritrana.accounts.models import ApiToken, Profile
from paritrana.accounts.services import ensure_user, issue_token
from paritrana.registry.demo_data import build_plan, demo_password, demo_users, load_demo
from paritrana.registry.models import Employer, Membership, Worker
from paritrana.registry.nik import check_nik
from paritrana.registry.regiondata import region_code_exists
from paritrana.registry.regions import load_regions


def test_the_plan_is_deterministic_and_realistic() -> None:
    a, b = build_plan(seed=7, workers=800), build_plan(seed=7, workers=800)
    assert a == b
    assert build_plan(seed=8, workers=800) != a
    provinces = Counter(w["region"][:2] for w in a.workers)
    assert len(provinces) >= 10
    schemes = Counter(w["scheme"] for w in a.workers)
    assert schemes["PU"] > 300 and schemes["BPU"] > 200
    assert len({w["nik"] for w in a.workers}) == len(a.workers)
    for w in a.workers:
        check_nik(w["nik"], w["birth_date"], w["sex"], region_code_exists)
        assert w["wage"] >= 1_000_000
        assert (w["scheme"] == "PU") == (w["employer"] is not None)


@pytest.mark.django_db(transaction=True)
def test_load_is_idempotent_and_users_per_role() -> None:
    load_regions(villages=False)
    assert load_regions(villages=False) == {"province": 0, "regency": 0, "district": 0}
    counts = load_demo(build_plan(seed=7, workers=300))
    assert counts["workers"] == Worker.objects.count() == 300
    assert load_demo(build_plan(seed=7, workers=300)) == {}
    assert Worker.objects.count() == 300
    assert Membership.objects.count() == counts["memberships"]
    assert Employer.objects.count() == counts["employers"]
    assert Worker.history.count() == 300
    for _ in range(2):
        for username, role, scope, _ in demo_users():
            ensure_user(username, demo_password(username), role, **scope)
            issue_token(username, name="demo", replace=True)
    assert Profile.objects.count() == 11
    assert ApiToken.objects.count() == 11
