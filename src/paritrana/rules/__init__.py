"""Rules as code: dated, referenced parameters and vectorised formulas.

This package imports nothing from Django or the database.

>>> from paritrana.rules import compute_one
>>> compute_one("pu_contributions", "2024-05-01", {"wage": 5_000_000, "risk_group": 1}).outputs["jkk"]
12000
"""

from paritrana.rules.base import Field, Rule, all_rules, get_rule
from paritrana.rules.engine import (
    Result,
    TableRun,
    compute_one,
    compute_records,
    prepare,
    read_file,
)
from paritrana.rules.errors import InvalidInput, ParameterNotInForce, RuleError, UnknownRule
from paritrana.rules.parameters import Parameter, ParameterValue, load_parameters

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
