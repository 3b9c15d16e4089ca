"""A table uploaded on a page (wage files, beneficiary lists): its file field, and its row errors shown to a
person, on the page (row, field label, message in the active language) and as a CSV download to work
through beside the spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext as _

from paritrana.core.spreadsheet import csv_writer

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development dependency: for the type only


def table_file_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.FileField:
    """The field of a CSV or XLSX upload: the browser offers those files first."""
    return forms.FileField(
        label=label, help_text=help_text, widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"})
    )


def shown_row_errors(
    stored: Iterable[Mapping[str, Any]], labels: Mapping[str, Any], message: Callable[[Mapping[str, Any]], str]
) -> list[dict[str, Any]]:
    """Stored row errors (``row``, ``field``, ``template``, ``params``) with the field's label and the message."""
    return [
        {
            "row": e.get("row"),
            "field": e.get("field", ""),
            "field_label": labels.get(e.get("field", ""), e.get("field", "")),
            "message": message(e),
        }
        for e in stored
    ]


def row_errors_csv(rows: Iterable[Mapping[str, Any]], file_name: str) -> HttpResponse:
    """``rows`` of ``shown_row_errors`` as a CSV file (row, field, message) named ``file_name``."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([_("row"), _("field"), _("message")])
    for e in rows:
        writer.writerow([e["row"] or "", e["field_label"], e["message"]])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
