"""The assessment of a claim: the rule's inputs gathered from the claimant, the registry (the providers its
type declares, ``claims/services/facts.py``) and the officer's corrections, the rule computed, and what it
decides (eligible or why not, the amount now, a monthly pension, the instalments its type plans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from paritrana.claims.declaration import Assessment, ClaimType, FactContext, Payout
from paritrana.core.errors import ValidationFailed
from paritrana.registry.models import Worker
from paritrana.rules import InvalidInput, ParameterNotInForce, compute_one, get_rule


def rule_error(err: Exception) -> ValidationFailed:
    if isinstance(err, InvalidInput):
        return ValidationFailed(err.field, err.reason)
    if isinstance(err, ParameterNotInForce):
        return ValidationFailed(
            "event_date", _("no law in force on %(date)s for this benefit") % {"date": err.on.isoformat()}
        )
    return ValidationFailed("inputs", str(err))


def as_date(value: Any, name: str) -> dt.date:
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
    corrections: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, str], dt.date]:
    """The rule's inputs for the claim, where each came from (an officer's ``corrections`` last), and the law
    date."""
    rule = get_rule(ctype.rule)
    names = {f.name for f in rule.inputs}
    unknown = sorted(set(given) - set(ctype.claimant_fields)) + sorted(set(corrections) - names)
    if unknown:
        raise ValidationFailed(unknown[0], _("not an input of this claim type"))
    if "event_date" in ctype.claimant_fields and not given.get("event_date") and "event_date" not in corrections:
        raise ValidationFailed("event_date", _("give the date of the event"))
    event = as_date(corrections.get("event_date", given.get("event_date") or claim_date), "event_date")
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
    context = FactContext(worker, ctype.programme, event, claim_date)
    for name, provide in ctype.registry.items():
        inputs[name] = provide(context)
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
    *,
    corrections: dict[str, Any] | None = None,
    children: list[dict[str, Any]] | None = None,
) -> Assessment:
    """Compute the claim by its rule. Bad input raises ValidationFailed naming the field."""
    inputs, sources, law_date = gather_inputs(ctype, worker, given, claim_date, corrections or {})
    if ctype.assessor is not None:
        return ctype.assessor(ctype, worker, inputs, sources, law_date, claim_date, children or [])
    try:
        result = compute_one(ctype.rule, law_date, inputs)
    except (InvalidInput, ParameterNotInForce) as err:
        raise rule_error(err) from None
    out = result.outputs
    eligible, amount, monthly = decided(ctype, out)
    refusal = str(out.get(ctype.reason_output) or "") if ctype.reason_output else ""
    if not eligible and not refusal:
        refusal = _("the rules give no amount for these facts")
    assessment = Assessment(
        rule=ctype.rule,
        law_date=law_date,
        inputs={k: plain(v) for k, v in result.inputs.items()},
        sources=sources,
        outputs={k: plain(v) for k, v in out.items()},
        explanation={
            "parameters": result.explanation.parameters,
            "intermediate": {k: plain(v) for k, v in result.explanation.intermediate.items()},
        },
        eligible=eligible,
        refusal="" if eligible else refusal,
        amount=amount,
        net_amount=net_of(ctype, out, eligible),
        monthly_amount=monthly,
    )
    if ctype.planner is not None and eligible:
        ctype.planner(assessment, ctype, law_date)
    return assessment


def decided(ctype: ClaimType, out: Mapping[str, Any]) -> tuple[bool, int, int]:
    """What the rule's outputs decide for a claim of ``ctype``: payable or not, the amount now and the monthly
    pension (both 0 when not payable). Also the reform scenarios' benefits recomputed from a claim's inputs."""
    amount = int(out.get(ctype.amount_output) or 0)
    monthly = int(out.get(ctype.monthly_output) or 0) if ctype.monthly_output else 0
    eligible = bool(out.get(ctype.eligible_output)) if ctype.eligible_output else amount > 0
    if ctype.payout == Payout.PENSION and amount > 0:
        eligible = True  # no pension, but its lump sum (the rule's reason says why) is payable
    return eligible, amount if eligible else 0, monthly if eligible else 0


def net_of(ctype: ClaimType, out: Mapping[str, Any], eligible: bool) -> int | None:
    """The net amount a payable claim pays at once, where its rule gives one (JHT: after tax); else None (the
    amount decided is paid)."""
    net = out.get(ctype.net_output) if ctype.net_output else None
    return int(net) if net is not None and eligible else None


def plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
