"""The decision letter of a claim, as a PDF in Bahasa Indonesia or English.

An approved or paid claim gets the approval: the amounts (the gross amount, the income tax and the
net amount of a JHT payment, the monthly pension and its first month, the instalment schedule of the
JKP months or of each child's scholarship years), the payment instructions already made, each
component of the calculation (the rule's inputs with where each came from, its outputs and
intermediate values) and the legal references of every parameter the rule read (name, value, the
date it took effect, the regulation). A rejected claim gets the rejection with its reason, and the
rules' own refusal when the rules refused it. A claim not yet decided (submitted, verified, or
waiting for its second approver) has no letter.

Rendered like the bill (``contributions.documents``): WeasyPrint, the template
``documents/claim_letter.html``, amounts in rupiah as the language writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from paritrana.accounts.scopes import AnyUser
from paritrana.claims import workflow
from paritrana.claims.models import BenefitPayment, Claim, ClaimStep, Instalment, Status
from paritrana.claims.presenters import ClaimPresentation, ValueRow, present
from paritrana.claims.services.claims import first_pension_month, get_claim, instalment_number
from paritrana.claims.types import TYPES, ClaimType, Payout
from paritrana.contributions.documents import Pdf, language, render_pdf, rupiah
from paritrana.core.errors import ValidationFailed
from paritrana.rules import load_parameters

# words of a field name that make a whole number a count (of months, years, children…), not rupiah
COUNT_WORDS = frozenset({"months", "month", "years", "year", "children", "age", "order", "db", "percent", "days"})
MONEY_WORDS = frozenset(
    {"amount", "tax", "benefit", "cost", "cap", "minimum", "basis", "sum", "payable", "total", "wage", "balance"}
)


@dataclass(frozen=True)
class Item:
    """One labelled value of the letter: an amount, an input, an output or an intermediate value."""

    name: str
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class ScheduleRow:
    what: str
    due: str
    amount: int
    state: str
    note: str = ""


@dataclass(frozen=True)
class PaymentRow:
    reference: str
    kind: str
    key: str
    due_on: dt.date
    amount: int
    bank_account: str


@dataclass(frozen=True)
class ParameterRow:
    name: str
    description: str
    value: str
    effective: str
    reference: str
    uncertain: str = ""


@dataclass
class LetterDocument:
    claim: Claim
    approved: bool
    type_title: str
    rule_name: str
    rule_title: str
    rule_reference: str
    decided_on: dt.date | None
    decided_by: str
    amounts: list[Item] = field(default_factory=list)
    schedule: list[ScheduleRow] = field(default_factory=list)
    payments: list[PaymentRow] = field(default_factory=list)
    inputs: list[Item] = field(default_factory=list)
    outputs: list[Item] = field(default_factory=list)
    intermediate: list[Item] = field(default_factory=list)
    parameters: list[ParameterRow] = field(default_factory=list)
    reason: str = ""
    refusal: str = ""
    calculation_note: str = ""
    # who took each step (segregation of duties, decision 0010) and the verifier's corrections with their reasons
    officers: list[Item] = field(default_factory=list)
    corrections: list[Item] = field(default_factory=list)

    @property
    def footer(self) -> str:
        """The page footer's text (the documents' base template writes it into the style sheet, CSS-escaped)."""
        return f"{_('Claim')} {self.claim.number} · {self.claim.worker.name} · {self.type_title}"


# ---- formatting ----


def _date_text(value: Any) -> str:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return str(formats.date_format(day, "j F Y"))


def _number(value: Any) -> str:
    return str(formats.number_format(value, use_l10n=True, force_grouping=True))


def _percent(value: Decimal) -> str:
    """A percentage without trailing zeros: 0,24 % or 100 % (the language's decimal sign)."""
    exact = value.normalize()
    if exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))
    return f"{_number(exact)} %"


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    if isinstance(value, str) and len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return False


def value_text(name: str, value: Any, description: str = "", dtype: str = "") -> str:
    """A rule input's or output's value as the letter writes it: rupiah, a date, yes/no, a count, a percentage."""
    lang = translation.get_language()
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if dtype == "date" or _is_date(value):
        return _date_text(value)
    if isinstance(value, int):
        words = set(name.split("_"))
        if name.endswith("_ppm"):
            return _percent(Decimal(value) / Decimal(10_000))
        if "rupiah" in description or (words & MONEY_WORDS and not words & COUNT_WORDS):
            return rupiah(value, lang)
        return _number(value)
    if isinstance(value, list):
        return "; ".join(value_text(name, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(name, v)}" for k, v in value.items())
    return str(value)


def _unit_count(unit: str, value: int) -> str:
    number = _number(value)
    if unit == "months":
        return ngettext("%(n)s month", "%(n)s months", value) % {"n": number}
    if unit == "years":
        return ngettext("%(n)s year", "%(n)s years", value) % {"n": number}
    if unit == "days":
        return ngettext("%(n)s day", "%(n)s days", value) % {"n": number}
    if unit == "age":
        return ngettext("%(n)s year of age", "%(n)s years of age", value) % {"n": number}
    return number


def _parameter_value(unit: str, value: Any, columns: Mapping[str, str] | None = None) -> str:
    """A legal parameter's value in its unit: a mapping gives each key with its value, a table each row with
    its columns in their own units (an empty ``upto``: no upper limit)."""
    lang = translation.get_language()
    if value is None:
        return _("no limit")
    if isinstance(value, dict):
        if columns:
            return ", ".join(f"{k}: {_parameter_value(columns.get(k, ''), v)}" for k, v in value.items())
        return "; ".join(f"{k}: {_parameter_value(unit, v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_parameter_value(unit, v, columns) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if unit == "rupiah" and isinstance(value, int):
        return rupiah(value, lang)
    if unit == "rate":
        try:
            return _percent(Decimal(str(value)) * 100)
        except InvalidOperation:
            return str(value)
    if isinstance(value, int):
        return _unit_count(unit, value)
    return str(value)


def _source_text(source: str) -> str:
    return {
        "claimant": _("given by the claimant"),
        "registry": _("from the registry"),
        "officer": _("corrected by the verifying officer"),
        "law": _("set by the law"),
        "default": _("the rule's default"),
    }.get(source, source)


# ---- the document ----


def _item(row: ValueRow, note: str = "") -> Item:
    description = row.description
    label = _(description) if description else row.name
    return Item(
        row.name, label, value_text(row.name, row.value, description, row.field.dtype if row.field else ""), note
    )


def _amounts(claim: Claim) -> list[Item]:
    lang = translation.get_language()
    ctype = TYPES[claim.claim_type]
    items: list[Item] = []
    if ctype.payout == Payout.INSTALMENTS:
        items.append(Item("amount", _("Total of the instalments"), rupiah(claim.amount, lang)))
    elif claim.amount > 0:
        label = _("Gross amount") if ctype.net_output else _("Amount")
        if claim.monthly_amount > 0 or ctype.monthly_output:
            label = _("Lump sum")
        items.append(Item("amount", label, rupiah(claim.amount, lang)))
    if ctype.net_output and claim.net_amount is not None:
        tax = int(claim.outputs.get("income_tax") or 0)
        items.append(Item("income_tax", _("Income tax (final PPh 21)"), rupiah(tax, lang)))
        items.append(Item("net_amount", _("Net amount paid"), rupiah(claim.net_amount, lang)))
    if claim.monthly_amount > 0:
        items.append(Item("monthly_amount", _("Monthly pension"), rupiah(claim.monthly_amount, lang)))
        first = first_pension_month(claim)
        items.append(Item("first_month", _("First month paid"), str(formats.date_format(first, "F Y"))))
    return items


def _schedule(shown: ClaimPresentation, ctype: ClaimType) -> list[ScheduleRow]:
    """The instalments: the claim's rows once it is paid, else the schedule planned at the assessment."""
    states = dict(Instalment.State.choices)
    rows: list[ScheduleRow] = []
    for inst in shown.instalments():
        if inst.due_on is not None:
            due = _date_text(inst.due_on)
        else:  # a month counted from the month of the first payment
            number = instalment_number(inst.key)
            due = _("with the payment") if number == 1 else _("%(n)s months after the first") % {"n": number - 1}
        rows.append(
            ScheduleRow(
                _instalment_what(ctype, inst.key, inst.child_name, inst.school_year, inst.level, inst.year_in_level),
                due,
                inst.amount,
                str(_("scheduled")) if inst.planned else str(states.get(inst.state, inst.state)),
                inst.stop_reason,
            )
        )
    return rows


def _instalment_what(
    ctype: ClaimType, key: str, child: str, school_year: int | None, level: str, year_in_level: int | None
) -> str:
    if ctype.instalment_label is not None and school_year is None:
        return str(ctype.instalment_label) % {"n": instalment_number(key)}
    if school_year is not None:
        return _("%(child)s: school year %(year)s/%(next)s, %(level)s year %(in_level)s") % {
            "child": child,
            "year": school_year,
            "next": school_year + 1,
            "level": level.upper(),
            "in_level": year_in_level,
        }
    return key


def _payments(shown: ClaimPresentation) -> list[PaymentRow]:
    kinds = dict(BenefitPayment.Kind.choices)
    return [
        PaymentRow(p.reference, str(kinds.get(p.kind, p.kind)), p.key, p.due_on, p.amount, p.bank_account)
        for p in shown.payments()
    ]


def _parameters(shown: ClaimPresentation) -> list[ParameterRow]:
    known = load_parameters()
    names = set(known)
    rows = []
    for p in shown.parameters:
        description, columns = "", None
        if p.name in names:  # (ParameterSet raises RuleError, not KeyError, for an unknown name)
            description, columns = known[p.name].description, known[p.name].columns
        rows.append(
            ParameterRow(
                name=p.name,
                description=description,
                value=_parameter_value(p.unit, p.value, columns),
                effective=_date_text(p.effective) if p.effective else "—",
                reference=p.reference,
                uncertain=str(p.why or "") if p.uncertain else "",
            )
        )
    return rows


def _officers(claim: Claim) -> list[Item]:
    """Each officer's step of the decision: verification, approval(s), payment."""
    paid_by = claim.payments.order_by("id").values_list("instructed_by__username", flat=True).first()
    rows = [
        ("verified", _("Verified by"), claim.verified_by.get_username() if claim.verified_by else ""),
        ("approved", _("Approved by"), claim.approved_by.get_username() if claim.approved_by else ""),
        (
            "second_approval",
            _("Second approval by"),
            claim.second_approved_by.get_username() if claim.second_approved_by else "",
        ),
        ("paid", _("Payment instructed by"), paid_by or ""),
    ]
    return [Item(name, label, who) for name, label, who in rows if who]


def letter_document(user: AnyUser | None, claim_id: int) -> LetterDocument:
    """What the letter shows, in the active language; NotFound out of scope, ValidationFailed when not decided."""
    claim = get_claim(user, claim_id)
    if claim.status not in workflow.DECIDED:
        raise ValidationFailed(
            "status",
            _("a claim has a decision letter once approved or rejected (this one is %(s)s)")
            % {"s": claim.get_status_display()},
        )
    approved = claim.status != Status.REJECTED
    ctype = TYPES[claim.claim_type]
    shown = present(claim)
    if approved:
        decided_at = claim.second_approved_at or claim.approved_at
        decider = claim.second_approved_by or claim.approved_by
    else:
        decided_at, decider = claim.rejected_at, claim.rejected_by
    intermediate = {row.name for row in shown.intermediate}
    doc = LetterDocument(
        claim=claim,
        approved=approved,
        type_title=str(ctype.title),
        rule_name=claim.rule,
        rule_title=_(shown.rule.title) if shown.rule else claim.rule,
        rule_reference=shown.rule_reference,
        decided_on=timezone.localtime(decided_at).date() if decided_at else None,
        decided_by=decider.get_username() if decider is not None else "",
        inputs=[_item(row, _source_text(row.source or "default")) for row in shown.inputs if row.name != "children"],
        outputs=[
            _item(row)
            for row in shown.outputs
            if row.name not in intermediate and not (isinstance(row.value, str) and row.value == "")
        ],
        intermediate=[_item(row) for row in shown.intermediate],
        parameters=_parameters(shown),
    )
    doc.officers = _officers(claim)
    doc.corrections = [
        Item("corrected", s.note, s.reason or "—", s.by.get_username() if s.by is not None else "")
        for s in claim.steps.filter(step=ClaimStep.Step.CORRECTED).select_related("by")
    ]
    if ctype.calculation_note is not None:
        doc.calculation_note = str(ctype.calculation_note)
    if approved:
        doc.amounts = _amounts(claim)
        doc.schedule = _schedule(shown, ctype)
        doc.payments = _payments(shown)
    else:
        doc.reason = claim.rejection_reason
        doc.refusal = claim.refusal if claim.refusal and claim.refusal != claim.rejection_reason else ""
    return doc


def letter_pdf(user: AnyUser | None, claim_id: int, lang: str | None = None) -> Pdf:
    """The decision letter of a claim as a PDF in ``lang`` (the active language when empty).

    NotFound when the user does not see the claim; ValidationFailed("status") before the decision."""
    lang = language(lang)
    with translation.override(lang):
        doc = letter_document(user, claim_id)
        children = list(doc.claim.inputs.get("children") or [])
    context = {"doc": doc, "c": doc.claim, "children": children, "printed_on": timezone.localdate()}
    content = render_pdf("documents/claim_letter.html", context, lang)
    return Pdf(content, f"claim-letter-{doc.claim.number}-{lang}.pdf", lang)
