"""A claim with its assessment, as every reader shows it: the API's claim detail, the claim page's explanation
and the decision letter read one ``ClaimPresentation`` and only format its values (JSON, the page's words, the
letter's rupiah and dates), so the three show the same figures (decision 0017).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from paritrana.claims.declaration import ClaimType
from paritrana.claims.models import BenefitPayment, Claim
from paritrana.claims.types import TYPES
from paritrana.rules import UnknownRule, get_rule
from paritrana.rules.base import Field, Rule


@dataclass(frozen=True)
class ValueRow:
    """A rule input (with where it came from), an output or an intermediate value of the claim."""

    name: str
    value: Any
    field: Field | None
    source: str = ""  # an input's: claimant, registry, officer, law; empty when not recorded

    @property
    def description(self) -> str:
        return self.field.description if self.field is not None else ""


@dataclass(frozen=True)
class ParameterRow:
    """A parameter of the law the assessment read, as recorded with the claim."""

    name: str
    unit: str
    value: Any
    effective: str  # ISO date
    reference: str
    uncertain: bool
    why: str | None


@dataclass(frozen=True)
class InstalmentRow:
    """An instalment: the claim's own once it is paid, else (``planned``) the assessment's schedule."""

    key: str
    due_on: dt.date | None  # None: a month counted from the payment, not yet dated
    amount: int
    state: str
    stop_reason: str
    child_order: int | None
    child_name: str
    school_year: int | None
    level: str
    year_in_level: int | None
    planned: bool


@dataclass(frozen=True)
class ClaimPresentation:
    claim: Claim
    ctype: ClaimType | None
    rule: Rule | None
    inputs: list[ValueRow]
    outputs: list[ValueRow]
    intermediate: list[ValueRow]
    parameters: list[ParameterRow]

    @property
    def rule_title(self) -> str:
        """The rule's title untranslated (the claim's rule name when the rule is gone)."""
        return self.rule.title if self.rule is not None else self.claim.rule

    @property
    def rule_reference(self) -> str:
        return self.rule.reference if self.rule is not None else ""

    def instalments(self) -> list[InstalmentRow]:
        return instalments_of(self.claim)

    def payments(self) -> list[BenefitPayment]:
        return list(self.claim.payments.order_by("due_on", "id"))


def _rule(name: str) -> Rule | None:
    try:
        return get_rule(name)
    except UnknownRule:
        return None


def instalments_of(claim: Claim) -> list[InstalmentRow]:
    """The claim's instalments once paid, else the schedule its assessment planned."""
    made = list(claim.instalments.all())
    if made:
        return [
            InstalmentRow(
                i.key,
                i.due_on,
                i.amount,
                i.state,
                i.stop_reason,
                i.child_order,
                i.child_name,
                i.school_year,
                i.level,
                i.year_in_level,
                planned=False,
            )
            for i in made
        ]
    return [
        InstalmentRow(
            str(p["key"]),
            dt.date.fromisoformat(p["due_on"]) if p.get("due_on") else None,
            int(p["amount"]),
            "planned",
            "",
            p.get("child_order"),
            p.get("child_name") or "",
            p.get("school_year"),
            p.get("level") or "",
            p.get("year_in_level"),
            planned=True,
        )
        for p in claim.extra.get("schedule", [])
    ]


def present(claim: Claim) -> ClaimPresentation:
    """The claim with its assessment: each input with its source and the rule's field, the outputs, the
    intermediate values and the parameters of the law it read."""
    rule = _rule(claim.rule)
    inputs_of = {f.name: f for f in rule.inputs} if rule else {}
    outputs_of = {f.name: f for f in rule.outputs} if rule else {}
    explanation = claim.explanation or {}
    return ClaimPresentation(
        claim=claim,
        ctype=TYPES.get(claim.claim_type),
        rule=rule,
        inputs=[
            ValueRow(name, value, inputs_of.get(name), claim.input_sources.get(name, ""))
            for name, value in claim.inputs.items()
        ],
        outputs=[ValueRow(name, value, outputs_of.get(name)) for name, value in claim.outputs.items()],
        intermediate=[
            ValueRow(name, value, outputs_of.get(name)) for name, value in explanation.get("intermediate", {}).items()
        ],
        parameters=[
            ParameterRow(
                name=str(p.get("name", "")),
                unit=str(p.get("unit", "")),
                value=p.get("value"),
                effective=str(p.get("effective") or ""),
                reference=str(p.get("reference", "")),
                uncertain=bool(p.get("uncertain", False)),
                why=p.get("why"),
            )
            for p in explanation.get("parameters", [])
        ],
    )
