"""Registry use cases: one transaction each, scope checks, errors naming the field, history."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry import services
from paritrana.registry.models import Heir, Membership, Worker
from tests.platform.world import World

BPU = {
    "nik": "3301014101950001",
    "name": "Ibu Tani",
    "birth_date": dt.date(1995, 1, 1),
    "sex": "F",
    "occupation": "farmer",
    "region": "33.01",
    "scheme": "BPU",
    "wage": 1_000_000,
}


def test_register_bpu_worker_with_memberships_heirs_and_history(world: World) -> None:
    user = world.users["branch"]
    worker = services.register_worker(user, heirs=[{"name": "Pak Tani", "relation": "spouse"}], **BPU)
    assert worker.region.code == "33.01"
    assert sorted(m.programme for m in worker.memberships.all()) == ["JKK", "JKM"]
    assert [(h.relation, h.rank) for h in worker.heirs.all()] == [("spouse", 1)]
    history = worker.history.all()
    assert history.count() == 1
    assert history[0].history_user == user
    services.update_worker(user, worker.pk, name="Ibu Tani Baru")
    assert worker.history.count() == 2
    assert worker.history.first().history_user == user


def test_a_failing_registration_leaves_nothing(world: World) -> None:
    before = (Worker.objects.count(), Membership.objects.count(), Heir.objects.count())
    with pytest.raises(ValidationFailed) as err:
        # the worker and its memberships are valid; the second heir is not: nothing is stored
        services.register_worker(
            world.users["admin"],
            heirs=[{"name": "Pak Tani", "relation": "spouse"}, {"name": "X", "relation": "cousin"}],
            **BPU,
        )
    assert err.value.field == "heirs.2.relation"
    assert (Worker.objects.count(), Membership.objects.count(), Heir.objects.count()) == before
    assert Worker.history.filter(nik=BPU["nik"]).count() == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nik": "3301014101950"}, "nik", "has 13 digits; it needs 16"),
        ({"nik": "3301010101950001"}, "nik", "says male, but the recorded sex is female"),
        ({"wage": -1}, "wage", "must be at least 0"),
        ({"region": "99.99"}, "region", "region code 99.99 does not exist"),
        ({"scheme": "XYZ"}, "scheme", "XYZ is not one of: PU, BPU"),
        ({"birth_date": dt.date(2999, 1, 1)}, "birth_date", "is in the future"),
        ({"name": "  "}, "name", "is required"),
        ({"employer": 1}, "employer", "a non-wage earner (BPU) registers individually, without an employer"),
        ({"region": "35.78"}, "region", "the region of domicile is not served by your branch"),
    ],
)
def test_bad_values_name_the_field(world: World, change: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.register_worker(world.users["branch"], **{**BPU, **change})
    assert err.value.field == field
    assert message in err.value.reason


def test_duplicate_nik(world: World) -> None:
    services.register_worker(world.users["admin"], **BPU)
    with pytest.raises(ValidationFailed, match="already registered"):
        services.register_worker(world.users["admin"], **BPU)


def test_roles_that_may_not_write(world: World) -> None:
    for role in ("province", "city", "worker", "heir", "assessor", "analyst"):
        with pytest.raises(NotAllowed):
            services.register_worker(world.users[role], **BPU)
        with pytest.raises(NotAllowed):
            services.register_employer(
                world.users[role],
                registration_number="1",
                name="x",
                sector="x",
                size_class="small",
                risk_group=1,
                region="33.01",
            )


def test_employer_hr_registers_its_own_wage_earners_only(world: World) -> None:
    pu = {**BPU, "scheme": "PU", "nik": "3374014101950002", "region": "33.74"}
    worker = services.register_worker(world.users["hr"], employer=world.employers["E33"].pk, **pu)
    assert worker.employer == world.employers["E33"]
    with pytest.raises(ValidationFailed, match="own company only"):
        services.register_worker(
            world.users["hr"], **{**pu, "nik": "3374014101950003", "employer": world.employers["E35"].pk}
        )


def test_out_of_scope_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        services.get_worker(world.users["branch"], world.workers["W35"].pk)
    with pytest.raises(NotFound):
        services.update_worker(world.users["branch"], world.workers["W35"].pk, name="x")
    with pytest.raises(NotFound):
        services.update_employer(world.users["hr"], world.employers["E35"].pk, name="x")


def test_branch_officer_registers_employers_of_its_branch(world: World) -> None:
    data = {
        "registration_number": "77000001",
        "name": "PT Baru",
        "sector": "trade",
        "size_class": "small",
        "risk_group": 1,
    }
    employer = services.register_employer(world.users["branch"], region="33.01", **data)
    assert employer.branch.code == "KC-33"
    with pytest.raises(ValidationFailed) as err:
        services.register_employer(world.users["branch"], region="35.78", **{**data, "registration_number": "77000002"})
    assert err.value.field == "region"
    with pytest.raises(ValidationFailed) as err:
        services.register_employer(world.users["admin"], region="33.01", **data)
    assert err.value.field == "registration_number"


def test_an_heirs_nik_is_optional_and_checked_when_given(world: World) -> None:
    worker = services.register_worker(
        world.users["admin"], heirs=[{"name": "Anak", "relation": "child", "nik": "3301010101150001"}], **BPU
    )
    assert worker.heirs.get().nik == "3301010101150001"
    with pytest.raises(ValidationFailed) as err:
        services.register_worker(
            world.users["admin"],
            heirs=[{"name": "Anak", "relation": "child", "nik": "33010101"}],
            **{**BPU, "nik": "3301014101950002"},
        )
    assert err.value.field == "heirs.1.nik"
    assert "has 8 digits" in err.value.reason
