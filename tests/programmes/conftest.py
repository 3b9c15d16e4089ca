"""Fixtures of the programme tests: the platform's small world (tests/platform/world.py), an officer of
Kabupaten Cilacap besides the one of Kota Semarang, and a programme in each regency."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from paritrana.accounts.models import ApiToken, Profile, Role
from paritrana.programmes.models import Programme
from paritrana.programmes.services.programmes import create_programme
from tests.platform.world import World, build_world
from tests.programmes.progkit import PROGRAMME


@pytest.fixture
def world(db: None) -> World:
    w = build_world()
    user = get_user_model()(username="t_cilacap")
    user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, role=Role.REGIONAL_OFFICER, region=w.regions["33.01"])
    w.users["cilacap"] = user
    w.tokens["cilacap"] = ApiToken.issue(user, name="test")[1]
    return w


@pytest.fixture
def semarang(world: World) -> Programme:
    return create_programme(world.users["city"], name="Perlindungan Pekerja Rentan Kota Semarang", **PROGRAMME)


@pytest.fixture
def cilacap(world: World) -> Programme:
    data = {**PROGRAMME, "legal_basis_type": "perbup", "province_share_bp": 3000}
    return create_programme(world.users["cilacap"], name="Jaminan Sosial Pekerja Rentan Cilacap", **data)
