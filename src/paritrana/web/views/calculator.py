"""The calculator: any rule, under the law of any date, with its explanation."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from paritrana.rules import InvalidInput, ParameterNotInForce, RuleError, UnknownRule, all_rules, compute_one, get_rule
from paritrana.web.calculator_forms import (
    CalculatorForm,
    choice_codes,
    choice_label,
    law_parameter_title,
    output_label,
    rule_text,
)
from paritrana.web.domain_text import translate_message
from paritrana.web.rate_limit import public_rate_limited

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@public_rate_limited("calculator")
def rule_list(request: HttpRequest) -> HttpResponse:
    groups: dict[str, list[dict[str, str]]] = {}
    for rule in all_rules():
        groups.setdefault(rule.group or "other", []).append(
            {"name": rule.name, "title": _(rule.title), "reference": rule.reference}
        )
    return render(request, "web/calculator_list.html", {"groups": sorted(groups.items())})


@public_rate_limited("calculator")
def rule_page(request: HttpRequest, name: str) -> HttpResponse:
    try:
        rule = get_rule(name)
    except UnknownRule:
        raise Http404(name) from None
    data = request.POST if request.method == "POST" else (request.GET if "date" in request.GET else None)
    form = CalculatorForm(rule, data)
    result: dict[str, Any] | None = None
    if data is not None and form.is_valid():
        try:
            computed = compute_one(rule.name, form.on, form.inputs())
        except InvalidInput as err:
            field = err.field if err.field in form.fields else None
            form.add_error(field, translate_message(err.reason))
        except ParameterNotInForce as err:
            form.add_error("date", not_in_force(err))
        except RuleError as err:
            form.add_error(None, translate_message(str(err)))
        else:
            result = _result(rule.name, computed)
    context = {
        "rule": rule,
        "title": _(rule.title),
        "form": form,
        "result": result,
    }
    # An HTMX request gets the whole page too; the form's hx-select takes the panel out of it.
    return render(request, "web/calculator.html", context)


def _result(name: str, computed: Any) -> dict[str, Any]:
    rule = get_rule(name)
    described = {f.name: f for f in rule.outputs}
    outputs = [
        {"name": output_label(described[k]), "description": _(described[k].description), "value": show(v)}
        for k, v in computed.outputs.items()
    ]
    intermediate = [
        {"name": output_label(described[k]), "description": _(described[k].description), "value": show(v)}
        for k, v in computed.explanation.intermediate.items()
    ]
    parameters = [
        {
            "name": p["name"],
            "value": show_parameter(p["value"], p.get("unit", "")),
            "unit": p.get("unit", ""),
            "effective": p["effective"],
            "reference": p["reference"],
            "url": p.get("url", ""),
            "uncertain": p.get("uncertain", False),
            "why": p.get("why", ""),
        }
        for p in computed.explanation.parameters
    ]
    return {
        "date": computed.date,
        "outputs": outputs,
        "intermediate": intermediate,
        "parameters": parameters,
    }


def not_in_force(err: ParameterNotInForce) -> str:
    """The rules' refusal of a date before the law: the parameter by its name and the dates in the reader's words
    (the error carries them as values; core/messages.py lists the message for translation)."""
    template = _("parameter {name} has no value in force on {date}: its first value takes effect on {first}")
    return template.format(
        name=law_parameter_title(err.name), date=date_format(err.on, "j F Y"), first=date_format(err.first, "j F Y")
    )


def show(value: Any) -> str:
    """A computed value for a person: grouped digits for numbers, yes/no for flags."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, str):
        if ISO_DATE.fullmatch(value):
            return date_format(dt.date.fromisoformat(value), "j F Y")
        return choice_label(value) if value in choice_codes() else rule_text(value)
    return str(value)


def show_parameter(value: Any, unit: str) -> str:
    """A parameter's value: rates as percentages, keyed values as ``key: value`` lists, tables as rows."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show_parameter(v, unit)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(
            ", ".join(f"{k} {show_parameter(v, '')}" for k, v in row.items()) if isinstance(row, dict) else str(row)
            for row in value
        )
    if unit == "rate" and isinstance(value, str | int | float | Decimal):
        try:
            percent = Decimal(str(value)) * 100
        except ArithmeticError:
            return str(value)
        text = format(percent.normalize(), "f")
        return number_format(Decimal(text), use_l10n=True) + " %"
    return show(value)
