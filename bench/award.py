"""Benchmark: the award's indicators of the 38 provinces, the 514 regencies/cities and every employer, the Ibis
expressions of ``paritrana.award.indicators`` against hand-written SQL, on DuckDB over a synthetic snapshot.

Run from the repository root::

    .venv/bin/python bench/award.py                    # 40M participants, 700,000 employers
    .venv/bin/python bench/award.py 1000000            # 1M participants (employers: N/57, at least 10)

For each size N, in one process:

1. writes a synthetic snapshot with DuckDB itself, once per size, in a child process, kept under ``--workdir``
   and reused by later runs (``COPY (SELECT … FROM range(N)) TO … (FORMAT parquet)``; integer arithmetic on the
   row number, the same from run to run) with the tables and columns of ``paritrana.award.indicators.TABLES``:
   the shipped 38 provinces and 514 regencies; 700,000 employers at 40M (N/57 otherwise); 20 regional
   programmes and N/400 CSR funds as sponsors; N workers (70 % wage earners at an employer, 30 % non-wage
   earners, a third of them sponsored); two billed months of 2026 (January, December), a bill per payer and
   month (1 in 13 paid in part, 1 in 7 paid late), a line per worker, programme and month (JKK, JKM; JHT and JP
   (80 %) for wage earners; 1 in 10 workers missing from January); the provinces' UMP and a UMK for every third
   regency;
2. times (a) ``indicators.compute`` (the worker summary, one pass over the lines held as a temporary table, then
   the provinces, the regencies and the employers read from it) executed on DuckDB to Arrow tables; (b) the same
   in hand-written SQL (a temporary table of the summary, then three queries), in the same DuckDB connection;
3. checks that (a) and (b) give the same rows, prints the wall and CPU seconds of each, the ratios (a)/(b), the
   input rows and the peak resident memory of the process. Exit status 1 if the results differ.

DuckDB is limited to ``--memory`` (default 1.2 GB, spilling to the work folder) and 2 threads. Each step is the
best of ``--repeat`` runs (default 2), alternating their order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

YEAR = 2026
MONTHS = [dt.date(2026, 1, 1), dt.date(2026, 12, 1)]
AS_OF = dt.date(2027, 1, 31)
PROGRAMMES = 20
SNAPSHOT_VERSION = 2  # bumped whenever write_snapshot changes what it writes
COMPARED_ROWS = 50_000  # rows of each side held as Python objects at once by the comparison


def write_snapshot(con: object, folder: Path, n: int) -> dict[str, int]:
    from paritrana.registry.regiondata import read_level

    provinces = [r.code for r in read_level("province")]
    regencies = [r.code for r in read_level("regency")]
    regions = [(i + 1, c, "province" if len(c) == 2 else "regency") for i, c in enumerate(provinces + regencies)]
    first_reg, nreg = len(provinces) + 1, len(regencies)
    employers = 700_000 if n >= 40_000_000 else max(10, n // 57)
    csr = max(1, n // 400)
    s = PROGRAMMES + csr  # sponsors; payers: employers 1..E, sponsors E+1..E+S, self-payers by regency after
    values = ", ".join(f"({i}, '{c}', 'R{i}', '{lvl}')" for i, c, lvl in regions)
    sizes = "['micro', 'small', 'medium', 'large']"
    m1, m2 = (m.isoformat() for m in MONTHS)
    worker = f"read_parquet('{folder}/worker.parquet')"
    sql = {
        "region": f"SELECT * FROM (VALUES {values}) AS t(id, code, name, level)",
        "employer": f"""SELECT range + 1 AS id, {first_reg} + (range * 7919) % {nreg} AS region_id,
                'PT ' || range AS name, {sizes}[1 + range % 4] AS size_class, 'trade' AS sector, 'active' AS status
                FROM range({employers})""",
        "sponsor": f"""SELECT range + 1 AS id, CASE WHEN range < {PROGRAMMES} THEN 'regional_programme' ELSE 'csr' END
                AS kind, CASE WHEN range < {PROGRAMMES} THEN CASE WHEN range % 2 = 0 THEN 1 + range % 38
                ELSE {first_reg} + range * 17 END END AS region_id,
                CASE WHEN range >= {PROGRAMMES} THEN 1 + (range * 31) % {employers} END AS employer_id
                FROM range({s})""",
        "payer": f"""SELECT range + 1 AS id, CASE WHEN range < {employers} THEN 'employer'
                WHEN range < {employers + s} THEN 'sponsor' ELSE 'worker' END AS kind,
                CASE WHEN range < {employers} THEN range + 1 END AS employer_id,
                CASE WHEN range >= {employers} AND range < {employers + s} THEN range + 1 - {employers} END AS sponsor_id
                FROM range({employers + s + nreg})""",
        "worker": f"""SELECT range + 1 AS id,
                CASE WHEN range % 10 < 7 THEN {first_reg} + ((range * 7919) % {employers} * 7919) % {nreg}
                     ELSE {first_reg} + (range * 2654435761) % {nreg} END AS region_id,
                CASE WHEN range % 10 < 7 THEN 'PU' ELSE 'BPU' END AS scheme,
                CASE WHEN range % 10 < 7 THEN 1 + (range * 7919) % {employers} END AS employer_id,
                CASE WHEN range % 10 = 9 THEN 1 + range % {PROGRAMMES}
                     WHEN range % 10 = 8 AND range % 3 = 0 THEN {PROGRAMMES} + 1 + range % {csr} END AS sponsor_id,
                CAST(2000000 + (range * 37) % 3000000 AS BIGINT) AS wage
                FROM range({n})""",
        # a bill per payer and month: id = payer id * 2 + month (0, 1)
        "bill": f"""SELECT p * 2 + k AS id, p AS payer_id, CASE WHEN k = 0 THEN DATE '{m1}' ELSE DATE '{m2}' END AS period,
                'contribution' AS kind, CASE WHEN k = 0 THEN DATE '{m1}' + 44 ELSE DATE '{m2}' + 45 END AS due_date,
                CAST(1000000 AS BIGINT) AS amount, CAST(CASE WHEN (p + k) % 13 = 0 THEN 999999 ELSE 1000000 END AS BIGINT)
                AS paid, CASE WHEN (p + k) % 13 = 0 THEN NULL WHEN (p + k) % 7 = 0 THEN
                (CASE WHEN k = 0 THEN DATE '{m1}' ELSE DATE '{m2}' END) + 50 ELSE
                (CASE WHEN k = 0 THEN DATE '{m1}' ELSE DATE '{m2}' END) + 20 END AS paid_at
                FROM (SELECT range + 1 AS p FROM range({employers + s + nreg})), (SELECT range AS k FROM range(2))""",
        "line": f"""SELECT (CASE WHEN w.employer_id IS NOT NULL THEN w.employer_id
                        WHEN w.sponsor_id IS NOT NULL THEN {employers} + w.sponsor_id
                        ELSE {employers + s} + w.region_id - {first_reg} + 1 END) * 2 + k.k AS bill_id,
                   w.id AS worker_id, p.programme, CAST(10000 + (w.id * 31) % 90000 AS BIGINT) AS amount
                FROM {worker} w CROSS JOIN (SELECT range AS k FROM range(2)) k
                JOIN (VALUES ('JKK', 0), ('JKM', 0), ('JHT', 1), ('JP', 2)) AS p(programme, rule)
                  ON p.rule = 0 OR (w.scheme = 'PU' AND (p.rule = 1 OR (w.id * 97) % 10 < 8))
                WHERE k.k = 1 OR w.id % 10 <> 3""",
        "workforce": f"""SELECT id AS region_id, {YEAR} AS year, CAST({n} AS BIGINT) AS employed, 'estimate' AS kind
                FROM (VALUES {", ".join(f"({i})" for i, _, _ in regions)}) AS t(id)""",
        # the 38 provinces' UMP, and a UMK (above it) for every third regency
        "minimum_wage": f"""SELECT range + 1 AS region_id, DATE '2026-01-01' AS valid_from,
                CAST(2500000 + range * 50000 AS BIGINT) AS amount FROM range(38)
                UNION ALL SELECT id, DATE '2026-01-01', CAST(3000000 + (id * 13) % 20 * 50000 AS BIGINT)
                FROM range({first_reg}, {first_reg + nreg}) AS r(id) WHERE id % 3 = 0""",
        "programme": f"""SELECT id, region_id, id AS sponsor_id, {YEAR} AS budget_year,
                CAST(20000000000 AS BIGINT) AS budget_amount
                FROM read_parquet('{folder}/sponsor.parquet') WHERE kind = 'regional_programme'""",
    }
    counts = {}
    for name in ("region", "employer", "sponsor", "payer", "worker", "bill", "line", "workforce", "minimum_wage",
                 "programme"):  # fmt: skip
        path = folder / f"{name}.parquet"
        con.raw_sql(f"COPY ({sql[name]}) TO '{path}' (FORMAT parquet)")  # type: ignore[attr-defined]
        counts[name] = con.raw_sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]  # type: ignore[attr-defined]
    return counts


WORKER_MONTHS = """
wm AS (
    SELECT l.worker_id, b.period,
           CASE WHEN SUM(l.amount) > 0 AND MAX(CASE WHEN b.paid < b.amount THEN 1 ELSE 0 END) = 0 THEN 1 ELSE 0 END
             AS active,
           CASE WHEN SUM(l.amount) > 0 AND MAX(CASE WHEN b.paid < b.amount THEN 1 ELSE 0 END) = 0
                 AND SUM(CASE WHEN l.programme = 'JKK' THEN l.amount ELSE 0 END) > 0
                 AND SUM(CASE WHEN l.programme = 'JKM' THEN l.amount ELSE 0 END) > 0
                 AND SUM(CASE WHEN l.programme = 'JHT' THEN l.amount ELSE 0 END) > 0
                 AND SUM(CASE WHEN l.programme = 'JP' THEN l.amount ELSE 0 END) > 0 THEN 1 ELSE 0 END AS all_four
    FROM read_parquet('{f}/line.parquet') l JOIN read_parquet('{f}/bill.parquet') b ON b.id = l.bill_id
    WHERE b.kind = 'contribution' AND b.period IN ({months}) AND l.worker_id IS NOT NULL
    GROUP BY l.worker_id, b.period
)"""

# the one pass over the lines, kept as a temporary table that the three queries read (as the Ibis side does)
HAND_SUMMARY = """
CREATE OR REPLACE TEMP TABLE hand_summary AS
WITH {wm},
flags AS (
    SELECT worker_id, MAX(CASE WHEN period = DATE '{first}' AND active = 1 THEN 1 ELSE 0 END) AS active_first,
           MAX(CASE WHEN period = DATE '{last}' AND active = 1 THEN 1 ELSE 0 END) AS active_last,
           MAX(active) AS active_any, MAX(CASE WHEN period = DATE '{last}' THEN 1 ELSE 0 END) AS seen_last,
           MAX(CASE WHEN period = DATE '{last}' THEN all_four ELSE 0 END) AS all_four_last
    FROM wm GROUP BY worker_id
), in_force AS (
    SELECT r.code, m.amount FROM read_parquet('{f}/minimum_wage.parquet') m
    JOIN read_parquet('{f}/region.parquet') r ON r.id = m.region_id WHERE m.valid_from <= DATE '{last}'
    QUALIFY row_number() OVER (PARTITION BY r.code ORDER BY m.valid_from DESC) = 1
), emp_mw AS (
    SELECT e.id AS employer_id, coalesce(CASE WHEN length(r.code) >= 5 THEN umk.amount END, ump.amount) AS mw
    FROM read_parquet('{f}/employer.parquet') e JOIN read_parquet('{f}/region.parquet') r ON r.id = e.region_id
    LEFT JOIN in_force umk ON umk.code = substr(r.code, 1, 5) LEFT JOIN in_force ump ON ump.code = substr(r.code, 1, 2)
)
SELECT r.code AS home_code, w.scheme, CASE WHEN s.kind = 'regional_programme' THEN sr.code END AS prog_code,
       CASE WHEN s.kind = 'csr' THEN s.employer_id END AS csr_emp, w.employer_id,
       CASE WHEN em.mw IS NOT NULL AND w.wage >= em.mw THEN 1 ELSE 0 END AS wage_ok,
       coalesce(f.active_first, 0) AS active_first, coalesce(f.active_last, 0) AS active_last,
       coalesce(f.active_any, 0) AS active_any, coalesce(f.seen_last, 0) AS seen_last,
       coalesce(f.all_four_last, 0) AS all_four_last, COUNT(*) AS n
FROM read_parquet('{f}/worker.parquet') w LEFT JOIN flags f ON f.worker_id = w.id
LEFT JOIN read_parquet('{f}/region.parquet') r ON r.id = w.region_id
LEFT JOIN read_parquet('{f}/sponsor.parquet') s ON s.id = w.sponsor_id
LEFT JOIN read_parquet('{f}/region.parquet') sr ON sr.id = s.region_id
LEFT JOIN emp_mw em ON em.employer_id = w.employer_id
GROUP BY ALL
"""

HAND_REGIONS = """
WITH counts AS (
    SELECT substr(home_code, 1, {n}) AS code, SUM(CASE WHEN active_last = 1 THEN n ELSE 0 END) AS active_last,
           SUM(CASE WHEN active_first = 1 THEN n ELSE 0 END) AS active_first,
           SUM(CASE WHEN active_last = 1 AND scheme = 'PU' THEN n ELSE 0 END) AS pu_active,
           SUM(CASE WHEN active_last = 1 AND scheme = 'BPU' THEN n ELSE 0 END) AS bpu_active
    FROM hand_summary WHERE length(home_code) >= {n} GROUP BY 1
), own AS (
    SELECT prog_code AS code, SUM(n) AS vulnerable_protected FROM hand_summary
    WHERE active_any = 1 AND prog_code IS NOT NULL GROUP BY prog_code
), progs AS (
    SELECT r.code, p.sponsor_id, p.budget_amount FROM read_parquet('{f}/programme.parquet') p
    JOIN read_parquet('{f}/region.parquet') r ON r.id = p.region_id WHERE p.budget_year = {year}
), budget AS (SELECT code, SUM(budget_amount) AS budget FROM progs GROUP BY code
), realised AS (
    SELECT progs.code, SUM(b.paid) AS realised FROM progs
    JOIN read_parquet('{f}/payer.parquet') y ON y.sponsor_id = progs.sponsor_id
    JOIN read_parquet('{f}/bill.parquet') b ON b.payer_id = y.id WHERE year(b.period) = {year} GROUP BY progs.code
), employed AS (
    SELECT r.code, MAX(f.employed) AS employed FROM read_parquet('{f}/workforce.parquet') f
    JOIN read_parquet('{f}/region.parquet') r ON r.id = f.region_id WHERE f.year = {year} GROUP BY r.code
)
SELECT r.code, coalesce(c.active_last, 0) AS active_last, coalesce(c.active_first, 0) AS active_first,
       e.employed, coalesce(c.pu_active, 0) AS pu_active, coalesce(c.bpu_active, 0) AS bpu_active,
       coalesce(o.vulnerable_protected, 0) AS vulnerable_protected, bu.budget, coalesce(re.realised, 0) AS realised
FROM read_parquet('{f}/region.parquet') r LEFT JOIN counts c ON c.code = r.code LEFT JOIN own o ON o.code = r.code
LEFT JOIN employed e ON e.code = r.code LEFT JOIN budget bu ON bu.code = r.code LEFT JOIN realised re ON re.code = r.code
WHERE r.level = '{level}'
"""

HAND_COMPANIES = """
WITH emps AS (
    SELECT e.id AS employer_id FROM read_parquet('{f}/employer.parquet') e
    JOIN read_parquet('{f}/region.parquet') r ON r.id = e.region_id
), per AS (
    SELECT employer_id, SUM(n) AS workers, SUM(CASE WHEN all_four_last = 1 THEN n ELSE 0 END) AS all_four,
           SUM(CASE WHEN seen_last = 0 THEN n ELSE 0 END) AS unreported_workers,
           SUM(CASE WHEN wage_ok = 1 THEN n ELSE 0 END) AS at_minimum
    FROM hand_summary WHERE employer_id IS NOT NULL GROUP BY employer_id
), bills AS (
    SELECT y.employer_id, b.* FROM read_parquet('{f}/bill.parquet') b
    JOIN read_parquet('{f}/payer.parquet') y ON y.id = b.payer_id WHERE year(b.period) = {year}
), on_time AS (
    SELECT employer_id, COUNT(*) AS bills, SUM(CASE WHEN paid_at IS NOT NULL AND paid_at <= due_date THEN 1 ELSE 0 END)
      AS on_time FROM bills WHERE kind = 'contribution' GROUP BY employer_id
), arrears AS (
    SELECT employer_id, SUM(amount - paid) AS arrears FROM bills WHERE due_date <= DATE '{as_of}' GROUP BY employer_id
), csr AS (
    SELECT csr_emp AS employer_id, SUM(n) AS csr_sponsored FROM hand_summary
    WHERE csr_emp IS NOT NULL AND active_last = 1 GROUP BY csr_emp
)
SELECT emps.employer_id, coalesce(per.workers, 0) AS workers, coalesce(per.unreported_workers, 0) AS unreported_workers,
       per.all_four, per.at_minimum, t.bills, t.on_time, coalesce(a.arrears, 0) AS arrears,
       coalesce(c.csr_sponsored, 0) AS csr_sponsored
FROM emps LEFT JOIN per ON per.employer_id = emps.employer_id LEFT JOIN on_time t ON t.employer_id = emps.employer_id
LEFT JOIN arrears a ON a.employer_id = emps.employer_id LEFT JOIN csr c ON c.employer_id = emps.employer_id
"""


def by_ibis(t: Any) -> list[Any]:
    from paritrana.award import indicators

    out = indicators.compute(t, YEAR, MONTHS, AS_OF)
    return [out["province"], out["regency"], out["company"]]


def by_hand(con: Any, folder: Path, wm: str) -> list[Any]:
    first, last = MONTHS
    con.raw_sql(HAND_SUMMARY.format(wm=wm, f=folder, first=first, last=last))
    out = []
    try:
        for level, k in (("province", 2), ("regency", 5)):
            q = HAND_REGIONS.format(f=folder, n=k, year=YEAR, level=level)
            out.append(con.raw_sql(q).to_arrow_table())
        q = HAND_COMPANIES.format(f=folder, year=YEAR, as_of=AS_OF)
        out.append(con.raw_sql(q).to_arrow_table())
    finally:
        con.raw_sql("DROP TABLE IF EXISTS hand_summary")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[40_000_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--memory", default="1.2GB")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "paritrana-award-bench",
                        help="where the snapshots are kept between runs (one folder per size) and DuckDB spills")  # fmt: skip
    parser.add_argument("--write-only", action="store_true", help=argparse.SUPPRESS)  # the child writing a snapshot
    args = parser.parse_args()

    import ibis

    from paritrana.award import snapshot

    status = 0
    for n in args.sizes:
        if args.write_only:
            _write_only(args.workdir, n, args.memory)
            continue
        folder, written = _cached_snapshot(args.workdir, n, args.memory)
        counts = json.loads((folder / "counts.json").read_text())
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            con = ibis.duckdb.connect()
            con.raw_sql(f"SET memory_limit = '{args.memory}'; SET threads = 2; SET temp_directory = '{tmp}/spill'")
            t = snapshot.open_tables(folder, con=con)
            # the clock starts after the imports: the first Ibis result loads its converters (seconds, once)
            t["region"].count().to_pyarrow()
            months = ", ".join(f"DATE '{m.isoformat()}'" for m in MONTHS)
            wm = WORKER_MONTHS.format(f=folder, months=months)

            runs = {"ibis": partial(by_ibis, t), "hand": partial(by_hand, con, folder, wm)}
            best = {"ibis": float("inf"), "hand": float("inf")}
            cpu = {"ibis": float("inf"), "hand": float("inf")}  # the process's CPU seconds (all DuckDB's threads)
            results: dict[str, list[Any]] = {}
            sampler = PeakSampler()
            for i in range(args.repeat):
                order = list(runs.items())
                for name, fn in order if i % 2 == 0 else order[::-1]:
                    sampler.enter(name)
                    t0, c0 = time.perf_counter(), time.process_time()
                    results[name] = fn()
                    best[name] = min(best[name], time.perf_counter() - t0)
                    cpu[name] = min(cpu[name], time.process_time() - c0)
            sampler.enter("comparison")
            same = _same(results["ibis"], results["hand"])
            phases = sampler.stop()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows = ", ".join(f"{k} {v:,}" for k, v in counts.items())
            how = f"written in {written:.1f} s" if written is not None else f"reused from {folder}"
            print(f"N={n:,}: snapshot {how} ({rows})")
            print(f"  Ibis {best['ibis']:.2f} s, hand-written SQL {best['hand']:.2f} s, ratio "
                  f"{best['ibis'] / best['hand']:.2f} (CPU {cpu['ibis']:.2f} s against {cpu['hand']:.2f} s, ratio "
                  f"{cpu['ibis'] / cpu['hand']:.2f}); 38 provinces, 514 regencies, "
                  f"{results['ibis'][2].num_rows:,} employers; peak RSS {peak:,.0f} MB; same rows: {same}")  # type: ignore[attr-defined]  # fmt: skip
            print("  peak RSS by phase: " + ", ".join(f"{k} {v:,} MB" for k, v in phases.items() if k != "start"))
            status |= 0 if same else 1
    return status


def _cached_snapshot(workdir: Path, n: int, memory: str) -> tuple[Path, float | None]:
    """The synthetic snapshot of size ``n``, written once and kept under ``workdir`` (``counts.json`` marks it
    whole); the seconds it took to write, or None when it was reused."""
    folder = workdir / f"snapshot-{n}-{SNAPSHOT_VERSION}"
    if (folder / "counts.json").exists():
        return folder, None
    # written by a child process: the peak memory printed is the computation's, not the writing's
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.award", str(n), "--write-only", "--workdir", str(workdir),
                    "--memory", memory], check=True, cwd=ROOT)  # fmt: skip
    return folder, time.perf_counter() - started


def _write_only(workdir: Path, n: int, memory: str) -> None:
    import ibis

    folder = workdir / f"snapshot-{n}-{SNAPSHOT_VERSION}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    con = ibis.duckdb.connect()
    con.raw_sql(f"SET memory_limit = '{memory}'; SET threads = 2; SET temp_directory = '{folder}/spill'")
    counts = write_snapshot(con, folder, n)
    shutil.rmtree(folder / "spill", ignore_errors=True)
    (folder / "counts.json").write_text(json.dumps(counts))


def _same(ibis_out: list[object], hand_out: list[object]) -> bool:
    """The hand-written rows equal the Ibis rows on every column they share (the hand-written query leaves the
    ratios to its reader: they are compared through their numerator and denominator). Both sides are sorted by
    their key and compared a slice of rows at a time: 700,000 employers as Python rows at once would be the
    largest thing in the process."""
    keys = ("code", "code", "employer_id")
    for a, b, key in zip(ibis_out, hand_out, keys, strict=True):
        a, b = a.sort_by(key), b.sort_by(key)  # type: ignore[attr-defined]
        if a.num_rows != b.num_rows or not a[key].equals(b[key]):  # type: ignore[attr-defined]
            return False
        for start in range(0, a.num_rows, COMPARED_ROWS):  # type: ignore[attr-defined]
            left = a.slice(start, COMPARED_ROWS).to_pylist()  # type: ignore[attr-defined]
            right = b.slice(start, COMPARED_ROWS).to_pylist()  # type: ignore[attr-defined]
            if not all(_same_row(x, y, key == "employer_id") for x, y in zip(left, right, strict=True)):
                return False
    return True


def _same_row(left: dict[str, Any], right: dict[str, Any], company: bool) -> bool:
    if any(column in left and left[column] != value for column, value in right.items()):
        return False
    if company and right["workers"]:
        for share, count in (("four_programmes_share", "all_four"), ("wage_at_minimum_share", "at_minimum")):
            if abs(left[share] - float(right[count]) / float(right["workers"])) > 1e-12:
                return False
    return True


def _rss_mb() -> int:
    """The process's resident memory now (Linux), 0 elsewhere."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() // (1 << 20)
    except OSError:
        return 0


class PeakSampler:
    """The highest resident memory of the process during each named phase (sampled every 50 ms in a thread):
    where the peak goes, which the process's one high-water mark does not say."""

    def __init__(self) -> None:
        self.phase = "start"
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.mark()
            time.sleep(0.05)

    def mark(self) -> None:
        phase = self.phase
        self.peaks[phase] = max(self.peaks.get(phase, 0), _rss_mb())

    def enter(self, phase: str) -> None:
        self.mark()
        self.phase = phase
        self.mark()

    def stop(self) -> dict[str, int]:
        self._stop.set()
        self._thread.join()
        self.mark()
        return self.peaks


if __name__ == "__main__":
    sys.exit(main())
