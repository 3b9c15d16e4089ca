"""The award's documents: a candidate's scorecard (PDF), the committee's report (PDF and XLSX), in Bahasa
Indonesia or English, rendered as the bills and letters are (WeasyPrint, DejaVu fonts, nothing fetched)."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.award import charts
from paritrana.award.models import Category, Computation
from paritrana.award.params import NOT_PUBLISHED
from paritrana.award.services.results import Scorecard, computation_for, scorecard
from paritrana.contributions.documents import Pdf, language, render_pdf
from paritrana.core.spreadsheet import append_row


def indicator_label(key: str) -> str:
    labels = {
        "active_rate": _("active coverage rate"), "active_growth": _("growth of active participants"),
        "pu_active": _("active wage earners (PU)"), "bpu_active": _("active non-wage earners (BPU)"),
        "vulnerable_protected": _("vulnerable workers protected by the region's programmes"),
        "budget_realised": _("programme budget realised"), "workers": _("workers registered"),
        "four_programmes_share": _("share of workers in JKK, JKM, JHT and JP"),
        "unreported_workers": _("workers not reported"), "wage_at_minimum_share": _("share paid at least the minimum wage"),
        "bills_on_time_share": _("bills paid on time"), "arrears": _("arrears"),
        "csr_sponsored": _("vulnerable workers sponsored by CSR"), "regulations": _("regulations submitted"),
        "interview": _("interview (assessors)"), "rubric_regulation": _("regulation quality (assessors)"),
        "rubric_innovation": _("innovation (assessors)"),
    }  # fmt: skip
    return str(labels.get(key, key))


def category_label(value: str) -> str:
    return str(Category(value).label) if value in Category.values else value


def zone_label(value: str) -> str:
    labels = {"sumatra": _("Sumatra"), "jawa_bali": _("Jawa–Bali"), "kalimantan": _("Kalimantan"),
              "sulawesi": _("Sulawesi"), "nusa_tenggara_maluku_papua": _("Nusa Tenggara–Maluku–Papua")}  # fmt: skip
    return str(labels.get(value, value))


def gate_text(reason: str) -> str:
    """A gate's reason (frozen in English on the ranking) in the active language."""
    fixed = {"no workers registered": _("no workers registered"),
             "no regulation submitted": _("no regulation submitted"),
             "no workforce figure for the coverage rate": _("no workforce figure for the coverage rate")}  # fmt: skip
    if reason in fixed:
        return str(fixed[reason])
    if m := re.fullmatch(r"arrears of (Rp [\d.]+)", reason):
        return _("arrears of %(amount)s") % {"amount": m.group(1)}
    if m := re.fullmatch(r"partial registration: (\d+) workers not reported", reason):
        return _("partial registration: %(n)s workers not reported") % {"n": m.group(1)}
    return reason


def labelled(row: dict[str, Any]) -> dict[str, Any]:
    """A ranking row with its category, zone and gates in the active language."""
    return {**row, "category_label": category_label(row["category"]), "zone_label": zone_label(row["zone"]),
            "gates_text": "; ".join(gate_text(g) for g in row.get("gate_reasons", []))}  # fmt: skip


def _card_context(card: Scorecard) -> dict[str, Any]:
    lines = [{**line, "label": indicator_label(line["key"])} for line in card.indicators]
    return {
        "card": card,
        "row": card.row,
        "lines": lines,
        "category": category_label(card.row["category"]),
        "zone": zone_label(card.row["zone"]),
        "gates": "; ".join(gate_text(g) for g in card.row["gate_reasons"]),
        "chart": charts.dots_svg(lines, title=_("normalised score of each component")),
        "not_published": NOT_PUBLISHED,
        "printed_on": timezone.localdate(),
    }


def scorecard_pdf(user: AnyUser | None, candidate_id: int, lang: str | None = None) -> Pdf:
    lang = language(lang)
    with translation.override(lang):
        card = scorecard(user, candidate_id)
        context = _card_context(card)
    content = render_pdf("award/scorecard.html", context, lang)
    return Pdf(content, f"scorecard-{card.computation.round.edition.year}-{card.candidate.pk}-{lang}.pdf", lang)


def report_rows(computation: Computation) -> list[dict[str, Any]]:
    return [labelled(r) for r in computation.results]


def report_pdf(user: AnyUser | None, computation_id: int, lang: str | None = None) -> Pdf:
    lang = language(lang)
    with translation.override(lang):
        comp = computation_for(user, computation_id)
        rows = report_rows(comp)
        context = {"comp": comp, "rows": rows, "printed_on": timezone.localdate(), "not_published": NOT_PUBLISHED,
                   "chart": charts.rank_bars_svg(rows[:40], title=_("scores"), score_title=_("score (0–100)"))}  # fmt: skip
    content = render_pdf("award/report.html", context, lang)
    return Pdf(content, f"award-report-{comp.round.edition.year}-round-{comp.round_id}-{lang}.pdf", lang)


def report_xlsx(user: AnyUser | None, computation_id: int, lang: str | None = None) -> Pdf:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    lang = language(lang)
    with translation.override(lang):
        comp = computation_for(user, computation_id)
        book = Workbook()
        sheet = book.active
        sheet.title = _("ranking")[:31]
        keys = sorted({k for r in comp.results for k in r["indicators"]})
        append_row(sheet, [_("rank"), _("name"), _("category"), _("zone"), _("score"), _("rank range (weights ±20 %)"),
                      _("gates"), *[indicator_label(k) for k in keys]])  # fmt: skip
        for r in report_rows(comp):
            span = r["rank_range"]
            append_row(sheet, [r["rank"], r["name"], r["category_label"], r["zone_label"], r["score"],
                          f"{span[0]}–{span[1]}" if span else "", r["gates_text"],
                          *[r["indicators"].get(k) for k in keys]])  # fmt: skip
        info = book.create_sheet(_("parameters")[:31])
        append_row(info, [_("snapshot"), comp.snapshot_sha256])
        append_row(info, [_("snapshot date"), comp.as_of.isoformat()])
        append_row(info, [_("weights version"), comp.parameters["weights_version"]])
        append_row(info, [_("weights"), comp.parameters["weights_reference"]])
        for kind, weights in comp.parameters["weights"].items():
            for key, w in weights.items():
                append_row(info, [kind, indicator_label(key), w])
    out = io.BytesIO()
    book.save(out)
    return Pdf(out.getvalue(), f"award-report-{comp.round.edition.year}-round-{comp.round_id}.xlsx", lang)
