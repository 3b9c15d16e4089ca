"""The compliance follow-up list: the signs of partial registration, by role and region."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.contributions.services.status import set_minimum_wage
from paritrana.core.errors import NotAllowed
from paritrana.programmes.services.compliance import Sign, follow_up
from paritrana.registry.models import Membership
from tests.platform.world import World

MONTH = dt.date(2025, 3, 1)


def test_signs_and_scope(world: World) -> None:
    # E33 (Kota Semarang, medium): W33PU has JKK only (JKM, JHT, JP missing); E33B and E35 have no wage earner
    set_minimum_wage(None, "33.74", dt.date(2025, 1, 1), 3_454_827, "Kepgub Jateng 561/57/2024")
    rows = {r.compliance.employer.registration_number: r for r in follow_up(world.users["admin"], MONTH).rows}
    assert set(rows) == {"33000001", "33000002", "35000001"}
    assert rows["33000001"].signs == (Sign.BELOW_MINIMUM, Sign.MISSING_PROGRAMME)  # 3,000,000 < 3,454,827
    assert rows["33000002"].signs == (Sign.NO_WORKERS,)
    # the city officer sees its own employer only; Cilacap's its own; the province both of Jawa Tengah
    assert [r.compliance.employer.registration_number for r in follow_up(world.users["city"], MONTH).rows] == [
        "33000001"
    ]
    assert {r.compliance.employer.registration_number for r in follow_up(world.users["province"], MONTH).rows} == {
        "33000001",
        "33000002",
    }
    assert [
        r.compliance.employer.registration_number for r in follow_up(world.users["admin"], MONTH, "33.01").rows
    ] == ["33000002"]
    for role in ("hr", "worker", "heir", "assessor"):
        with pytest.raises(NotAllowed):
            follow_up(world.users[role], MONTH)


def test_a_compliant_employer_is_not_listed(world: World) -> None:
    for p in ("JKM", "JHT", "JP"):
        Membership.objects.create(worker=world.workers["W33PU"], programme=p, start=dt.date(2024, 1, 1))
    names = [r.compliance.employer.registration_number for r in follow_up(world.users["city"], MONTH).rows]
    assert names == []  # no minimum wage recorded, every programme given
