"""Benchmark: a reform scenario over a 10M-worker synthetic month on DuckDB, against the baseline alone.

Run from the repository root::

    .venv/bin/python bench/scenario.py                     # 10M workers
    .venv/bin/python bench/scenario.py --rows 1000000
    .venv/bin/python bench/scenario.py --rows 200000 --year   # and a year of that month's workers

It writes (once per size, kept under ``--workdir``) a synthetic month with DuckDB itself (integer arithmetic on
the row number, the same from run to run), in the tables the scenario run reads from the registry
(``billing_extract.PU_SCHEMA``, ``BPU_SCHEMA``, ``scenarios.compute.PEOPLE_SCHEMA``): 90 % wage earners (wages
as ``bench/national.py``, 50 workers an employer, JP for 80 %, JKP for 95 %), 10 % non-wage earners (a third
sponsored by one of 20 regional programmes, the rest self-paying, a fifth in transport), 38 provinces × 13
regencies, 20 sectors, three sizes, both sexes, ages 18-64.

Then, each in a fresh process (peak resident memory ``VmHWM`` of that process, CPU seconds of all its threads,
the clock started after the imports), DuckDB limited to ``--memory`` and 2 threads:

- ``baseline``: the month's lines under the law (the billing formulas, every input checked), kept as a table,
  and the three cubes of ``scenarios.compute`` over them with the reform's columns set to the baseline's — what
  the month's figures cost without a reform;
- ``reform``: ``scenarios.compute.run``: the lines under the law and under the reform (the JP rate raised from
  3 % to 4 %, the JKM rate doubled), side by side, kept, and the three cubes.

- ``year`` (with ``--year``): the run over a calendar year (decision 0046): the same workers each month of 2026,
  each month's lines under both sides added to one kept table (``compute.Kept``), then the three cubes of the
  year; each month's lines by the run's one query, built and compiled once (``compute.Months``);
- ``year built monthly`` (with ``--year``): the same year with each month's query built and compiled for that
  month (``compute.side_by_side``, as runs did before ``compute.Months``): the hand-written baseline of the
  year's loop; its sums must equal the year's.

It prints seconds, CPU seconds and peak memory of each, and the ratio reform / baseline (target ≤ 2.2); it
checks that the reform's baseline side equals the baseline's sums, and exits 1 if not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from national import wage_earners_sql  # noqa: E402  (the same wage earners as the national bench)

MONTH = dt.date(2026, 3, 1)
SNAPSHOT_VERSION = 1
REFORM = """jp.employer_rate:
  unit: rate
  description: JP employer's share raised by one point
  values:
    2026-01-01: {value: "0.03", reference: "proposed"}
jkm.pu.rate:
  unit: rate
  description: JKM doubled
  values:
    2026-01-01: {value: "0.0060", reference: "proposed"}
"""


def write_month(folder: Path, n: int) -> None:
    import duckdb

    con = duckdb.connect()
    pu, bpu = n * 9 // 10, n - n * 9 // 10
    con.execute(f"""COPY ({wage_earners_sql(pu)}) TO '{folder / "pu.parquet"}' (FORMAT parquet)""")
    con.execute(
        f"""COPY (SELECT {pu} + i AS worker_id,
            CASE WHEN i % 3 = 0 THEN 'sponsor' ELSE 'worker' END AS payer_kind,
            CASE WHEN i % 3 = 0 THEN 1 + i % 20 ELSE {pu} + i END AS party_id,
            CASE WHEN i % 3 = 0 THEN 10000000 + i % 20 ELSE 20000000 + i END AS payer_id,
            (i % 3 = 0)::BIGINT AS sponsored,
            CASE WHEN i % 3 = 0 THEN 0 ELSE 1000000 + (i * 7919) % 4000001 END::BIGINT AS declared_income,
            ((i * 13) % 5 = 0)::BIGINT AS transport,
            CASE WHEN i % 3 = 0 THEN 'regional_budget' ELSE 'own_funds' END AS paid_from,
            1::BIGINT AS m_jkk, 1::BIGINT AS m_jkm, ((i * 7) % 4 = 0)::BIGINT AS m_jht
        FROM range({bpu}) r(i)) TO '{folder / "bpu.parquet"}' (FORMAT parquet)"""
    )
    con.execute(
        f"""COPY (SELECT i AS worker_id, CASE WHEN i < {pu} THEN 'PU' ELSE 'BPU' END AS scheme,
            CASE WHEN (i * 31) % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
            CAST(DATE '1962-01-01' + INTERVAL (((i * 2654435761) % 16800)) DAY AS DATE)::VARCHAR AS birth_date,
            lpad(CAST(11 + (i // 50) % 38 AS VARCHAR), 2, '0') || '.' ||
                lpad(CAST(1 + ((i // 50) * 7) % 13 AS VARCHAR), 2, '0') AS region,
            CASE WHEN i < {pu} THEN 'sector ' || CAST((i // 50) % 20 AS VARCHAR) ELSE '' END AS sector,
            CASE WHEN i >= {pu} THEN '' WHEN (i // 50) % 10 < 6 THEN 'small' WHEN (i // 50) % 10 < 9 THEN 'medium'
                 ELSE 'large' END AS size_class
        FROM range({n}) r(i)) TO '{folder / "people.parquet"}' (FORMAT parquet)"""
    )
    con.close()


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def case(kind: str, folder: str, memory: str, spill: str) -> dict[str, Any]:
    """One case in a fresh process, timed after the imports."""
    import ibis

    from paritrana.rules.duck import configure, connection
    from paritrana.rules.parameters import load_parameters
    from paritrana.scenarios import compute, definition

    configure(memory_limit=memory, threads=2, temp_directory=spill)
    con = connection()
    law = load_parameters()
    reform = definition.reform(law, definition.read(REFORM, law))
    t = {name: con.read_parquet(str(Path(folder) / f"{name}.parquet")) for name in ("pu", "bpu", "people")}
    started, cpu = time.perf_counter(), _cpu()
    if kind == "reform":
        programmes, _, _ = compute.run(t["pu"], t["bpu"], t["people"], MONTH, law, reform)
    elif kind in ("year", "year built monthly"):
        months = [dt.date(MONTH.year, m, 1) for m in range(1, 13)]
        with compute.kept() as lines, compute.months_of(months, law, reform) as plan:
            for month in months:
                if kind == "year":  # the run's own loop: one query built and compiled once
                    lines.add_sql(*plan.lines(t["pu"], t["bpu"], month))
                else:  # each month's query built and compiled for it
                    lines.add(compute.side_by_side(t["pu"], t["bpu"], month, law, reform))
            programmes, _, _ = compute.fetched_cubes(lines.table(), t["people"], months[0])
    else:
        b = compute.lines_under(t["pu"], t["bpu"], MONTH, law)
        alone = b.select(
            "worker_id", "payer_kind", "party_id", "programme", "wage",
            baseline_amount=b.amount, reform_amount=b.amount, baseline_worker=b.worker_share,
            reform_worker=b.worker_share, month=ibis.literal(MONTH.month, "int64"),
        )  # fmt: skip
        with compute.materialised(alone) as kept:
            c = compute.cubes(kept, t["people"], MONTH)
            programmes = compute.fetched(c.programmes)
            compute.fetched(c.people), compute.fetched(c.payers)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    from paritrana.scenarios.rollup import money

    [total] = money(programmes, [])  # the sums over one grouping of the roll-up by each dimension
    sums = {column: int(total[column]) for column in ("baseline_amount", "baseline_worker", "reform_amount")}
    return {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "sums": sums, "rows": programmes.num_rows}


def in_fresh_process(*args: Any) -> dict[str, Any]:
    with mp.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        result: dict[str, Any] = pool.apply(case, args)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="workers in the month")
    parser.add_argument("--memory", default="2GB", help="DuckDB's memory limit")
    parser.add_argument("--year", action="store_true", help="also a run over the year (twelve months of the workers)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "paritrana-scenario-bench")
    args = parser.parse_args(argv)
    folder = args.workdir / f"month-{args.rows}-{SNAPSHOT_VERSION}"
    if not (folder / "people.parquet").exists():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"writing the synthetic month of {args.rows:,} workers to {folder}", flush=True)
        write_month(folder, args.rows)
    spill = str(args.workdir / "spill")
    baseline = in_fresh_process("baseline", str(folder), args.memory, spill)
    reform = in_fresh_process("reform", str(folder), args.memory, spill)
    print(f"{args.rows:,} workers, DuckDB {args.memory} and 2 threads, month {MONTH:%Y-%m}:")
    for name, r in (("baseline alone", baseline), ("baseline + reform", reform)):
        print(f"  {name:<18} {r['seconds']:7.1f} s  {r['cpu']:7.1f} s CPU  peak {r['peak_mb']:7.0f} MB  "
              f"({r['rows']:,} cube rows)")  # fmt: skip
    print(f"  ratio reform / baseline: {reform['seconds'] / baseline['seconds']:.2f} wall, "
          f"{reform['cpu'] / baseline['cpu']:.2f} CPU (target ≤ 2.2)")  # fmt: skip
    same = reform["sums"]["baseline_amount"] == baseline["sums"]["baseline_amount"]
    same = same and reform["sums"]["baseline_worker"] == baseline["sums"]["baseline_worker"]
    print(f"  the reform's baseline side equals the baseline alone: {'yes' if same else 'NO'}")
    print(
        f"  contributions: baseline {baseline['sums']['baseline_amount']:,}, reform {reform['sums']['reform_amount']:,}"
    )
    if args.year:
        year = in_fresh_process("year", str(folder), args.memory, spill)
        monthly = in_fresh_process("year built monthly", str(folder), args.memory, spill)
        for name, r in (("year (12 months)", year), ("year built monthly", monthly)):
            print(f"  {name:<18} {r['seconds']:7.1f} s  {r['cpu']:7.1f} s CPU  peak {r['peak_mb']:7.0f} MB")
        print(f"  ratio year / month (reform): {year['cpu'] / reform['cpu']:.2f} CPU, "
              f"{year['peak_mb'] / reform['peak_mb']:.2f} peak; contributions of the year: baseline "
              f"{year['sums']['baseline_amount']:,}, reform {year['sums']['reform_amount']:,}")  # fmt: skip
        print(f"  ratio year / year built monthly: {year['seconds'] / monthly['seconds']:.2f} wall, "
              f"{year['cpu'] / monthly['cpu']:.2f} CPU")  # fmt: skip
        same_year = year["sums"] == monthly["sums"]
        print(f"  the year's query gives the sums of the months built one by one: {'yes' if same_year else 'NO'}")
        same = same and same_year
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
