"""Fixtures of the platform tests: a small world; API clients per role come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.platform.records import Shared, record_ids
from tests.platform.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(scope="module")
def shared_world(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Shared]:
    """The world, and the records its parameter names (``records.needs``), made once for the tests of a module
    that ask for it with that parameter: in an outer transaction rolled back when the module is done or the
    parameter changes. Each test's own transaction (``db``) is a savepoint inside it, so what a test writes is
    undone before the next test, which finds the world as made. (Built per test, it took most of the matrices'
    time.) Order a module's rows by the parameter, or the world is made again at each change."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            shared = Shared(world, record_ids(world, getattr(request, "param", ""), tmp_path_factory.mktemp("records")))
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield shared
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
