"""Benchmark: the monthly billing run (``run_billing``) against the same work as one SQL statement.

Run from the repository root::

    .venv/bin/python bench/billing.py                    # 100k and 1M workers
    .venv/bin/python bench/billing.py 20000 --month 2025-03

For each size N, in a fresh process (so the peak memory is the size's own), with
``PARITRANA_HOME`` pointing at a new temporary folder (a new SQLite database):

1. builds a synthetic registry of N workers with bulk ``INSERT … SELECT`` statements
   (deterministic: every value is integer arithmetic on the row number): 70 % wage
   earners (PU) at N/50 employers (risk groups 1-5, 1 % inactive), 30 % non-wage
   earners (BPU): self-paid, sponsored by 20 regional programmes (lowest band) or by a
   CSR fund; memberships (JKK, JKM, JHT for PU and JP for 80 %, JKP for 95 %; JKK, JKM
   for BPU, JHT for a quarter of the self-paid); a few memberships starting after the
   month or ended before it; wage reports for a third of the PU workers (the month
   before, and for some the month itself);
2. times (a) ``run_billing(month)``: extract, rules engine, payers, bills, lines, bill
   amounts, ``settle_run``; (b) the same lines as ONE SQL statement: ``WITH … INSERT INTO
   contributions_billline SELECT …`` computing every amount in SQLite with the
   parameters of the month inlined (rates in parts per million, the same half-up integer
   rounding), into the bills (a) created (its payers and bills come for free; it does no
   comparison with what is already billed and no bill update) under a second billing-run
   row, rolled back after the check; (c) ``run_billing(month)`` again, which must add
   nothing;
3. checks that (a) and (b) give identical lines per programme (count, sum of amounts,
   sum of worker shares) and prints, for each step, wall time, CPU time
   (``time.process_time``: every thread of the process), lines per second and workers
   per second, the ratio (a)/(b), and the resident memory: at the start of the step and
   its peak (``VmHWM``, reset before the step through ``/proc/self/clear_refs``; memory
   a step keeps after it ends shows in the next step's start), and the peak of the whole
   process (``resource.getrusage`` and the steps' peaks). The clock starts after the
   imports and first uses (pandas, which pyarrow imports with its first array; DuckDB).
   Exit status 1 if the totals differ or (c) added a line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing as mp
import os
import platform
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SIZES = [100_000, 1_000_000]
PROGRAMMES = ("JKK", "JKM", "JHT", "JP")


# --- the synthetic registry ------------------------------------------------------------


def build_registry(n: int, month: dt.date) -> dict[str, int]:
    """N workers and what they need, with bulk INSERT … SELECT statements (SQLite)."""
    from django.db import connection, transaction

    from paritrana.contributions.periods import month_end, next_month

    employers = max(10, n // 50)
    before = (month - dt.timedelta(days=1)).replace(day=1)
    after = next_month(month)
    ended = (month - dt.timedelta(days=1)).isoformat()
    seq = "WITH RECURSIVE seq(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM seq WHERE i < {count})"

    def day(iso: str) -> str:  # a date literal (typed on PostgreSQL, where a CASE of literals is text)
        return f"CAST('{iso}' AS DATE)" if connection.vendor == "postgresql" else f"'{iso}'"

    def pad(x: str, width: int) -> str:  # x as text, zero-padded
        if connection.vendor == "postgresql":
            return f"lpad(CAST({x} AS TEXT), {width}, '0')"
        return f"printf('%0{width}d', {x})"

    with transaction.atomic(), connection.cursor() as c:
        c.execute("INSERT INTO registry_region (id, code, name, level) VALUES (1, '33', 'Jawa Tengah', 'province')")
        c.execute(
            "INSERT INTO registry_region (id, code, name, level, parent_id) "
            "VALUES (2, '33.74', 'Kota Semarang', 'regency', 1)"
        )
        c.execute("INSERT INTO registry_branch (id, code, name) VALUES (1, 'KC-33', 'Kantor Cabang')")
        c.execute(
            seq.format(count=employers)
            + f"""
            INSERT INTO registry_employer
                (id, registration_number, name, sector, size_class, risk_group, status, branch_id, region_id)
            SELECT i, 'E' || {pad("i", 8)}, 'PT ' || i, 'manufacturing', 'medium', 1 + (i * 40503) % 5,
                CASE WHEN i % 97 = 0 THEN 'inactive' ELSE 'active' END, 1, 2
            FROM seq"""
        )
        c.execute(
            seq.format(count=20)
            + """
            INSERT INTO registry_sponsor (id, kind, name, region_id)
            SELECT i, 'regional_programme', 'Program daerah ' || i, 2 FROM seq"""
        )
        c.execute("INSERT INTO registry_sponsor (id, kind, name) VALUES (21, 'csr', 'Dana CSR')")
        # i % 10 < 7: PU; 7, 8: BPU self-paid (a third of the 8s by the CSR fund); 9: a regional programme
        c.execute(
            seq.format(count=n)
            + f"""
            INSERT INTO registry_worker
                (id, nik, name, birth_date, sex, occupation, scheme, wage, employer_id, region_id, sponsor_id)
            SELECT i, {pad("i", 16)}, 'Worker ' || i, '1990-05-17', CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END,
                CASE WHEN i % 10 < 7 THEN 'employee' WHEN i % 7 = 0 THEN 'ojek_driver' ELSE 'farmer' END,
                CASE WHEN i % 10 < 7 THEN 'PU' ELSE 'BPU' END,
                CASE WHEN i % 10 >= 7 THEN 500000 + (i * 40503) % 6000001
                     WHEN (i * 7919) % 10 < 7 THEN 2000000 + (i * 2654435761) % 3400001
                     ELSE 2000000 + (i * 2246822519) % 13000001 END,
                CASE WHEN i % 10 < 7 THEN 1 + (i * 7919) % {employers} END,
                2,
                CASE WHEN i % 10 = 9 THEN 1 + i % 20 WHEN i % 10 = 8 AND i % 3 = 0 THEN 21 END
            FROM seq"""
        )
        starts = (
            f"CASE WHEN w.id % 1000 = 1 THEN {day(after.isoformat())} ELSE {day('2024-01-01')} END",
            f"CASE WHEN w.id % 1000 = 2 THEN {day(ended)} END",
        )
        memberships = {
            "JKK": "1 = 1",
            "JKM": "1 = 1",
            "JHT": "w.scheme = 'PU' OR (w.sponsor_id IS NULL AND w.id % 4 = 0)",
            "JP": "w.scheme = 'PU' AND (w.id * 97) % 10 < 8",
            "JKP": "w.scheme = 'PU' AND (w.id * 89) % 20 < 19",
        }
        # a worker's memberships are stored together, as registration creates them
        programmes = " UNION ALL ".join(f"SELECT {k} AS k, '{p}' AS programme" for k, p in enumerate(memberships))
        joins = " OR ".join(f"(p.programme = '{p}' AND ({cond}))" for p, cond in memberships.items())
        c.execute(
            f"""INSERT INTO registry_membership (worker_id, programme, start, "end")
            SELECT w.id, p.programme, {starts[0]}, {starts[1]}
            FROM registry_worker w JOIN ({programmes}) p ON {joins}
            ORDER BY w.id, p.k"""
        )
        now = "2026-01-01 00:00:00"
        c.execute(
            f"""INSERT INTO contributions_wagereport (worker_id, employer_id, period, wage, reported_at)
            SELECT id, employer_id, '{before.isoformat()}', wage + wage / 20, '{now}'
            FROM registry_worker WHERE scheme = 'PU' AND id % 3 = 0"""
        )
        c.execute(
            f"""INSERT INTO contributions_wagereport (worker_id, employer_id, period, wage, reported_at)
            SELECT id, employer_id, '{month.isoformat()}', wage + wage / 10, '{now}'
            FROM registry_worker WHERE scheme = 'PU' AND id % 9 = 0"""
        )
        c.execute("ANALYZE")
        counts = {}
        for table in ("registry_employer", "registry_worker", "registry_membership", "contributions_wagereport"):
            c.execute(f"SELECT count(*) FROM {table}")
            counts[table.split("_", 1)[1]] = int(c.fetchone()[0])
    assert month_end(month) > month
    return counts


# --- the one SQL statement ---------------------------------------------------------------


def one_statement(month: dt.date, run_id: int, created: str) -> str:
    """All the month's lines in one ``WITH … INSERT … SELECT``, the parameters of ``month`` inlined.

    The same readings as ``run_billing`` (see services/billing.py): memberships in force in
    the month, PU of active employers at the latest reported wage, BPU on the declared
    income (the lowest band for a regional programme), the same half-up rounding
    ``(x * ppm + 500000) / 1000000`` (integer division), relief shares applied to the
    rounded full contribution.
    """
    from django.db import connection

    from paritrana.contributions.periods import month_end
    from paritrana.rules.money import rate_ppm
    from paritrana.rules.parameters import load_parameters

    params = load_parameters()

    def value(name: str) -> Any:
        return params[name].at(month).value

    def ppm(name: str, key: Any = None) -> int:
        v = value(name)
        return rate_ppm(Decimal(v if key is None else v[key]))

    def r(x: str, rate: int | str) -> str:  # x × rate (ppm), rounded half up
        return f"((CAST({x} AS BIGINT) * ({rate}) + 500000) / 1000000)"

    jkk_rates = value("jkk.pu.rate")
    jkk_case = "CASE risk_group " + " ".join(f"WHEN {int(k)} THEN {ppm('jkk.pu.rate', k)}" for k in jkk_rates) + " END"
    covid = ppm("relief.covid.jkk_jkm_payable_share")
    jp_share = ppm("relief.covid.jp_payable_share")
    # the labour-intensive relief is not applied (the registry does not record it): share 1
    bands = value("bpu.income_band")
    nominal = (
        "CASE "
        + " ".join(
            f"WHEN declared_income <= {int(b['upto'])} THEN {'declared_income' if b['nominal'] is None else int(b['nominal'])}"
            for b in bands[:-1]
        )
        + f" ELSE {'declared_income' if bands[-1]['nominal'] is None else int(bands[-1]['nominal'])} END"
    )
    # PP 50/2025's relief is not for a regional programme's workers (paid from an APBD)
    apbd_relieved = bool(value("relief.bpu.pp50_applies_to_payer")["regional_budget"])
    pp50 = (
        f"CASE WHEN apbd = 1 AND NOT {str(apbd_relieved).upper()} THEN 1000000 "
        f"WHEN transport = 1 THEN {ppm('relief.bpu_transport.jkk_jkm_payable_share')} "
        f"ELSE {ppm('relief.bpu_other_sectors.jkk_jkm_payable_share')} END"
    )
    first, last = month.isoformat(), month_end(month).isoformat()
    flags = ", ".join(
        f"MAX(CASE WHEN programme = '{p}' THEN 1 ELSE 0 END) AS m_{p.lower()}" for p in (*PROGRAMMES, "JKP")
    )
    self_paid = "(s.id IS NULL OR s.kind = 'self')"
    if connection.vendor == "postgresql":  # the literals of a UNION are text on PostgreSQL: typed here
        common = f"CAST('{first}' AS DATE), {int(run_id)}, '', CAST('{created}' AS TIMESTAMP WITH TIME ZONE)"
        least = "least"
    else:
        common = f"'{first}', {int(run_id)}, '', '{created}'"
        least = "min"

    def pu_line(p: str, amount: str, share: str) -> str:
        return (
            f"SELECT bill_id, worker_id, '{p}', 'contribution', wage, {amount}, {share}, 'pu_contributions', {common} "
            f"FROM puc WHERE m_{p.lower()} = 1"
        )

    def bpu_line(p: str) -> str:
        x = p.lower()
        return (
            f"SELECT bill_id, worker_id, '{p}', 'contribution', nominal, {x}, "
            f"CASE WHEN sponsored = 1 THEN 0 ELSE {x} END, 'bpu_contributions', {common} "
            f"FROM bpuc WHERE m_{x} = 1"
        )

    return f"""
    WITH m AS (
        SELECT worker_id, {flags} FROM registry_membership
        WHERE start <= '{last}' AND ("end" IS NULL OR "end" >= '{first}') GROUP BY worker_id
    ), pu AS (
        SELECT w.id AS worker_id, b.id AS bill_id, e.risk_group,
            COALESCE((SELECT r.wage FROM contributions_wagereport r WHERE r.worker_id = w.id AND r.period <= '{first}'
                      ORDER BY r.period DESC LIMIT 1), w.wage) AS wage,
            m.m_jkk, m.m_jkm, m.m_jht, m.m_jp
        FROM registry_worker w
        JOIN registry_employer e ON e.id = w.employer_id
        JOIN m ON m.worker_id = w.id
        JOIN contributions_payer p ON p.employer_id = w.employer_id
        JOIN contributions_bill b ON b.payer_id = p.id AND b.period = '{first}' AND b.kind = 'contribution'
        WHERE w.scheme = 'PU' AND e.status = 'active'
    ), puc AS (
        SELECT *,
            {r(r(r("wage", jkk_case), covid), 1_000_000)} AS jkk,
            {r(r("wage", ppm("jkm.pu.rate")), covid)} AS jkm,
            {r("wage", ppm("jht.pu.employer_rate"))} AS jht_employer,
            {r("wage", ppm("jht.pu.worker_rate"))} AS jht_worker,
            {r(r(f"{least}(wage, {int(value('jp.wage_cap'))})", ppm("jp.employer_rate")), jp_share)} AS jp_employer,
            {r(r(f"{least}(wage, {int(value('jp.wage_cap'))})", ppm("jp.worker_rate")), jp_share)} AS jp_worker
        FROM pu
    ), bpu AS (
        SELECT w.id AS worker_id, b.id AS bill_id,
            CASE WHEN {self_paid} THEN 0 ELSE 1 END AS sponsored,
            CASE WHEN s.kind = 'regional_programme' THEN 0 ELSE w.wage END AS declared_income,
            CASE WHEN w.occupation IN ('ojek_driver', 'driver') THEN 1 ELSE 0 END AS transport,
            CASE WHEN s.kind = 'regional_programme' THEN 1 ELSE 0 END AS apbd,
            m.m_jkk, m.m_jkm, m.m_jht
        FROM registry_worker w
        JOIN m ON m.worker_id = w.id
        LEFT JOIN registry_sponsor s ON s.id = w.sponsor_id
        LEFT JOIN contributions_payer pw ON pw.worker_id = w.id
        LEFT JOIN contributions_payer ps ON ps.sponsor_id = w.sponsor_id
        JOIN contributions_bill b ON b.payer_id = CASE WHEN {self_paid} THEN pw.id ELSE ps.id END
            AND b.period = '{first}' AND b.kind = 'contribution'
        WHERE w.scheme = 'BPU'
    ), bpun AS (
        SELECT *, {nominal} AS nominal FROM bpu
    ), bpuc AS (
        SELECT *,
            {r(r(r("nominal", ppm("bpu.jkk_rate")), covid), pp50)} AS jkk,
            {r(r(int(value("bpu.jkm_amount")), covid), pp50)} AS jkm,
            CASE WHEN m_jht = 1 THEN {r("nominal", ppm("bpu.jht_rate"))} ELSE 0 END AS jht
        FROM bpun
    )
    INSERT INTO contributions_billline
        (bill_id, worker_id, programme, kind, wage, amount, worker_share, rule, law_date, billing_run_id, note, created_at)
    {pu_line("JKK", "jkk", "0")}
    UNION ALL {pu_line("JKM", "jkm", "0")}
    UNION ALL {pu_line("JHT", "jht_employer + jht_worker", "jht_worker")}
    UNION ALL {pu_line("JP", "jp_employer + jp_worker", "jp_worker")}
    UNION ALL {bpu_line("JKK")}
    UNION ALL {bpu_line("JKM")}
    UNION ALL {bpu_line("JHT")}
    """


# --- measuring ---------------------------------------------------------------------------


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _process_peak_mb()


def _process_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend process (same machine), 0 on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def timed(step: Any) -> tuple[Any, dict[str, float]]:
    """Run ``step``: its wall and CPU time (this process's, plus the database server's on PostgreSQL),
    the resident memory before it and its peak."""
    gc.collect()
    _reset_peak()
    start_mb = _rss_mb()
    server = _server_cpu()
    cpu, wall = time.process_time(), time.perf_counter()
    out = step()
    seconds, used = time.perf_counter() - wall, time.process_time() - cpu
    server = _server_cpu() - server
    return out, {
        "seconds": seconds,
        "cpu": used + server,
        "server_cpu": server,
        "start_mb": start_mb,
        "peak_mb": _peak_mb(),
    }


def totals(run_id: int) -> dict[str, tuple[int, int, int]]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT programme, count(*), sum(amount), sum(worker_share) FROM contributions_billline "
            "WHERE billing_run_id = %s GROUP BY programme ORDER BY programme",
            [run_id],
        )
        return {str(p): (int(n), int(a), int(s)) for p, n, a, s in c.fetchall()}


def measure(n: int, month_text: str, database_url: str | None = None) -> dict[str, Any]:
    """One size, in this (fresh) process: build, then time (a), (b), (c). A temporary SQLite
    database, or the (new, empty) PostgreSQL database ``database_url``."""
    if database_url:
        os.environ["PARITRANA_DATABASE_URL"] = database_url
    else:
        os.environ.pop("PARITRANA_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="paritrana-billing-bench-") as home:
        from paritrana.cli.demo import setup_django

        setup_django(Path(home))
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.utils import timezone

        from paritrana.contributions.models import BillingRun
        from paritrana.contributions.periods import parse_month
        from paritrana.contributions.services.billing import due_dates, run_billing
        from paritrana.rules.engine import connection as engine

        month = parse_month(month_text)
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        counts = build_registry(n, month)
        built = time.perf_counter() - started
        # imports and first uses before the clock (pandas, which pyarrow imports on its first array; DuckDB)
        due_dates(month)
        engine().con.execute("SELECT 1").fetchall()
        after_build = _process_peak_mb()

        run, a = timed(lambda: run_billing(month))
        expected = totals(run.pk)

        with transaction.atomic():
            other = BillingRun.objects.create(period=month)
            now = timezone.now()
            pg = connection.vendor == "postgresql"
            created = now.isoformat() if pg else connection.ops.adapt_datetimefield_value(now)
            sql = one_statement(month, other.pk, created)

            def statement() -> None:
                with connection.cursor() as c:
                    if pg:  # check the foreign keys now, as (a)'s commit does; (b) is rolled back
                        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    c.execute(sql)

            _, b = timed(statement)
            got = totals(other.pk)
            inserted = sum(v[0] for v in got.values())
            transaction.set_rollback(True)

        again, c = timed(lambda: run_billing(month))
        connection.close()  # before a PostgreSQL database is dropped
        return {
            "n": n,
            "counts": counts,
            "built_s": built,
            "after_build_mb": after_build,
            "run": {
                "workers": run.workers,
                "lines": run.lines_added,
                "bills": run.bills_touched,
                "amount": run.amount_added,
            },
            "a": a,
            "b": {**b, "rows": inserted},
            "c": {**c, "lines": again.lines_added},
            "engine_totals": expected,
            "sql_totals": got,
            "process_peak_mb": max(after_build, a["peak_mb"], b["peak_mb"], c["peak_mb"]),
        }


def in_fresh_process(n: int, month: str, database_url: str | None) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        if database_url is None:
            result: dict[str, Any] = pool.apply(measure, (n, month))
            return result
        url = fresh_database(database_url)
        try:
            result = pool.apply(measure, (n, month, url))
        finally:
            drop_database(database_url, url)
        return result


def _bench_url(url: str) -> tuple[str, str]:
    """The URL of the bench's database (``<name>_billing_bench``, next to the given one) and its name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_billing_bench"
    return urlunsplit(parts._replace(path="/" + name)), name


def fresh_database(url: str) -> str:
    import psycopg

    bench, name = _bench_url(url)
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    return bench


def drop_database(url: str, bench: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{_bench_url(url)[1]}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sizes", type=int, nargs="*", default=SIZES, help="numbers of workers (default 100000 1000000)")
    parser.add_argument(
        "--month", default="2026-04", help="the month billed, YYYY-MM (default 2026-04: both BPU reliefs in force)"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="run on PostgreSQL instead (postgresql://user:password@host:port/db): a database <db>_billing_bench "
        "is created next to db for each size and dropped after",
    )
    args = parser.parse_args(argv)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"paritrana billing bench: month {args.month}, {engine}, {mp.cpu_count()} cores, Python {platform.python_version()}"
    )
    failed = False
    summary = []
    for n in args.sizes:
        res = in_fresh_process(n, args.month, args.database_url)
        counts = ", ".join(f"{v:,} {k}" for k, v in res["counts"].items())
        print(
            f"\n{n:,} workers: {counts}; built in {res['built_s']:.1f} s (peak so far {res['after_build_mb']:.0f} MB)"
        )
        lines, workers = res["run"]["lines"], res["run"]["workers"]
        amount = f"Rp{res['run']['amount']:,}".replace(",", ".")
        print(f"  billed: {workers:,} workers, {lines:,} lines, {res['run']['bills']:,} bills, {amount}")
        for key, label in (("a", "run_billing"), ("b", "one SQL statement"), ("c", "run_billing again")):
            s = res[key]
            print(
                f"  ({key}) {label:<18} {s['seconds']:7.2f} s wall {s['cpu']:7.2f} s CPU"
                + (f" (server {s['server_cpu']:.2f} s)" if args.database_url else "")
                + f"  {lines / s['seconds']:>10,.0f} lines/s {workers / s['seconds']:>10,.0f} workers/s"
                f"  memory {s['start_mb']:5.0f} → peak {s['peak_mb']:5.0f} MB"
            )
        a, b = res["a"], res["b"]
        print(
            f"  ratio (a)/(b): wall {a['seconds'] / b['seconds']:.2f}, CPU {a['cpu'] / b['cpu']:.2f};"
            f" process peak {res['process_peak_mb']:.0f} MB"
        )
        if res["engine_totals"] != res["sql_totals"]:
            failed = True
            print("  MISMATCH per programme (lines, amount, worker share):", file=sys.stderr)
            print(f"    run_billing: {res['engine_totals']}", file=sys.stderr)
            print(f"    SQL:         {res['sql_totals']}", file=sys.stderr)
        else:
            per = "; ".join(f"{p} {v[0]:,} lines Rp{v[1]:,}".replace(",", ".") for p, v in res["engine_totals"].items())
            print(f"  identical totals per programme: {per}")
        if res["b"]["rows"] != lines or res["c"]["lines"] != 0:
            failed = True
            print(
                f"  SQL inserted {res['b']['rows']:,} rows; the second run added {res['c']['lines']:,}", file=sys.stderr
            )
        summary.append(res)
    if len(summary) > 1:
        print(
            "\n| workers | lines | (a) run_billing wall / CPU | (b) one SQL wall / CPU | ratio wall / CPU | (a) lines/s | (b) lines/s | (a) peak | (c) rerun wall |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for res in summary:
            a, b, c, lines = res["a"], res["b"], res["c"], res["run"]["lines"]
            print(
                f"| {res['n']:,} | {lines:,} | {a['seconds']:.1f} s / {a['cpu']:.1f} s | {b['seconds']:.1f} s / {b['cpu']:.1f} s"
                f" | {a['seconds'] / b['seconds']:.2f} / {a['cpu'] / b['cpu']:.2f} | {lines / a['seconds']:,.0f}"
                f" | {lines / b['seconds']:,.0f} | {a['peak_mb']:.0f} MB | {c['seconds']:.1f} s |"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
