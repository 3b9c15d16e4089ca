"""What a rule is: named inputs and outputs, and one vectorised formula.

A formula is a function ``(ctx, t) -> {output name: column expression}`` over an
Ibis table ``t`` holding the inputs. It never loops over rows, so the same
definition evaluates a one-row table (one worker, one claim) and a national batch.
Parameters come from ``ctx``, which gives the value in force on the date of each
row and remembers which parameters were used, for the explanation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

from paritrana.rules.errors import UnknownRule
from paritrana.rules.money import integer, rate_ppm
from paritrana.rules.parameters import Parameter, ParameterSet
from paritrana.rules.values import DTYPES, Field, words


def rupiah(name: str, description: str, explain_only: bool = False) -> Field:
    """An amount of money in whole rupiah (an output or an intermediate value)."""
    return Field(name, "int64", description, explain_only=explain_only)


def whole(
    name: str, description: str, *, default: int | None = None, minimum: int = 0, maximum: int | None = None
) -> Field:
    """An input that is a whole number, at least zero unless said (rupiah, months, a count)."""
    return Field(name, "int64", description, default=default, minimum=minimum, maximum=maximum)


def yes_no(name: str, description: str, *, default: bool | None = None) -> Field:
    """A yes/no input (``default`` when left out) or output."""
    return Field(name, "bool", description, default=default)


def day(name: str, description: str, *, explain_only: bool = False) -> Field:
    """A date: an input the rule needs, or an output."""
    return Field(name, "date", description, explain_only=explain_only)


@dataclass(frozen=True)
class Check:
    """A condition across inputs that makes a record invalid: ``violated(t)`` is true.

    With ``uses_law=True`` the condition also depends on the law of the row's date
    and is called as ``violated(t, ctx)`` (e.g. "no crediting rate was declared for
    that year"); the parameters it reads appear in the explanation.
    """

    field: str
    violated: Callable[..., ir.BooleanValue]
    message: str
    uses_law: bool = False


Formula = Callable[["Context", ir.Table], Mapping[str, ir.Value]]


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    reference: str
    inputs: tuple[Field, ...]
    outputs: tuple[Field, ...]
    formula: Formula
    checks: tuple[Check, ...] = ()
    group: str = ""

    def input(self, name: str) -> Field:
        for f in self.inputs:
            if f.name == name:
                return f
        raise KeyError(name)

    def describe(self) -> dict[str, Any]:
        def fields(fs: Sequence[Field]) -> list[dict[str, Any]]:
            out = []
            for f in fs:
                d: dict[str, Any] = {"name": f.name, "type": f.dtype, "description": f.description}
                if not f.required:
                    d["default"] = f.default.isoformat() if isinstance(f.default, dt.date) else f.default
                if f.minimum is not None:
                    d["minimum"] = f.minimum
                if f.maximum is not None:
                    d["maximum"] = f.maximum
                if f.choices is not None:
                    d["choices"] = list(f.choices)
                if f.explain_only:
                    d["intermediate"] = True
                out.append(d)
            return out

        return {
            "name": self.name,
            "title": self.title,
            "reference": self.reference,
            "group": self.group,
            "inputs": fields(self.inputs),
            "outputs": fields(self.outputs),
        }


RULES: dict[str, Rule] = {}


def rule(
    name: str,
    *,
    title: str,
    inputs: Sequence[Field],
    outputs: Sequence[Field],
    checks: Sequence[Check] = (),
    group: str = "",
) -> Callable[[Formula], Formula]:
    """Register a formula as a rule; its docstring's first line is the legal reference."""

    def register(formula: Formula) -> Formula:
        if name in RULES:
            raise ValueError(f"rule {name!r} is defined twice")
        reference = (formula.__doc__ or "").strip().splitlines()[0] if formula.__doc__ else ""
        if not reference:
            raise ValueError(f"rule {name!r} needs a docstring citing its articles")
        RULES[name] = Rule(name, title, reference, tuple(inputs), tuple(outputs), formula, tuple(checks), group)
        return formula

    return register


def get_rule(name: str) -> Rule:
    from paritrana.rules import formulas  # noqa: F401  (registers every rule)

    try:
        return RULES[name]
    except KeyError:
        raise UnknownRule(name, list(RULES)) from None


def all_rules() -> list[Rule]:
    from paritrana.rules import formulas  # noqa: F401

    return sorted(RULES.values(), key=lambda r: (r.group, r.name))


class Context:
    """Parameters in force on the date of each row, and a record of the ones used."""

    def __init__(
        self, parameters: ParameterSet, on: dt.date | ir.DateValue, within: tuple[dt.date, dt.date] | None = None
    ) -> None:
        self.parameters = parameters
        self.on = on
        # a date column's first and last dates when known (a scenario's months): a parameter is then read only over
        # them, one value where one is in force throughout (the SQL as short as for one date), else a CASE of those
        self.within = within
        self.used: dict[str, Parameter] = {}
        self.months_ahead = 0  # the formula also read the law of this many months after each row's date

    def months_later(self, months: int) -> Context:
        """The law ``months`` after each row's date (a period paid in advance).

        It shares this context's record of the parameters used, and the explanation
        then covers the values in force up to that later date.
        """
        within = self.within and (add_months(self.within[0], months), add_months(self.within[1], months))
        later = Context(self.parameters, add_months(self.on, months), within)
        later.used = self.used
        self.months_ahead = max(self.months_ahead, months)
        return later

    @property
    def scalar_date(self) -> dt.date | None:
        return self.on if isinstance(self.on, dt.date) else None

    def parameter(self, name: str) -> Parameter:
        p = self.parameters[name]
        self.used[name] = p
        return p

    def versioned(self, name: str, build: Callable[[Any], ir.Value]) -> ir.Value:
        """``build(value)`` for the value in force on each row's date.

        With one date for the whole table this is ``build`` of one value; with a
        date column it is a CASE over the parameter's history, newest first (over the
        values in force ``within`` its dates when they are known; one value: ``build`` of it).
        """
        p = self.parameter(name)
        if isinstance(self.on, dt.date):
            return build(p.at(self.on).value)
        values = p.between(*self.within) if self.within else p.values
        if self.within and len(values) == 1:
            return build(values[0].value)
        on = self.on
        branches = [(on >= ibis.literal(v.effective), build(v.value)) for v in reversed(values)]
        return ibis.cases(*branches)

    def amount(self, name: str, key: ir.Value | None = None) -> ir.IntegerValue:
        """An integer parameter (rupiah, months, years …), optionally by key."""
        return self._lookup(name, key, integer)

    def rate(self, name: str, key: ir.Value | None = None) -> ir.IntegerValue:
        """A rate parameter in integer parts per million, optionally by key."""
        return self._lookup(name, key, lambda v: integer(rate_ppm(Decimal(v))))

    def flag(self, name: str, key: ir.Value | None = None) -> ir.BooleanValue:
        return self._lookup(name, key, lambda v: ibis.literal(bool(v), type="boolean"))

    def value(self, name: str) -> Any:
        """The Python value in force on the table's single date (scalar dates only)."""
        p = self.parameter(name)
        if not isinstance(self.on, dt.date):
            raise TypeError(f"{name}: use versioned() when the date is a column")
        return p.at(self.on).value

    def _lookup(self, name: str, key: ir.Value | None, literal: Callable[[Any], ir.Value]) -> Any:
        def build(value: Any) -> ir.Value:
            if key is None:
                if isinstance(value, dict):
                    raise TypeError(f"parameter {name} is keyed: pass a key")
                return literal(value)
            if not isinstance(value, dict):
                raise TypeError(f"parameter {name} is not keyed")
            return ibis.cases(*((key == k, literal(v)) for k, v in value.items()))

        return self.versioned(name, build)


def add_months(on: dt.date | ir.DateValue, months: int) -> Any:
    """The same day ``months`` later (the last day of a shorter month), for a date or a date column."""
    if months == 0:
        return on
    if isinstance(on, dt.date):
        year, month = divmod(on.year * 12 + on.month - 1 + months, 12)
        next_year, next_month = divmod(year * 12 + month + 1, 12)
        last_day = (dt.date(next_year, next_month + 1, 1) - dt.timedelta(days=1)).day
        return dt.date(year, month + 1, min(on.day, last_day))
    return (on + ibis.interval(months=months)).cast("date")


def keys_of(parameters: ParameterSet, name: str) -> tuple[Any, ...]:
    """The keys of a keyed parameter over its whole history (for input choices)."""
    keys: dict[Any, None] = {}
    for v in parameters[name].values:
        if isinstance(v.value, dict):
            keys.update(dict.fromkeys(v.value))
    return tuple(keys)


__all__ = [
    "DTYPES",
    "Check",
    "Context",
    "Field",
    "Rule",
    "all_rules",
    "day",
    "get_rule",
    "keys_of",
    "rule",
    "rupiah",
    "whole",
    "words",
    "yes_no",
]
