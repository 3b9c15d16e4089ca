"""The benefits paid under a reform (:mod:`paritrana.scenarios.benefits`) as people read them: each programme by
its title, with its payments in all, by kind of payment and by province (by its name); the same as a sheet of
the run's workbook."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from paritrana.claims.models import BenefitPayment
from paritrana.core.spreadsheet import append_row
from paritrana.registry.models import Programme, Region
from paritrana.scenarios.benefits import COUNTED
from paritrana.scenarios.models import ScenarioRun

COLUMNS = ("payments", "baseline", "reform", "delta")


def _title(code: str) -> str:
    return str(Programme(code).label) if code in Programme.values else code


def benefit_rows(run: ScenarioRun) -> dict[str, Any] | None:
    """The run's benefits by programme, or None when it has none (a run over a snapshot exported without them);
    a run of an earlier version, which counted the claims paid in the month, is only marked as such."""
    found = run.results.get("benefits")
    if found is None:
        return None
    if found.get("counted") != COUNTED:
        return {"earlier": True, "programmes": []}
    codes = {row["province"] for row in found["by_province"]}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    kinds = dict(BenefitPayment.Kind.choices)
    programmes = []
    for row in found["programmes"]:
        code = row["programme"]
        programmes.append({
            **row,
            "title": _title(code),
            "kinds": [{**k, "label": str(kinds.get(k["kind"], k["kind"]))}
                      for k in found["by_kind"] if k["programme"] == code],
            "provinces": [{**p, "label": names.get(p["province"], p["province"])}
                          for p in found["by_province"] if p["programme"] == code],
        })  # fmt: skip
    return {"earlier": False, "programmes": programmes}


def add_sheet(book: Any, run: ScenarioRun) -> None:
    """A sheet of the benefit payments: each programme in all, by kind of payment and by province (none for a run
    without benefits)."""
    rows = benefit_rows(run)
    if rows is None:
        return
    sheet = book.create_sheet(_("benefits")[:31])
    append_row(sheet, [_("programme"), _("kind of payment"), _("province"), _("payments"), _("under the law"),
                       _("under the reform"), _("change")])  # fmt: skip
    every = _("all")
    for p in rows["programmes"]:
        append_row(sheet, [p["title"], every, every, *(p[c] for c in COLUMNS)])
        for k in p["kinds"]:
            append_row(sheet, [p["title"], k["label"], every, *(k[c] for c in COLUMNS)])
        for r in p["provinces"]:
            append_row(sheet, [p["title"], every, r["label"], *(r[c] for c in COLUMNS)])
