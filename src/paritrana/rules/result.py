"""The result of a rule on one record, with what it rests on (pure: no engine imported)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def explain_only(self) -> bool: ...


class RuleShape(Protocol):
    """What a result reads of its rule (``base.Rule``, or a stored plan's copy of its fields)."""

    @property
    def name(self) -> str: ...
    @property
    def inputs(self) -> Sequence[Named]: ...
    @property
    def outputs(self) -> Sequence[Named]: ...


@dataclass
class Explanation:
    """What a result rests on: each parameter used, and the intermediate values."""

    parameters: list[dict[str, Any]] = field(default_factory=list)
    intermediate: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"parameters": self.parameters, "intermediate": self.intermediate}


@dataclass
class Result:
    """A rule's outputs for one record under the law of ``date``, and their explanation."""

    rule: str
    date: dt.date
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    explanation: Explanation

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "date": self.date.isoformat(),
            "inputs": {k: _plain(v) for k, v in self.inputs.items()},
            "outputs": {k: _plain(v) for k, v in self.outputs.items()},
        }
        if explain:
            out["explanation"] = {
                "parameters": self.explanation.parameters,
                "intermediate": {k: _plain(v) for k, v in self.explanation.intermediate.items()},
            }
        return out


def result_of(rule: RuleShape, date: dt.date, row: Mapping[str, Any], parameters: list[dict[str, Any]]) -> Result:
    outputs = {f.name: row[f.name] for f in rule.outputs if not f.explain_only}
    intermediate = {f.name: row[f.name] for f in rule.outputs if f.explain_only}
    values = {f.name: row[f.name] for f in rule.inputs}
    return Result(rule.name, date, values, outputs, Explanation(parameters, intermediate))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
