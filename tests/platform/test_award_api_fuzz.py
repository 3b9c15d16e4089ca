"""/api/award fuzzed: hypothesis draws the caller (every role, the committees, the anonymous), the endpoint, the
ids (the world's real records, missing ones, zero, negative, past the id limit) and the body (the right fields with
any JSON values, stray fields, non-objects). No answer is a 5xx; every refusal (401, 403, 404, 405, 422) leaves
the award's records as they were; only an allowed answer (2xx) may change them."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paritrana.award.models import Candidate, Computation, Round, Score, Submission
from tests.platform.award_matrix import ROLES
from tests.platform.test_award_matrix import award_world
from tests.platform.world import World

ENDPOINTS = (
    ("GET", "/api/award/rounds/{round}"),
    ("GET", "/api/award/rounds/{round}/candidates"),
    ("GET", "/api/award/rounds/{round}/panel"),
    ("POST", "/api/award/rounds/{round}/panel"),
    ("POST", "/api/award/rounds/{round}/panel/remove"),
    ("POST", "/api/award/rounds/{round}/nominations"),
    ("POST", "/api/award/nominations/self"),
    ("POST", "/api/award/rounds/{round}/close"),
    ("POST", "/api/award/rounds/{round}/rankings"),
    ("GET", "/api/award/rankings/{any}"),
    ("POST", "/api/award/rankings/{any}/publish"),
    ("GET", "/api/award/candidates/{candidate}"),
    ("GET", "/api/award/candidates/{candidate}/submissions"),
    ("GET", "/api/award/candidates/{candidate}/scores"),
    ("POST", "/api/award/candidates/{candidate}/scores"),
    ("GET", "/api/award/candidates/{candidate}/scorecard"),
)
FIELDS = ("username", "registration_number", "item", "value", "note")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
BODIES = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=4),
    st.fixed_dictionaries({"username": st.sampled_from(["t_assessor", "t_assessor2", "t_hr", "", "x" * 400])}),
    st.fixed_dictionaries({"registration_number": st.sampled_from(["33000002", "35000001", "0", "' OR 1=1 --"])}),
    st.fixed_dictionaries({"item": st.sampled_from(["interview", "regulation", "bogus"]), "value": JSON}),
    JSON,
)


def state() -> tuple[Any, ...]:
    """The award's records a request could change."""
    return (
        sorted(Round.objects.values_list("pk", "status", "published_id")),
        sorted((r.pk, u) for r in Round.objects.all() for u in r.assessors.values_list("pk", flat=True)),
        sorted(Candidate.objects.values_list("pk", "round_id", "employer_id", "region_id")),
        sorted(Score.objects.values_list("pk", "value", "item")),
        Submission.objects.count(),
        Computation.objects.count(),
    )


def test_award_api_fuzzed(world: World, api: Any) -> None:
    ids = award_world(world)
    real = {
        "round": [ids["R33"], ids["R35"], ids["RN"]],
        "candidate": [ids["C_SMG"], ids["C_CLP"], ids["C_SBY"]],
        "any": [ids["R33"], ids["C_SMG"]],
    }
    strange = st.sampled_from([0, -1, 999999, 2**31, 2**63, 10**30])
    seen: dict[int, int] = {}

    @given(
        role=st.sampled_from([*ROLES, "anonymous"]),
        endpoint=st.sampled_from(ENDPOINTS),
        pick=st.integers(0, 2),
        odd=st.one_of(st.none(), strange),
        body=BODIES,
        as_form=st.booleans(),
    )
    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(role: str, endpoint: tuple[str, str], pick: int, odd: int | None, body: Any, as_form: bool) -> None:
        method, template = endpoint
        values = {k: (odd if odd is not None else v[pick % len(v)]) for k, v in real.items()}
        url = template.format(**values)
        before = state()
        client = api(role)
        if method == "POST" and as_form:  # the fields sent as a multipart form instead of JSON
            fields = {k: str(v) for k, v in body.items()} if isinstance(body, dict) else {}
            response = client.client.post(url, fields, headers=client.headers)
        else:
            response = client.call(method, url, body if method == "POST" else None)
        code = response.status_code
        seen[code] = seen.get(code, 0) + 1
        assert code < 500, f"{role} {method} {url} {body!r}: {code} {response.content[:300]!r}"
        if code >= 400:
            assert state() == before, f"{role} {method} {url} {body!r}: refused ({code}) but changed records"

    check()
    # the draws reached both sides: refusals and allowed answers
    assert any(c >= 400 for c in seen) and any(c < 300 for c in seen), seen


def test_a_form_where_json_is_expected_is_refused(world: World, api: Any) -> None:
    """The panel's body sent as a multipart form: 415 naming the body, and nobody seated."""
    ids = award_world(world)
    before = state()
    client = api("central")
    response = client.client.post(f"/api/award/rounds/{ids['R33']}/panel", {"username": "t_assessor2"},
                                  headers=client.headers)  # fmt: skip
    assert response.status_code == 415, response.content
    assert response.json()["detail"][0]["loc"] == ["body"]
    assert state() == before
