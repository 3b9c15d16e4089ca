"""The texts the rules show people besides their declarations: the law's parameters by their names in words, and
the refusal reasons a rule's outputs can give (literal texts inside its formula).

The web layer writes them into the generated catalogue for gettext (``web/rule_catalogue.py``), and the pages
and the API translate them as they show them (``core/rule_words.py``), under the contexts named here; nothing here
knows a language.
"""

from __future__ import annotations

import ibis
import ibis.expr.operations as ops

from paritrana.rules.base import Context, Rule, words
from paritrana.rules.errors import RuleError
from paritrana.rules.parameters import ParameterSet

# the gettext contexts of the rules' short texts (one word may be an input, an output or a choice)
LABEL_CONTEXT = "calculator input"
OUTPUT_CONTEXT = "rule output"
CHOICE_CONTEXT = "rule choice"
PARAMETER_CONTEXT = "law parameter"


def parameter_title(name: str) -> str:
    """A parameter by its name in words: ``jp.min_contribution_months`` is "JP min contribution months"."""
    return words(name.replace(".", "_"))


def refusals(rule: Rule, parameters: ParameterSet) -> tuple[str, ...]:
    """Every text a rule's string outputs can take (its refusal reasons), once each.

    The formula is built, not run, on an empty table of its inputs, under the law of each date a parameter
    changes (a branch may exist only under some law); the texts are the literal results of its CASE expressions.
    """
    table = ibis.table({f.name: f.dtype for f in rule.inputs}, name="inputs")
    texts = [f.name for f in rule.outputs if f.dtype == "string"]
    if not texts:
        return ()
    seen: dict[str, None] = {}
    dates = [max(v.effective for p in parameters.values() for v in p.values)]  # today's law first …
    for on in dates:
        law = Context(parameters, on)
        try:
            outputs = rule.formula(law, table)
        except RuleError:  # a parameter not yet in force on this date
            continue
        for name in texts:
            for case in outputs[name].op().find(ops.SearchedCase):
                seen.update(dict.fromkeys(_texts(case)))
        if len(dates) == 1:  # … then the law of each date a parameter it reads changes
            dates += sorted({v.effective for p in law.used.values() for v in p.values} - {on})
    return tuple(seen)


def _texts(case: ops.SearchedCase) -> list[str]:
    results = (*case.results, case.default)
    return [r.value for r in results if isinstance(r, ops.Literal) and isinstance(r.value, str) and r.value]


__all__ = ["parameter_title", "refusals"]
