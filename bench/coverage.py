"""Benchmark: coverage by regency × scheme × occupation for a month, the Ibis expression against one
hand-written SQL query, on DuckDB over a synthetic Parquet snapshot.

Run from the repository root::

    .venv/bin/python bench/coverage.py                 # 10M participants
    .venv/bin/python bench/coverage.py 1000000         # 1M

For each size N, in one process:

1. writes a synthetic snapshot with DuckDB itself (``COPY (SELECT … FROM range(N)) TO … (FORMAT parquet)``;
   every value is integer arithmetic on the row number, so it is the same from run to run) with the tables and
   columns of ``paritrana.coverage.analytics.TABLES``: the 38 provinces and 514 regencies of the shipped
   region data; N/50 employers in regencies spread over Indonesia; 21 sponsors; N workers (70 % wage earners
   (PU) at an employer, a fifth of them domiciled in another regency; 30 % non-wage earners (BPU), a third
   sponsored); memberships (JKK, JKM for everyone, JHT, JP (80 %), JKP (95 %) for PU; 1 in 200 ended before
   the month, 1 in 300 starting after it); the month's bills (one per employer, sponsor and self-paying
   worker; 1 in 11 paid in part) and a line per membership in force;
2. times (a) the Ibis expression: ``coverage_cube(snapshot, [month])`` summed by view, regency, scheme and
   occupation (registered, active), executed on DuckDB to an Arrow table; (b) one hand-written SQL query
   computing the same from the same Parquet files, in the same DuckDB connection;
3. checks that (a) and (b) give identical rows, and prints the seconds of each, the ratio (a)/(b), the rows
   of the inputs and the peak resident memory of the process. Exit status 1 if the results differ.

The clock starts after the imports and the snapshot; each step is timed as the best of ``--repeat`` runs
(default 2), alternating their order.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

MONTH = dt.date(2026, 10, 1)


def write_snapshot(con: object, folder: Path, n: int) -> dict[str, int]:
    """The synthetic snapshot as Parquet files (see the module's docstring); rows per table."""
    from paritrana.registry.regiondata import read_level

    provinces = [r.code for r in read_level("province")]
    regencies = [r.code for r in read_level("regency")]
    regions = [
        (i + 1, code, "province" if len(code) == 2 else "regency") for i, code in enumerate(provinces + regencies)
    ]
    first_regency = len(provinces) + 1
    nreg = len(regencies)
    employers = max(10, n // 50)
    values = ", ".join(f"({i}, '{c}', 'R{i}', '{lvl}')" for i, c, lvl in regions)
    occupations = ["employee", "factory_worker", "driver", "clerk", "farmer", "fisher", "trader", "ojek_driver"]
    occ = "['" + "', '".join(occupations) + "']"
    month, before, after = MONTH.isoformat(), "2026-09-01", "2026-11-01"
    sql = {
        "region": f"SELECT * FROM (VALUES {values}) AS t(id, code, name, level)",
        "employer": f"SELECT range + 1 AS id, {first_regency} + (range * 7919) % {nreg} AS region_id FROM range({employers})",
        "sponsor": "SELECT range + 1 AS id, CASE WHEN range < 20 THEN 'regional_programme' ELSE 'csr' END AS kind FROM range(21)",
        "worker": f"""
            SELECT range + 1 AS id, CASE WHEN range % 2 = 0 THEN 'F' ELSE 'M' END AS sex,
                DATE '1961-01-01' + CAST((range * 40503) % 16000 AS INTEGER) AS birth_date,
                CASE WHEN range % 10 < 7 THEN {occ}[1 + (range * 13) % 4] ELSE {occ}[5 + (range * 17) % 4] END AS occupation,
                CASE WHEN range % 10 < 7 AND range % 5 <> 0
                     THEN {first_regency} + ((1 + (range * 7919) % {employers} - 1) * 7919) % {nreg}
                     ELSE {first_regency} + (range * 2654435761) % {nreg} END AS region_id,
                CASE WHEN range % 10 < 7 THEN 'PU' ELSE 'BPU' END AS scheme,
                CASE WHEN range % 10 < 7 THEN 1 + (range * 7919) % {employers} END AS employer_id,
                CASE WHEN range % 10 = 9 THEN 1 + range % 20 WHEN range % 10 = 8 AND range % 3 = 0 THEN 21 END AS sponsor_id
            FROM range({n})""",
        "membership": f"""
            SELECT w.id AS worker_id, p.programme,
                CASE WHEN w.id % 300 = 1 THEN DATE '{after}' ELSE DATE '2024-01-01' END AS start,
                CASE WHEN w.id % 200 = 2 THEN DATE '{before}' - 1 END AS "end"
            FROM read_parquet('{folder}/worker.parquet') w
            JOIN (VALUES ('JKK', 0), ('JKM', 0), ('JHT', 1), ('JP', 2), ('JKP', 3)) AS p(programme, rule)
              ON p.rule = 0 OR (w.scheme = 'PU' AND (p.rule = 1 OR (p.rule = 2 AND (w.id * 97) % 10 < 8)
                                                    OR (p.rule = 3 AND (w.id * 89) % 20 < 19)))""",
        # bill ids: employers 1..E, sponsors E+1..E+21, self-paying workers E+21+worker id
        "bill": f"""
            SELECT id, DATE '{month}' AS period, 'contribution' AS kind, 1000000 AS amount,
                   CASE WHEN id % 11 = 0 THEN 999999 ELSE 1000000 END AS paid
            FROM (SELECT range + 1 AS id FROM range({employers} + 21)
                  UNION ALL SELECT {employers} + 21 + id FROM read_parquet('{folder}/worker.parquet')
                  WHERE scheme = 'BPU' AND sponsor_id IS NULL)""",
        "line": f"""
            SELECT CASE WHEN w.employer_id IS NOT NULL THEN w.employer_id
                        WHEN w.sponsor_id IS NOT NULL THEN {employers} + w.sponsor_id
                        ELSE {employers} + 21 + w.id END AS bill_id,
                   m.worker_id, m.programme, CAST(10000 + (m.worker_id * 31) % 90000 AS BIGINT) AS amount
            FROM read_parquet('{folder}/membership.parquet') m
            JOIN read_parquet('{folder}/worker.parquet') w ON w.id = m.worker_id
            WHERE m.start <= DATE '{month}' + INTERVAL 1 MONTH - INTERVAL 1 DAY
              AND (m."end" IS NULL OR m."end" >= DATE '{month}')""",
        "workforce": f"SELECT id AS region_id, 2026 AS year, CAST({n} AS BIGINT) AS employed, 'estimate' AS kind "
        f"FROM (VALUES {', '.join(f'({i})' for i, _, _ in regions)}) AS t(id)",
    }
    counts = {}
    for name in ("region", "employer", "sponsor", "worker", "membership", "bill", "line", "workforce"):
        path = folder / f"{name}.parquet"
        con.raw_sql(f"COPY ({sql[name]}) TO '{path}' (FORMAT parquet)")  # type: ignore[attr-defined]
        counts[name] = con.raw_sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]  # type: ignore[attr-defined]
    return counts


HAND_SQL = """
WITH lines AS (
    SELECT l.worker_id, SUM(l.amount) AS total, MAX(CASE WHEN b.paid < b.amount THEN 1 ELSE 0 END) AS unpaid
    FROM read_parquet('{f}/line.parquet') l JOIN read_parquet('{f}/bill.parquet') b ON b.id = l.bill_id
    WHERE b.kind = 'contribution' AND b.period = DATE '{m}' AND l.worker_id IS NOT NULL
    GROUP BY l.worker_id
), active AS (
    SELECT worker_id FROM lines WHERE total > 0 AND unpaid = 0
), registered AS (
    SELECT DISTINCT worker_id FROM read_parquet('{f}/membership.parquet')
    WHERE start <= DATE '{e}' AND ("end" IS NULL OR "end" >= DATE '{m}')
    UNION SELECT worker_id FROM active
), people AS (
    SELECT w.scheme, w.occupation, r.code AS home, coalesce(er.code, r.code) AS work,
           CASE WHEN a.worker_id IS NULL THEN 0 ELSE 1 END AS is_active
    FROM registered g
    JOIN read_parquet('{f}/worker.parquet') w ON w.id = g.worker_id
    JOIN read_parquet('{f}/region.parquet') r ON r.id = w.region_id
    LEFT JOIN read_parquet('{f}/employer.parquet') e ON e.id = w.employer_id
    LEFT JOIN read_parquet('{f}/region.parquet') er ON er.id = e.region_id
    LEFT JOIN active a ON a.worker_id = g.worker_id
)
SELECT v.view, CASE WHEN length(CASE WHEN v.view = 'domicile' THEN home ELSE work END) >= 5
                    THEN substr(CASE WHEN v.view = 'domicile' THEN home ELSE work END, 1, 5) END AS regency,
       scheme, occupation, COUNT(*) AS registered, SUM(is_active) AS active
FROM people CROSS JOIN (VALUES ('domicile'), ('employer')) AS v(view)
GROUP BY 1, 2, 3, 4
"""


def _reset_peak() -> None:
    """Reset the process's peak resident memory (``VmHWM``) to its current size (Linux)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def out_of_core(con: object, memory_limit: str, threads: int | None, spill: Path) -> dict[str, str]:
    """DuckDB's out-of-core settings on ``con`` (as ``PARITRANA_DUCKDB_*`` give the engine's connection):
    past ``memory_limit`` its joins and groupings spill to ``spill``; insertion order not kept (the cube
    is a grouping: no order to keep, and keeping it buffers rows)."""
    raw = con.con  # type: ignore[attr-defined]
    if memory_limit != "default":
        raw.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        raw.execute(f"SET threads = {int(threads)}")
    raw.execute(f"SET temp_directory = '{spill}'")
    raw.execute("SET preserve_insertion_order = false")
    names = ("memory_limit", "threads", "temp_directory", "preserve_insertion_order")
    return {k: str(raw.execute(f"SELECT current_setting('{k}')").fetchall()[0][0]) for k in names}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--cache", type=Path, help="keep the generated snapshots in this folder and reuse them")
    parser.add_argument(
        "--memory-limit", default="1GB", help="DuckDB memory_limit (spills past it); 'default': 80 %% of RAM"
    )
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: every core)")
    args = parser.parse_args()

    import ibis
    import pyarrow.compute as pc

    from paritrana.coverage import analytics

    status = 0
    for n in args.sizes:
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            folder = args.cache / f"coverage_{n}" if args.cache else Path(tmp)
            con = ibis.duckdb.connect()
            if (folder / "done").exists():
                print(f"N={n:,}: snapshot {folder} reused")
            else:
                folder.mkdir(parents=True, exist_ok=True)
                started = time.perf_counter()
                counts = write_snapshot(con, folder, n)
                (folder / "done").touch()
                print(f"N={n:,}: snapshot written in {time.perf_counter() - started:.1f} s: "
                      + ", ".join(f"{k} {v:,}" for k, v in counts.items()))  # fmt: skip
            settings = out_of_core(con, args.memory_limit, args.threads, Path(tmp) / "spill")
            print(f"  DuckDB {settings}", flush=True)
            t = {k: con.read_parquet(folder / f"{k}.parquet", table_name=f"s_{k}") for k in analytics.TABLES}

            def by_ibis(t: dict[str, object] = t) -> object:
                cube = analytics.coverage_cube(t, [MONTH])
                expr = cube.group_by(["view", "regency", "scheme", "occupation"]).aggregate(
                    registered=cube.registered.sum(), active=cube.active.sum()
                )
                return expr.to_pyarrow()

            end = (dt.date(2026, 11, 1) - dt.timedelta(days=1)).isoformat()
            query = HAND_SQL.format(f=folder, m=MONTH.isoformat(), e=end)

            def by_sql(con: object = con, query: str = query) -> object:
                return con.raw_sql(query).to_arrow_table()  # type: ignore[attr-defined]

            best = {"ibis": float("inf"), "sql": float("inf")}
            step_peak = {"ibis": 0.0, "sql": 0.0}  # each step's own peak, the snapshot's writing left out
            results = {}
            for run in range(args.repeat):
                for name in ("ibis", "sql") if run % 2 == 0 else ("sql", "ibis"):
                    step = by_ibis if name == "ibis" else by_sql
                    _reset_peak()
                    t0 = time.perf_counter()
                    results[name] = step()
                    best[name] = min(best[name], time.perf_counter() - t0)
                    step_peak[name] = max(step_peak[name], _peak_mb())

            def normal(table: object) -> list[tuple[object, ...]]:
                rows = table.to_pylist()  # type: ignore[attr-defined]
                out = [
                    (
                        r["view"],
                        r["regency"] or "",
                        r["scheme"],
                        r["occupation"],
                        int(r["registered"]),
                        int(r["active"]),
                    )
                    for r in rows
                ]
                return sorted(out)

            same = normal(results["ibis"]) == normal(results["sql"])
            active = pc.sum(results["ibis"].column("active")).as_py() // 2  # type: ignore[attr-defined]
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  ibis expression {best['ibis']:.2f} s; hand-written SQL {best['sql']:.2f} s; "
                  f"ratio {best['ibis'] / best['sql']:.2f}; {results['ibis'].num_rows:,} rows "  # type: ignore[attr-defined]
                  f"(both views), {active:,} active; peak RSS {peak:,.0f} MB; same rows: {same}")  # fmt: skip
            print(f"  peak of each step (VmHWM reset before it): ibis {step_peak['ibis']:,.0f} MB, "
                  f"hand-written SQL {step_peak['sql']:,.0f} MB")  # fmt: skip
            if not same:
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
