"""Domain errors of every use case (registry, contributions, claims, programmes, award); each message is meant
for a person. Pure Python (no Django), so the rules-side checks such as the NIK can raise them too; the API
(api/errors.py) and the pages (web/errors.py) each turn them into answers in one place.
"""

from __future__ import annotations


class RegistryError(Exception):
    """Base of the registry's domain errors."""


class NotAllowed(RegistryError):
    """The caller's role or scope does not allow this action (HTTP 403; a form error on a page)."""


class NotFound(RegistryError):
    """The record does not exist or is outside the caller's scope (HTTP 404)."""


class ValidationFailed(RegistryError):
    """A value that cannot be stored: ``field`` names it, ``reason`` says why."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}")
