"""A scenario's text read and checked, the reform's parameter set, and what it changes. Pure: no Django.

A scenario is written in the format of the law's parameter files (unit, description, values by date, each with
its ``reference``: the regulation and article, or ``proposed`` for a value no regulation sets yet), and names
only parameters the law has, in their unit; from a parameter's first date in the scenario its values replace
the law's (:func:`paritrana.rules.overlay.overlay`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from paritrana.rules.errors import ParameterError, ParameterNotInForce
from paritrana.rules.overlay import overlay
from paritrana.rules.parameters import Parameter, ParameterSet, load_parameter_text

PROPOSED = "proposed"
MAX_TEXT = 200_000  # characters: a scenario is a page of parameters, not a data file


@dataclass(frozen=True)
class Change:
    """One dated value the scenario sets, beside the law's value in force on that date."""

    name: str
    description: str
    unit: str
    effective: dt.date
    value: Any
    law_value: Any  # None where the law has no value in force on that date
    reference: str  # the regulation and article, or "proposed"

    @property
    def proposed(self) -> bool:
        return self.reference.strip().lower() == PROPOSED


def read(text: str, law: Mapping[str, Parameter], source: str = "scenario") -> ParameterSet:
    """The scenario's parameters, checked like the law's and against the law (names and units)."""
    if len(text) > MAX_TEXT:
        raise ParameterError(f"{source}: longer than {MAX_TEXT:,} characters")
    own = load_parameter_text(text, source)
    if not own:
        raise ParameterError(f"{source}: names no parameter")
    overlay(law, own)  # refuses a name the law does not have, or another unit
    return own


def reform(law: Mapping[str, Parameter], own: Mapping[str, Parameter]) -> ParameterSet:
    return overlay(law, own)


def changes(law: Mapping[str, Parameter], own: Mapping[str, Parameter]) -> list[Change]:
    """Every dated value of the scenario with the law's value on the same date, by name then date."""
    out = []
    for name in sorted(own):
        parameter = own[name]
        for v in parameter.values:
            try:
                before = law[name].at(v.effective).value
            except ParameterNotInForce:
                before = None
            out.append(Change(name, law[name].description, parameter.unit, v.effective, v.value, before, v.reference))
    return out
