"""Every role against every page of the web application (rows in :mod:`web_matrix`)."""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.test import Client

from paritrana.registry.models import Branch, Region
from tests.platform.matrix import ALL, Access
from tests.platform.records import (
    Shared,
    by_records,
    changed,
    shared_world_per_test,  # noqa: F401 (the fixture "world")
    snapshot,
)
from tests.platform.web_matrix import ANONYMOUS, NOT_FOUND_ID, WEB, WEB_NOT_FOUND, WEB_REFUSED_BEFORE_LOOKUP, changes
from tests.platform.world import World

_counter = itertools.count(1)
_REF = re.compile(r"\{([RB]):([^}]+)\}")


def fill(value: Any, ids: dict[str, Any], n: int) -> Any:
    """A URL or form value with its placeholders replaced."""
    if isinstance(value, dict):
        return {k: fill(v, ids, n) for k, v in value.items()}
    if not isinstance(value, str):
        return value

    def ref(m: re.Match[str]) -> str:
        kind, code = m.groups()
        model = Region if kind == "R" else Branch
        return str(model.objects.get(code=code).pk)

    return _REF.sub(ref, value).format(n=n, **ids)


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


@by_records(WEB)
def test_web_access(row: Access, shared_world: Shared, world: World) -> None:
    n = next(_counter)
    ids = shared_world.ids
    url = fill(row.url, ids, n)
    client = client_for(world, row.role)
    before = snapshot() if row.method == "POST" else {}
    response = client.post(url, fill(row.body or {}, ids, n)) if row.method == "POST" else client.get(url)
    assert response.status_code == row.expected, response.content.decode()[:800]
    if row.expected == 302 and row.role == ANONYMOUS and row.method == "GET":
        assert response["Location"].startswith("/login/")
    if row.method != "POST" or row.url in ("/logout/", "/i18n/setlang/"):
        return
    # a refused, re-shown or sent-back form stores nothing; an accepted one (web_matrix.CHANGES) changes rows
    accepted = changes(row) and row.expected == 302 and row.role != ANONYMOUS
    difference = changed(before, snapshot())
    if accepted:
        assert difference, "an accepted form changed nothing"
    else:
        assert not difference, f"a refused or re-shown form changed {sorted(difference)}"
    if accepted and row.url.endswith("/new/"):
        assert difference & {"registry.Employer", "registry.Worker"}


def test_only_the_not_found_rows_name_a_missing_id() -> None:
    """A literal id in a URL is the not-found check (labelled); every other row names a real record through a
    placeholder (a region's code in a coverage URL is a code, not an id)."""
    literal = re.compile(r"/\d+(?=/|\?|$)")
    for row in WEB:
        if row in WEB_NOT_FOUND:
            assert str(NOT_FOUND_ID) in row.url and row.expected in (404, 302), row.id
        elif row in WEB_REFUSED_BEFORE_LOOKUP:  # 404 for the roles allowed, the others refused by role
            assert str(NOT_FOUND_ID) in row.url and row.expected in (404, 403, 302), row.id
        elif not row.url.startswith("/coverage/"):
            assert not literal.search(row.url), f"{row.id}: use a placeholder of a real record"


def test_every_page_is_in_the_matrix() -> None:
    """Each page of the web application has a row for every role and for the anonymous visitor."""
    from django.urls import resolve

    from paritrana.web.urls import app_name, urlpatterns
    from tests.platform.award_matrix import PAGES as AWARD_PAGES  # the award's pages, on the award's world

    everyone = {*ALL, ANONYMOUS}
    seen: dict[str, set[str]] = {}
    for row in [*WEB, *(r for r in AWARD_PAGES if r.role in everyone)]:
        path = re.sub(r"\{[^}]+\}", "1", row.url).split("?")[0]
        match = resolve(path)
        seen.setdefault(match.view_name, set()).add(row.role)
    for pattern in urlpatterns:
        name = f"{app_name}:{pattern.name}"  # type: ignore[union-attr]
        assert seen.get(name) == everyone, f"{name}: rows for {sorted(seen.get(name, ()))}"
