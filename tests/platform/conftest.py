"""Fixtures of the platform tests: a small world and API clients per role."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


class Api:
    """A test client that sends JSON with the role's bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, url: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method.lower())(url, **kwargs)


@pytest.fixture
def api(world: World) -> Any:
    def for_role(role: str) -> Api:
        return Api(world.tokens.get(role))

    return for_role
