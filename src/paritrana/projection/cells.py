"""The projection's starting cells (age × sex × wage band) from a national snapshot or the registry.

One DuckDB query groups the participants: the snapshot's Parquet files are read by DuckDB in place (memory
bounded whatever their size); the registry's few columns are streamed from the database into Arrow tables
first (decision 0024). Wage earners (PU) only: JP is theirs, and the JHT of the self-employed (BPU) is a
fixed amount by income band, not projected here. No person leaves this module: only sums per cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from paritrana.projection.engine import MAX_AGE, MIN_AGE, Array, Cells
from paritrana.rules import duck

# the tables and columns read (the snapshot's names, decision 0016)
COLUMNS = {
    "worker": ("id", "birth_date", "sex", "scheme", "wage"),
    "membership": ("worker_id", "programme", "start", "end"),
    "line": ("worker_id", "programme", "kind", "wage"),
    "jht_entry": ("worker_id", "value_date", "amount"),
}

QUERY = """
WITH members AS (
    SELECT worker_id, bool_or(programme = 'JP') AS jp, bool_or(programme = 'JHT') AS jht
    FROM membership WHERE start <= $on AND ("end" IS NULL OR "end" >= $on)
    GROUP BY worker_id
), jp_paid AS (
    SELECT worker_id, count(*) AS months, sum(wage) AS wages
    FROM line WHERE programme = 'JP' AND kind = 'contribution' GROUP BY worker_id
), balances AS (
    SELECT worker_id, sum(amount) AS balance FROM jht_entry WHERE value_date < $on GROUP BY worker_id
), people AS (
    SELECT least(greatest(date_diff('year', w.birth_date, $on::DATE), {min_age}), {max_age}) AS age,
           CASE WHEN w.sex = 'F' THEN 1 ELSE 0 END AS sex, {band} AS band, w.wage, m.jp, m.jht,
           coalesce(p.months, 0) AS months, coalesce(p.wages, 0) AS wages, coalesce(b.balance, 0) AS balance
    FROM worker w JOIN members m ON m.worker_id = w.id
    LEFT JOIN jp_paid p ON p.worker_id = w.id LEFT JOIN balances b ON b.worker_id = w.id
    WHERE (m.jp OR m.jht) AND w.scheme = 'PU'
)
SELECT age, sex, band, count(*) AS people, sum(wage)::DOUBLE AS wage,
       sum(jp::INT) AS jp, sum(jht::INT) AS jht,
       sum(CASE WHEN jp THEN months ELSE 0 END)::DOUBLE AS months,
       sum(CASE WHEN jp THEN wages ELSE 0 END)::DOUBLE AS wages,
       sum(CASE WHEN jht THEN balance ELSE 0 END)::DOUBLE AS balance
FROM people GROUP BY age, sex, band
"""


def _band_sql(limits: list[int | None]) -> str:
    """The band of ``w.wage``: the first band whose upper limit it does not exceed."""
    whens = " ".join(f"WHEN w.wage <= {int(limit)} THEN {i}" for i, limit in enumerate(limits) if limit is not None)
    return f"CASE {whens} ELSE {len(limits) - 1} END"


def group(con: duckdb.DuckDBPyConnection, on: dt.date, limits: list[int | None], accrual: float) -> tuple[Cells, Array]:
    """The cells of the participants (members of JP or JHT on ``on``) and the average wage of each band."""
    sql = QUERY.format(min_age=MIN_AGE, max_age=MAX_AGE, band=_band_sql(limits))
    rows = con.execute(sql, {"on": on}).fetchall()
    cells = Cells.empty(len(limits))
    people = np.zeros_like(cells.jp)
    wage_sum, months, wages, balance = (np.zeros_like(cells.jp) for _ in range(4))
    for age, sex, band, n, wage, jp, jht, m, w, b in rows:
        i = (int(age) - MIN_AGE, int(sex), int(band))
        people[i], wage_sum[i], cells.jp[i], cells.jht[i] = n, wage, jp, jht
        months[i], wages[i], balance[i] = m, w, b
    with np.errstate(invalid="ignore", divide="ignore"):
        cells.wage = np.where(people > 0, wage_sum / np.maximum(people, 1), 0.0)
        cells.jp_months = np.where(cells.jp > 0, months / np.maximum(cells.jp, 1), 0.0)
        # 1 % × the wages counted / 12 for each month: the monthly pension accrued (the wages not indexed)
        cells.jp_accrued = np.where(cells.jp > 0, accrual * wages / 12 / np.maximum(cells.jp, 1), 0.0)
        cells.jht_balance = np.where(cells.jht > 0, balance / np.maximum(cells.jht, 1), 0.0)
        per_band = people.sum(axis=(0, 1))
        band_wage = np.where(per_band > 0, wage_sum.sum(axis=(0, 1)) / np.maximum(per_band, 1), 0.0)
    # a band nobody is in gets its own limit as the entrants' wage
    for k, limit in enumerate(limits):
        if per_band[k] == 0:
            band_wage[k] = float(limit if limit is not None else (limits[k - 1] or 0) * 2)
    return cells, band_wage


def _connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the engine's out-of-core settings (``PARITRANA_DUCKDB_*``, decision 0014)."""
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")  # the rows are grouped: their order is never used
    for key, value in duck.settings().items():
        if key == "temp_directory":
            Path(value).mkdir(parents=True, exist_ok=True)
        con.execute(f"SET {key} = '{value}'")
    return con


def from_snapshot(folder: Path, on: dt.date, limits: list[int | None], accrual: float) -> tuple[Cells, Array]:
    """The cells of a national snapshot (``paritrana snapshot export``): its Parquet files read in place."""
    con = _connect()
    for key in COLUMNS:
        path = folder / key if (folder / key).is_dir() else folder / f"{key}.parquet"
        pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
        con.execute(f"CREATE VIEW {key} AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = false)")
    return group(con, on, limits, accrual)


def from_tables(
    tables: Mapping[str, Any], on: dt.date, limits: list[int | None], accrual: float
) -> tuple[Cells, Array]:
    """The cells from in-memory Arrow tables named as the snapshot's (the registry's, read by the caller)."""
    con = _connect()
    for key, table in tables.items():
        con.register(key, table)
    return group(con, on, limits, accrual)
