"""Forms of the officers' actions on a claim: verify (with corrections typed one field per rule input), reject,
add a document, stop the scheduled payments. They only collect values; the claims use cases check them.

A correction is a field of its own, typed by the rule's input (a whole number, yes/no, a date, one of the
choices) and empty when left as it is: an error names the input by its title, never a ``name=value`` line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.claims.types import ClaimType
from paritrana.core.errors import ValidationFailed
from paritrana.rules import Field, get_rule
from paritrana.web.calculator_forms import form_field, input_label
from paritrana.web.claim_forms import ACCEPT, check_size
from paritrana.web.money_input import RupiahField

CORRECTION_PREFIX = "fix_"


class WholeNumberField(RupiahField):
    """A whole number typed as people write it (``30.000.000`` as well as ``30000000``)."""

    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": gettext_lazy("write a whole number, for example 120 or 30.000.000"),
    }


def correction_field(f: Field, now: str) -> forms.Field:
    """The field correcting one rule input: its own type and range, empty (unchanged) unless filled."""
    if f.dtype == "int64" and f.choices is None:
        field: forms.Field = WholeNumberField(min_value=f.minimum, max_value=f.maximum, label=input_label(f))
    else:
        field = form_field(f)
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", _("unchanged")), *((v, t) for v, t in field.choices if v != "")]  # type: ignore[misc,union-attr]
            if isinstance(field, forms.TypedChoiceField):
                field.empty_value = None
    field.required = False
    field.initial = None
    field.help_text = _("now: %(value)s") % {"value": now} if now else _("no value yet")
    return field


def reason_field(label: Any, help_text: Any, max_length: int = 2000) -> forms.CharField:
    """A reason the officer may give (a short text area); the use case says when it is required."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class VerifyForm(forms.Form):
    """Verify a claim: the corrections of its rule's inputs (one field each), their reason, a note."""

    reason = reason_field(
        gettext_lazy("reason of the corrections"),
        gettext_lazy(
            "required when the corrections raise the claim's value by more than the branch's share; shown in the"
            " decision letter"
        ),
        max_length=1000,
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=500)

    def __init__(self, rule: str, current: dict[str, str] | None = None, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        current = current or {}
        self.correctable: list[str] = []
        fields: dict[str, forms.Field] = {}
        for f in get_rule(rule).inputs:
            fields[CORRECTION_PREFIX + f.name] = correction_field(f, current.get(f.name, ""))
            self.correctable.append(f.name)
        self.fields = {**fields, **self.fields}  # the corrections first, then their reason and the note

    def correction_fields(self) -> list[forms.BoundField]:
        return [self[CORRECTION_PREFIX + name] for name in self.correctable]

    def other_fields(self) -> list[forms.BoundField]:
        return [self["reason"], self["note"]]

    def corrections(self) -> dict[str, Any]:
        """The inputs the officer filled in, by the rule's names (dates as ISO text, as the claim stores them)."""
        out: dict[str, Any] = {}
        for name in self.correctable:
            value = self.cleaned_data.get(CORRECTION_PREFIX + name)
            if value is None or value == "":
                continue
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
        return out

    def first_error(self) -> ValidationFailed:
        """The first error as a domain error naming the rule's input (or the reason, the note)."""
        name, errors = next(iter(self.errors.items()))
        field = name.removeprefix(CORRECTION_PREFIX) if name != "__all__" else "corrections"
        return ValidationFailed(field, " ".join(str(e) for e in errors))


class RejectForm(forms.Form):
    reason = reason_field(
        gettext_lazy("reason of the rejection"),
        gettext_lazy("the claimant reads it in the decision letter; empty: the rules' refusal"),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("document"))
    file = forms.FileField(label=gettext_lazy("file"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, ctype: ClaimType, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(d.code, str(d.label)) for d in ctype.documents]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        return check_size(self.cleaned_data.get("file"))


class StopForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("why the payments stop"), max_length=2000)
    child = forms.TypedChoiceField(label=gettext_lazy("child"), required=False, coerce=int, empty_value=None)

    def __init__(self, children: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("all"))] + [(str(order), f"{order}. {name}") for order, name in children]
