"""The benefits paid under a reform (:mod:`paritrana.scenarios.benefits`) as people read them: by programme, by
province (by its name) and programme, and the claim types left with their titles; the same as a sheet of the
run's workbook."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from paritrana.claims.types import TYPES
from paritrana.core.spreadsheet import append_row
from paritrana.registry.models import Region
from paritrana.scenarios.models import ScenarioRun

COLUMNS = ("claims", "baseline_amount", "reform_amount", "delta_amount", "baseline_monthly", "reform_monthly",
           "delta_monthly")  # fmt: skip


def benefit_rows(run: ScenarioRun) -> dict[str, Any] | None:
    """The run's benefits, or None when it has none (a run over a snapshot, which holds no claims)."""
    found = run.results.get("benefits")
    if found is None:
        return None
    codes = {row["province"] for row in found["by_province"]}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        "programmes": found["programmes"],
        "provinces": [{**row, "label": names.get(row["province"], row["province"])} for row in found["by_province"]],
        "left": [{**row, "title": str(TYPES[row["claim_type"]].title)} for row in found["left"]],
    }


def add_sheet(book: Any, run: ScenarioRun) -> None:
    """A sheet of the benefits by province and programme (none for a run without benefits)."""
    rows = benefit_rows(run)
    if rows is None:
        return
    sheet = book.create_sheet(_("benefits")[:31])
    append_row(sheet, [_("programme"), _("province"), *COLUMNS])
    for row in rows["provinces"]:
        append_row(sheet, [row["programme"], row["label"], *(row[c] for c in COLUMNS)])
