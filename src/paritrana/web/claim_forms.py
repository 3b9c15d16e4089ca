"""Forms of the claim pages: the list's filter, a claim of one type (built from its rule's input fields),
and the officers' actions. They only collect values; the claims use cases check them.

A domain error names a field (``ValidationFailed.field``): a rule input, ``bank_account``, ``worker``,
``documents.<code>`` (a required document missing), ``documents[i]`` (the i-th file sent),
``children[i].<key>`` (the i-th child given). :meth:`ClaimForm.show_error` puts it next to that field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.claims.models import Status
from paritrana.claims.services.claims import MAX_DOCUMENT_BYTES, Upload
from paritrana.claims.types import TYPES, ClaimType
from paritrana.rules import Field, get_rule
from paritrana.web.calculator_forms import choice_label, form_field, input_label
from paritrana.web.domain_text import translate_message
from paritrana.web.held_uploads import HeldFile
from paritrana.web.held_uploads import content as held_content

MAX_CHILDREN = 4
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
DATE_INPUT = {"type": "date"}
CHILD_KEYS = ("name", "birth_date", "level", "year_in_level")

# the JHT events in words (by their titles only: a code is never shown)
EVENT_LABELS = {
    "age_56": gettext_lazy("reached the age of 56"),
    "death": gettext_lazy("death of the participant"),
    "total_permanent_disability": gettext_lazy("total permanent disability"),
    "resignation": gettext_lazy("resignation"),
    "phk": gettext_lazy("termination of employment (PHK)"),
    "leaving_indonesia": gettext_lazy("leaving Indonesia for good"),
    "pkwt_end": gettext_lazy("end of a fixed-term contract (PKWT)"),
    "bpu_stopped_work": gettext_lazy("a non-wage earner stopped working"),
    "retirement_agreement": gettext_lazy("retirement by agreement"),
    "partial_housing": gettext_lazy("partial withdrawal for housing (30 %)"),
    "partial_other": gettext_lazy("partial withdrawal for other needs (10 %)"),
}

# the names of fields that are not rule inputs, in words (a message names the field it is about)
FIELD_LABELS = {
    "worker": gettext_lazy("participant"),
    "bank_account": gettext_lazy("bank account"),
    "event_date": gettext_lazy("date of the event"),
    "received_on": gettext_lazy("received on"),
    "documents": gettext_lazy("documents"),
    "children": gettext_lazy("children"),
    "status": gettext_lazy("status"),
    "eligible": gettext_lazy("eligibility"),
    "reason": gettext_lazy("reason"),
    "claim": gettext_lazy("claim"),
    "claim_type": gettext_lazy("claim type"),
    "heir": gettext_lazy("heir"),
    "inputs": gettext_lazy("inputs"),
    "corrections": gettext_lazy("corrections"),
    "file": gettext_lazy("file"),
    "kind": gettext_lazy("document"),
    "lang": gettext_lazy("language"),
}
CHILD_LABELS = {
    "name": gettext_lazy("child's name"),
    "birth_date": gettext_lazy("birth date"),
    "level": gettext_lazy("level"),
    "year_in_level": gettext_lazy("year in the level"),
}


def field_words(name: str, rule: str | None = None) -> str:
    """A field's name for a person: the rule input's label, a known field's, else its name in words."""
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    if rule:
        for f in get_rule(rule).inputs:
            if f.name == name:
                return input_label(f)
    m = re.fullmatch(r"documents\.(\w+)", name)
    if m:
        return str(FIELD_LABELS["documents"])
    m = re.fullmatch(r"children\[(\d+)\]\.(\w+)", name)
    if m and m.group(2) in CHILD_LABELS:
        return f"{CHILD_LABELS[m.group(2)]} ({_('child')} {m.group(1)})"
    return name.replace("_", " ")


def type_choices(ctypes: list[ClaimType]) -> list[tuple[str, str]]:
    return [(t.code, str(t.title)) for t in ctypes]


class ClaimFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("NIK, name or claim number")}),
    )
    status = forms.ChoiceField(label=gettext_lazy("status"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("claim type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_ = [("", _("any"))]
        self.fields["status"].choices = any_ + [(s.value, s.label) for s in Status]  # type: ignore[attr-defined]
        self.fields["type"].choices = any_ + type_choices(list(TYPES.values()))  # type: ignore[attr-defined]


def _document_field(label: str, required: bool) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=_("PDF, JPEG or PNG, at most %(mb)s MB") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


def check_size(f: Any) -> Any:
    if f is not None and f.size > MAX_DOCUMENT_BYTES:
        raise forms.ValidationError(
            _("%(name)s is %(size)s bytes; at most %(max)s")
            % {"name": f.name, "size": f.size, "max": MAX_DOCUMENT_BYTES}
        )
    return f


class ClaimForm(forms.Form):
    """A claim of one type: the participant (officers), the claimant's facts (the rule's own fields), the bank
    account, one file per document of the checklist, and for a scholarship up to four children."""

    def __init__(
        self,
        ctype: ClaimType,
        data: Any = None,
        files: Any = None,
        *,
        choose_worker: bool = False,
        officer: bool = False,
        held: dict[str, HeldFile] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, files, **kwargs)
        self.ctype = ctype
        self.held = held or {}  # the files sent with an earlier attempt (web/held_uploads.py)
        rule_fields = {f.name: f for f in get_rule(ctype.rule).inputs}
        self.worker_fields: list[str] = []
        if choose_worker:
            self.fields["worker"] = forms.CharField(
                label=_("participant (NIK)"),
                max_length=32,
                help_text=_("the 16-digit NIK of the participant the claim is about"),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "list": "participants"}),
            )
            self.worker_fields.append("worker")
        self.fact_fields: list[str] = []
        for name in ctype.claimant_fields:
            self.fields[name] = self._fact_field(name, rule_fields.get(name))
            self.fact_fields.append(name)
        self.restrict_events()
        if officer:
            self.fields["received_on"] = forms.DateField(
                label=_("received on"),
                required=False,
                help_text=_("a claim received on paper: the day it was received (empty: today)"),
                widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_INPUT),
            )
            self.fact_fields.append("received_on")
        self.fields["bank_account"] = forms.CharField(
            label=_("bank account"),
            max_length=60,
            help_text=_("bank and account number the benefit is paid to, e.g. BRI 0123456789"),
        )
        self.document_fields: list[str] = []
        for doc in ctype.documents:
            name = f"doc_{doc.code}"
            self.fields[name] = _document_field(str(doc.label), doc.required and name not in self.held)
            self.document_fields.append(name)
        self.child_rows: list[list[str]] = []
        if ctype.takes_children:
            for row in range(1, MAX_CHILDREN + 1):
                names = []
                for key in CHILD_KEYS:
                    name = f"child_{row}_{key}"
                    self.fields[name] = self._child_field(key, rule_fields.get(key))
                    names.append(name)
                self.child_rows.append(names)

    @staticmethod
    def _fact_field(name: str, f: Field | None) -> forms.Field:
        if f is None:  # the law date of the claim, not an input of the rule itself
            if name == "event_date":
                return forms.DateField(
                    label=_("date of the event"),
                    help_text=_("the day of the death, the accident, the end of work …: the law of that day applies"),
                    widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_INPUT),
                )
            return forms.CharField(label=name.replace("_", " "))
        field = form_field(f)
        if name == "event_date":
            field.widget = forms.DateInput(format="%Y-%m-%d", attrs=DATE_INPUT)
        return field

    def restrict_events(self) -> None:
        """A JHT type accepts only its own events."""
        if "event" in self.fields and self.ctype.event_choices:
            field = self.fields["event"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(e, str(EVENT_LABELS.get(e) or choice_label(e))) for e in self.ctype.event_choices]
            if len(self.ctype.event_choices) == 1:
                field.initial = self.ctype.event_choices[0]

    @staticmethod
    def _child_field(key: str, f: Field | None) -> forms.Field:
        field: forms.Field
        if key == "name":
            field = forms.CharField(max_length=200)
        elif key == "birth_date":
            field = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_INPUT))
        elif f is not None:
            field = form_field(f)
            if isinstance(field, forms.ChoiceField) and f.choices is not None:
                field.choices = [("", "—"), *((str(c), str(c)) for c in f.choices)]
        else:
            field = forms.CharField()
        field.required = False
        field.label = CHILD_LABELS[key]
        field.help_text = ""
        return field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.document_fields:
            try:
                check_size(data.get(name))
            except forms.ValidationError as err:
                self.add_error(name, err)
        return data

    # --- what the use case takes ---------------------------------------------------------------

    def inputs(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.ctype.claimant_fields:
            value = self.cleaned_data.get(name)
            if value is None or value == "":
                continue
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
        return out

    def uploads(self) -> tuple[list[Upload], list[str]]:
        """The files sent (or held from an earlier attempt), in checklist order, and the form field of each (for an
        error about the i-th)."""
        uploads: list[Upload] = []
        fields: list[str] = []
        for name, doc in zip(self.document_fields, self.ctype.documents, strict=True):
            f = self.cleaned_data.get(name)
            if f:
                f.seek(0)
                uploads.append(Upload(doc.code, f.name or doc.code, f.read()))
            elif name in self.held:  # sent with an earlier attempt: not chosen again
                uploads.append(Upload(doc.code, self.held[name].name, held_content(self.held[name])))
            else:
                continue
            fields.append(name)
        self._upload_fields = fields
        return uploads, fields

    def children(self) -> list[dict[str, Any]] | None:
        """The children rows filled in (a row with any value), or None for a type without children."""
        if not self.child_rows:
            return None
        out = []
        self._child_row_numbers: list[int] = []
        for row, names in enumerate(self.child_rows, start=1):
            values = {key: self.cleaned_data.get(name) for key, name in zip(CHILD_KEYS, names, strict=True)}
            if all(v in (None, "") for v in values.values()):
                continue
            child = {k: v for k, v in values.items() if v not in (None, "")}
            if isinstance(child.get("birth_date"), dt.date):
                child["birth_date"] = child["birth_date"].isoformat()
            out.append(child)
            self._child_row_numbers.append(row)
        return out

    def worker_nik(self) -> str:
        return str(self.cleaned_data.get("worker") or "").strip()

    # --- a domain error next to its field ------------------------------------------------------

    def field_for(self, name: str) -> str | None:
        """The form field a domain error about ``name`` belongs next to (None: above the form)."""
        if name in self.fields:
            return name
        m = re.fullmatch(r"documents\.(\w+)", name)
        if m and f"doc_{m.group(1)}" in self.fields:
            return f"doc_{m.group(1)}"
        m = re.fullmatch(r"documents\[(\d+)\]", name)
        upload_fields = getattr(self, "_upload_fields", [])
        if m and 1 <= int(m.group(1)) <= len(upload_fields):
            return upload_fields[int(m.group(1)) - 1]
        m = re.fullmatch(r"children\[(\d+)\]\.(\w+)", name)
        rows = getattr(self, "_child_row_numbers", [])
        if m and 1 <= int(m.group(1)) <= len(rows) and m.group(2) in CHILD_KEYS:
            return f"child_{rows[int(m.group(1)) - 1]}_{m.group(2)}"
        if name == "children" and self.child_rows:
            return "child_1_name"
        return None

    def show_error(self, field: str, reason: str) -> None:
        target = self.field_for(field)
        text = translate_message(reason)
        if target is not None:
            self.add_error(target, text)
        else:
            self.add_error(None, f"{field_words(field, self.ctype.rule)}: {text}")
