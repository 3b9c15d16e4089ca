"""Legal parameters: dated values with their legal reference, loaded from YAML.

Each file under ``parameters/`` maps a parameter name to its unit, a description
and its values by the date they take effect. The value in force on a date is the
latest one whose effective date is on or before it; a date before the first value
is an error (:class:`ParameterNotInForce`), never a silent zero.

Units and how their values are read (so that no rate is ever a binary float):

- ``rupiah``: whole rupiah, an integer;
- ``rate``: a fraction (``"0.0024"`` is 0.24 %), read as a ``Decimal`` and required to
  be exact in parts per million (:data:`paritrana.rules.money.RATE_SCALE`);
- ``months``, ``years``, ``days``, ``count``, ``age``: integers;
- ``table``: a list of rows whose columns have their own units (``columns:``).

Each dated entry has ``value`` and ``reference`` (the regulation and article), and may have
``url`` (the official text, https), ``uncertain: true`` with ``why`` (a value that rests on
one secondary source or a derivation). No other key is accepted, so a typo is not lost.

A value may also be a mapping from a key (a risk group, an education level) to a
value of the unit.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from paritrana.rules.errors import ParameterError, ParameterNotInForce, RuleError
from paritrana.rules.money import RATE_SCALE

PARAMETERS_DIR = Path(__file__).parent / "parameters"

INTEGER_UNITS = frozenset({"rupiah", "months", "years", "days", "count", "age"})
UNITS = INTEGER_UNITS | {"rate", "table", "flag"}
ENTRY_KEYS = frozenset({"value", "reference", "url", "uncertain", "why"})


@dataclass(frozen=True)
class ParameterValue:
    """One value of a parameter and the law that sets it."""

    effective: dt.date
    value: Any
    reference: str
    uncertain: bool = False
    why: str | None = None
    url: str | None = None  # the official text of the regulation (JDIH / peraturan.bpk.go.id), where one is known

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "effective": self.effective.isoformat(),
            "value": _jsonable(self.value),
            "reference": self.reference,
        }
        if self.url:
            out["url"] = self.url
        if self.uncertain:
            out["uncertain"] = True
        if self.why:
            out["why"] = self.why  # for a certain value, a note (say, a source the value overrides)
        return out


@dataclass(frozen=True)
class Parameter:
    name: str
    unit: str
    description: str
    values: tuple[ParameterValue, ...]
    source_file: str
    columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def first_effective(self) -> dt.date:
        return self.values[0].effective

    def at(self, on: dt.date) -> ParameterValue:
        """The value in force on ``on``."""
        dates = [v.effective for v in self.values]
        i = bisect.bisect_right(dates, on) - 1
        if i < 0:
            raise ParameterNotInForce(self.name, on, self.first_effective)
        return self.values[i]

    def between(self, start: dt.date, end: dt.date) -> tuple[ParameterValue, ...]:
        """The values in force at some day of ``[start, end]``, oldest first."""
        first = self.at(start)
        return (first, *tuple(v for v in self.values if start < v.effective <= end))


class ParameterSet(Mapping[str, Parameter]):
    def __init__(self, parameters: dict[str, Parameter]) -> None:
        self._parameters = parameters

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            close = difflib.get_close_matches(name, self._parameters, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise RuleError(f"there is no parameter named {name!r}{hint}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)


# libyaml's parser where PyYAML was built with it (several times faster to read the parameter files,
# part of every command's start-up); the constructor is the safe one either way
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _UniqueKeyLoader(_SafeLoader):
    """A YAML loader that refuses a key written twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ParameterError(f"line {key_node.start_mark.line + 1}: {key!r} is written twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@functools.cache
def load_parameters(directory: Path = PARAMETERS_DIR) -> ParameterSet:
    """Every parameter file in ``directory``, read and checked once a process.

    This is the one cached set every caller shares (the rules, the bills' status, the letters, the collection
    start of a bank file's date check …): a caller asks for it each time it needs a value rather than keeping a
    copy of its own, so that :func:`forget_parameters` reaches every one.
    """
    parameters: dict[str, Parameter] = {}
    for path in sorted(directory.glob("*.yaml")):
        for name, parameter in _read_file(path).items():
            if name in parameters:
                raise ParameterError(
                    f"{path.name}: parameter {name!r} is also defined in {parameters[name].source_file}"
                )
            parameters[name] = parameter
    return ParameterSet(parameters)


def forget_parameters() -> None:
    """Read the parameter files again on the next call (a test or a tool that has rewritten them).

    The choices some rules take from a keyed parameter when they are declared (the school levels, the payers)
    stay as they were read at import.
    """
    load_parameters.cache_clear()


def load_parameter_file(path: Path) -> ParameterSet:
    """Read and check one file of dated parameters (a scenario's, say) with the rules of the law's files."""
    return ParameterSet(_read_file(path))


def load_parameter_text(text: str, source: str) -> ParameterSet:
    """Check dated parameters written as YAML text (an uploaded scenario) with the rules of the law's files;
    ``source`` names the text in messages."""
    return ParameterSet(_parse_text(text, source))


def _read_file(path: Path) -> dict[str, Parameter]:
    return _parse_text(path.read_text(encoding="utf-8"), path.name)


def _parse_text(text: str, source: str) -> dict[str, Parameter]:
    try:
        document = yaml.load(text, Loader=_UniqueKeyLoader) or {}  # a SafeLoader subclass
    except ParameterError as err:
        raise ParameterError(f"{source}: {err}") from None
    except yaml.YAMLError as err:
        raise ParameterError(f"{source}: not a YAML file ({err})") from None
    if not isinstance(document, dict):
        raise ParameterError(f"{source}: expected a mapping of parameter names")
    return {str(name): _parse_parameter(str(name), spec, source) for name, spec in document.items()}


def _parse_parameter(name: str, spec: Any, source: str) -> Parameter:
    where = f"{source}: {name}"
    if not isinstance(spec, dict):
        raise ParameterError(f"{where}: expected a mapping with unit, description and values")
    unit = spec.get("unit")
    if unit not in UNITS:
        raise ParameterError(f"{where}: unit {unit!r} is not one of {sorted(UNITS)}")
    description = spec.get("description")
    if not description:
        raise ParameterError(f"{where}: a description is required")
    columns = spec.get("columns") or {}
    if unit == "table" and (not columns or any(u not in UNITS - {"table"} for u in columns.values())):
        raise ParameterError(f"{where}: a table needs columns, each with a unit")
    raw_values = spec.get("values")
    if not isinstance(raw_values, dict) or not raw_values:
        raise ParameterError(f"{where}: values must be a non-empty mapping of dates")
    values = []
    for raw_date, entry in raw_values.items():
        effective = _parse_date(raw_date, where)
        if not isinstance(entry, dict) or "value" not in entry:
            raise ParameterError(f"{where} {effective}: expected {{value: ..., reference: ...}}")
        reference = entry.get("reference")
        if not reference or not str(reference).strip():
            raise ParameterError(f"{where} {effective}: every value needs its legal reference")
        uncertain = bool(entry.get("uncertain", False))
        why = entry.get("why")
        if uncertain and not why:
            raise ParameterError(f"{where} {effective}: an uncertain value needs a 'why'")
        url = entry.get("url")
        if url is not None and not (isinstance(url, str) and url.startswith("https://") and " " not in url):
            raise ParameterError(f"{where} {effective}: url must be one https:// address, got {url!r}")
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            raise ParameterError(f"{where} {effective}: unknown keys {sorted(unknown)}; allowed: {sorted(ENTRY_KEYS)}")
        value = _parse_value(entry["value"], unit, columns, f"{where} {effective}")
        values.append(ParameterValue(effective, value, str(reference), uncertain, why, url))
    values.sort(key=lambda v: v.effective)
    for a, b in itertools.pairwise(values):
        if a.effective == b.effective:
            raise ParameterError(f"{where}: two values take effect on {a.effective}")
    return Parameter(name, unit, str(description), tuple(values), source, dict(columns))


def _parse_date(raw: Any, where: str) -> dt.date:
    # YAML reads ``2020-01-01 10:00:00`` as a datetime (a date subclass): a value starts on a day, not an hour
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise ParameterError(f"{where}: {str(raw)!r} is not a date (YYYY-MM-DD)") from None


def _parse_value(raw: Any, unit: str, columns: Mapping[str, str], where: str) -> Any:
    if unit == "table":
        if not isinstance(raw, list) or not raw:
            raise ParameterError(f"{where}: a table value is a non-empty list of rows")
        rows = []
        for i, row in enumerate(raw):
            if not isinstance(row, dict) or set(row) != set(columns):
                raise ParameterError(f"{where}: row {i + 1} must have columns {sorted(columns)}")
            rows.append({c: _parse_scalar(row[c], columns[c], f"{where} row {i + 1} {c}") for c in columns})
        return tuple(rows)
    if isinstance(raw, dict):
        if not raw:
            raise ParameterError(f"{where}: an empty mapping")
        return {key: _parse_scalar(v, unit, f"{where} [{key}]") for key, v in raw.items()}
    return _parse_scalar(raw, unit, where)


def _parse_scalar(raw: Any, unit: str, where: str) -> Any:
    if raw is None:
        return None  # an open end of a bracket, say "no upper limit"
    if unit == "flag":
        if not isinstance(raw, bool):
            raise ParameterError(f"{where}: expected true or false, got {raw!r}")
        return raw
    if unit in INTEGER_UNITS:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ParameterError(f"{where}: {unit} must be a whole number, got {raw!r}")
        if raw < 0:
            raise ParameterError(f"{where}: {unit} cannot be negative, got {raw}")
        return raw
    if unit == "rate":
        if isinstance(raw, bool):
            raise ParameterError(f"{where}: a rate is a fraction, got {raw!r}")
        try:
            rate = Decimal(str(raw))
        except InvalidOperation:
            raise ParameterError(f"{where}: {raw!r} is not a rate") from None
        if not Decimal(0) <= rate <= Decimal(1):
            raise ParameterError(f"{where}: a rate is a fraction between 0 and 1 (0.0024 is 0.24 %), got {raw!r}")
        if (rate * RATE_SCALE) != (rate * RATE_SCALE).to_integral_value():
            raise ParameterError(f"{where}: rate {raw} is finer than one part per million")
        return rate
    raise ParameterError(f"{where}: unit {unit!r} cannot hold a scalar")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
