"""What the pages, the API and the command line show of a projection: rows as dictionaries, the SVG chart of
the fund and the reserve ratio (Vega-Lite drawn on the server), the XLSX workbook (every cell through the
neutralising writer)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import vl_convert
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook  # type: ignore[import-untyped]

from paritrana.core.spreadsheet import append_row
from paritrana.projection.engine import ProgrammeResult

if TYPE_CHECKING:  # the services show their reports through this module
    from paritrana.projection.services import Report

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
TRILLION = 1_000_000_000_000


def year_rows(result: ProgrammeResult) -> list[dict[str, Any]]:
    return [
        {
            "year": r.year,
            "contributions": r.contributions,
            "benefits": r.benefits,
            "lump_sums": r.lump_sums,
            "returns": r.returns,
            "costs": r.costs,
            "fund_start": r.fund_start,
            "fund_end": r.fund_end,
            "reserve_ratio": None if r.reserve_ratio is None else round(r.reserve_ratio, 2),
            "contributors": round(r.contributors, 1),
            "pensioners": round(r.pensioners, 1),
        }
        for r in result.rows
    ]


def cohort_rows(result: ProgrammeResult) -> list[dict[str, Any]]:
    return [
        {
            "year": c.year,
            "birth_year": c.birth_year,
            "new_pensioners": round(c.new_pensioners, 1),
            "average_pension": round(c.average_pension),
            "average_final_wage": round(c.average_final_wage),
            "replacement_rate": round(c.replacement_rate, 4),
        }
        for c in result.cohorts
    ]


def first_year_check(report: Report) -> list[dict[str, Any]]:
    """The first projected year beside the registry's last year, per programme. The registry's year may be billed
    for some months only: the projected year is also shown for those months (× months ÷ 12), never the registry's
    months stretched alone; the benefits likewise for the months with benefits due in the registry's year."""
    out = []
    for programme, result in (("JP", report.projection.jp), ("JHT", report.projection.jht)):
        actual, first = report.actuals[programme], result.rows[0]
        months = actual.months
        out.append({
            "programme": programme, "year": actual.year, "months": months,
            "contributions": actual.contributions, "projected_year": first.year,
            "projected_contributions": first.contributions,
            "projected_contributions_for_months": first.contributions * months // 12,
            "benefits": actual.benefits, "projected_benefits": first.benefits,
            "benefit_months": actual.benefit_months,
            "projected_benefits_for_months": first.benefits * actual.benefit_months // 12,
        })  # fmt: skip
    return out


def summary(report: Report) -> dict[str, Any]:
    p = report.projection
    return {
        "start_year": p.start_year,
        "years": len(p.jp.rows),
        "source": report.source,
        "scenario": report.scenario,
        "jp_exhaustion_year": p.jp.exhaustion_year,
        "jht_exhaustion_year": p.jht.exhaustion_year,
        "balancing_rate": {
            "level": round(p.balancing.level, 6),
            "step": round(p.balancing.step, 6),
            "path": [{"from_year": y, "rate": round(r, 6)} for y, r in p.balancing.path],
        },
        "uncertain": list(p.uncertain),
        "actual": {
            k: {
                "year": a.year,
                "months": a.months,
                "contributions": a.contributions,
                "annualised_contributions": a.annualised_contributions,
                "benefits": a.benefits,
            }
            for k, a in report.actuals.items()
        },
        "first_year_check": first_year_check(report),
        # the survivors' pensions in payment: their recipients' ages recorded, or assumed by the generation gap
        "heir_ages": dict(report.heir_ages),
    }


def fund_chart_svg(programme: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """The fund at the end of each year (bars, trillion rupiah) and the reserve ratio (a line, years), from the
    yearly rows of :func:`year_rows` (as computed, or as a scenario run stored them)."""
    values = [
        {"year": r["year"], "fund": r["fund_end"] / TRILLION, "ratio": r["reserve_ratio"]}
        for r in rows
        if r["reserve_ratio"] is not None
    ]
    fund_title = _("fund at the end of the year, Rp trillion")
    ratio_title = _("reserve ratio (fund ÷ next year's benefits)")
    spec = {
        "$schema": SCHEMA,
        "title": _("%(programme)s fund and reserve ratio") % {"programme": programme},
        "width": 560,
        "height": 220,
        "data": {"values": values},
        "encoding": {"x": {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": -90}}},
        "layer": [
            {"mark": {"type": "bar", "color": "#5b8db8"}, "encoding": {"y": {"field": "fund", "type": "quantitative", "title": fund_title}}},
            {"mark": {"type": "line", "color": "#c0392b"}, "encoding": {"y": {"field": "ratio", "type": "quantitative", "title": ratio_title}}},
        ],
        "resolve": {"scale": {"y": "independent"}},
    }  # fmt: skip
    svg = str(vl_convert.vegalite_to_svg(spec))
    return svg[svg.index("<svg") :]


# the workbook's column and summary titles, in the reader's language (the rows' keys stay the API's)
TITLES = {
    "year": gettext_lazy("year"), "contributions": gettext_lazy("contributions"),
    "benefits": gettext_lazy("benefits"), "lump_sums": gettext_lazy("of which lump sums"),
    "returns": gettext_lazy("returns"), "costs": gettext_lazy("costs"),
    "fund_start": gettext_lazy("fund at the start"), "fund_end": gettext_lazy("fund at the end"),
    "reserve_ratio": gettext_lazy("reserve ratio"), "contributors": gettext_lazy("contributors"),
    "pensioners": gettext_lazy("pensioners"), "birth_year": gettext_lazy("born in"),
    "new_pensioners": gettext_lazy("new pensioners"), "average_pension": gettext_lazy("average pension"),
    "average_final_wage": gettext_lazy("average final wage"), "replacement_rate": gettext_lazy("replacement rate"),
    "start_year": gettext_lazy("first projected year"), "years": gettext_lazy("years"),
    "source": gettext_lazy("source"), "scenario": gettext_lazy("scenario"),
    "jp_exhaustion_year": gettext_lazy("JP fund exhausted in"),
    "jht_exhaustion_year": gettext_lazy("JHT fund exhausted in"),
    "balancing_rate_level": gettext_lazy("JP rate balancing the fund over the horizon"),
    "balancing_rate_step_path": gettext_lazy("step path (from year: rate)"),
    "actual": gettext_lazy("registry: year, months billed, contributions billed, benefits paid"),
    "uncertain": gettext_lazy("Uncertain assumptions or parameters:"),
}  # fmt: skip
YEAR_COLUMNS = ("year", "contributions", "benefits", "lump_sums", "returns", "costs", "fund_start", "fund_end",
                "reserve_ratio", "contributors", "pensioners")  # fmt: skip
COHORT_COLUMNS = ("year", "birth_year", "new_pensioners", "average_pension", "average_final_wage", "replacement_rate")


def _titles(keys: Sequence[str]) -> list[str]:
    return [str(TITLES[k]) for k in keys]


def workbook(report: Report) -> bytes:
    """JP, JHT, replacement rates and the summary as sheets, titled in the reader's language; every cell written
    as text or a number."""
    book = Workbook()
    sheet = book.active
    sheet.title = "JP"
    jp, jht = report.projection.jp, report.projection.jht
    for title, result in (("JP", jp), ("JHT", jht)):
        sheet = sheet if title == "JP" else book.create_sheet(title)
        append_row(sheet, _titles(YEAR_COLUMNS))
        for row in year_rows(result):
            append_row(sheet, [row[c] for c in YEAR_COLUMNS])
    cohorts = book.create_sheet(_("replacement rates"))
    append_row(cohorts, _titles(COHORT_COLUMNS))
    for row in cohort_rows(jp):
        append_row(cohorts, [row[c] for c in COHORT_COLUMNS])
    info = book.create_sheet(_("summary"))
    s = summary(report)
    for key in ("start_year", "years", "source", "scenario", "jp_exhaustion_year", "jht_exhaustion_year"):
        append_row(info, [str(TITLES[key]), s[key]])
    append_row(info, [str(TITLES["balancing_rate_level"]), s["balancing_rate"]["level"]])
    for step in s["balancing_rate"]["path"]:
        append_row(info, [str(TITLES["balancing_rate_step_path"]), step["from_year"], step["rate"]])
    for programme, a in s["actual"].items():
        append_row(
            info, [f"{TITLES['actual']} ({programme})", a["year"], a["months"], a["contributions"], a["benefits"]]
        )
    append_row(info, [str(TITLES["uncertain"]), *s["uncertain"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
