"""A set of dated parameters overridden by another from the other's first date (a reform scenario over the law,
a projection's scenario over its assumptions). Pure: no Django."""

from __future__ import annotations

from collections.abc import Mapping

from paritrana.rules.errors import ParameterError
from paritrana.rules.parameters import Parameter, ParameterSet


def overlay(base: Mapping[str, Parameter], override: Mapping[str, Parameter]) -> ParameterSet:
    """``base`` with each parameter of ``override`` taking over from its first date (the unit must agree): the
    values before that date are kept, the override's replace the rest."""
    merged = dict(base)
    for name, new in override.items():
        old = merged.get(name)
        if old is None:
            raise ParameterError(f"{new.source_file}: {name!r} is neither an assumption nor a parameter of the law")
        if old.unit != new.unit or dict(old.columns) != dict(new.columns):
            raise ParameterError(f"{new.source_file}: {name!r} must keep the unit {old.unit!r} (and its columns)")
        kept = tuple(v for v in old.values if v.effective < new.first_effective)
        merged[name] = Parameter(name, old.unit, old.description, kept + new.values, new.source_file, old.columns)
    return ParameterSet(merged)
