"""Fixtures of the contributions tests: the platform's small world (tests/platform/world.py) and API clients per role."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "platform"))

from world import World, build_world

from paritrana.registry.models import Membership, Sponsor

JOINED = dt.date(2024, 1, 1)


def enrol_for_contributions(w: World) -> World:
    """Make the world billable: wage earners in JKK, JKM, JHT, JP and JKP; self-paid W33BPU in JKK, JKM, JHT;
    W33CITY sponsored (JKK, JKM) by Kota Semarang's programme. Every worker already has JKK from 2024-01-01."""
    for key in ("W33PU", "W35"):
        for programme in ("JKM", "JHT", "JP", "JKP"):
            Membership.objects.create(worker=w.workers[key], programme=programme, start=JOINED)
    for programme in ("JKM", "JHT"):
        Membership.objects.create(worker=w.workers["W33BPU"], programme=programme, start=JOINED)
    Membership.objects.create(worker=w.workers["W33CITY"], programme="JKM", start=JOINED)
    sponsor = Sponsor.objects.create(
        kind=Sponsor.Kind.REGIONAL_PROGRAMME, name="Program Kota Semarang", region=w.regions["33.74"]
    )
    w.workers["W33CITY"].sponsor = sponsor
    w.workers["W33CITY"].save()
    return w


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())


class Api:
    """A test client that sends JSON with the role's bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, url: str, body: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers, **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method.lower())(url, **kwargs)


@pytest.fixture
def api(world: World) -> Any:
    def for_role(role: str) -> Api:
        return Api(world.tokens.get(role))

    return for_role
