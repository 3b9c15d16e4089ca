"""Legal test cases: YAML files a non-programmer can read and extend.

A file holds a list of cases (or ``{cases: [...]}``)::

    - name: JKK risk group I on a wage of Rp5,000,000
      rule: pu_contributions
      date: 2024-05-01
      inputs: {wage: 5000000, risk_group: 1}
      expected: {jkk: 12000}
      source: "PP 44/2015 art 16(1)(a): 0.24 % of 5,000,000 = 12,000"

A refusal expects an error instead of outputs::

      error: {field: risk_group, contains: "not one of"}

``error`` may also name a parameter (``parameter: jp.wage_cap``) for a date
before the law. Only the outputs listed under ``expected`` are compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from paritrana.rules.engine import compute_one
from paritrana.rules.errors import InvalidInput, ParameterNotInForce, RuleError

CASE_KEYS = {"name", "rule", "date", "inputs", "expected", "error", "source", "note"}


@dataclass
class LegalCase:
    name: str
    rule: str
    date: dt.date
    inputs: dict[str, Any]
    source: str
    file: Path
    expected: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return f"{self.file.stem}::{self.name}"


@dataclass
class Outcome:
    case: LegalCase
    passed: bool
    differences: list[tuple[str, Any, Any]]  # (what, expected, got)


class CaseFileError(RuleError):
    pass


def load_cases(paths: Iterable[Path]) -> list[LegalCase]:
    cases: list[LegalCase] = []
    for path in _yaml_files(paths):
        with path.open(encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        items = document.get("cases") if isinstance(document, dict) else document
        if not isinstance(items, list):
            raise CaseFileError(f"{path}: expected a list of cases")
        for i, item in enumerate(items, start=1):
            cases.append(_parse_case(item, path, i))
    names = [c.id for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise CaseFileError(f"case names must be unique within a file: {sorted(duplicates)}")
    return cases


def _yaml_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.yaml"))
        elif path.exists():
            yield path
        else:
            raise CaseFileError(f"{path} does not exist")


def _parse_case(item: Any, path: Path, index: int) -> LegalCase:
    where = f"{path.name} case {index}"
    if not isinstance(item, dict):
        raise CaseFileError(f"{where}: expected a mapping")
    unknown = set(item) - CASE_KEYS
    if unknown:
        raise CaseFileError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("name", "rule", "date", "inputs", "source"):
        if key not in item:
            raise CaseFileError(f"{where}: {key!r} is required")
    if ("expected" in item) == ("error" in item):
        raise CaseFileError(f"{where}: give either 'expected' outputs or an 'error'")
    if not str(item["source"]).strip():
        raise CaseFileError(f"{where}: 'source' must say where the expected figure comes from")
    raw_date = item["date"]
    date = raw_date if isinstance(raw_date, dt.date) else dt.date.fromisoformat(str(raw_date))
    return LegalCase(
        name=str(item["name"]),
        rule=str(item["rule"]),
        date=date,
        inputs=dict(item["inputs"] or {}),
        source=str(item["source"]),
        file=path,
        expected=dict(item.get("expected") or {}),
        error=item.get("error"),
    )


def run_case(case: LegalCase) -> Outcome:
    try:
        result = compute_one(case.rule, case.date, case.inputs)
    except RuleError as err:
        return _check_error(case, err)
    if case.error is not None:
        return Outcome(case, False, [("error", case.error, "no error")])
    got = {**result.outputs, **result.explanation.intermediate}
    diffs = []
    for key, want in case.expected.items():
        have = got.get(key, "<not an output>")
        if _normalise(have) != _normalise(want):
            diffs.append((key, want, have))
    return Outcome(case, not diffs, diffs)


def _check_error(case: LegalCase, err: RuleError) -> Outcome:
    if case.error is None:
        return Outcome(case, False, [("error", "none", str(err))])
    diffs: list[tuple[str, Any, Any]] = []
    want_field = case.error.get("field")
    if want_field is not None and (not isinstance(err, InvalidInput) or err.field != want_field):
        diffs.append(("error field", want_field, getattr(err, "field", type(err).__name__)))
    want_parameter = case.error.get("parameter")
    if want_parameter is not None and (not isinstance(err, ParameterNotInForce) or err.name != want_parameter):
        diffs.append(("error parameter", want_parameter, getattr(err, "name", type(err).__name__)))
    contains = case.error.get("contains")
    if contains is not None and str(contains).lower() not in str(err).lower():
        diffs.append(("error message", f"…{contains}…", str(err)))
    return Outcome(case, not diffs, diffs)


def _normalise(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
