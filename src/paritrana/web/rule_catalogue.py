"""The rules' texts for translation, taken from the rules themselves (decision 0019).

gettext extracts only literal strings, and the rules declare their titles, input and output descriptions, the
titles of their outputs and of their inputs' choices in ``paritrana.rules`` (pure Python, no Django). ``python -m paritrana.web.rule_catalogue`` (or ``./dev messages``)
writes them, one literal each, into ``core/rules_catalogue.py`` (read by the pages and the API alike), which ``makemessages`` then reads; a test fails
when that file is not what the rules give now. The pages translate the texts with ``gettext`` as they show them,
an input's label (its name in words) with ``pgettext("calculator input", …)``, an output's title with
``pgettext("rule output", …)``, a choice's with ``pgettext("rule choice", …)``, a parameter of the law by its
name in words with ``pgettext("law parameter", …)``; the refusal reasons a rule's outputs can give (found in its
formula, ``rules.texts``) are texts of their own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from paritrana.projection.assumptions import baseline
from paritrana.rules import all_rules, load_parameters
from paritrana.rules.texts import (
    CHOICE_CONTEXT,
    LABEL_CONTEXT,
    OUTPUT_CONTEXT,
    PARAMETER_CONTEXT,
    parameter_title,
    refusals,
)

TARGET = Path(__file__).parent.parent / "core" / "rules_catalogue.py"
# The region data's attribution (``registry.regiondata.ATTRIBUTION``, pure), shown in every page's footer.
ATTRIBUTION = "Region codes and names: idn-area-data 4.0.1 © Fityan (fityannugroho) and contributors, ODbL 1.0"


def rule_texts() -> list[str]:
    """Every rule's title and its inputs' and outputs' descriptions, once each, in the rules' order."""
    seen: dict[str, None] = {}
    for rule in all_rules():
        for text in (rule.title, *(f.description for f in (*rule.inputs, *rule.outputs))):
            seen.setdefault(text, None)
    return list(seen)


def input_labels() -> list[str]:
    """Every rule input's label (``calculator_forms.field_label``: its name in words), once each."""
    seen: dict[str, None] = {}
    for rule in all_rules():
        for f in rule.inputs:
            seen.setdefault(f.name.replace("_", " "), None)
    return list(seen)


def output_titles() -> list[str]:
    """Every rule output's title (``Field.title``), once each."""
    seen: dict[str, None] = {}
    for rule in all_rules():
        for f in rule.outputs:
            seen.setdefault(f.title, None)
    return list(seen)


def choice_titles() -> list[str]:
    """Every title of a rule input's choices (``Field.choice_titles``), once each."""
    seen: dict[str, None] = {}
    for rule in all_rules():
        for f in rule.inputs:
            seen.update(dict.fromkeys(f.choice_titles().values()))
    return list(seen)


def refusal_texts() -> list[str]:
    """Every refusal reason a rule's outputs can give (``rules.texts.refusals``), once each."""
    seen: dict[str, None] = {}
    for rule in all_rules():
        seen.update(dict.fromkeys(refusals(rule, load_parameters())))
    return list(seen)


def parameter_titles() -> list[str]:
    """Every parameter of the law and every assumption of the long-term projection (``projection/assumptions``,
    shown in its list of uncertain values) by its name in words (``rules.texts.parameter_title``), in the names'
    order."""
    return [parameter_title(name) for name in sorted(baseline())]


LINE_LENGTH = 120  # ruff's, so the written file is already formatted


def _literal(text: str) -> str:
    """A string literal as ruff writes it (double quotes unless the text holds one)."""
    if '"' in text and "'" not in text:
        return "'" + text.replace("\\", "\\\\") + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _call(call: str, *args: str, indent: str = "    ", tail: str = ",") -> list[str]:
    """``call(args)`` on one line, or its arguments on their own line when that is too long (as ruff does)."""
    joined = ", ".join(_literal(a) for a in args)
    line = f"{indent}{call}({joined}){tail}"
    if len(line) <= LINE_LENGTH:
        return [line]
    return [f"{indent}{call}(", f"{indent}    {joined}", f"{indent}){tail}"]


def render() -> str:
    """The source of ``rules_catalogue.py``."""
    lines = [
        '"""The rules\' titles and descriptions as literals for ``makemessages``. Generated from the rules by',
        '``python -m paritrana.web.rule_catalogue``: do not edit (tests/web/test_rules_catalogue.py checks it)."""',
        "",
        "from django.utils.translation import gettext_noop, pgettext_lazy",
    ]
    # each tuple of the file: its name, then its texts, each a gettext_noop (no context) or a pgettext_lazy
    sections: list[tuple[str, str | None, list[str]]] = [
        ("RULE_TEXTS: tuple[str, ...]", None, rule_texts()),
        ("INPUT_LABELS", LABEL_CONTEXT, input_labels()),
        ("OUTPUT_TITLES", OUTPUT_CONTEXT, output_titles()),
        ("CHOICE_TITLES", CHOICE_CONTEXT, choice_titles()),
        ("PARAMETER_TITLES", PARAMETER_CONTEXT, parameter_titles()),
        ("REFUSALS: tuple[str, ...]", None, refusal_texts()),
    ]
    for name, context, texts in sections:
        lines += ["", f"{name} = ("]
        for text in texts:
            lines += _call("gettext_noop", text) if context is None else _call("pgettext_lazy", context, text)
        lines.append(")")
    lines.append("")
    lines += _call("ATTRIBUTION = gettext_noop", ATTRIBUTION, indent="", tail="")
    return "\n".join(lines) + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(
        f"{TARGET}: {len(rule_texts())} texts, {len(input_labels())} input labels, "
        f"{len(output_titles())} output titles, {len(choice_titles())} choice titles, "
        f"{len(parameter_titles())} parameter titles, {len(refusal_texts())} refusal reasons"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
