"""Benefits paid under a reform: the claims paid in the month, each recomputed from its stored inputs by its own
rule (the rules' batch path, ``rules.prepare`` over a table of the claims) under the law and under the reform,
and decided as its assessment decides (``claims.services.assessment.decided``). No benefit formula is written
here, so a scenario and the claims cannot disagree.

A claim is counted in the province of its participant's domicile. Per programme and per province: the claims,
the amount payable at once and the monthly pension under both sides, and their deltas. The claims are read in
chunks of :data:`CHUNK` (memory bounded whatever the month's size). A type whose assessment is not one rule
over its stored inputs (the scholarship: the rule over each child's school years) is listed as left, with its
count, not recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

import ibis
import pyarrow as pa

from paritrana.claims.models import Claim, Status
from paritrana.claims.services.assessment import decided
from paritrana.claims.types import TYPES, ClaimType
from paritrana.contributions.periods import month_end
from paritrana.rules import get_rule, prepare
from paritrana.rules.fetch import rows_of
from paritrana.rules.inputs import records_arrow
from paritrana.rules.parameters import ParameterSet, load_parameters
from paritrana.scenarios import definition

CHUNK = 5_000  # claims recomputed at once
MEASURES = ("amount", "monthly")  # paid at once; a pension's monthly amount
SIDES = ("baseline", "reform")
_ROW = "_claim"  # the claim's key beside the rule's inputs


def paid_in(period: dt.date) -> Any:
    """The claims paid in the month of ``period`` (their payment's day in the site's time zone)."""
    return Claim.objects.filter(
        status=Status.PAID, paid_at__date__gte=period.replace(day=1), paid_at__date__lte=month_end(period)
    )


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _decided(
    ctype: ClaimType, claims: Sequence[dict[str, Any]], parameters: ParameterSet
) -> dict[int, tuple[int, int]]:
    """Each claim's amount at once and monthly amount under ``parameters``, by claim id."""
    rule = get_rule(ctype.rule)
    records = [{**c["inputs"], "date": c["law_date"]} for c in claims]
    table = records_arrow(rule, records).append_column(_ROW, pa.array([c["id"] for c in claims], pa.int64()))
    run = prepare(rule, ibis.memtable(table), parameters=parameters)
    wanted = [o for o in (ctype.amount_output, ctype.eligible_output, ctype.monthly_output) if o]
    out = {}
    for row in rows_of(run.table.select(_ROW, *wanted)):
        _, amount, monthly = decided(ctype, row)
        out[int(row[_ROW])] = (amount, monthly)
    return out


def _add(totals: dict[tuple[str, str], dict[str, int]], key: tuple[str, str], sides: Sequence[tuple[int, int]]) -> None:
    entry = totals.setdefault(key, {"claims": 0, **{f"{s}_{m}": 0 for s in SIDES for m in MEASURES}})
    entry["claims"] += 1
    for side, (amount, monthly) in zip(SIDES, sides, strict=True):
        entry[f"{side}_amount"] += amount
        entry[f"{side}_monthly"] += monthly


def _rows(totals: dict[tuple[str, str], dict[str, int]], keys: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for key in sorted(totals):
        row: dict[str, Any] = {**dict(zip(keys, key, strict=True)), **totals[key]}
        for m in MEASURES:
            row[f"delta_{m}"] = row[f"reform_{m}"] - row[f"baseline_{m}"]
        out.append(row)
    return out


def benefits(period: dt.date, baseline: ParameterSet, reform: ParameterSet) -> dict[str, Any]:
    """The benefits of the claims paid in the month under both sides: by programme, by province and programme,
    and the claim types left (not recomputed) with their counts."""
    by_province: dict[tuple[str, str], dict[str, int]] = {}
    left = []
    for code, ctype in TYPES.items():
        claims = paid_in(period).filter(claim_type=code)
        if ctype.assessor is not None:
            if count := claims.count():
                left.append({"claim_type": code, "programme": ctype.programme, "claims": count})
            continue
        rows = claims.order_by("id").values("id", "inputs", "law_date", "worker__region__code")
        for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
            base, new = _decided(ctype, chunk, baseline), _decided(ctype, chunk, reform)
            for c in chunk:
                province = str(c["worker__region__code"] or "")[:2]
                _add(by_province, (ctype.programme, province), (base[c["id"]], new[c["id"]]))
    by_programme: dict[tuple[str, str], dict[str, int]] = {}
    for (programme, _province), entry in by_province.items():
        total = by_programme.setdefault((programme, ""), dict.fromkeys(entry, 0))
        for name, value in entry.items():
            total[name] += value
    return {
        "programmes": [{k: v for k, v in row.items() if k != "_"} for row in _rows(by_programme, ("programme", "_"))],
        "by_province": _rows(by_province, ("programme", "province")),
        "left": left,
    }


def of_scenario(period: dt.date, text: str) -> dict[str, Any]:
    """:func:`benefits` of a scenario's text (read and checked as a run reads it) over the law."""
    law = load_parameters()
    return benefits(period, law, definition.reform(law, definition.read(text, law)))
