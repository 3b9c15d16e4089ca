"""Domain error messages in the user's language: ``paritrana.core.messages`` (shared with the API)."""

from __future__ import annotations

from paritrana.core.messages import TEMPLATES, translate_message

__all__ = ["TEMPLATES", "translate_message"]
