"""A form for any rule, generated from its input fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.core.rule_words import (
    choice_codes,
    choice_label,
    field_label,
    input_label,
    law_parameter_title,
    output_label,
    rule_text,
)
from paritrana.rules import Field, Rule

__all__ = [
    "CalculatorForm",
    "choice_codes",
    "choice_label",
    "field_label",
    "form_field",
    "input_label",
    "law_parameter_title",
    "output_label",
    "rule_text",
]

BOOL_CHOICES = (("true", gettext_lazy("yes")), ("false", gettext_lazy("no")))


def _to_bool(value: str) -> bool:
    return value == "true"


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
