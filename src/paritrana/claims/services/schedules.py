"""The instalment schedules a claim type declares: six JKP months (a planner), and the scholarship's school
years per child through the levels (an assessor of its own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from paritrana.claims.dates import age_on, school_year_of, school_year_start
from paritrana.claims.declaration import ClaimType, PlannedInstalment
from paritrana.claims.services.assessment import Assessment, as_date, plain, rule_error
from paritrana.core.errors import ValidationFailed
from paritrana.core.text import clean_text
from paritrana.registry.models import Worker
from paritrana.rules import (
    InvalidInput,
    ParameterNotInForce,
    compute_one,
    compute_records,
    get_rule,
    load_parameters,
)

PLANNED_MONTH = "month"  # the rule input a monthly plan computes for each of its months


def instalment_number(key: str) -> int:
    """The month of an instalment planned relative to the payment: its key's last number (``jkp-2``: 2)."""
    return int(key.rsplit("-", 1)[1])


def planned_month_inputs(inputs: dict[str, Any], key: str) -> dict[str, Any]:
    """The rule's inputs of the planned month an instalment's key names (a claim's stored inputs are month 1's)."""
    return {**inputs, PLANNED_MONTH: instalment_number(key)}


def plan_monthly(assessment: Assessment, ctype: ClaimType, law_date: dt.date) -> None:
    """Six monthly instalments (JKP): the rule computed for months 1-6; month 1 is paid with the claim, months 2-6
    a month apart."""
    # the benefit months are those the rule accepts (its ``month`` input's bounds), not a number written here
    month_input = next(f for f in get_rule(ctype.rule).inputs if f.name == PLANNED_MONTH)
    months = range(month_input.minimum or 1, (month_input.maximum or 0) + 1)
    records = [{**assessment.inputs, PLANNED_MONTH: m} for m in months]
    try:
        rows = compute_records(ctype.rule, records, on=law_date)
    except (InvalidInput, ParameterNotInForce) as err:
        raise rule_error(err) from None
    for month, row in enumerate(rows, start=1):
        assessment.instalments.append(
            PlannedInstalment(f"{ctype.code}-{month}", dt.date.min, int(row[ctype.amount_output] or 0))
        )
    assessment.amount = sum(i.amount for i in assessment.instalments)


def _levels() -> list[str]:
    from paritrana.rules.formulas.scholarship import LEVELS

    return list(LEVELS)


def _children(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check the children of a scholarship claim: name, birth date, level, year in level, school year."""
    if not children:
        raise ValidationFailed("children", _("give at least one child (name, birth date, level, year in level)"))
    levels = _levels()
    out = []
    for i, child in enumerate(children, start=1):
        name = clean_text(str(child.get("name") or ""))
        if not name:
            raise ValidationFailed(f"children[{i}].name", _("give the child's name"))
        birth = as_date(child.get("birth_date"), f"children[{i}].birth_date")
        level = str(child.get("level") or "")
        if level not in levels:
            raise ValidationFailed(f"children[{i}].level", _("choose one of: %(c)s") % {"c": ", ".join(levels)})
        try:
            year_in_level = int(child.get("year_in_level") or 1)
            school_year = int(child.get("school_year") or 0)
        except (TypeError, ValueError):
            raise ValidationFailed(f"children[{i}].year_in_level", _("give a whole number")) from None
        if year_in_level < 1:
            raise ValidationFailed(f"children[{i}].year_in_level", _("from 1"))
        out.append(
            {
                "name": name,
                "birth_date": birth,
                "level": level,
                "year_in_level": year_in_level,
                "school_year": school_year,
                "married": bool(child.get("married", False)),
                "working": bool(child.get("working", False)),
            }
        )
    return out


def scholarship_base(inputs: dict[str, Any]) -> dict[str, Any]:
    """The rule's inputs a scholarship claim's school years share (a claim's stored inputs hold them)."""
    return {"trigger": inputs.get("trigger"), "contribution_months": inputs.get("contribution_months", 0)}


def school_year_inputs(
    base: dict[str, Any], kid: dict[str, Any], order: int, level: str, year_in_level: int, year: int
) -> dict[str, Any]:
    """The rule's inputs of one child's school year (the child's age when the year begins)."""
    return {
        **base,
        "child_order": order,
        "level": level,
        "year_in_level": year_in_level,
        "child_age": max(age_on(as_date(kid["birth_date"], "birth_date"), school_year_start(year)), 0),
        "married": bool(kid.get("married", False)),
        "working": bool(kid.get("working", False)),
    }


def school_year_amount(row: dict[str, Any], paid_before: int) -> int | None:
    """A child's school year as the rule's outputs ``row`` decide it, after ``paid_before`` for the child's earlier
    years: its amount (up to what is left of the most a child can receive), or None when the rule refuses the
    year or nothing is left (the child's schedule ends there)."""
    if not row["eligible"]:
        return None
    amount = min(int(row["amount"]), int(row["max_total_per_child"]) - paid_before)
    return amount if amount > 0 else None


def assess_scholarship(
    ctype: ClaimType,
    worker: Worker,
    inputs: dict[str, Any],
    sources: dict[str, str],
    law_date: dt.date,
    claim_date: dt.date,
    children: list[dict[str, Any]],
) -> Assessment:
    """A schedule per child: each school year from the one given (default: the claim date's) through
    the levels, until the rule refuses a year (age, years per level, number of children) or the most a
    child can receive is reached. The rule decides each year; the first refusal ends the child's schedule."""
    kids = _children(children)
    params = load_parameters()
    max_years: dict[str, int] = dict(params["scholarship.max_years"].at(law_date).value)
    old_regime = int(params["scholarship.one_child_lump_sum"].at(law_date).value) > 0
    levels = _levels()
    base = scholarship_base(inputs)
    records: list[dict[str, Any]] = []
    for order, kid in enumerate(kids, start=1):
        year = kid["school_year"] or school_year_of(claim_date)
        level, in_level = kid["level"], kid["year_in_level"]
        for _step in range(40):
            records.append(
                {**school_year_inputs(base, kid, order, level, in_level, year), "_year": year, "_name": kid["name"]}
            )
            if old_regime:
                break
            in_level += 1
            if in_level > max(max_years.get(level, 0), 1):
                index = levels.index(level) + 1
                if index >= len(levels):
                    break
                level, in_level = levels[index], 1
            year += 1
    try:
        rows = compute_records(
            ctype.rule, [{k: v for k, v in r.items() if not k.startswith("_")} for r in records], on=law_date
        )
        first = compute_one(ctype.rule, law_date, {k: v for k, v in records[0].items() if not k.startswith("_")})
    except (InvalidInput, ParameterNotInForce) as err:
        raise rule_error(err) from None
    planned: list[PlannedInstalment] = []
    stopped: set[int] = set()
    totals: dict[int, int] = {}
    reasons: list[str] = []
    for rec, row in zip(records, rows, strict=True):
        order = rec["child_order"]
        if order in stopped:
            continue
        amount = school_year_amount(row, totals.get(order, 0))
        if amount is None:
            stopped.add(order)
            if not row["eligible"] and not any(p.child_order == order for p in planned):
                reasons.append(f"{rec['_name']}: {row['reason']}")
            continue
        totals[order] = totals.get(order, 0) + amount
        planned.append(
            PlannedInstalment(
                f"child-{order}-{rec['_year']}",
                school_year_start(rec["_year"]),
                amount,
                child_order=order,
                child_name=rec["_name"],
                school_year=rec["_year"],
                level=rec["level"],
                year_in_level=rec["year_in_level"],
            )
        )
    eligible = bool(planned)
    extra_inputs = {**base, "children": [{**k, "birth_date": k["birth_date"].isoformat()} for k in kids]}
    return Assessment(
        rule=ctype.rule,
        law_date=law_date,
        inputs=extra_inputs,
        sources={**sources, "children": "claimant"},
        outputs={k: plain(v) for k, v in first.outputs.items()},
        explanation={
            "parameters": first.explanation.parameters,
            "intermediate": {k: plain(v) for k, v in first.explanation.intermediate.items()},
        },
        eligible=eligible,
        refusal="" if eligible else "; ".join(reasons),
        amount=sum(p.amount for p in planned),
        net_amount=None,
        monthly_amount=0,
        instalments=planned,
    )
