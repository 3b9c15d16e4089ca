"""A test client that sends JSON with a role's bearer token (the API tests of every package)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


class Api:
    """A Django test client that sends JSON with the role's bearer token (none: anonymous)."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, url: str, body: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers, **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method.lower())(url, **kwargs)
