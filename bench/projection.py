"""Benchmark: the 75-year projection of JP and JHT from N participants grouped into cells (decisions 0024, 0039).

Run from the repository root::

    nice -n 5 .venv/bin/python -m bench.projection 10000000             # 10M, DuckDB limited to 2 GB
    nice -n 5 .venv/bin/python -m bench.projection 40000000 --snapshot /tmp/projection-40m

1. A synthetic snapshot in the export's table names, written with DuckDB itself (``COPY (SELECT … FROM range(N))``;
   every value integer arithmetic on the row number, the same from run to run) into ``--snapshot`` (reused when
   it holds a finished one, a ``done`` file): N workers (birth dates over 1966–2006, 40 % women, wages
   Rp 1.5–20 million, one in ten self-employed (BPU), in JHT only), their JP and JHT memberships, a JP bill line
   for each of the last 12 months of one wage earner in four (3N/4 × 12 / 3 lines), a JHT ledger entry each,
   and N/50 JP pensions in payment.
2. In a fresh process each (``spawn``; the clock after the imports; peak resident memory ``VmHWM`` of that
   process, its CPU time): (a) ``projection.cells.from_snapshot``, the one DuckDB aggregate pass grouping the
   participants into age × sex × scheme × wage-band cells with the JP months, wages, JHT balances and the
   pensions in payment; (b) the hand-written baseline: a GROUP BY of the worker table alone into the same cells
   (the least any grouping must read). Both under the same DuckDB settings (``--memory-limit``, 2 threads, the
   temporary folder ``--temp``). The counts per cell must agree.
3. The 75-year projection of the cells (JP and JHT, ``projection.model.run``), in the first process.

It prints the seconds, CPU seconds, peak memory of each, the ratio (a)/(b), and the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

ON = dt.date(2027, 1, 1)


def write_snapshot(folder: Path, n: int) -> None:
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    worker = f"""SELECT i AS id, DATE '1966-01-01' + CAST((i * 7919) % 14600 AS INTEGER) AS birth_date,
        CASE WHEN i % 5 < 2 THEN 'F' ELSE 'M' END AS sex, CASE WHEN i % 10 = 9 THEN 'BPU' ELSE 'PU' END AS scheme,
        1500000 + (i * 104729) % 18500000 AS wage FROM range({n}) t(i)"""
    con.execute(f"COPY ({worker}) TO '{folder / 'worker.parquet'}' (FORMAT parquet)")
    membership = f"""SELECT i AS worker_id, p AS programme, DATE '2015-07-01' AS start, NULL::DATE AS "end"
        FROM range({n}) t(i), (VALUES ('JP'), ('JHT')) v(p) WHERE p = 'JHT' OR i % 10 <> 9"""
    con.execute(f"COPY ({membership}) TO '{folder / 'membership.parquet'}' (FORMAT parquet)")
    line = f"""SELECT i * 4 AS worker_id, 'JP' AS programme, 'contribution' AS kind,
        1500000 + (i * 4 * 104729) % 18500000 AS wage FROM range({n // 4}) t(i), range(12) m(k)
        WHERE (i * 4) % 10 <> 9"""
    con.execute(f"COPY ({line}) TO '{folder / 'line.parquet'}' (FORMAT parquet)")
    entry = f"""SELECT i AS worker_id, DATE '2026-12-31' AS value_date, (i * 7) % 50000000 AS amount
        FROM range({n}) t(i)"""
    con.execute(f"COPY ({entry}) TO '{folder / 'jht_entry.parquet'}' (FORMAT parquet)")
    pension = f"""SELECT (['old_age', 'old_age', 'old_age', 'widow_widower', 'child', 'parent', 'disability'])[1 + i % 7]
        AS kind, DATE '1935-01-01' + CAST((i * 7919) % 20000 AS INTEGER) AS birth_date,
        CASE WHEN i % 3 = 0 THEN 'F' ELSE 'M' END AS sex, 400000 + (i * 104729) % 3600000 AS monthly
        FROM range({n // 50}) t(i)"""
    con.execute(f"COPY ({pension}) TO '{folder / 'pension.parquet'}' (FORMAT parquet)")
    (folder / "done").touch()


def _limits() -> list[int | None]:
    from paritrana.projection import assumptions, model

    return model.band_limits(assumptions.baseline(), ON.year)


def hand_written(folder: Path, limits: list[int | None]) -> Any:
    """The participants per cell from the worker table alone: the baseline any grouping must beat."""
    import numpy as np

    from paritrana.projection.cells import _connect
    from paritrana.projection.engine import MAX_AGE, MIN_AGE

    whens = " ".join(f"WHEN wage <= {limit} THEN {i}" for i, limit in enumerate(limits) if limit is not None)
    sql = f"""SELECT least(greatest(date_diff('year', birth_date, DATE '{ON}'), {MIN_AGE}), {MAX_AGE}) AS age,
        CASE WHEN sex = 'F' THEN 1 ELSE 0 END AS s, CASE WHEN scheme = 'BPU' THEN 1 ELSE 0 END AS scheme,
        CASE {whens} ELSE {len(limits) - 1} END AS band, count(*)
        FROM read_parquet('{folder / "worker.parquet"}') GROUP BY ALL"""
    out = np.zeros((MAX_AGE - MIN_AGE + 1, 2, 2, len(limits)))
    for age, sex, scheme, band, n in _connect().execute(sql).fetchall():
        out[age - MIN_AGE, sex, scheme, band] = n
    return out


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _case(name: str, folder: str, settings: dict[str, str], out: Any) -> None:
    """One measured case in this fresh process: its seconds, CPU seconds, peak memory and its result."""
    from paritrana.projection import cells
    from paritrana.rules import duck

    duck.configure(**settings)
    limits = _limits()
    cpu, started = time.process_time(), time.perf_counter()
    if name == "cells":
        start = cells.from_snapshot(Path(folder), ON, limits, 0.01)
        # every participant of the synthetic snapshot is in JHT: its members are the participants per cell
        result: dict[str, Any] = {"people": (start.cells.jht, start.bpu.jht), "in_payment": start.in_payment.people(),
                                  "start": start}  # fmt: skip
    else:
        result = {"people": hand_written(Path(folder), limits)}
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    projected = None
    if name == "cells":
        from paritrana.projection import assumptions, model

        begin = time.perf_counter()
        start = result.pop("start")
        p = model.run(start.cells, start.band_wage, assumptions.baseline(), ON.year, 194_950_000_000_000,
                      491_640_000_000_000, in_payment=start.in_payment)  # fmt: skip
        projected = (time.perf_counter() - begin, p.jp.exhaustion_year, p.balancing.level, p.jp.rows[0].benefits)
    out.put({"seconds": seconds, "cpu": cpu_seconds, "peak_mb": _peak_mb(), "projected": projected, **result})


def measure(name: str, folder: Path, settings: dict[str, str]) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_case, args=(name, str(folder), settings, queue))
    process.start()
    answer: dict[str, Any] = queue.get()
    process.join()
    return answer


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("participants", nargs="?", type=int, default=10_000_000)
    parser.add_argument("--snapshot", type=Path, help="the synthetic snapshot's folder (written once, then reused)")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB's memory limit")
    parser.add_argument("--temp", type=Path, default=Path(tempfile.gettempdir()) / "paritrana-projection-spill")
    args = parser.parse_args()
    n = args.participants
    folder = args.snapshot or Path(tempfile.gettempdir()) / f"paritrana-projection-{n}"
    if not (folder / "done").exists():
        started = time.perf_counter()
        write_snapshot(folder, n)
        print(f"snapshot of {n:,} participants written in {time.perf_counter() - started:.1f} s", flush=True)
    settings = {"memory_limit": args.memory_limit, "threads": "2", "temp_directory": str(args.temp)}
    load = os.getloadavg()
    grouped = measure("cells", folder, settings)
    baseline = measure("hand", folder, settings)
    pu, bpu = grouped["people"]
    same = bool(np.array_equal(pu, baseline["people"][:, :, 0])) and bool(
        np.array_equal(bpu, baseline["people"][:, :, 1])
    )
    same = same and int(pu.sum() + bpu.sum()) == n
    took, exhausted, level, first_benefits = grouped["projected"]
    print(
        f"{n:,} participants, {grouped['in_payment']:,.0f} pensions in payment, DuckDB {args.memory_limit}, 2 threads "
        f"(load before {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; after {os.getloadavg()[0]:.1f})\n"
        f"  grouping (one aggregate pass): {grouped['seconds']:.1f} s wall, {grouped['cpu']:.1f} s CPU, "
        f"peak {grouped['peak_mb']:,.0f} MB\n"
        f"  hand-written count of the worker table: {baseline['seconds']:.1f} s wall, {baseline['cpu']:.1f} s CPU, "
        f"peak {baseline['peak_mb']:,.0f} MB\n"
        f"  ratio {grouped['seconds'] / baseline['seconds']:.2f}; same counts per cell: {same}\n"
        f"  75-year projection {took:.2f} s; first-year JP benefits Rp {first_benefits:,}; JP fund exhausted in "
        f"{exhausted or 'none'}; balancing JP rate {level:.2%}",
        flush=True,
    )
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
