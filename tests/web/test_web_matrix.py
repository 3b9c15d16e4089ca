"""Every role (and an anonymous visitor) against every page of the web application.

Allowed pages answer 200; pages of a role's own kind but outside its scope (another region's,
company's or worker's record by id) answer 404, as if the record did not exist; pages the role
may not use at all answer 403; an anonymous visitor is sent to the log-in page.
The API's matrix is in tests/platform; this is the pages' side of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

ROLES = ("admin", "branch_officer", "regional_officer", "employer_hr", "worker", "heir", "assessor")
ANON = "anonymous"

World = dict[str, Any]


@dataclass(frozen=True)
class Page:
    label: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    # what a signed-in role that is not allowed gets: 404 for records outside its scope, 403 for pages it may not use
    refused: int
    method: str = "GET"
    body: Callable[[World], dict[str, Any]] | None = None


def emp(name: str) -> Callable[[World], int]:
    return lambda w: w["employers"][name].pk


def wrk(name: str) -> Callable[[World], int]:
    return lambda w: w["workers"][name].pk


ALL = frozenset(ROLES)
LISTERS = frozenset({"admin", "branch_officer", "regional_officer", "employer_hr", "assessor"})
SEARCHERS = frozenset({"admin", "branch_officer", "regional_officer", "employer_hr"})
EMPLOYER_WRITERS = frozenset({"admin", "branch_officer"})
WORKER_WRITERS = frozenset({"admin", "branch_officer", "employer_hr"})

# The world (tests/web_world.py): province 32 (Kota Bandung, branch BDG, PT Tekstil Priangan, its worker Asih
# with her heir Budi) and province 33 (Kota Semarang, branch SMG, CV Batik Semarang, the BPU fisher Joko).
# The branch officer serves Bandung, the regional officer is Jawa Barat's, employer HR is PT Tekstil's,
# the worker is Asih, the heir is Budi.
PAGES: list[Page] = [
    Page("home", lambda w: "/", ALL, 403),
    Page("employers", lambda w: "/employers/", LISTERS, 403),
    Page("employers-search", lambda w: "/employers/?q=PT", LISTERS, 403),
    Page(
        "employer-own-region",
        lambda w: f"/employers/{emp('tekstil')(w)}/",
        frozenset({"admin", "branch_officer", "regional_officer", "employer_hr"}),
        404,
    ),
    Page("employer-other-region", lambda w: f"/employers/{emp('batik')(w)}/", frozenset({"admin"}), 404),
    Page("employer-absent", lambda w: "/employers/999999/", frozenset(), 404),
    Page("register-employer", lambda w: "/employers/new/", EMPLOYER_WRITERS, 403),
    Page("workers", lambda w: "/workers/", SEARCHERS, 403),
    Page("workers-by-nik", lambda w: "/workers/?q=3273", SEARCHERS, 403),
    Page("workers-by-name", lambda w: "/workers/?q=asih", SEARCHERS, 403),
    Page(
        "worker-own",
        lambda w: f"/workers/{wrk('asih')(w)}/",
        frozenset({"admin", "branch_officer", "regional_officer", "employer_hr", "worker", "heir"}),
        404,
    ),
    Page("worker-other-region", lambda w: f"/workers/{wrk('joko')(w)}/", frozenset({"admin"}), 404),
    Page("worker-absent", lambda w: "/workers/999999/", frozenset(), 404),
    Page("register-worker", lambda w: "/workers/new/", WORKER_WRITERS, 403),
    Page(
        "register-worker-own-employer",
        lambda w: f"/workers/new/?employer={emp('tekstil')(w)}",
        WORKER_WRITERS,
        403,
    ),
    Page("calculator", lambda w: "/calculator/", ALL, 403),
    Page("calculator-rule", lambda w: "/calculator/pu_contributions/", ALL, 403),
    Page(
        "calculator-compute",
        lambda w: "/calculator/pu_contributions/?date=2024-05-01&wage=5000000&risk_group=1",
        ALL,
        403,
    ),
    Page("calculator-unknown-rule", lambda w: "/calculator/no_such_rule/", frozenset(), 404),
]


def expected(page: Page, role: str) -> frozenset[int]:
    if role == ANON:
        return frozenset({302})
    return frozenset({200}) if role in page.allowed else frozenset({page.refused})


# A few rows whose refusal differs by role: a record outside a role's scope on a page the role may use.
OVERRIDES: dict[tuple[str, str], frozenset[int]] = {
    # the roles tied to one record, and the assessor, may not register anyone: 403 before any lookup
    **{
        ("register-worker-other-employer", r): frozenset({403})
        for r in ("regional_officer", "worker", "heir", "assessor")
    },
    ("register-worker-other-employer", "admin"): frozenset({200}),
    ("register-worker-other-employer", "branch_officer"): frozenset({404}),
    ("register-worker-other-employer", "employer_hr"): frozenset({404}),
    ("register-worker-other-employer", ANON): frozenset({302}),
}
OTHER_EMPLOYER = Page(
    "register-worker-other-employer", lambda w: f"/workers/new/?employer={emp('batik')(w)}", frozenset(), 404
)

CASES = [(page, role) for page in [*PAGES, OTHER_EMPLOYER] for role in (*ROLES, ANON)]


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != ANON:
        client.force_login(world["users"][role])
    return client


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{role}-{page.label}" for page, role in CASES])
def test_page_access(world: World, page: Page, role: str) -> None:
    want = OVERRIDES.get((page.label, role)) or expected(page, role)
    url = page.url(world)
    response = client_for(world, role).get(url)
    assert response.status_code in want, f"{role} GET {url}: {response.status_code}, expected {sorted(want)}"
    if response.status_code == 302:
        assert response["Location"].startswith("/login/?next="), response["Location"]


def test_login_page_is_open_and_signed_in_users_go_home(world: World) -> None:
    assert Client().get("/login/").status_code == 200
    for role in ROLES:
        response = client_for(world, role).get("/login/")
        assert response.status_code == 302 and response["Location"] == "/", role


@pytest.mark.parametrize("role", [*ROLES, ANON])
def test_language_switch_answers_everyone(world: World, role: str) -> None:
    response = client_for(world, role).post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_every_page_of_the_site_is_in_the_matrix() -> None:
    """A new page in paritrana.web.urls needs its rows here."""
    from paritrana.web.urls import urlpatterns

    covered = {"", "login/", "logout/", "employers/", "employers/new/", "employers/<int:pk>/", "workers/"}
    covered |= {"workers/new/", "workers/<int:pk>/", "calculator/", "calculator/<slug:name>/"}
    assert {str(p.pattern) for p in urlpatterns} <= covered
