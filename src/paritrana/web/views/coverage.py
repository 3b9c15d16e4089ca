"""Coverage pages: the dashboard (Indonesia, a province or a regency/city) with its tile map, charts and
tables; the uncovered segments of a region; the XLSX export; the workforce figures and their import.

Who: see ``coverage.services.dashboard`` (administrators, branch officers and assessors: everything; a
regional officer: its own region; the others: 403). The workforce import is for administrators.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.contributions.periods import parse_month
from paritrana.core.errors import ValidationFailed
from paritrana.core.spreadsheet import append_row
from paritrana.core.uploads import saved
from paritrana.coverage import tiles
from paritrana.coverage.models import FigureKind, WorkforceFigure, WorkforceUpload
from paritrana.coverage.services import dashboard as coverage
from paritrana.coverage.services import workforce
from paritrana.registry.models import Occupation, Programme, Region, Scheme, Sex, Sponsor
from paritrana.web.coverage_charts import bars_svg, trend_svg
from paritrana.web.domain_text import translate_message
from paritrana.web.views.common import checked_upload, form_error

VIEW_LABELS = {
    "domicile": gettext_lazy("by worker domicile"),
    "employer": gettext_lazy("by employer region"),
}
BAND_LABELS = [
    ("none", gettext_lazy("no workforce figure")),
    ("b0", "< 10 %"),
    ("b10", "10–20 %"),
    ("b20", "20–30 %"),
    ("b30", "30–40 %"),
    ("b40", "40–50 %"),
    ("b50", "50–100 %"),
    ("b100", "≥ 100 %"),
]
BREAKDOWN_TITLES = {
    "scheme": gettext_lazy("scheme"),
    "programme": gettext_lazy("programme"),
    "occupation_group": gettext_lazy("vulnerable occupations (farmers, fishers, traders, ojek drivers …)"),
    "occupation": gettext_lazy("occupation"),
    "sponsor_kind": gettext_lazy("who pays"),
    "sex": gettext_lazy("sex"),
    "age_band": gettext_lazy("age band"),
}


def category_label(dimension: str, key: str) -> str:
    every: dict[str, dict[str, Any]] = {
        "scheme": dict(Scheme.choices),
        "programme": dict(Programme.choices),
        "occupation": dict(Occupation.choices),
        "sponsor_kind": {**dict(Sponsor.Kind.choices), "self": _("self")},
        "sex": dict(Sex.choices),
        "occupation_group": {"vulnerable": _("vulnerable occupations"), "other": _("other occupations")},
    }
    choices = every.get(dimension, {})
    return str(choices.get(key, key))


def _query(request: HttpRequest) -> tuple[dt.date | None, str, list[str]]:
    errors = []
    month = None
    text = request.GET.get("month", "").strip()
    if text:
        try:
            month = parse_month(text, "month")
        except ValidationFailed as err:
            errors.append(translate_message(err.reason))
    view = request.GET.get("view", "domicile")
    if view not in coverage.VIEWS:
        errors.append(_("the view is domicile or employer, not %(view)s") % {"view": view[:20]})
        view = "domicile"
    return month, view, errors


def _dashboard_or_error(user: Any, code: str | None, month: dt.date | None, view: str, errors: list[str]) -> Any:
    try:
        return coverage.dashboard(user, region_code=code, month=month, view=view)
    except ValidationFailed as err:
        errors.append(translate_message(err.reason))
        return coverage.dashboard(user, region_code=code, month=None, view=view)


def tile_size(label: str) -> str:
    """The class sizing a tile's label so that its longest word fits the tile without being broken."""
    longest = max((len(word) for word in label.split()), default=0)
    return "tile-s" if longest <= 5 else "tile-m" if longest <= 7 else "tile-l" if longest <= 11 else "tile-xl"


def _tiles(board: coverage.Dashboard) -> tuple[list[dict[str, Any]], tuple[int, int]]:
    if board.parts_level == "province":
        figures = {f.code: f for f in board.parts}
        names = coverage.region_names(tiles.PROVINCE_TILES)
        places, grid = tiles.PROVINCE_TILES, tiles.PROVINCE_GRID
        short = tiles.PROVINCE_SHORT
    elif board.region is not None:
        # a province: its regencies; a regency: its province's, with the figures the user may see. A plain grid in
        # the official code order (regencies, then cities), each tile named in full on hover and to screen readers
        province = board.region if board.parts_level == "regency" else board.region.parent
        figures = {f.code: f for f in (board.parts if board.parts_level == "regency" else board.siblings)}
        names = dict(Region.objects.filter(parent=province).values_list("code", "name"))
        places, grid = tiles.regency_tiles(list(names))
        short = {code: tiles.regency_short(name) for code, name in names.items()}
    else:
        return [], (0, 0)
    current = board.region.code if board.region is not None else None
    out = []
    for code, (col, row) in sorted(places.items(), key=lambda item: (item[1][1], item[1][0])):
        figure = figures.get(code)
        percent = figure.percent if figure else None
        name = names.get(code, code)
        if figure is None:  # a region not shown to the user (or with no participant): its name alone
            label = name
        elif percent is None:
            label = _("%(name)s: no workforce figure") % {"name": name}
        else:
            label = _("%(name)s: %(rate)s %%") % {"name": name, "rate": number_format(percent, 1, use_l10n=True)}
        out.append(
            {
                "code": code,
                "name": name,
                "label": label,
                "short": short.get(code, code),
                "size": tile_size(short.get(code, code)),
                "column": col + 1,
                "row": row + 1,
                "band": figure.band if figure else "none",
                "percent": percent,
                # on a regency's page, only the regencies the user may see are links (others would be 404)
                "url": reverse("web:coverage_region", args=[code]) if board.parts_level or figure else None,
                "current": code == current,
            }
        )
    return out, grid


def _charts(board: coverage.Dashboard) -> dict[str, SafeString]:
    points = [(date_format(f.month, "M Y"), round(f.percent, 2)) for f in board.trend if f.percent is not None]
    charts = {}
    if points:
        target = None
        if board.target is not None:
            label = _("target %(rate)s %% by %(year)s") % {
                "rate": number_format(board.target.percent, 2, use_l10n=True),
                "year": board.target.year,
            }
            target = (label, float(board.target.percent))
        charts["trend"] = trend_svg(
            points,
            title=_("Coverage rate by month"),
            x_title=_("month"),
            y_title=_("active ÷ employed, %"),
            series=_("coverage rate"),
            target=target,
        )
    rows = [
        (category_label("occupation", key), (active, registered - active))
        for key, active, registered in board.breakdowns.get("occupation", [])
    ]
    if rows:
        charts["occupation"] = bars_svg(
            rows,
            title=_("Participants by occupation"),
            parts=(_("active"), _("registered, not active")),
            value_title=_("workers"),
        )
    return charts


def _context(board: coverage.Dashboard, errors: list[str]) -> dict[str, Any]:
    tile_list, grid = _tiles(board)
    breakdowns = [
        {
            "key": name,
            "title": BREAKDOWN_TITLES[name],
            "rows": [
                {
                    "label": category_label(name, key),
                    "key": key,
                    "active": active,
                    "registered": registered,
                    "vulnerable": name == "occupation" and key in coverage.VULNERABLE_OCCUPATIONS,
                }
                for key, active, registered in rows
            ],
        }
        for name, rows in board.breakdowns.items()
    ]
    query = f"month={board.month:%Y-%m}&view={board.view}"
    return {
        "board": board,
        "view_label": VIEW_LABELS[board.view],
        "views": list(VIEW_LABELS.items()),
        "tiles": tile_list,
        "grid": grid,
        "bands": BAND_LABELS,
        "charts": _charts(board),
        "breakdowns": breakdowns,
        "errors": errors,
        "query": query,
        "kinds": {str(FigureKind(k).label): n for k, n in board.denominator_kinds.items()},
    }


@login_required
def national(request: HttpRequest) -> HttpResponse:
    month, view, errors = _query(request)
    board = _dashboard_or_error(request.user, None, month, view, errors)
    return render(request, "web/coverage.html", _context(board, errors))


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    month, view, errors = _query(request)
    board = _dashboard_or_error(request.user, code, month, view, errors)
    return render(request, "web/coverage.html", _context(board, errors))


@login_required
def segments(request: HttpRequest, code: str) -> HttpResponse:
    month, view, errors = _query(request)
    try:
        found = coverage.segments(request.user, code, month=month, view=view)
    except ValidationFailed as err:
        errors.append(translate_message(err.reason))
        found = coverage.segments(request.user, code, month=None, view=view)
    region_obj, month_shown, rows, figure = found
    context = {
        "region": region_obj,
        "month": month_shown,
        "view": view,
        "view_label": VIEW_LABELS[view],
        "views": list(VIEW_LABELS.items()),
        "figure": figure,
        "not_registered": None if figure.employed is None else max(figure.employed - figure.registered, 0),
        "rows": [
            {
                "segment": s,
                "scheme": category_label("scheme", s.scheme),
                "occupation": category_label("occupation", s.occupation),
                "sex": category_label("sex", s.sex),
            }
            for s in rows
        ],
        "errors": errors,
        "months": coverage.billed_months(),
    }
    return render(request, "web/coverage_segments.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    month, view, errors = _query(request)
    code = request.GET.get("region") or None
    board = _dashboard_or_error(request.user, code, month, view, errors)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Coverage")[:31]
    view_label = str(VIEW_LABELS[board.view])
    header = [_("code"), _("region"), _("month"), _("view"), _("active"), _("registered"), _("employed"),
              _("coverage rate"), _("workers to add per month")]  # fmt: skip
    append_row(sheet, header)
    for f in [board.total, *board.parts]:
        append_row(sheet, [f.code, f.name, f"{f.month:%Y-%m}", view_label, f.active, f.registered, f.employed, f.rate,
                      f.workers_per_month])  # fmt: skip
    trend = book.create_sheet(_("Trend")[:31])
    append_row(trend, [_("month"), _("view"), _("active"), _("registered"), _("employed"), _("coverage rate")])
    for f in board.trend:
        append_row(trend, [f"{f.month:%Y-%m}", view_label, f.active, f.registered, f.employed, f.rate])
    parts = book.create_sheet(_("Breakdowns")[:31])
    append_row(parts, [_("dimension"), _("category"), _("view"), _("active"), _("registered")])
    for name, rows in board.breakdowns.items():
        for key, active, registered in rows:
            append_row(parts, [str(BREAKDOWN_TITLES[name]), category_label(name, key), view_label, active, registered])
    notes = book.create_sheet(_("Notes")[:31])
    append_row(notes, [_("denominator year"), board.denominator_year])
    if board.target is not None:
        by_year = _("by 31 December %(year)s") % {"year": board.target.year}
        append_row(notes, [_("target"), f"{board.target.percent} % {by_year}"])
        append_row(notes, [_("reference"), board.target.reference])
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"coverage-{board.total.code}-{board.month:%Y-%m}-{board.view}.xlsx"
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class WorkforceForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=workforce.FIRST_YEAR, max_value=2100)
    source = forms.CharField(
        label=gettext_lazy("source"),
        max_length=workforce.SOURCE_LENGTH,
        help_text=gettext_lazy("publication, table and date, e.g. BPS Sakernas August 2025, table 3"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=FigureKind.choices)
    file = forms.FileField(
        label=gettext_lazy("file (CSV or XLSX)"),
        help_text=gettext_lazy("columns region_code (33, 33.74 or ID), employed and, optionally, year"),
    )

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data["file"])


def _error_text(error: dict[str, Any]) -> str:
    """An upload error in the active language (its English template, translated, with its values)."""
    try:
        return _(error["template"]).format(**error.get("params", {}))
    except (KeyError, IndexError, ValueError):
        return str(error.get("message", ""))


@login_required
def workforce_page(request: HttpRequest) -> HttpResponse:
    if not coverage.can_view_coverage(request.user):
        raise PermissionDenied
    can_import = workforce.can_import(request.user)
    upload = None
    form = WorkforceForm()
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        form = WorkforceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with saved(data["file"]) as path:
                    upload = workforce.import_workforce_file(
                        request.user,
                        path,
                        data["file"].name,
                        year=data["year"],
                        source=data["source"],
                        kind=data["kind"],
                    )
            except ValidationFailed as err:
                form_error(form, err)
    root = coverage.coverage_root(request.user)
    figures = WorkforceFigure.objects.select_related("region").order_by("-year", "region__code")
    if root is not None:
        figures = figures.filter(Q(region__code=root.code) | Q(region__code__startswith=root.code + "."))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    years = sorted(set(WorkforceFigure.objects.values_list("year", flat=True).order_by()), reverse=True)
    year = year if year in years else (years[0] if years else None)
    context = {
        "form": form if can_import else None,
        "upload": upload,
        "errors": [{**e, "message": _error_text(e)} for e in (upload.errors if upload else [])],
        "figures": figures.filter(year=year)[:700] if year else [],
        "years": years,
        "year": year,
        "uploads": WorkforceUpload.objects.all()[:10] if can_import else [],
    }
    return render(request, "web/coverage_workforce.html", context)
