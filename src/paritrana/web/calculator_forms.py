"""A form for any rule, generated from its input fields."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from paritrana.rules import Field, Rule, all_rules
from paritrana.rules.base import words
from paritrana.rules.texts import parameter_title
from paritrana.web.rule_catalogue import CHOICE_CONTEXT, OUTPUT_CONTEXT, PARAMETER_CONTEXT
from paritrana.web.rules_catalogue import REFUSALS

BOOL_CHOICES = (("true", gettext_lazy("yes")), ("false", gettext_lazy("no")))


def _to_bool(value: str) -> bool:
    return value == "true"


def field_label(f: Field) -> str:
    return f.name.replace("_", " ")


def output_label(f: Field) -> str:
    """An output's title as the rule declares it, translated (web/rules_catalogue.py lists them): never its key."""
    return pgettext(OUTPUT_CONTEXT, f.title)


@functools.cache
def choice_codes() -> frozenset[str]:
    """The codes of every rule input's choices (a value shown by its title, not as it is)."""
    return frozenset(code for rule in all_rules() for f in rule.inputs for code in f.choice_titles())


def choice_label(code: str) -> str:
    """A choice of an input by its title, translated (web/rules_catalogue.py lists them): never its code."""
    return pgettext(CHOICE_CONTEXT, words(code))


def law_parameter_title(name: str) -> str:
    """A parameter of the law by its name in words, translated (web/rules_catalogue.py lists them): never its key."""
    return pgettext(PARAMETER_CONTEXT, parameter_title(name))


def rule_text(text: str) -> str:
    """A text the rules gave (a refusal reason, or several joined with a child's name), translated: each reason
    the rules can give (web/rules_catalogue.py lists them) in the reader's words, any other text as it is."""
    for reason in _REFUSALS_LONGEST_FIRST:
        if reason in text:
            text = text.replace(reason, _(reason))
    return text


_REFUSALS_LONGEST_FIRST = sorted(REFUSALS, key=len, reverse=True)  # a reason inside a longer one comes after it


def input_label(f: Field) -> str:
    """An input's label: its name in words, translated (web/rules_catalogue.py lists them, generated from the rules)."""
    return pgettext("calculator input", field_label(f))


def form_field(f: Field) -> forms.Field:
    """A Django form field for a rule input: typed, with its range and choices, and its description as help."""
    common: dict[str, Any] = {"label": input_label(f), "help_text": _(f.description), "required": f.required}
    if f.choices is not None:
        choices = [(str(c), choice_label(str(c)) if c != "" else "—") for c in f.choices]
        if f.dtype == "int64":
            field: forms.Field = forms.TypedChoiceField(choices=choices, coerce=int, **common)
        else:
            field = forms.ChoiceField(choices=choices, **common)
        if f.default is not None:
            field.initial = str(f.default)
        return field
    if f.dtype == "int64":
        return forms.IntegerField(min_value=f.minimum, max_value=f.maximum, initial=f.default, **common)
    if f.dtype == "bool":
        field = forms.TypedChoiceField(choices=BOOL_CHOICES, coerce=_to_bool, **common)
        field.required = True  # a choice of yes/no always has a value; the default is preselected
        if f.default is not None:
            field.initial = "true" if f.default else "false"
        return field
    if f.dtype == "date":
        return forms.DateField(
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), initial=f.default, **common
        )
    return forms.CharField(initial=f.default, **common)


class CalculatorForm(forms.Form):
    """The law's date, then one field per input of the rule."""

    def __init__(self, rule: Rule, data: Any = None, **kwargs: Any) -> None:
        if data is not None:
            # A link may name only some inputs (?date=…&wage=…): a yes/no input it leaves out takes the rule's default.
            data = data.copy()
            for f in rule.inputs:
                if f.dtype == "bool" and f.name not in data and f.default is not None:
                    data[f.name] = "true" if f.default else "false"
        super().__init__(data, **kwargs)
        self.rule = rule
        self.fields["date"] = forms.DateField(
            label=_("date"),
            help_text=_("the law in force on this date is applied"),
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            initial=timezone.localdate,
        )
        for f in rule.inputs:
            if f.name == "date":
                continue
            self.fields[f.name] = form_field(f)

    def inputs(self) -> dict[str, Any]:
        """The rule's inputs from the cleaned data (a field left empty takes the rule's default)."""
        out: dict[str, Any] = {}
        for f in self.rule.inputs:
            value = self.cleaned_data.get(f.name)
            if value is None or (value == "" and f.default != ""):
                continue
            out[f.name] = value
        return out

    @property
    def on(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        return date
