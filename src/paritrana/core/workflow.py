"""What the pure workflow modules share (claims, beneficiary lists): why an action is refused.

No Django: each workflow is unit-tested without a database.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """Why an action is refused: the person or role (403), or the state of the thing acted on (its status: an
    answer naming the field)."""

    PERSON = "person"
    STATE = "state"
