"""Who sees which payers: the scope rules of contributions/scopes.py, refusals included."""

from __future__ import annotations

from paritrana.contributions.payers import payer_of, payer_party
from paritrana.contributions.scopes import visible_jht_accounts, visible_payers
from tests.platform.world import World


def test_each_worker_is_billed_to_the_party_the_law_names(world: World) -> None:
    w = world.workers
    assert payer_party(w["W33PU"]) == world.employers["E33"]
    assert payer_party(w["W33BPU"]) == w["W33BPU"]
    assert payer_party(w["W33CITY"]) == w["W33CITY"].sponsor


def test_payers_are_seen_only_within_scope(world: World) -> None:
    payers = {key: payer_of(payer_party(world.workers[key])) for key in ("W33PU", "W35", "W33BPU", "W33CITY")}
    seen = {role: set(visible_payers(world.users[role])) for role in world.users}
    assert seen["admin"] == set(payers.values())
    assert seen["branch"] == {payers["W33PU"], payers["W33BPU"], payers["W33CITY"]}
    assert seen["hr"] == {payers["W33PU"]}
    assert seen["worker"] == {payers["W33BPU"]}
    assert seen["city"] == {payers["W33CITY"]}
    assert seen["province"] == set()  # the sponsor is the city's programme, not the province's
    assert seen["heir"] == set()
    assert seen["assessor"] == set()


def test_jht_accounts_are_the_workers_own(world: World) -> None:
    assert list(visible_jht_accounts(world.users["worker"])) == [world.workers["W33BPU"]]
    assert list(visible_jht_accounts(world.users["heir"])) == [world.workers["W33PU"]]
    for role in ("hr", "province", "city", "assessor"):
        assert not visible_jht_accounts(world.users[role]).exists(), role
