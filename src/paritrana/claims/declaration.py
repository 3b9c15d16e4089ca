"""What a claim type is: a declaration whose keyword fields choose its behaviour (decision 0017).

The services never compare a type's code or programme: how a type is assessed, planned, checked at approval
and paid is read from these fields. Adding a type is one ``ClaimType(...)`` in ``claims/types.py`` plus its
tests (docs/architecture.md, "How to add a claim type").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise

from paritrana.registry.models import Worker

# who may file a claim of a type (besides administrators and branch officers, who file for anyone in scope)
WORKER = "worker"
HEIR = "heir"


class Payout(StrEnum):
    """How an approved claim is paid."""

    LUMP_SUM = "lump_sum"  # once, when paid (the net amount when the rule gives one)
    # a schedule planned at the assessment (``planner`` or ``assessor``): the instalments due are paid with the
    # claim, the others by the monthly run
    INSTALMENTS = "instalments"
    # a monthly pension from its first month (back pay with the claim, then the monthly run); when the rule
    # refuses the pension, the amount output is the lump sum paid instead (JP under 15 years)
    PENSION = "pension"


@dataclass(frozen=True)
class Document:
    code: str
    label: Promise
    required: bool = True


@dataclass(frozen=True)
class FactContext:
    """What a registry fact's provider reads: the participant, the type's programme, the event and claim dates."""

    worker: Worker
    programme: str
    event: dt.date
    claim_date: dt.date


@dataclass
class PlannedInstalment:
    """One instalment of the schedule: due on a date, or (``dt.date.min``) the month of the key's last number
    counted from the payment (``jkp-1`` with it, ``jkp-2`` a month later)."""

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


# --- the assessment ------------------------------------------------------------------------------


# a registry fact: its value for the claim (worker, programme, event date, claim date)
Provider = Callable[[FactContext], Any]
# plans the instalments of an eligible assessment (the standard assessment ran first)
Planner = Callable[[Assessment, "ClaimType", dt.date], None]
# assesses the type in place of the standard assessment: (type, worker, inputs, sources, law date, claim date,
# children) -> the assessment
Assessor = Callable[
    ["ClaimType", Worker, dict[str, Any], dict[str, str], dt.date, dt.date, list[dict[str, Any]]], Assessment
]


@dataclass(frozen=True, kw_only=True)
class ClaimType:
    code: str
    programme: str
    title: Promise
    rule: str
    # the rule inputs the claimant gives (an officer may correct them at verification)
    claimant_fields: tuple[str, ...] = ()
    # rule inputs filled from the registry, each by its provider (an officer may correct them at verification)
    registry: Mapping[str, Provider] = field(default_factory=dict)
    documents: tuple[Document, ...]
    filers: frozenset[str] = frozenset()  # empty: only officers file it
    amount_output: str  # the output paid now (0 when refused)
    eligible_output: str | None = None  # None: eligible when the amount is above zero
    reason_output: str | None = None
    net_output: str | None = None
    monthly_output: str | None = None  # a pension: the monthly benefit
    payout: Payout = Payout.LUMP_SUM
    planner: Planner | None = None
    assessor: Assessor | None = None
    takes_children: bool = False  # the claim lists children (name, birth date, level, year in level)
    instalment_payment: str = "instalment"  # the kind of the payment of each instalment (BenefitPayment.Kind)
    instalment_label: Promise | None = None  # an instalment without a school year, e.g. "JKP month %(n)s"
    first_payment_output: str | None = None  # a pension: the output dating its first month (else after the event)
    # a benefit paid once per participant (a death, the old-age pension, the one partial JHT withdrawal, the
    # children's scholarship): a claim is not approved while another of the type is approved or paid
    once: bool = False
    # types paid instead of this one (either way): a claim is not approved while one of them is approved or paid
    exclusive_with: frozenset[str] = frozenset()
    # the amount is the JHT account's: checked against its balance at approval, debited at payment
    paid_from_jht_account: bool = False
    law_date: str = "event_date"  # "event_date" or "claim_date"
    fixed: dict[str, object] = field(default_factory=dict)
    event_choices: tuple[str, ...] = ()  # JHT: the events this type accepts
    calculation_note: Promise | None = None  # shown in the letter above the rule's figures

    @property
    def registry_fields(self) -> tuple[str, ...]:
        return tuple(self.registry)
