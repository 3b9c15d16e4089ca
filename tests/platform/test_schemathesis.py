"""Property-based requests from the OpenAPI document: no 5xx answer, no answer that breaks the schema.

Runs in-process (WSGI) inside the test transaction, as the agency administrator (who reaches
every endpoint) and as a branch officer (whose scope refuses other regions' records by id).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from world import World

# Django's application itself: the production entry point (paritrana.site.wsgi) refuses the tests' settings
application = get_wsgi_application()


CHECKS = [not_a_server_error, response_schema_conformance]


def run_operations(token: str, max_examples: int) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        try:
            check()
        except Exception as err:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {err}")
    return failures


@pytest.mark.parametrize(("role", "examples"), [("admin", 25), ("branch", 10)])
def test_api_never_fails_or_breaks_its_schema(world: World, role: str, examples: int) -> None:
    # As Django's test client does: keep the test's connection (and transaction) open between requests.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        failures = run_operations(world.tokens[role], examples)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    assert not failures, "\n\n".join(failures)
