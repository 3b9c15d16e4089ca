"""The projection's starting cells (age × sex × scheme × wage band) and the JP pensions in payment, from a national
snapshot or the registry.

One DuckDB aggregate pass groups the participants (decision 0039): the rows of the worker, membership, JP bill
line and JHT ledger tables are read once, as one stream keyed by the worker (``UNION ALL``), summed per worker
and, as those sums come out, per cell. No table is joined to another and no per-worker table is kept: the only
state is the per-worker aggregate, which DuckDB spills to its temporary folder under its memory limit. A
snapshot's Parquet files are read in place; the registry's few columns are streamed from the database into Arrow
tables first (decision 0024). Wage earners (PU) are projected in JP and JHT; the self-employed (BPU) in JHT, on
the nominal income of their band. No person leaves this module: only sums per cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from paritrana.projection.engine import MAX_AGE, MIN_AGE, Array, Cells
from paritrana.projection.pensions import KINDS, InPayment
from paritrana.rules import duck

# the tables and columns read (the snapshot's names, decision 0016)
COLUMNS = {
    "worker": ("id", "birth_date", "sex", "scheme", "wage"),
    "membership": ("worker_id", "programme", "start", "end"),
    "line": ("worker_id", "programme", "kind", "wage"),
    "jht_entry": ("worker_id", "value_date", "amount"),
}
# the JP pensions paid (``pension``; decision 0044: the one definition of its columns, for the registry's table
# and the snapshot's): the kind (old_age, disability, widow_widower, child or parent), the participant's birth
# date and sex, the monthly amount, the first month paid (a projection takes those whose first month is before its
# first day), and the recipient's birth date where the registry records it (else null: the age is assumed)
PENSION_SCHEMA = pa.schema(
    [("kind", pa.string()), ("birth_date", pa.date32()), ("sex", pa.string()), ("monthly", pa.int64()),
     ("first_month", pa.date32()), ("recipient_birth_date", pa.date32())]
)  # fmt: skip
HEIRS = ("widow_widower", "child", "parent")
SCHEMES = ("PU", "BPU")

# flags of a worker's memberships on the day, as bits
JP_BIT, JHT_BIT = 1, 2

QUERY = """
WITH facts AS (
    SELECT id AS worker_id, {key} AS cell, wage, 0::UTINYINT AS member, 0::INTEGER AS months,
           0::BIGINT AS wages, 0::BIGINT AS balance
    FROM worker WHERE scheme IN ('PU', 'BPU')
    UNION ALL
    SELECT worker_id, NULL, NULL, (CASE programme WHEN 'JP' THEN {jp} ELSE {jht} END)::UTINYINT, 0, 0, 0
    FROM membership WHERE programme IN ('JP', 'JHT') AND start <= $on AND ("end" IS NULL OR "end" >= $on)
    UNION ALL
    SELECT worker_id, NULL, NULL, 0, 1, wage, 0 FROM line WHERE programme = 'JP' AND kind = 'contribution'
    UNION ALL
    SELECT worker_id, NULL, NULL, 0, 0, 0, amount FROM jht_entry WHERE value_date < $on
), people AS (
    SELECT max(cell) AS cell, max(wage) AS wage, bit_or(member) AS member, sum(months) AS months,
           sum(wages) AS wages, sum(balance) AS balance
    FROM facts GROUP BY worker_id
)
SELECT cell, count(*) AS people, sum(wage)::DOUBLE AS wage,
       count(*) FILTER (member & {jp} > 0) AS jp, count(*) FILTER (member & {jht} > 0) AS jht,
       sum(months) FILTER (member & {jp} > 0)::DOUBLE AS months,
       sum(wages) FILTER (member & {jp} > 0)::DOUBLE AS wages,
       sum(balance) FILTER (member & {jht} > 0)::DOUBLE AS balance
FROM people WHERE cell IS NOT NULL AND member > 0 GROUP BY cell
"""

PENSIONS = """
SELECT kind, least(greatest(date_diff('year', birth_date, $on::DATE), 0), {max_age}) AS age,
       CASE WHEN sex = 'F' THEN 1 ELSE 0 END AS sex, count(*) AS people, sum(monthly)::DOUBLE AS monthly,
       date_diff('year', recipient_birth_date, $on::DATE) AS recipient_age  -- null where not recorded
FROM pension WHERE kind IN {kinds} AND first_month < $on GROUP BY ALL
"""


@dataclass
class Start:
    """What a projection starts from: the wage earners' cells, the self-employed's (JHT only), the average wage
    of each band (the entrants'), the JP pensions in payment."""

    cells: Cells
    band_wage: Array
    bpu: Cells
    bpu_band_wage: Array
    in_payment: InPayment = field(default_factory=InPayment)
    heir_ages: dict[str, int] = field(default_factory=lambda: {"recorded": 0, "assumed": 0})  # survivors' pensions


def _cell_key(bands: int, band: str) -> str:
    """One small integer naming the cell of a worker row: ((age − 15) × 2 + sex) × 2 + scheme, × bands + band."""
    age = f"least(greatest(date_diff('year', birth_date, $on::DATE), {MIN_AGE}), {MAX_AGE}) - {MIN_AGE}"
    sex = "CASE WHEN sex = 'F' THEN 1 ELSE 0 END"
    scheme = "CASE WHEN scheme = 'BPU' THEN 1 ELSE 0 END"
    return f"((({age}) * 2 + {sex}) * 2 + {scheme}) * {bands} + {band}"


def _band_sql(limits: list[int | None]) -> str:
    """The band of ``wage``: the first band whose upper limit it does not exceed."""
    whens = " ".join(f"WHEN wage <= {int(limit)} THEN {i}" for i, limit in enumerate(limits) if limit is not None)
    return f"CASE {whens} ELSE {len(limits) - 1} END"


def group(
    con: duckdb.DuckDBPyConnection,
    on: dt.date,
    limits: list[int | None],
    accrual: float,
    family: tuple[int, int] = (28, 23),
    pensions: bool = False,
) -> Start:
    """The cells of the participants (members of JP or JHT on ``on``) and the average wage of each band; with
    ``pensions``, the JP pensions in payment of the ``pension`` table placed by ``family`` (the generation gap,
    the children's age limit)."""
    bands = len(limits)
    sql = QUERY.format(key=_cell_key(bands, _band_sql(limits)), jp=JP_BIT, jht=JHT_BIT)
    rows = con.execute(sql, {"on": on}).fetchall()
    shape = (MAX_AGE - MIN_AGE + 1, 2, 2, bands)  # age, sex, scheme, band
    people, wage_sum, jp, jht, months, wages, balance = (np.zeros(shape) for _ in range(7))
    for cell, n, wage, n_jp, n_jht, m, w, b in rows:
        i = np.unravel_index(int(cell), shape)
        people[i], wage_sum[i], jp[i], jht[i] = n, wage, n_jp, n_jht
        months[i], wages[i], balance[i] = m or 0.0, w or 0.0, b or 0.0
    pu, bpu = (_cells(s, people, wage_sum, jp, jht, months, wages, balance, accrual) for s in range(2))
    bpu.jp[:] = 0.0  # JP is the wage earners' (PP 45/2015)
    start = Start(pu, _band_wage(people[:, :, 0], wage_sum[:, :, 0], limits), bpu,
                  _band_wage(people[:, :, 1], wage_sum[:, :, 1], limits))  # fmt: skip
    if pensions:
        gap, limit = family
        for kind, age, sex, n, monthly, recipient_age in con.execute(
            PENSIONS.format(max_age=MAX_AGE, kinds=KINDS), {"on": on}
        ).fetchall():
            known = None if recipient_age is None else int(recipient_age)
            start.in_payment.place(str(kind), int(age), int(sex), float(n), float(monthly), gap, limit, known)
            if kind in HEIRS:
                start.heir_ages["assumed" if known is None else "recorded"] += int(n)
    return start


def _band_wage(people: Array, wage_sum: Array, limits: list[int | None]) -> Array:
    """The average wage of each band (the entrants'); a band nobody is in gets its own limit."""
    per_band = people.sum(axis=(0, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(per_band > 0, wage_sum.sum(axis=(0, 1)) / np.maximum(per_band, 1), 0.0)
    for k, limit in enumerate(limits):
        if per_band[k] == 0:
            out[k] = float(limit if limit is not None else (limits[k - 1] or 0) * 2)
    return out


def _cells(
    scheme: int,
    people: Array,
    wage: Array,
    jp: Array,
    jht: Array,
    months: Array,
    wages: Array,
    balance: Array,
    accrual: float,
) -> Cells:
    """One scheme's cells from the sums per cell: the averages per member."""
    s = (slice(None), slice(None), scheme)
    cells = Cells.empty(people.shape[3])
    n, cells.jp, cells.jht = people[s], jp[s].copy(), jht[s].copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        cells.wage = np.where(n > 0, wage[s] / np.maximum(n, 1), 0.0)
        cells.jp_months = np.where(cells.jp > 0, months[s] / np.maximum(cells.jp, 1), 0.0)
        # 1 % × the wages counted / 12 for each month: the monthly pension accrued (the wages not indexed)
        cells.jp_accrued = np.where(cells.jp > 0, accrual * wages[s] / 12 / np.maximum(cells.jp, 1), 0.0)
        cells.jht_balance = np.where(cells.jht > 0, balance[s] / np.maximum(cells.jht, 1), 0.0)
    return cells


def _connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the engine's out-of-core settings (``PARITRANA_DUCKDB_*``, decision 0014)."""
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")  # the rows are grouped: their order is never used
    for key, value in duck.settings().items():
        if key == "temp_directory":
            Path(value).mkdir(parents=True, exist_ok=True)
        con.execute(f"SET {key} = '{value}'")
    return con


def from_snapshot(
    folder: Path, on: dt.date, limits: list[int | None], accrual: float, family: tuple[int, int] = (28, 23)
) -> Start:
    """The cells of a national snapshot (``paritrana snapshot export``): its Parquet files read in place; the
    pensions in payment from its ``pension`` table where it has one (a snapshot exported before decision 0044
    has none)."""
    con = _connect()
    found = False
    for key in (*COLUMNS, "pension"):
        path = folder / key if (folder / key).is_dir() else folder / f"{key}.parquet"
        if key == "pension" and not path.exists():
            break
        found = key == "pension"
        pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
        con.execute(f"CREATE VIEW {key} AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = false)")
    return group(con, on, limits, accrual, family, pensions=found)


def from_tables(
    tables: Mapping[str, Any], on: dt.date, limits: list[int | None], accrual: float, family: tuple[int, int] = (28, 23)
) -> Start:
    """The cells from in-memory Arrow tables named as the snapshot's (the registry's, read by the caller), with
    the ``pension`` table if given."""
    con = _connect()
    for key, table in tables.items():
        con.register(key, table)
    return group(con, on, limits, accrual, family, pensions="pension" in tables)
