"""The tables an analyst reads, as roll-ups of the cubes (:mod:`paritrana.scenarios.compute`) fetched as Arrow:
sums over every dimension but one. Small: a cube has a row per value of each dimension, not per worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from paritrana.scenarios.compute import DIMENSIONS, GROUPING, MEASURES, SIDES

MONEY = tuple(f"{side}_{m}" for side in SIDES for m in MEASURES)
PEOPLE = ("workers", "gaining", "losing")


def _grouped_by(table: pa.Table, keys: Sequence[str]) -> pa.Table:
    """The rows of a roll-up by each dimension (``compute.by_each_dimension``) grouped by the one dimension of
    ``keys`` (by any one when ``keys`` has none: each grouping holds every line once)."""
    if GROUPING not in table.column_names:
        return table
    named = [k for k in keys if k in DIMENSIONS]
    if len(named) > 1:
        raise ValueError(f"a roll-up is kept by one dimension at a time, not by {named}")
    return table.filter(pc.equal(table[GROUPING], named[0] if named else DIMENSIONS[0]))


def _rows(table: pa.Table, keys: Sequence[str], columns: Sequence[str]) -> list[dict[str, Any]]:
    table = _grouped_by(table, keys)
    if table.num_rows == 0:
        return []
    grouped = table.group_by(list(keys)).aggregate([(c, "sum") for c in columns])
    grouped = grouped.rename_columns(_order(grouped, keys))
    rows = grouped.to_pylist()
    return sorted(rows, key=lambda row: tuple(str(row[k]) for k in keys))


def _order(grouped: pa.Table, keys: Sequence[str]) -> list[str]:
    # pyarrow names a sum "<column>_sum"; give each column back its own name
    return [name.removesuffix("_sum") if name not in keys else name for name in grouped.column_names]


def money(cube: pa.Table, keys: Sequence[str], programme: str | None = None) -> list[dict[str, Any]]:
    """Contributions, the payers' cost and the workers' share under both sides, summed by ``keys`` (of one
    programme, or of all), each row with its deltas and its number of lines (a line per worker and programme)."""
    if programme is not None:
        cube = cube.filter(pc.equal(cube["programme"], programme))
    rows = _rows(cube, keys, ("lines", *MONEY))
    for row in rows:
        for m in MEASURES:
            row[f"delta_{m}"] = row[f"reform_{m}"] - row[f"baseline_{m}"]
    return rows


def people(cube: pa.Table, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Workers, and how many gain or lose take-home pay, by ``keys``."""
    return _rows(cube, keys, PEOPLE)


def payers(table: pa.Table, keys: Sequence[str] = ("payer_kind",)) -> list[dict[str, Any]]:
    """Payers (employers, sponsors, self-paying workers) by ``keys``: how many, how many pay less or more."""
    change = pc.subtract(table["reform_payer"], table["baseline_payer"])
    counted = table.append_column("payers", pa.array([1] * table.num_rows, pa.int64()))
    counted = counted.append_column("gaining", pc.cast(pc.less(change, 0), pa.int64()))
    counted = counted.append_column("losing", pc.cast(pc.greater(change, 0), pa.int64()))
    columns = ("payers", "workers", "worker_months", "gaining", "losing", "baseline_payer", "reform_payer")
    return _rows(counted, keys, [c for c in columns if c in counted.column_names])
