"""The rules' words in the reader's language, for the pages and the API alike (decisions 0025, 0040).

The rules (pure Python, no Django) declare their titles, their inputs' and outputs' descriptions, the titles of
their outputs and choices, and the reasons they refuse; ``web/rule_catalogue.py`` writes them as literals into
``core/rules_catalogue.py`` for ``makemessages``. These functions translate them as they are shown: an output by
its title (context "rule output"), a choice by its title ("rule choice"), an input by its name in words
("calculator input"), a parameter of the law by its name in words ("law parameter"), and a text the rules gave
(a refusal reason, or several joined with a child's name) with each known reason replaced.
"""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import gettext, pgettext

from paritrana.core.rules_catalogue import REFUSALS
from paritrana.rules import Field, all_rules
from paritrana.rules.base import words
from paritrana.rules.texts import CHOICE_CONTEXT, LABEL_CONTEXT, OUTPUT_CONTEXT, PARAMETER_CONTEXT, parameter_title


def field_label(f: Field) -> str:
    return f.name.replace("_", " ")


def input_label(f: Field) -> str:
    """An input's label: its name in words, translated: never its key."""
    return pgettext(LABEL_CONTEXT, field_label(f))


def output_label(f: Field) -> str:
    """An output's title as the rule declares it, translated: never its key."""
    return pgettext(OUTPUT_CONTEXT, f.title)


@functools.cache
def choice_codes() -> frozenset[str]:
    """The codes of every rule input's choices (a value shown by its title, not as it is)."""
    return frozenset(code for rule in all_rules() for f in rule.inputs for code in f.choice_titles())


def choice_label(code: str) -> str:
    """A choice of an input by its title, translated: never its code."""
    return pgettext(CHOICE_CONTEXT, words(code))


def law_parameter_title(name: str) -> str:
    """A parameter of the law by its name in words, translated: never its key."""
    return pgettext(PARAMETER_CONTEXT, parameter_title(name))


def rule_text(text: str) -> str:
    """A text the rules gave (a refusal reason, or several joined with a child's name), translated: each reason
    the rules can give in the reader's words, any other text as it is."""
    for reason in _REFUSALS_LONGEST_FIRST:
        if reason in text:
            text = text.replace(reason, gettext(reason))
    return text


def rule_value(value: Any) -> Any:
    """A rule's output value for a reader: a text the rules gave translated (``rule_text``), anything else (a
    number, a date, a choice's code a program reads) as it is."""
    return rule_text(value) if isinstance(value, str) and value not in choice_codes() else value


_REFUSALS_LONGEST_FIRST = sorted(REFUSALS, key=len, reverse=True)  # a reason inside a longer one comes after it
