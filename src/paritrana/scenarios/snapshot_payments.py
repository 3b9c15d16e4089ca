"""A snapshot's benefit payments of a month as the registry's (``benefits.registry_payments``): the same
:class:`~paritrana.scenarios.repricing.Payment` chunks, read by DuckDB from the snapshot's ``benefit_payment`` and
``school_year`` files (``coverage.snapshot``; decision 0043), so that a run over a snapshot recomputes its
benefits by the same code.

A scholarship's stored inputs do not leave the registry (they hold the children's names): its payments are rebuilt
from the school years, which carry what the scholarship rule reads (the trigger, the contribution months, each
child's birth date and whether the child married or works).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

from paritrana.claims.types import TYPES
from paritrana.contributions.periods import month_end
from paritrana.coverage.snapshot import NO_PROVINCE
from paritrana.rules import engines
from paritrana.scenarios.benefits import CHUNK, Chunk
from paritrana.scenarios.repricing import Kind, Payment, SchoolYear

TABLES = ("benefit_payment", "school_year")
_PAYMENT_COLUMNS = ("id", "claim_id", "kind", "key", "claim_type", "law_date", "inputs", "child_order", "school_year",
                    "province")  # fmt: skip
_YEAR_COLUMNS = ("claim_id", "child_order", "level", "year_in_level", "school_year", "birth_date", "married",
                 "working", "trigger", "contribution_months")  # fmt: skip


def _files(paths: Sequence[str]) -> str:
    """The files of a table; its rows' province (the ``province=`` folder, as text) when it is partitioned (an
    empty table has one file, outside any province)."""
    listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    if any("province=" in p for p in paths):
        return f"read_parquet([{listed}], hive_partitioning = true, hive_types_autocast = false)"
    return f"(SELECT *, CAST(NULL AS VARCHAR) AS province FROM read_parquet([{listed}], hive_partitioning = false))"


def payments(files: dict[str, list[str]], period: dt.date, last: dt.date | None = None) -> Iterator[Chunk]:
    """The payments due in the month of ``period`` (or from it to ``last``) in the snapshot's files (``files``: each table's), a chunk at a
    time, each with its participant's province."""
    duck = engines.backend("duckdb").con
    first, last = period.replace(day=1), last or month_end(period)
    cursor = duck.cursor()  # a connection of its own: the rules run their queries on the engine's meanwhile
    try:
        cursor.execute(
            f"SELECT {', '.join(_PAYMENT_COLUMNS)} FROM {_files(files['benefit_payment'])}"
            f" WHERE due_on BETWEEN DATE '{first.isoformat()}' AND DATE '{last.isoformat()}' ORDER BY id"
        )
        while rows := cursor.fetchmany(CHUNK):
            chunk = [dict(zip(_PAYMENT_COLUMNS, row, strict=True)) for row in rows]
            years = _school_years(duck, files["school_year"], chunk)
            yield [(_payment(row, years), _province(row["province"])) for row in chunk]
    finally:
        cursor.close()


def _province(code: str | None) -> str:
    return "" if code in (None, NO_PROVINCE) else str(code)  # the registry's: a participant without a region


def _school_years(duck: Any, paths: list[str], chunk: Sequence[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """The school years of the chunk's scholarship claims, in order, by claim."""
    claims = sorted({int(row["claim_id"]) for row in chunk if row["kind"] == Kind.SCHOLARSHIP})
    out: dict[int, list[dict[str, Any]]] = {}
    if not claims:
        return out
    cursor = duck.cursor()
    try:
        cursor.execute(
            f"SELECT {', '.join(_YEAR_COLUMNS)} FROM {_files(paths)}"
            f" WHERE claim_id IN ({', '.join(map(str, claims))}) ORDER BY school_year, id"
        )
        for row in cursor.fetchall():
            year = dict(zip(_YEAR_COLUMNS, row, strict=True))
            out.setdefault(year["claim_id"], []).append(year)
    finally:
        cursor.close()
    return out


def _scholarship_inputs(years: list[dict[str, Any]]) -> dict[str, Any]:
    """A scholarship claim's inputs as its rule reads them: the shared ones, and each child's (at its order)."""
    children: list[dict[str, Any]] = [{} for _ in range(max(int(y["child_order"]) for y in years))]
    for y in years:
        children[int(y["child_order"]) - 1] = {"birth_date": y["birth_date"], "married": bool(y["married"]),
                                               "working": bool(y["working"])}  # fmt: skip
    return {"trigger": years[0]["trigger"], "contribution_months": years[0]["contribution_months"],
            "children": children}  # fmt: skip


def _payment(row: dict[str, Any], years: dict[int, list[dict[str, Any]]]) -> Payment:
    ctype = TYPES[row["claim_type"]]
    if row["kind"] != Kind.SCHOLARSHIP:
        return Payment(row["id"], row["kind"], row["key"], ctype, json.loads(row["inputs"]), row["law_date"])
    mine = years.get(row["claim_id"], [])
    schedule = tuple(
        SchoolYear(y["child_order"], y["level"], y["year_in_level"], y["school_year"])
        for y in mine
        if y["child_order"] == row["child_order"] and y["school_year"] <= row["school_year"]
    )
    inputs = _scholarship_inputs(mine) if mine else {}
    return Payment(row["id"], row["kind"], row["key"], ctype, inputs, row["law_date"], schedule)
