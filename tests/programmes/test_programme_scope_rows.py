"""The programmes' scopes (programmes/scopes.py) on real programmes of five regions: Kota Semarang's (no province
share), Kabupaten Cilacap's co-funded by the province (30 %) and another of Cilacap's without a share, Jawa
Tengah's own, Kota Surabaya's. Each role's rows are written out by hand from the scope's rules (a regional
officer: its own region's exactly, and a province's officer the regencies' it co-funds; a branch officer: the
regions its branch serves); a refused renewal stores no programme, an allowed one does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from paritrana.accounts.models import Profile, Role
from paritrana.core.errors import NotAllowed, NotFound
from paritrana.programmes.models import BeneficiaryList, Programme
from paritrana.programmes.scopes import can_manage, visible_lists, visible_programmes
from paritrana.programmes.services.programmes import create_programme, renew_programme
from tests.platform.world import World, keys_of
from tests.programmes.progkit import PROGRAMME


@pytest.fixture
def programmes(world: World, semarang: Programme, cilacap: Programme) -> dict[str, Programme]:
    admin = world.users["admin"]
    return {
        "SEMARANG": semarang,
        "CILACAP": cilacap,  # province share 30 %
        "CILACAP0": create_programme(world.users["cilacap"], name="Program Nelayan Cilacap", **PROGRAMME),
        # the smallest share there is, 0.01 %: co-funded all the same
        "CILACAP1": create_programme(
            world.users["cilacap"], name="Program Petani Cilacap", **{**PROGRAMME, "province_share_bp": 1}
        ),
        "PROVINCE": create_programme(admin, name="Program Jawa Tengah", region="33", **PROGRAMME),
        "SURABAYA": create_programme(admin, name="Program Kota Surabaya", region="35.78", **PROGRAMME),
    }


SEEN = {
    "admin": {"SEMARANG", "CILACAP", "CILACAP0", "CILACAP1", "PROVINCE", "SURABAYA"},
    # its own, and the regency's it co-funds; not those without a share
    "province": {"PROVINCE", "CILACAP", "CILACAP1"},
    "city": {"SEMARANG"},
    "cilacap": {"CILACAP", "CILACAP0", "CILACAP1"},  # not the province's above it
    "branch": {"SEMARANG", "CILACAP", "CILACAP0", "CILACAP1"},  # the regions its branch serves, not the province
    "hr": set(),
    "worker": set(),
    "heir": set(),
    "assessor": set(),
    "analyst": set(),
}
MANAGES = {
    "admin": set(SEEN["admin"]),
    "province": {"PROVINCE"},  # reads Cilacap's co-funded programme, does not change it
    "city": {"SEMARANG"},
    "cilacap": {"CILACAP", "CILACAP0", "CILACAP1"},
}


@pytest.mark.parametrize("role", sorted(SEEN))
def test_each_role_sees_and_manages_the_programmes_written_out_for_it(
    world: World, programmes: dict[str, Programme], role: str
) -> None:
    user = world.users[role]
    assert keys_of(visible_programmes(user), programmes) == SEEN[role]
    for key, programme in programmes.items():
        assert can_manage(user, programme) == (key in MANAGES.get(role, set())), key
    lists = {
        key: BeneficiaryList.objects.create(
            programme=p, file_name=f"{key}.csv", content=b"nik\n", sha256=key.lower(), enrol_on=dt.date(2026, 3, 2)
        )
        for key, p in programmes.items()
    }
    assert keys_of(visible_lists(user), lists) == SEEN[role]


def test_a_regional_officer_without_a_region_sees_and_manages_nothing(
    world: World, programmes: dict[str, Programme]
) -> None:
    user = get_user_model().objects.create(username="no_region")
    Profile.objects.create(user=user, role=Role.REGIONAL_OFFICER)
    assert not visible_programmes(user).exists()
    assert not any(can_manage(user, p) for p in programmes.values())
    branchless = get_user_model().objects.create(username="no_branch")
    Profile.objects.create(user=branchless, role=Role.BRANCH_OFFICER)
    assert not visible_programmes(branchless).exists()


def test_neither_a_provincial_award_committee_nor_a_caller_without_a_role_sees_or_manages_a_programme(
    world: World, programmes: dict[str, Programme]
) -> None:
    """An award administrator of Jawa Tengah's committee has the province in its profile, as a regional
    officer does: it is no regional government all the same."""
    committee = get_user_model().objects.create(username="award_33")
    Profile.objects.create(user=committee, role=Role.AWARD_ADMIN, region=world.regions["33"])
    plain = get_user_model().objects.create(username="plain")
    for user in (committee, plain, AnonymousUser(), None):
        assert not visible_programmes(user).exists()
        assert not visible_lists(user).exists()
        assert not any(can_manage(user, p) for p in programmes.values())


RENEWAL = {"legal_basis_number": "3 Tahun 2027", "legal_basis_date": "2027-01-04", "budget_amount": 600_000_000}


@pytest.mark.parametrize(
    ("role", "key", "refusal"),
    [
        ("province", "CILACAP", NotAllowed),  # co-funds it, reads it; Cilacap's government renews it
        ("branch", "SEMARANG", NotAllowed),  # reads the programmes of its regions, manages none
        ("city", "CILACAP", NotFound),
        ("cilacap", "PROVINCE", NotFound),
        ("hr", "SEMARANG", NotFound),
    ],
)
def test_a_refused_renewal_stores_no_programme(
    world: World, programmes: dict[str, Programme], role: str, key: str, refusal: type
) -> None:
    count = Programme.objects.count()
    with pytest.raises(refusal):
        renew_programme(world.users[role], programmes[key].pk, **RENEWAL)
    assert Programme.objects.count() == count
    assert not Programme.objects.filter(renewed_from=programmes[key]).exists()


@pytest.mark.parametrize(("role", "key"), [("cilacap", "CILACAP"), ("province", "PROVINCE"), ("admin", "SURABAYA")])
def test_an_allowed_renewal_stores_next_years_programme(
    world: World, programmes: dict[str, Programme], role: str, key: str
) -> None:
    renewed = renew_programme(world.users[role], programmes[key].pk, **RENEWAL)
    old = programmes[key]
    assert (renewed.renewed_from_id, renewed.region_id, renewed.budget_year) == (old.pk, old.region_id, 2027)
    assert renewed.budget_amount == 600_000_000
