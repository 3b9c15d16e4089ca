"""Rules as code: dated, referenced parameters and vectorised formulas.

This package imports nothing from Django or the database. Its names are imported on first use
(PEP 562), so that ``paritrana.rules.errors`` or ``paritrana.rules.money`` can be imported without
the engine (Ibis, DuckDB, pyarrow: most of a command's start-up).

>>> from paritrana.rules import compute_one
>>> compute_one("pu_contributions", "2024-05-01", {"wage": 5_000_000, "risk_group": 1}).outputs["jkk"]
12000
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paritrana.rules.base import Field, Rule, all_rules, get_rule
    from paritrana.rules.engine import Result, TableRun, compute_one, compute_records, prepare, read_file
    from paritrana.rules.errors import InvalidInput, ParameterNotInForce, RuleError, UnknownRule
    from paritrana.rules.parameters import Parameter, ParameterValue, load_parameters

_MODULE_OF = {
    "Field": "base",
    "Rule": "base",
    "all_rules": "base",
    "get_rule": "base",
    "Result": "engine",
    "TableRun": "engine",
    "compute_one": "engine",
    "compute_records": "engine",
    "prepare": "engine",
    "read_file": "engine",
    "InvalidInput": "errors",
    "ParameterNotInForce": "errors",
    "RuleError": "errors",
    "UnknownRule": "errors",
    "Parameter": "parameters",
    "ParameterValue": "parameters",
    "load_parameters": "parameters",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Field",
    "InvalidInput",
    "Parameter",
    "ParameterNotInForce",
    "ParameterValue",
    "Result",
    "Rule",
    "RuleError",
    "TableRun",
    "UnknownRule",
    "all_rules",
    "compute_one",
    "compute_records",
    "get_rule",
    "load_parameters",
    "prepare",
    "read_file",
]
