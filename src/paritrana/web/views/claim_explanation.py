"""A claim explained for its page: the rule's inputs with their sources, its outputs and intermediate values by
their translated titles, the parameters of the law with their references, the documents of its checklist and the
verifier's corrections."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from paritrana.claims.models import Claim, ClaimDocument
from paritrana.claims.presenters import present
from paritrana.claims.types import TYPES
from paritrana.rules import all_rules, get_rule
from paritrana.web.calculator_forms import input_label, output_label
from paritrana.web.views.calculator import show, show_parameter

SOURCE_LABELS = {
    "claimant": gettext_lazy("claimant"),
    "registry": gettext_lazy("registry"),
    "officer": gettext_lazy("officer's correction"),
    "law": gettext_lazy("law"),
}


def _plain_value(value: Any) -> str:
    """A stored input or output for a person (lists of children as one line each)."""
    if isinstance(value, list):
        return "; ".join(
            ", ".join(f"{pgettext('calculator input', k.replace('_', ' '))}: {show(v)}" for k, v in item.items())
            if isinstance(item, dict)
            else show(item)
            for item in value
        )
    return show(value)


def _output_row(o: Any) -> dict[str, Any]:
    """An output (or an intermediate value) by its translated title, never its key."""
    return {
        "name": o.name,
        "label": output_label(o.field) if o.field else o.name.replace("_", " "),
        "description": _(o.description) if o.field else "",
        "value": _plain_value(o.value),
    }


def explanation(claim: Claim) -> dict[str, Any]:
    """The claim's inputs with their sources, its outputs, the parameters of the law it used, the intermediates
    (``claims.presenters``), in the reader's words."""
    shown = present(claim)
    return {
        "rule": shown.rule,
        "rule_title": _(shown.rule.title) if shown.rule else claim.rule,
        "inputs": [
            {
                "name": i.name,
                "label": input_label(i.field) if i.field else i.name.replace("_", " "),
                "description": _(i.description) if i.field else "",
                "value": _plain_value(i.value),
                "source": i.source,
                "source_label": SOURCE_LABELS.get(i.source, i.source),
            }
            for i in shown.inputs
        ],
        "outputs": [_output_row(o) for o in shown.outputs],
        "parameters": [
            {
                "name": p.name,
                "value": show_parameter(p.value, p.unit),
                "unit": p.unit,
                "effective": p.effective,
                "reference": p.reference,
                "uncertain": p.uncertain,
                "why": p.why or "",
            }
            for p in shown.parameters
        ],
        "intermediate": [_output_row(o) for o in shown.intermediate],
    }


def checklist(claim: Claim) -> list[dict[str, Any]]:
    """Each document of the type's checklist, with the files attached for it (present) or none (missing)."""
    ctype = TYPES[claim.claim_type]
    files: dict[str, list[ClaimDocument]] = {}
    for doc in claim.documents.defer("content").select_related("uploaded_by"):
        files.setdefault(doc.kind, []).append(doc)
    rows = [
        {"code": d.code, "label": d.label, "required": d.required, "files": files.pop(d.code, [])}
        for d in ctype.documents
    ]
    rows += [{"code": kind, "label": kind, "required": False, "files": docs} for kind, docs in files.items()]
    return rows


def any_input_label(name: str) -> str:
    """The title of an input of that name in any rule, else its name in words (never the key)."""
    for rule in all_rules():
        for f in rule.inputs:
            if f.name == name:
                return input_label(f)
    return pgettext("calculator input", name.replace("_", " "))


def correction_words(note: str, rule: str) -> str:
    """A correction step's note (``name=value, …`` as the use case records it) with each input by its title."""
    labels = {f.name: input_label(f) for f in get_rule(rule).inputs}
    parts = []
    for part in note.split(", "):
        name, sep, value = part.partition("=")
        if sep and name:  # a name its rule does not list (an assessor's input) by another rule's title for it
            part = f"{labels.get(name) or any_input_label(name)}: {value}"
        parts.append(part)
    return "; ".join(parts)


def correction_steps(claim: Claim) -> list[dict[str, Any]]:
    """The verifier's corrections of the claim's inputs, each with who, when and the reason given."""
    return [
        {
            "note": correction_words(s.note, claim.rule),
            "reason": s.reason,
            "by": s.by.get_username() if s.by else "",
            "at": s.at,
        }
        for s in claim.steps.filter(step="corrected").select_related("by")
    ]


def shown_steps(claim: Claim) -> list[Any]:
    """The claim's steps, a correction's note with its inputs by their titles (on the page only, not stored)."""
    steps = list(claim.steps.select_related("by"))
    for step in steps:
        if step.step == "corrected":
            step.note = correction_words(step.note, claim.rule)
    return steps
