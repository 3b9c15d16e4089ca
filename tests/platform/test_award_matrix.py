"""The award's rows of the access matrix (award_matrix.py) through the API and the pages, on real objects."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from paritrana.accounts.models import ApiToken, Profile, Role
from paritrana.award.models import Candidate, Round
from paritrana.award.services import editions, submissions
from tests.platform.award_matrix import (
    API,
    NOT_FOUND_API,
    NOT_FOUND_ID,
    NOT_FOUND_PAGES,
    PAGES,
    PANEL_API,
    PANEL_PAGES,
)
from tests.platform.matrix import Access
from tests.platform.records import Shared
from tests.platform.world import World

PDF = b"%PDF-1.4\n%%EOF\n"


def award_world(world: World) -> dict[str, Any]:
    """The edition, its rounds and candidates, and the three committees (tokens added to the world)."""
    for name, region in (("central", None), ("committee33", "33"), ("committee35", "35")):
        user = get_user_model()(username=f"t_{name}")
        user.set_unusable_password()  # no Argon2 hash per row: the rows sign in by token or force_login
        user.save()
        Profile.objects.create(user=user, role=Role.AWARD_ADMIN, region=world.regions[region] if region else None)
        world.users[name] = user
        world.tokens[name] = ApiToken.issue(user, name="test")[1]
    assessor2 = get_user_model()(username="t_assessor2")
    assessor2.set_unusable_password()
    assessor2.save()
    Profile.objects.create(user=assessor2, role=Role.ASSESSOR)
    today = dt.date.today()
    edition = editions.create_edition(world.users["central"], today.year, today - dt.timedelta(days=1),
                                      today + dt.timedelta(days=1))  # fmt: skip
    r33 = Round.objects.get(edition=edition, province__code="33")
    r33.assessors.add(world.users["assessor"])
    smg = Candidate.objects.get(round=r33, region__code="33.74")
    sub = submissions.submit(world.users["city"], smg.pk, "regulation", "Perwali", "p.pdf", PDF, number="1/2026",
                             issued_on=today)  # fmt: skip
    return {
        "R33": r33.pk,
        "R35": Round.objects.get(edition=edition, province__code="35").pk,
        "RN": Round.objects.get(edition=edition, tier="national").pk,
        "C_SMG": smg.pk,
        "C_CLP": Candidate.objects.get(round=r33, region__code="33.01").pk,
        "C_SBY": Candidate.objects.get(region__code="35.78").pk,
        "S_SMG": sub.pk,
        "E": edition.pk,
    }


@pytest.fixture(scope="module")
def award_ids(shared_world: Shared, django_db_blocker: Any) -> dict[str, Any]:
    """The award's records, made once on the module's world (conftest.shared_world), undone with it."""
    with django_db_blocker.unblock():
        return award_world(shared_world.world)


@pytest.fixture
def world(shared_world: Shared, award_ids: dict[str, Any], db: None) -> World:
    """The module's one world with the award's records, each test's writes undone after it."""
    return shared_world.world


@pytest.mark.parametrize("row", API, ids=[r.id for r in API])
def test_award_api_access(row: Access, award_ids: dict[str, Any], api: Any) -> None:
    ids = award_ids
    url = row.url.format(**ids)
    response = api(row.role).call(row.method, url, row.body)
    assert response.status_code == row.expected, response.content.decode()[:500]


@pytest.mark.parametrize("row", PAGES, ids=[r.id for r in PAGES])
def test_award_page_access(row: Access, world: World, award_ids: dict[str, Any]) -> None:
    ids = award_ids
    client = Client()
    if row.role != "anonymous":
        client.force_login(world.users[row.role])
    url = row.url.format(**ids)
    response = client.post(url, row.body or {}) if row.method == "POST" else client.get(url)
    # the pages send the anonymous to the log-in, but for the public results
    expected = 302 if row.role == "anonymous" and row.expected != 200 else row.expected
    assert response.status_code == expected, response.content.decode()[:300]


def test_public_results_page_needs_no_sign_in(world: World) -> None:
    assert Client().get("/award/results/").status_code == 200


def test_only_the_not_found_rows_name_a_missing_id() -> None:
    """A literal id in a URL is the labelled not-found check; every other row names a real record."""
    literal = re.compile(r"/\d+(?=/|\?|$|\.)")
    for row in [*API, *PAGES]:
        if row in NOT_FOUND_API or row in NOT_FOUND_PAGES:
            assert str(NOT_FOUND_ID) in row.url and row.expected in (401, 404), row.id
        else:
            assert not literal.search(row.url), f"{row.id}: use a placeholder of a real record"


def _panels_and_candidates() -> tuple[set[tuple[int, str]], set[tuple[int, int]]]:
    seated = {(r.pk, u.username) for r in Round.objects.prefetch_related("assessors") for u in r.assessors.all()}
    companies = set(Candidate.objects.filter(employer__isnull=False).values_list("round_id", "employer_id"))
    return seated, companies


@pytest.mark.parametrize("row", [*PANEL_API, *PANEL_PAGES], ids=[r.id for r in [*PANEL_API, *PANEL_PAGES]])
def test_panel_and_nomination_rows_change_only_what_is_allowed(
    row: Access, world: World, award_ids: dict[str, Any], api: Any
) -> None:
    """Allowed: the panel or the candidates changed as asked (one assessor, one company); refused: nothing."""
    ids = award_ids
    before = _panels_and_candidates()
    url = row.url.format(**ids)
    if url.startswith("/api/"):
        response = api(row.role).call(row.method, url, row.body)
    else:
        client = Client()
        if row.role != "anonymous":
            client.force_login(world.users[row.role])
        response = client.post(url, row.body or {})
    after = _panels_and_candidates()
    allowed = row.expected in (200, 201, 302) and row.role != "anonymous"
    if not allowed:
        assert response.status_code in (401, 403, 404, 302), response.status_code
        assert after == before
        return
    seated = after[0] ^ before[0]
    added = after[1] - before[1]
    if url.endswith(("/unseat/", "/remove")):
        assert seated == {(ids["R33"], "t_assessor")} and added == set()
    elif url.endswith(("/seat/", "/panel")):
        assert seated == {(ids["R33"], "t_assessor2")} and added == set()
    else:
        employer = {"33000002": "E33B", "35000001": "E35"}.get((row.body or {}).get("registration_number", ""), "E33")
        round_ = ids["R35"] if employer == "E35" else ids["R33"]
        assert seated == set() and added == {(round_, world.employers[employer].pk)}
