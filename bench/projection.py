"""Benchmark: the 75-year projection of JP and JHT from N participants grouped into cells (decision 0024).

Run from the repository root::

    .venv/bin/python -m bench.projection              # 40M participants
    .venv/bin/python -m bench.projection 1000000      # 1M

In one process:

1. writes a synthetic snapshot with DuckDB itself (``COPY (SELECT … FROM range(N)) …``; every value is integer
   arithmetic on the row number, the same from run to run): N wage earners (birth dates over 1966–2006, 40 %
   women, wages Rp 1.5–20 million), their JP and JHT memberships (2N rows), a JP bill line for each of the
   last 12 months of one in four (3N lines), a JHT ledger entry each;
2. times (a) ``projection.cells.from_snapshot`` (the one DuckDB query grouping the participants into age × sex
   × wage-band cells, the JP months, wages and JHT balances joined) against (b) a hand-written GROUP BY of the
   worker table alone into the same cells (the least any grouping must read), in the same process, and checks
   that both count the same participants per cell;
3. times the 75-year projection of the cells (JP and JHT, ``projection.model.run``) and prints the seconds,
   the ratio (a)/(b), and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from paritrana.projection import assumptions, cells, model
from paritrana.projection.engine import MAX_AGE, MIN_AGE

ON = dt.date(2027, 1, 1)


def write_snapshot(folder: Path, n: int) -> None:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    worker = f"""SELECT i AS id, DATE '1966-01-01' + CAST((i * 7919) % 14600 AS INTEGER) AS birth_date,
        CASE WHEN i % 5 < 2 THEN 'F' ELSE 'M' END AS sex, 'PU' AS scheme,
        1500000 + (i * 104729) % 18500000 AS wage FROM range({n}) t(i)"""
    con.execute(f"COPY ({worker}) TO '{folder / 'worker.parquet'}' (FORMAT parquet)")
    membership = f"""SELECT i AS worker_id, p AS programme, DATE '2015-07-01' AS start, NULL::DATE AS "end"
        FROM range({n}) t(i), (VALUES ('JP'), ('JHT')) v(p)"""
    con.execute(f"COPY ({membership}) TO '{folder / 'membership.parquet'}' (FORMAT parquet)")
    line = f"""SELECT i * 4 AS worker_id, 'JP' AS programme, 'contribution' AS kind,
        1500000 + (i * 4 * 104729) % 18500000 AS wage FROM range({n // 4}) t(i), range(12) m(k)"""
    con.execute(f"COPY ({line}) TO '{folder / 'line.parquet'}' (FORMAT parquet)")
    entry = f"""SELECT i AS worker_id, DATE '2026-12-31' AS value_date, (i * 7) % 50000000 AS amount
        FROM range({n}) t(i)"""
    con.execute(f"COPY ({entry}) TO '{folder / 'jht_entry.parquet'}' (FORMAT parquet)")


def hand_written(folder: Path, limits: list[int | None]) -> np.ndarray:
    """The participants per cell from the worker table alone: the baseline any grouping must beat."""
    whens = " ".join(f"WHEN wage <= {limit} THEN {i}" for i, limit in enumerate(limits) if limit is not None)
    sql = f"""SELECT least(greatest(date_diff('year', birth_date, DATE '{ON}'), {MIN_AGE}), {MAX_AGE}) AS age,
        CASE WHEN sex = 'F' THEN 1 ELSE 0 END AS s, CASE {whens} ELSE {len(limits) - 1} END AS band, count(*)
        FROM read_parquet('{folder / "worker.parquet"}') GROUP BY ALL"""
    out = np.zeros((MAX_AGE - MIN_AGE + 1, 2, len(limits)))
    for age, sex, band, n in duckdb.connect().execute(sql).fetchall():
        out[age - MIN_AGE, sex, band] = n
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("participants", nargs="?", type=int, default=40_000_000)
    n = parser.parse_args().participants
    params = assumptions.baseline()
    limits = model.band_limits(params, ON.year)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_snapshot(folder, n)
        print(f"snapshot of {n:,} participants written in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        start = cells.from_snapshot(folder, ON, limits, 0.01)
        grouped, band_wage = start.cells, start.band_wage
        took_cells = time.perf_counter() - started
        started = time.perf_counter()
        baseline = hand_written(folder, limits)
        took_hand = time.perf_counter() - started
    same = bool(np.array_equal(grouped.jp, baseline)) and int(grouped.jp.sum()) == n
    started = time.perf_counter()
    result = model.run(grouped, band_wage, params, ON.year, 194_950_000_000_000, 491_640_000_000_000)
    took_run = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{n:,} participants in {int((grouped.jp > 0).sum()):,} cells: grouping {took_cells:.2f} s, hand-written "
        f"count {took_hand:.2f} s, ratio {took_cells / took_hand:.2f}; same counts: {same}; 75-year projection "
        f"{took_run:.2f} s; JP fund exhausted in {result.jp.exhaustion_year or 'none'}; balancing JP rate "
        f"{result.balancing.level:.2%}; peak RSS {peak:,.0f} MB"
    )
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
