"""A scenario run as people read it (the page, the API and the PDF brief): each group by its name in the reader's
language, the deltas, the changes with their legal reference or "proposed", and a chart of the contributions
under both sides. A run's stored results are codes and sums; the names are looked up here, once."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import vl_convert
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook  # type: ignore[import-untyped]

from paritrana.core.spreadsheet import append_row
from paritrana.registry.models import Region, Scheme, Sex, SizeClass
from paritrana.scenarios import benefit_present
from paritrana.scenarios.compute import SIDES
from paritrana.scenarios.models import ScenarioRun

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
DIMENSION_TITLES = {
    "province": gettext_lazy("province"),
    "regency": gettext_lazy("regency/city"),
    "sector": gettext_lazy("sector"),
    "size_class": gettext_lazy("employer size"),
    "scheme": gettext_lazy("scheme"),
    "sex": gettext_lazy("sex"),
    "age_band": gettext_lazy("age band"),
    "wage_decile": gettext_lazy("wage decile"),
}
PAYER_TITLES = {
    "employer": gettext_lazy("employers"),
    "sponsor": gettext_lazy("sponsors"),
    "worker": gettext_lazy("self-paying workers"),
}


def _region_names(codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _labels(dimension: str, values: list[Any]) -> dict[Any, str]:
    """Each value of ``dimension`` by its name: a region's name, a choice's translated title, a decile's rank."""
    if dimension in ("province", "regency"):
        names = _region_names({str(v) for v in values})
        return {v: names.get(str(v), str(v) or _("not recorded")) for v in values}
    choices: Mapping[str, Any] = {
        "scheme": dict(Scheme.choices),
        "sex": dict(Sex.choices),
        "size_class": dict(SizeClass.choices),
    }.get(dimension, {})
    if dimension == "wage_decile":
        return {v: _("decile %(n)s") % {"n": v} for v in values}
    return {v: str(choices.get(v, v)) if v != "" else _("not recorded") for v in values}


def group_rows(run: ScenarioRun, dimension: str) -> list[dict[str, Any]]:
    """The run's rows by ``dimension`` (one of ``DIMENSION_TITLES``), each with its ``label``."""
    rows = run.results.get("by", {}).get(dimension, [])
    labels = _labels(dimension, [row[dimension] for row in rows])
    return [{**row, "label": labels[row[dimension]]} for row in rows]


def payer_rows(run: ScenarioRun) -> list[dict[str, Any]]:
    return [
        {**row, "label": str(PAYER_TITLES.get(row["payer_kind"], row["payer_kind"])),
         "delta_payer": row["reform_payer"] - row["baseline_payer"]}
        for row in run.results.get("payers", [])
    ]  # fmt: skip


def budget_rows(run: ScenarioRun) -> list[dict[str, Any]]:
    """The regional budgets of the run, each side's cost of the period as ``<side>_cost`` (a run kept before a
    year could be run stored it as ``<side>_monthly_cost``)."""
    return [
        {**b, **{f"{side}_cost": b.get(f"{side}_cost", b.get(f"{side}_monthly_cost")) for side in SIDES}}
        for b in run.results.get("budgets", [])
    ]


def shown(value: Any, unit: str) -> str:
    """A parameter's value as people read it: a rate in per cent, an amount in rupiah, in the active language."""
    if value is None:
        return "—"
    if unit == "rate" and not isinstance(value, dict | list):
        return number_format(Decimal(str(value)) * 100, decimal_pos=2, use_l10n=True) + " %"
    if unit == "rupiah" and isinstance(value, int):
        return "Rp " + number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    return str(value)


def changes(run: ScenarioRun) -> list[dict[str, Any]]:
    return [
        {**c, "reference": _("proposed") if c["proposed"] else c["reference"],
         "shown": shown(c["value"], c["unit"]), "law_shown": shown(c["law_value"], c["unit"])}
        for c in run.results["changes"]
    ]  # fmt: skip


def contributions_chart_svg(run: ScenarioRun) -> str:
    """The period's contributions of each programme under the law and under the reform (grouped bars)."""
    baseline, reform = _("under the law"), _("under the reform")
    values = [
        {"programme": row["programme"], "side": side, "amount": row[f"{key}_amount"] / 1_000_000}
        for row in run.results["programmes"]
        for side, key in ((baseline, "baseline"), (reform, "reform"))
    ]
    spec = {
        "$schema": SCHEMA,
        "title": _("Contributions of the year, Rp million")
        if run.span == ScenarioRun.Span.YEAR
        else _("Contributions of the month, Rp million"),
        "width": 320,
        "height": 200,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "programme", "type": "nominal", "title": None},
            "xOffset": {"field": "side"},
            "y": {"field": "amount", "type": "quantitative", "title": None},
            "color": {"field": "side", "type": "nominal", "title": None, "legend": {"orient": "bottom"},
                      "scale": {"range": ["#5b8db8", "#c0392b"]}},
        },
    }  # fmt: skip
    svg = str(vl_convert.vegalite_to_svg(spec))
    return svg[svg.index("<svg") :]


MONEY_COLUMNS = ("baseline_amount", "reform_amount", "delta_amount", "baseline_payer", "reform_payer",
                 "delta_payer", "baseline_worker", "reform_worker", "delta_worker")  # fmt: skip


def workbook(run: ScenarioRun) -> bytes:
    """The run's tables as sheets (the changes, by programme, one per group, the payers, the budgets); headers in
    the reader's language, every cell a number or text."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("period")[:31]
    append_row(sheet, [_("period"), run.period_text()])
    sheet = book.create_sheet(_("changes")[:31])
    append_row(sheet, [_("parameter"), _("from"), _("law"), _("scenario"), _("reference")])
    for c in changes(run):
        append_row(sheet, [c["name"], c["effective"], c["law_shown"], c["shown"], c["reference"]])
    sheet = book.create_sheet(_("programme")[:31])
    append_row(sheet, [_("programme"), *MONEY_COLUMNS])
    for row in run.results["programmes"]:
        append_row(sheet, [row["programme"], *(row[c] for c in MONEY_COLUMNS)])
    for dimension, title in DIMENSION_TITLES.items():
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31])  # what a sheet's name may not hold
        append_row(sheet, [str(title), "workers", "gaining", "losing", *MONEY_COLUMNS])
        for row in group_rows(run, dimension):
            append_row(sheet, [row["label"], row["workers"], row["gaining"], row["losing"],
                               *(row[c] for c in MONEY_COLUMNS)])  # fmt: skip
    sheet = book.create_sheet(_("payers")[:31])
    append_row(sheet, [_("payers"), "payers", "gaining", "losing", "baseline_payer", "reform_payer"])
    for row in payer_rows(run):
        append_row(sheet, [row["label"], row["payers"], row["gaining"], row["losing"], row["baseline_payer"],
                           row["reform_payer"]])  # fmt: skip
    sheet = book.create_sheet(_("budget")[:31])
    append_row(sheet, [_("programme"), "year", "budget", "baseline_cost", "reform_cost", "baseline_covered",
                       "reform_covered"])  # fmt: skip
    for b in budget_rows(run):
        append_row(sheet, [b["programme"], b["year"], b["budget"], b["baseline_cost"], b["reform_cost"],
                           b["baseline_covered"], b["reform_covered"]])  # fmt: skip
    benefit_present.add_sheet(book, run)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
