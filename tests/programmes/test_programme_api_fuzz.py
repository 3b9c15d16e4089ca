"""Property-based requests to the programme endpoints (schemathesis, from the OpenAPI document) as the
officer who manages a programme: no 5xx answer, no answer that breaks the schema. The platform's
test_schemathesis.py covers every endpoint as an administrator and a branch officer."""

from __future__ import annotations

from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from world import World

from paritrana.programmes.models import Programme

# Django's application itself: the production entry point (paritrana.site.wsgi) refuses the tests' settings
application = get_wsgi_application()

CHECKS = [not_a_server_error, response_schema_conformance]
PATHS = ("/api/programmes", "/api/beneficiary-lists", "/api/follow-up")


def test_programme_endpoints_never_fail(world: World, semarang: Programme) -> None:
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    failures: list[str] = []
    checked = []
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        for result in schema.get_all_operations():
            operation = result.ok()
            if not operation.path.startswith(PATHS):
                continue
            checked.append(operation.label)

            @given(case=operation.as_strategy())
            @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def check(case: Any) -> None:
                case.call_and_validate(headers={"Authorization": f"Bearer {world.tokens['city']}"}, checks=CHECKS)

            try:
                check()
            except Exception as err:
                failures.append(f"{operation.label}: {err}")
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    assert len(checked) == 10, checked  # every programme endpoint
    assert not failures, "\n\n".join(failures)
