"""Domain errors of the rules layer: each carries a message for a person."""

from __future__ import annotations

import datetime as dt


class RuleError(Exception):
    """Base of every error the rules raise; ``str(err)`` is meant for a person."""


class UnknownRule(RuleError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"there is no rule named {name!r}; known rules: {', '.join(sorted(known))}")


class InvalidInput(RuleError):
    """An input value that the law cannot be applied to; names the field (and row)."""

    def __init__(self, field: str, message: str, row: int | None = None) -> None:
        self.field = field
        self.row = row
        self.reason = message
        where = f"row {row}, " if row is not None else ""
        super().__init__(f"{where}field {field!r}: {message}")


class ParameterError(RuleError):
    """A parameter file is malformed (raised when the files are loaded)."""


class ParameterNotInForce(RuleError):
    """Asked for a parameter on a date before its first value took effect."""

    def __init__(self, name: str, on: dt.date, first: dt.date) -> None:
        self.name = name
        self.on = on
        self.first = first
        super().__init__(
            f"parameter {name!r} has no value in force on {on.isoformat()}: "
            f"its first value takes effect on {first.isoformat()}"
        )
