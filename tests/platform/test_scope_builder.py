"""The scope builder (accounts.scopes.scoped): every row for an administrator, the rows of the role's rule
otherwise, and nothing for a role without a rule, a user without a profile, or a profile without its link."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from paritrana.accounts.models import Profile, Role
from paritrana.accounts.scopes import by_profile, scope_regions, scoped, visible_employers, visible_workers
from paritrana.registry.models import Employer, Region, Worker
from tests.platform.world import World


def _user(name: str, role: str | None = None, **scope: Any) -> Any:
    user = get_user_model().objects.create(username=name)
    if role is not None:
        Profile.objects.create(user=user, role=role, **scope)
    return user


def test_the_administrator_sees_every_row_and_a_superuser_without_profile_counts_as_one(world: World) -> None:
    root = get_user_model().objects.create(username="root", is_superuser=True)
    for user in (world.users["admin"], root):
        assert set(visible_employers(user)) == set(Employer.objects.all())
        assert visible_workers(user).count() == Worker.objects.count() == 4
        assert scope_regions(user).count() == Region.objects.count()


def test_each_role_sees_the_rows_its_rule_picks(world: World) -> None:
    w = world.workers
    assert set(visible_workers(world.users["worker"])) == {w["W33BPU"]}  # me
    assert set(visible_workers(world.users["heir"])) == {w["W33PU"]}  # the worker I am heir of
    assert set(visible_workers(world.users["hr"])) == {w["W33PU"]}  # my employer's
    assert set(visible_employers(world.users["hr"])) == {world.employers["E33"]}
    assert set(visible_workers(world.users["city"])) == {w["W33PU"], w["W33CITY"]}  # my region and below
    assert set(visible_workers(world.users["province"])) == {w["W33PU"], w["W33CITY"], w["W33BPU"]}
    assert set(visible_workers(world.users["branch"])) == {w["W33PU"], w["W33CITY"], w["W33BPU"]}  # my territory
    assert set(scope_regions(world.users["branch"]).values_list("code", flat=True)) >= {"33.74", "33.01"}
    assert not scope_regions(world.users["branch"]).filter(code__startswith="35").exists()


def test_a_role_without_a_rule_sees_nothing(world: World) -> None:
    for name in ("assessor", "analyst"):
        assert not visible_workers(world.users[name]).exists()
        assert not visible_employers(world.users[name]).exists()
    assert not scope_regions(world.users["worker"]).exists()


def test_no_profile_or_a_profile_without_its_link_sees_nothing(world: World) -> None:
    nobody = _user("no_profile")
    for user in (nobody, AnonymousUser(), None):
        assert not visible_workers(user).exists()
        assert not scope_regions(user).exists()
    regional = _user("no_region", Role.REGIONAL_OFFICER)
    assert not visible_workers(regional).exists()
    assert not visible_employers(regional).exists()
    assert not scope_regions(regional).exists()
    assert not visible_workers(_user("no_worker", Role.WORKER)).exists()
    assert not visible_workers(_user("no_employer", Role.EMPLOYER_HR)).exists()
    branchless = _user("no_branch", Role.BRANCH_OFFICER)
    assert not visible_workers(branchless).exists()
    by_branch = {Role.BRANCH_OFFICER: by_profile("employer__branch_id", "branch_id")}
    assert not scoped(Worker.objects.all(), branchless, by_branch).exists()
    assert set(scoped(Worker.objects.all(), world.users["branch"], by_branch)) == {world.workers["W33PU"]}


def test_scoped_applies_a_rule_declared_for_a_new_model(world: World) -> None:
    # regions "of my employer" for employer HR: a rule is a field and the profile's attribute
    rules = {Role.EMPLOYER_HR: by_profile("employers__hr_users__user", "user_id")}
    assert set(scoped(Region.objects.all(), world.users["hr"], rules)) == {world.regions["33.74"]}
    assert not scoped(Region.objects.all(), world.users["worker"], rules).exists()
    assert scoped(Region.objects.all(), world.users["admin"], rules).count() == Region.objects.count()
