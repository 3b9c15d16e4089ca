"""Benefits paid under a reform: every benefit payment of the month (decision 0043: the instructions due in the
month: lump sums, each pension month of a pension in payment, each JKP month, each scholarship year), each
recomputed by its claim's own rule from the claim's stored inputs under the law and under the reform
(:mod:`paritrana.scenarios.repricing`). No benefit formula is written here, so a scenario and the claims cannot
disagree.

A payment is counted in the province of its participant's domicile. Per programme, per programme and kind of
payment, per programme and province: the payments, the amount under both sides and the delta. The payments are
read in chunks of :data:`CHUNK` (memory bounded whatever the month's size).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from paritrana.claims.models import BenefitPayment, Instalment
from paritrana.claims.types import TYPES
from paritrana.contributions.periods import month_end
from paritrana.rules.parameters import ParameterSet, load_parameters
from paritrana.scenarios import definition
from paritrana.scenarios.repricing import Kind, Payment, SchoolYear, amounts

CHUNK = 5_000  # payments recomputed at once
SIDES = ("baseline", "reform")
COUNTED = "payments"  # what a run's benefits count (earlier runs counted the claims paid in the month)
FIELDS = ("id", "kind", "key", "claim_id", "claim__claim_type", "claim__inputs", "claim__law_date",
          "claim__worker__region__code", "instalment__child_order", "instalment__school_year")  # fmt: skip
Key = tuple[str, str, str]  # programme, kind, province
Chunk = list[tuple[Payment, str]]  # payments, each with its participant's province


def due_in(period: dt.date, last: dt.date | None = None) -> Any:
    """The benefit payments of the month of ``period`` (or from it to ``last``: a year's): the instructions due in
    it."""
    return BenefitPayment.objects.filter(due_on__gte=period.replace(day=1), due_on__lte=last or month_end(period))


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _school_years(chunk: Sequence[dict[str, Any]]) -> dict[tuple[int, int], list[SchoolYear]]:
    """The scheduled school years of the chunk's scholarship children, in order, by (claim, child)."""
    claims = {row["claim_id"] for row in chunk if row["kind"] == Kind.SCHOLARSHIP}
    out: dict[tuple[int, int], list[SchoolYear]] = {}
    if not claims:
        return out
    rows = Instalment.objects.filter(claim_id__in=claims, school_year__isnull=False).order_by("school_year", "id")
    for row in rows.values("claim_id", "child_order", "level", "year_in_level", "school_year"):
        year = SchoolYear(
            int(row["child_order"] or 0), row["level"], int(row["year_in_level"] or 1), int(row["school_year"] or 0)
        )
        out.setdefault((row["claim_id"], year.child_order), []).append(year)
    return out


def _payment(row: dict[str, Any], years: dict[tuple[int, int], list[SchoolYear]]) -> Payment:
    mine: tuple[SchoolYear, ...] = ()
    if row["kind"] == Kind.SCHOLARSHIP:
        child, paid_year = row["instalment__child_order"], row["instalment__school_year"]
        mine = tuple(y for y in years.get((row["claim_id"], child), []) if y.school_year <= paid_year)
    return Payment(
        row["id"], row["kind"], row["key"], TYPES[row["claim__claim_type"]], row["claim__inputs"],
        row["claim__law_date"], mine,
    )  # fmt: skip


def _add(totals: dict[Key, dict[str, int]], key: Key, sides: Sequence[int]) -> None:
    entry = totals.setdefault(key, {"payments": 0, **dict.fromkeys(SIDES, 0)})
    entry["payments"] += 1
    for side, amount in zip(SIDES, sides, strict=True):
        entry[side] += amount


def _rolled(totals: dict[Key, dict[str, int]], names: Sequence[str]) -> list[dict[str, Any]]:
    """The totals summed by the key's parts ``names`` (of programme, kind, province), each with its delta."""
    places = [("programme", "kind", "province").index(n) for n in names]
    out: dict[tuple[str, ...], dict[str, int]] = {}
    for key, entry in totals.items():
        total = out.setdefault(tuple(key[i] for i in places), dict.fromkeys(entry, 0))
        for name, value in entry.items():
            total[name] += value
    return [
        {**dict(zip(names, key, strict=True)), **entry, "delta": entry["reform"] - entry["baseline"]}
        for key, entry in sorted(out.items())
    ]


def registry_payments(period: dt.date, last: dt.date | None = None) -> Iterator[Chunk]:
    """The registry's benefit payments of the month (or up to ``last``), a chunk at a time, each with its
    participant's province."""
    rows = due_in(period, last).order_by("id").values(*FIELDS)
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
        years = _school_years(chunk)
        yield [(_payment(row, years), str(row["claim__worker__region__code"] or "")[:2]) for row in chunk]


def benefits(chunks: Iterable[Chunk], baseline: ParameterSet, reform: ParameterSet) -> dict[str, Any]:
    """The benefit payments of the month under both sides: by programme, by programme and kind of payment, by
    programme and province."""
    totals: dict[Key, dict[str, int]] = {}
    for chunk in chunks:
        payments = [p for p, _province in chunk]
        base, new = amounts(payments, baseline), amounts(payments, reform)
        for p, province in chunk:
            _add(totals, (p.ctype.programme, p.kind, province), (base[p.id], new[p.id]))
    return {
        "counted": COUNTED,
        "programmes": _rolled(totals, ("programme",)),
        "by_kind": _rolled(totals, ("programme", "kind")),
        "by_province": _rolled(totals, ("programme", "province")),
    }


def of_scenario(period: dt.date, text: str, chunks: Iterable[Chunk] | None = None) -> dict[str, Any]:
    """:func:`benefits` of a scenario's text (read and checked as a run reads it) over the law, for the payments
    ``chunks`` (by default the registry's of the month)."""
    law = load_parameters()
    reform = definition.reform(law, definition.read(text, law))
    return benefits(registry_payments(period) if chunks is None else chunks, law, reform)
