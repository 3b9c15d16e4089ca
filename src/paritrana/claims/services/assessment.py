"""The assessment of a claim: the rule's inputs gathered from the claimant and the registry, the
rule computed, and what it decides (eligible or why not, the amount now, a monthly pension,
the instalments to come).

Registry facts (an officer may correct each at verification, and the correction is recorded):

- ``wage``: the wage reported for the month of the event, else the latest reported before it, else
  the registration wage (the reported wage is the basis of JKK benefits, benefits.md §3.1 row
  "wage basis").
- ``contribution_months``: the months of the programme whose contribution is paid (the line on a
  fully paid bill) up to the event. Months before this system's records are the officer's
  correction from the old records.
- ``average_wage`` (JP): the average wage of the paid JP months, else the wage above; not indexed
  (the indexation of past wages is not in the reference).
- ``membership_start`` / ``membership_active`` / ``membership_months``: from the programme's
  membership; ``balance``: the JHT account on the claim date (the ledger).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from paritrana.claims.types import ClaimType
from paritrana.contributions.models import Bill, BillLine, WageReport
from paritrana.contributions.services import ledger
from paritrana.core.text import clean_text
from paritrana.registry.errors import ValidationFailed
from paritrana.registry.models import Membership, Worker
from paritrana.rules import InvalidInput, ParameterNotInForce, compute_one, compute_records, get_rule, load_parameters

SCHOOL_YEAR_START = (7, 1)  # the Indonesian school year begins in July


@dataclass
class PlannedInstalment:
    key: str
    due_on: dt.date
    amount: int
    child_order: int | None = None
    child_name: str = ""
    school_year: int | None = None
    level: str = ""
    year_in_level: int | None = None


@dataclass
class Assessment:
    rule: str
    law_date: dt.date
    inputs: dict[str, Any]
    sources: dict[str, str]
    outputs: dict[str, Any]
    explanation: dict[str, Any]
    eligible: bool
    refusal: str
    amount: int  # the value decided (a one-off amount, the JKP total, the scholarship years scheduled)
    net_amount: int | None
    monthly_amount: int
    instalments: list[PlannedInstalment] = field(default_factory=list)

    @property
    def value(self) -> int:
        """What the second-approval threshold is compared with: the amount, plus a year of a pension."""
        return self.amount + 12 * self.monthly_amount


# --- registry facts ------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return dt.date(year, month + 1, min(day.day, last[month]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is before ``start``)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def reported_wage(worker: Worker, on: dt.date) -> int:
    report = (
        WageReport.objects.filter(worker=worker, period__lte=month_start(on))
        .order_by("-period")
        .values_list("wage", flat=True)
        .first()
    )
    return int(report if report is not None else worker.wage)


def _paid_lines(worker: Worker, programme: str, until: dt.date) -> Any:
    return BillLine.objects.filter(
        worker=worker,
        programme=programme,
        kind=BillLine.Kind.CONTRIBUTION,
        bill__kind=Bill.Kind.CONTRIBUTION,
        bill__paid__gte=F("bill__amount"),
        bill__period__lte=month_start(until),
    )


def paid_months(worker: Worker, programme: str, until: dt.date) -> int:
    return _paid_lines(worker, programme, until).values("bill__period").distinct().count()


def average_paid_wage(worker: Worker, programme: str, until: dt.date) -> int:
    agg = _paid_lines(worker, programme, until).aggregate(total=Sum("wage"), n=Count("id"))
    if not agg["n"]:
        return reported_wage(worker, until)
    return (int(agg["total"]) * 2 + agg["n"]) // (2 * agg["n"])  # rounded half up, in integers


def membership_of(worker: Worker, programme: str) -> Membership | None:
    return Membership.objects.filter(worker=worker, programme=programme).order_by("start").first()


def registry_value(name: str, ctype: ClaimType, worker: Worker, event: dt.date, claim_date: dt.date) -> Any:
    """The registry's value of the rule input ``name`` for this claim."""
    programme = ctype.programme
    if name == "wage":
        return reported_wage(worker, event)
    if name in ("birth_date", "participant_birth_date"):
        return worker.birth_date
    if name == "balance":
        return ledger.balance(worker.pk, claim_date)
    if name == "contribution_months":
        return paid_months(worker, programme, event)
    if name == "consecutive_months":
        return _consecutive_paid(worker, programme, event)
    if name == "average_wage":
        return average_paid_wage(worker, programme, event)
    membership = membership_of(worker, programme)
    if name == "membership_start":
        if membership is None:
            raise ValidationFailed("worker", _("the participant has no %(p)s membership") % {"p": programme})
        return membership.start
    if name == "membership_active":
        return (
            membership is not None and membership.start <= event and (membership.end is None or membership.end >= event)
        )
    if name == "membership_months":
        return months_between(membership.start, event) if membership else 0
    if name == "age_at_registration":
        return age_on(worker.birth_date, membership.start) if membership else age_on(worker.birth_date, event)
    if name == "claim_date":
        return claim_date
    if name == "partial_taken_before":
        from paritrana.claims.models import Claim, Status

        return Claim.objects.filter(worker=worker, claim_type="jht_partial", status=Status.PAID).exists()
    raise KeyError(name)


def _consecutive_paid(worker: Worker, programme: str, until: dt.date) -> int:
    """Paid months running back without a gap from the last paid month up to ``until``."""
    months = sorted(set(_paid_lines(worker, programme, until).values_list("bill__period", flat=True)), reverse=True)
    run = 0
    expected = months[0] if months else None
    for month in months:
        if month != expected:
            break
        run += 1
        expected = add_months(month, -1)
    return run


# --- the assessment ------------------------------------------------------------------------------


def _rule_error(err: Exception) -> ValidationFailed:
    if isinstance(err, InvalidInput):
        return ValidationFailed(err.field, err.reason)
    if isinstance(err, ParameterNotInForce):
        return ValidationFailed(
            "event_date", _("no law in force on %(date)s for this benefit") % {"date": err.on.isoformat()}
        )
    return ValidationFailed("inputs", str(err))


def _date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(name, _("give a date as YYYY-MM-DD")) from None


def gather_inputs(
    ctype: ClaimType,
    worker: Worker,
    given: dict[str, Any],
    claim_date: dt.date,
    corrections: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str], dt.date]:
    """The rule's inputs for the claim, where each came from, and the law date."""
    rule = get_rule(ctype.rule)
    names = {f.name for f in rule.inputs}
    corrections = dict(corrections or {})
    unknown = sorted(set(given) - set(ctype.claimant_fields)) + sorted(set(corrections) - names)
    if unknown:
        raise ValidationFailed(unknown[0], _("not an input of this claim type"))
    if "event_date" in ctype.claimant_fields and not given.get("event_date") and "event_date" not in corrections:
        raise ValidationFailed("event_date", _("give the date of the event"))
    event = _date(corrections.get("event_date", given.get("event_date") or claim_date), "event_date")
    if event > claim_date:
        raise ValidationFailed("event_date", _("the event cannot be after the claim date"))
    if ctype.event_choices:
        event_kind = corrections.get("event", given.get("event"))
        if event_kind not in ctype.event_choices:
            raise ValidationFailed("event", _("choose one of: %(c)s") % {"c": ", ".join(ctype.event_choices)})
    inputs: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in ctype.claimant_fields:
        if name in given and given[name] not in (None, ""):
            inputs[name] = given[name]
            sources[name] = "claimant"
    for name in ctype.registry_fields:
        inputs[name] = registry_value(name, ctype, worker, event, claim_date)
        sources[name] = "registry"
    for name, value in ctype.fixed.items():
        inputs[name] = value
        sources[name] = "law"
    for name, value in corrections.items():
        inputs[name] = value
        sources[name] = "officer"
    inputs = {k: v for k, v in inputs.items() if k in names}
    law_date = claim_date if ctype.law_date == "claim_date" else event
    return inputs, sources, law_date


def assess(
    ctype: ClaimType,
    worker: Worker,
    given: dict[str, Any],
    claim_date: dt.date,
    corrections: dict[str, Any] | None = None,
    children: list[dict[str, Any]] | None = None,
) -> Assessment:
    """Compute the claim by its rule. Bad input raises ValidationFailed naming the field."""
    inputs, sources, law_date = gather_inputs(ctype, worker, given, claim_date, corrections)
    if ctype.code == "scholarship":
        return _assess_scholarship(ctype, worker, inputs, sources, law_date, claim_date, children or [])
    try:
        result = compute_one(ctype.rule, law_date, inputs)
    except (InvalidInput, ParameterNotInForce) as err:
        raise _rule_error(err) from None
    out = result.outputs
    amount = int(out.get(ctype.amount_output) or 0)
    monthly = int(out.get(ctype.monthly_output) or 0) if ctype.monthly_output else 0
    eligible = bool(out.get(ctype.eligible_output)) if ctype.eligible_output else amount > 0
    if ctype.lump_sum_instead and amount > 0:
        eligible = True  # no pension, but its lump sum (the rule's reason says why) is payable
    refusal = str(out.get(ctype.reason_output) or "") if ctype.reason_output else ""
    if not eligible and not refusal:
        refusal = _("the rules give no amount for these facts")
    net = out.get(ctype.net_output) if ctype.net_output else None
    assessment = Assessment(
        rule=ctype.rule,
        law_date=law_date,
        inputs={k: _plain(v) for k, v in result.inputs.items()},
        sources=sources,
        outputs={k: _plain(v) for k, v in out.items()},
        explanation={
            "parameters": result.explanation.parameters,
            "intermediate": {k: _plain(v) for k, v in result.explanation.intermediate.items()},
        },
        eligible=eligible,
        refusal="" if eligible else refusal,
        amount=amount if eligible else 0,
        net_amount=int(net) if net is not None and eligible else None,
        monthly_amount=monthly if eligible else 0,
    )
    if ctype.code == "jkp" and eligible:
        _plan_jkp(assessment, ctype, law_date)
    return assessment


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _plan_jkp(assessment: Assessment, ctype: ClaimType, law_date: dt.date) -> None:
    """JKP is paid monthly for six months: month 1 with the claim, months 2-6 a month apart."""
    records = [{**assessment.inputs, "month": m} for m in range(1, 7)]
    try:
        rows = compute_records(ctype.rule, records, on=law_date)
    except (InvalidInput, ParameterNotInForce) as err:
        raise _rule_error(err) from None
    for month, row in enumerate(rows, start=1):
        assessment.instalments.append(PlannedInstalment(f"jkp-{month}", dt.date.min, int(row["benefit"] or 0)))
    assessment.amount = sum(i.amount for i in assessment.instalments)


# --- scholarships ------------------------------------------------------------------------------


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
        birth = _date(child.get("birth_date"), f"children[{i}].birth_date")
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


def school_year_of(day: dt.date) -> int:
    """The school year (its first calendar year) that ``day`` falls in."""
    return day.year if (day.month, day.day) >= SCHOOL_YEAR_START else day.year - 1


def school_year_start(year: int) -> dt.date:
    return dt.date(year, *SCHOOL_YEAR_START)


def _assess_scholarship(
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
    base = {"trigger": inputs.get("trigger"), "contribution_months": inputs.get("contribution_months", 0)}
    records: list[dict[str, Any]] = []
    for order, kid in enumerate(kids, start=1):
        year = kid["school_year"] or school_year_of(claim_date)
        level, in_level = kid["level"], kid["year_in_level"]
        for _step in range(40):
            records.append(
                {
                    **base,
                    "child_order": order,
                    "level": level,
                    "year_in_level": in_level,
                    "child_age": max(age_on(kid["birth_date"], school_year_start(year)), 0),
                    "married": kid["married"],
                    "working": kid["working"],
                    "_year": year,
                    "_name": kid["name"],
                }
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
        raise _rule_error(err) from None
    planned: list[PlannedInstalment] = []
    stopped: set[int] = set()
    totals: dict[int, int] = {}
    reasons: list[str] = []
    for rec, row in zip(records, rows, strict=True):
        order = rec["child_order"]
        if order in stopped:
            continue
        if not row["eligible"]:
            stopped.add(order)
            if not any(p.child_order == order for p in planned):
                reasons.append(f"{rec['_name']}: {row['reason']}")
            continue
        cap = int(row["max_total_per_child"])
        amount = min(int(row["amount"]), cap - totals.get(order, 0))
        if amount <= 0:
            stopped.add(order)
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
        outputs={k: _plain(v) for k, v in first.outputs.items()},
        explanation={
            "parameters": first.explanation.parameters,
            "intermediate": {k: _plain(v) for k, v in first.explanation.intermediate.items()},
        },
        eligible=eligible,
        refusal="" if eligible else "; ".join(reasons),
        amount=sum(p.amount for p in planned),
        net_amount=None,
        monthly_amount=0,
        instalments=planned,
    )
