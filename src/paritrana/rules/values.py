"""Values of a rule's inputs in their fields' types, refused with :class:`InvalidInput` naming the field.

Pure Python (no Ibis, no DuckDB, no pyarrow): a single record is coerced here, also when its result comes
from a plan stored on disk (:mod:`~paritrana.rules.one_stored`), where importing the engine is most of the
time of a command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from paritrana.rules.errors import InvalidInput

DATE_COLUMN = "date"
KIND = {"int64": "a whole number", "date": "a date (YYYY-MM-DD)", "bool": "true or false", "string": "a value"}


DTYPES = ("int64", "bool", "date", "string")

# Abbreviations written in capitals when a key is put in words (programmes, payer kinds, school levels, contracts).
ABBREVIATIONS = frozenset({"jht", "jkk", "jkm", "jkp", "jp", "bpu", "pu", "phk", "pkwt", "sd", "smp", "sma", "tk"})


def words(key: str) -> str:
    """A key in words, the default title of an output or a choice: ``jkp_from_jkm`` is "JKP from JKM"."""
    return " ".join(w.upper() if w in ABBREVIATIONS else w for w in key.split("_"))


@dataclass(frozen=True)
class Field:
    """An input or output of a rule."""

    name: str
    dtype: str
    description: str
    default: Any = None
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[Any, ...] | None = None
    explain_only: bool = False  # an intermediate value: shown with --explain
    title: str = ""  # the name in words shown to people (an output's); by default the name put in words

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", words(self.name))
        if self.dtype not in DTYPES:
            raise ValueError(f"field {self.name}: dtype {self.dtype!r} is not one of {DTYPES}")
        if self.default is not None:
            object.__setattr__(self, "required", False)

    def choice_titles(self) -> dict[str, str]:
        """The titles of the input's choices by their codes (a code in words); none for a number or no choice."""
        codes = (c for c in self.choices or () if isinstance(c, str) and c)
        return {code: words(code) for code in codes}


class RuleLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def inputs(self) -> Sequence[Field]: ...


# Bounds of any input: a whole number beyond the platform's money bound (10^13 rupiah; or a field's own larger
# maximum, e.g. a contract value) or a date outside these years is a mistake, and refused naming the field before it
# reaches the engine (an int64 overflows at 2^63, and a wage times a rate well before).
MAX_WHOLE = 10**13
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def whole_bounds(f: Field) -> tuple[int, int]:
    """The lowest and highest whole number an input takes at all (the checks of a file refuse beyond them too)."""
    highest = max(MAX_WHOLE, f.maximum if f.maximum is not None else 0)
    lowest = min(-MAX_WHOLE, f.minimum if f.minimum is not None else 0)
    return lowest, highest


def at_most(highest: int) -> str:
    """The refusal of a whole number above ``highest`` (the value given is added as ``(got …)``)."""
    return f"must be at most {highest:,}"


def at_least(lowest: int) -> str:
    return f"must be at least {lowest:,}"


def beyond(f: Field, value: int) -> str:
    """Why a whole number beyond ``f``'s bounds is refused, with the value: the words of one record and of a file."""
    lowest, highest = whole_bounds(f)
    return f"{at_most(highest)} (got {value:,})" if value > highest else f"{at_least(lowest)} (got {value:,})"


def _whole_in_bounds(f: Field, value: int) -> int:
    lowest, highest = whole_bounds(f)
    if not lowest <= value <= highest:
        raise InvalidInput(f.name, beyond(f, value))
    return value


def _date_in_bounds(f: Field, value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise InvalidInput(f.name, f"must be between {FIRST_DATE} and {LAST_DATE} (got {value})")
    return value


def coerce(f: Field, raw: Any) -> Any:
    """A Python or text value of an input, in the field's type (``InvalidInput`` if it is not)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if f.required:
            raise InvalidInput(f.name, "is required")
        return f.default
    if f.dtype == "int64":
        if isinstance(raw, bool):
            raise InvalidInput(f.name, f"expected a whole number, got {raw!r}")
        if isinstance(raw, int):
            return _whole_in_bounds(f, raw)
        text = str(raw).strip().replace("_", "")[:40]
        try:
            return _whole_in_bounds(f, int(text))
        except ValueError:
            raise InvalidInput(f.name, f"expected a whole number, got {str(raw)[:40]!r}") from None
    if f.dtype == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "y", "ya", "benar"}:
            return True
        if text in {"0", "false", "no", "n", "tidak", "salah"}:
            return False
        raise InvalidInput(f.name, f"expected true or false, got {raw!r}")
    if f.dtype == "date":
        if isinstance(raw, dt.datetime):
            return _date_in_bounds(f, raw.date())
        if isinstance(raw, dt.date):
            return _date_in_bounds(f, raw)
        try:
            value = dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise InvalidInput(f.name, f"expected a date YYYY-MM-DD, got {str(raw)[:40]!r}") from None
        return _date_in_bounds(f, value)
    return str(raw)


def parse_date(raw: Any, name: str = DATE_COLUMN) -> dt.date:
    return coerce(Field(name, "date", "date"), raw)


def coerced(rule: RuleLike, records: Sequence[Mapping[str, Any]]) -> tuple[dict[str, list[Any]], list[Any] | None]:
    """Each input's values in its field's type, and the records' dates (None when none carries one)."""
    known = {f.name: f for f in rule.inputs}
    columns: dict[str, list[Any]] = {f.name: [] for f in rule.inputs}
    has_date = any(DATE_COLUMN in r for r in records)
    dates: list[Any] = []
    for i, record in enumerate(records, start=1):
        row = i if len(records) > 1 else None
        unknown = set(record) - set(known) - {DATE_COLUMN}
        if unknown:
            name = sorted(unknown)[0]
            raise InvalidInput(name, f"is not an input of rule {rule.name} (inputs: {', '.join(known)})", row=row)
        try:
            for f in rule.inputs:
                columns[f.name].append(coerce(f, record.get(f.name)))
            if has_date:  # then every record needs one (a record without: its row named)
                dates.append(parse_date(record.get(DATE_COLUMN)))
        except InvalidInput as err:
            raise InvalidInput(err.field, err.reason, row=row) from None
    return columns, dates if has_date else None
