"""The registry's scopes (accounts/scopes.py) on real records that cross the lines: an employer of Surabaya
registered at the Central Java branch, one of Semarang at the East Java branch, a worker living in Surabaya
employed in Semarang and one living in Semarang employed in Surabaya. Each role's rows are written out by
hand from "Who sees what" (docs/architecture.md); each refused write leaves the record as it was, each allowed
one changes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from paritrana.accounts.models import Profile, Role
from paritrana.accounts.scopes import (
    can_view_employer,
    can_view_worker,
    can_write_employers,
    can_write_workers,
    role_of,
    scope_regions,
    visible_employers,
    visible_regions,
    visible_workers,
)
from paritrana.core.errors import NotAllowed, NotFound
from paritrana.registry.models import Employer, Region, Worker
from paritrana.registry.services import update_employer, update_worker
from tests.platform.world import World, keys_of, worker

NOBODY = ("assessor", "analyst")  # no registry record at all


@pytest.fixture
def crossed(world: World) -> World:
    """Four records across the two branches' lines, added to the platform's world."""
    r, e = world.regions, world.employers
    common = {"sector": "manufacturing", "size_class": "medium", "risk_group": 2}
    e["E35AT33"] = Employer.objects.create(  # in Surabaya, registered at the Central Java branch
        registration_number="35000009",
        name="PT Surabaya Cabang 33",
        region=r["35.78"],
        branch=world.branches["KC-33"],
        **common,
    )
    e["E33AT35"] = Employer.objects.create(  # in Semarang, registered at the East Java branch
        registration_number="33000009",
        name="PT Semarang Cabang 35",
        region=r["33.74"],
        branch=world.branches["KC-35"],
        **common,
    )
    born = dt.date(1985, 5, 5)
    world.workers["W35AT33"] = worker(  # lives in Surabaya, employed by PT Semarang (KC-33)
        "W35AT33", "35.78.01", "F", born, 7, occupation="employee", region=r["35.78"], scheme="PU", employer=e["E33"]
    )
    world.workers["W33AT35"] = worker(  # lives in Semarang, employed by PT Surabaya (KC-35)
        "W33AT35", "33.74.01", "M", born, 8, occupation="employee", region=r["33.74"], scheme="PU", employer=e["E35"]
    )
    for key in ("W35AT33", "W33AT35"):
        world.workers[key].wage = 3_500_000
        world.workers[key].save()
    return world


WORKERS_SEEN = {
    "admin": {"W33PU", "W33CITY", "W33BPU", "W35", "W35AT33", "W33AT35"},
    # its regions (Semarang, Cilacap) and below, and the workers of the employers registered at the branch
    "branch": {"W33PU", "W33CITY", "W33BPU", "W35AT33", "W33AT35"},
    "province": {"W33PU", "W33CITY", "W33BPU", "W33AT35"},  # where the worker lives, not where it works
    "city": {"W33PU", "W33CITY", "W33AT35"},
    "hr": {"W33PU", "W35AT33"},  # its company's workers, wherever they live
    "worker": {"W33BPU"},
    "heir": {"W33PU"},
    "assessor": set(),
    "analyst": set(),
}
EMPLOYERS_SEEN = {
    "admin": {"E33", "E33B", "E35", "E35AT33", "E33AT35"},
    "branch": {"E33", "E33B", "E35AT33", "E33AT35"},  # registered at the branch, or in its regions
    "province": {"E33", "E33B", "E33AT35"},
    "city": {"E33", "E33AT35"},
    "hr": {"E33"},
    "worker": set(),
    "heir": set(),
    "assessor": set(),
    "analyst": set(),
}
SEMARANG = {"33.74", "33.74.01"}
CILACAP = {"33.01", "33.01.01"}
REGIONS_SCOPED = {
    "branch": SEMARANG | CILACAP,  # the regions the branch serves and below, not the province above them
    "province": {"33"} | SEMARANG | CILACAP,
    "city": SEMARANG,
}


@pytest.mark.parametrize("role", sorted(WORKERS_SEEN))
def test_each_role_sees_the_workers_and_employers_written_out_for_it(crossed: World, role: str) -> None:
    user = crossed.users[role]
    assert keys_of(visible_workers(user), crossed.workers) == WORKERS_SEEN[role]
    assert keys_of(visible_employers(user), crossed.employers) == EMPLOYERS_SEEN[role]
    for key, obj in crossed.workers.items():
        assert can_view_worker(user, obj) == (key in WORKERS_SEEN[role]), key
    for key, obj in crossed.employers.items():
        assert can_view_employer(user, obj) == (key in EMPLOYERS_SEEN[role]), key


@pytest.mark.parametrize("role", sorted(WORKERS_SEEN))
def test_the_regions_of_personal_data_and_the_public_list_of_regions(crossed: World, role: str) -> None:
    user = crossed.users[role]
    every = set(Region.objects.values_list("code", flat=True))
    expected = every if role == "admin" else REGIONS_SCOPED.get(role, set())
    assert set(scope_regions(user).values_list("code", flat=True)) == expected
    assert set(visible_regions(user).values_list("code", flat=True)) == every  # public reference data


def _user(name: str, **kw: Any) -> Any:
    return get_user_model().objects.create(username=name, **kw)


def test_without_a_role_no_region_no_record_and_no_write(crossed: World) -> None:
    plain = _user("plain")  # signed in, no profile, not a superuser
    for user in (plain, AnonymousUser(), None):
        assert role_of(user) is None
        assert not visible_regions(user).exists()
        assert not visible_workers(user).exists()
        assert not can_write_employers(user) and not can_write_workers(user)
    root = _user("root", is_superuser=True)  # a superuser without a profile counts as an administrator
    assert role_of(root) == Role.ADMIN and can_write_employers(root) and can_write_workers(root)
    assert visible_regions(root).count() == Region.objects.count()


def test_a_profile_of_a_role_not_tied_to_a_record_reads_its_role(crossed: World) -> None:
    user = _user("analyst2")
    Profile.objects.create(user=user, role=Role.POLICY_ANALYST)
    assert role_of(user) == Role.POLICY_ANALYST
    assert visible_regions(user).count() == Region.objects.count() and not visible_workers(user).exists()


@pytest.mark.parametrize("role", sorted(WORKERS_SEEN))
def test_who_may_write_employers_and_workers(crossed: World, role: str) -> None:
    user = crossed.users[role]
    assert can_write_employers(user) == (role in ("admin", "branch"))
    assert can_write_workers(user) == (role in ("admin", "branch", "hr"))


def _worker_row(key: str, world: World) -> tuple[Any, ...]:
    return tuple(Worker.objects.filter(pk=world.workers[key].pk).values_list("name", "wage", "employer_id").get())


def _employer_row(key: str, world: World) -> tuple[Any, ...]:
    return tuple(Employer.objects.filter(pk=world.employers[key].pk).values_list("name", "branch_id").get())


@pytest.mark.parametrize(
    ("role", "key", "refusal"),
    [
        ("hr", "W35", NotFound),  # another company's worker: as if absent
        ("hr", "W33AT35", NotFound),  # lives in the HR's city, works elsewhere
        ("city", "W35AT33", NotFound),  # works in the city, lives in Surabaya
        ("branch", "W35", NotFound),  # another branch's worker in another region
        ("city", "W33PU", NotAllowed),  # seen, but a regional officer does not change workers
        ("worker", "W33BPU", NotAllowed),  # itself: seen, not written
        ("heir", "W33PU", NotAllowed),
    ],
)
def test_a_refused_worker_change_changes_nothing(crossed: World, role: str, key: str, refusal: type) -> None:
    before = _worker_row(key, crossed)
    with pytest.raises(refusal):
        update_worker(crossed.users[role], crossed.workers[key].pk, name="Changed Name", wage=9_000_000)
    assert _worker_row(key, crossed) == before


@pytest.mark.parametrize(("role", "key"), [("branch", "W35AT33"), ("branch", "W33AT35"), ("hr", "W35AT33")])
def test_an_allowed_worker_change_is_stored(crossed: World, role: str, key: str) -> None:
    update_worker(crossed.users[role], crossed.workers[key].pk, name="Nama Baru", wage=4_100_000)
    name, wage, _ = _worker_row(key, crossed)
    assert (name, wage) == ("Nama Baru", 4_100_000)


@pytest.mark.parametrize(
    ("role", "key", "refusal"),
    [
        ("hr", "E33B", NotFound),
        ("branch", "E35", NotFound),
        ("city", "E33", NotAllowed),  # seen: its region's employer, not its to change
        ("province", "E33AT35", NotAllowed),
    ],
)
def test_a_refused_employer_change_changes_nothing(crossed: World, role: str, key: str, refusal: type) -> None:
    before = _employer_row(key, crossed)
    with pytest.raises(refusal):
        update_employer(crossed.users[role], crossed.employers[key].pk, name="PT Lain")
    assert _employer_row(key, crossed) == before


@pytest.mark.parametrize("key", ["E35AT33", "E33AT35"])
def test_the_branch_changes_an_employer_it_sees_across_the_line(crossed: World, key: str) -> None:
    update_employer(crossed.users["branch"], crossed.employers[key].pk, name="PT Nama Baru")
    assert _employer_row(key, crossed)[0] == "PT Nama Baru"
