"""Every role against every page of the web application (rows in :mod:`web_matrix`)."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.test import Client

from paritrana.registry.models import Branch, Employer, Region, Worker
from tests.platform.matrix import ALL, Access
from tests.platform.web_matrix import ANONYMOUS, WEB
from tests.platform.world import World

_counter = itertools.count(1)
_REF = re.compile(r"\{([RB]):([^}]+)\}")


def fill(value: Any, world: World, n: int) -> Any:
    """A URL or form value with its placeholders replaced."""
    if isinstance(value, dict):
        return {k: fill(v, world, n) for k, v in value.items()}
    if not isinstance(value, str):
        return value

    def ref(m: re.Match[str]) -> str:
        kind, code = m.groups()
        model = Region if kind == "R" else Branch
        return str(model.objects.get(code=code).pk)

    return _REF.sub(ref, value).format(n=n, **world.ids())


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("row", WEB, ids=[r.id for r in WEB])
def test_web_access(row: Access, world: World) -> None:
    n = next(_counter)
    url = fill(row.url, world, n)
    client = client_for(world, row.role)
    counts = (Employer.objects.count(), Worker.objects.count())
    response = client.post(url, fill(row.body or {}, world, n)) if row.method == "POST" else client.get(url)
    assert response.status_code == row.expected, response.content.decode()[:800]
    if row.expected == 302 and row.role == ANONYMOUS and row.method == "GET":
        assert response["Location"].startswith("/login/")
    if row.method == "POST" and row.url.endswith("/new/"):
        # a refused or re-shown form stores nothing; an accepted one stores one record
        created = (Employer.objects.count(), Worker.objects.count()) != counts
        assert created == (row.expected == 302 and row.role != ANONYMOUS)


def test_every_page_is_in_the_matrix() -> None:
    """Each page of the web application has a row for every role and for the anonymous visitor."""
    from django.urls import resolve

    from paritrana.web.urls import app_name, urlpatterns

    seen: dict[str, set[str]] = {}
    for row in WEB:
        path = re.sub(r"\{[^}]+\}", "1", row.url).split("?")[0]
        match = resolve(path)
        seen.setdefault(match.view_name, set()).add(row.role)
    everyone = {*ALL, ANONYMOUS}
    for pattern in urlpatterns:
        name = f"{app_name}:{pattern.name}"  # type: ignore[union-attr]
        assert seen.get(name) == everyone, f"{name}: rows for {sorted(seen.get(name, ()))}"
