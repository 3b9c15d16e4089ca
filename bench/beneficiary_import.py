"""Benchmark: validating and enrolling a beneficiary list against a plain bulk insert (COPY) of the same rows.

Run from the repository root (PostgreSQL: the enrolment's set-based path is COPY there)::

    .venv/bin/python bench/beneficiary_import.py --database-url postgresql://user:pw@host:port/db          # 100k and 1M
    .venv/bin/python bench/beneficiary_import.py 20000 --database-url postgresql://user:pw@host:port/db    # quick

For each size N, in a fresh process, in a new database ``<db>_beneficiary_bench`` (created next to ``db``,
dropped after):

1. migrates, loads the regions (provinces, regencies, districts; villages are checked against the shipped
   table) and creates a province's programme (Jawa Tengah, 33) for 2026 taking every vulnerable occupation
   aged 18-65;
2. writes a deterministic CSV list of N people living in the villages of Jawa Tengah's districts (every
   value is arithmetic on the row number; every row valid; NIKs unique and consistent with birth date and
   sex); not timed;
3. times, each once, in this order:
   (a) ``copy_list``: ``COPY … FROM STDIN (FORMAT csv, HEADER)`` of the file's bytes into a table with the
       list's seven columns and no index: the plain bulk insert of the same rows (the target's yardstick);
   (b) ``copy_records``: a plain bulk insert of the same rows into the tables the enrolment fills: the
       file read with ``csv`` and written by ``COPY`` as workers, then (their ids read back with one query)
       ``COPY`` of the memberships JKK and JKM and of the beneficiaries; no check, no history; one
       transaction, foreign keys checked at its commit as for (d); then the tables are emptied again;
   (c) ``preview``: ``preview_list`` (read and check every row, classify against the registry, keep the
       file and the outcome; enrols nobody);
   (d) ``confirm``: ``confirm_list`` (read and check every row again against the registry as it then is,
       and enrol: workers, memberships JKK + JKM, beneficiaries, history rows; one transaction);
4. checks that (d) enrolled N workers, 2N memberships and N beneficiaries, and prints rows per second of
   each step, the CPU time of this process, and the ratios of (d) and of (c)+(d) to (a) and to (b).

Target (issue 8): validate-and-enrol at least half the speed of a plain bulk insert of the same rows,
i.e. ratio (b)/(d) ≥ 0.5 (wall time of the plain insert ÷ wall time of ours). (a) is shown for scale: it
writes one narrow table with no index, no foreign key and no second table.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import multiprocessing as mp
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SIZES = [100_000, 1_000_000]
ON = dt.date(2026, 3, 2)
OCCUPATIONS = ("farmer", "fisher", "gardener", "trader", "quran_teacher", "street_vendor", "labourer", "artisan")


def timed(fn: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return result, {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def write_list(path: Path, n: int) -> int:
    """N valid people of Jawa Tengah: row i lives in district i mod D, sex (i div D) mod 2, NIK serial
    i div 2D + 1 (so every NIK differs), born on one of 16,000 days from 1962 (aged 18-64 on ON)."""
    from paritrana.programmes.listfile import villages
    from paritrana.registry.models import Region
    from paritrana.registry.nik import make_nik

    by_district: dict[str, list[str]] = {}
    for code in sorted(villages()):
        if code.startswith("33."):
            by_district.setdefault(code[:8], []).append(code)
    known = set(Region.objects.filter(code__startswith="33.", level="district").values_list("code", flat=True))
    districts = [d for d in sorted(by_district) if d in known]
    d_count = len(districts)
    if n > 2 * d_count * 9999:
        raise SystemExit(f"at most {2 * d_count * 9999} rows")
    first = dt.date(1962, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["nik", "name", "birth_date", "sex", "occupation", "village", "address"])
        for i in range(n):
            district = districts[i % d_count]
            sex = "MF"[(i // d_count) % 2]
            serial = i // (2 * d_count) + 1
            birth = first + dt.timedelta(days=(i * 7919) % 16_000)
            homes = by_district[district]
            w.writerow(
                [make_nik(district, birth, sex, serial), f"Peserta {i}", birth.isoformat(), sex,
                 OCCUPATIONS[i % len(OCCUPATIONS)], homes[(i // d_count) % len(homes)], f"RT {i % 20 + 1}"]
            )  # fmt: skip
    return d_count


def measure(n: int, database_url: str) -> dict[str, Any]:
    os.environ["PARITRANA_DATABASE_URL"] = database_url
    # a list of a million rows is above the uploads' row limit (decision 0011): the bench calls the use case
    # directly, as a command-line import of a large list would, with the limit raised
    os.environ["PARITRANA_UPLOAD_MAX_ROWS"] = str(max(n, 200_000))
    with tempfile.TemporaryDirectory(prefix="paritrana-beneficiary-bench-") as home:
        from paritrana.cli.demo import setup_django

        setup_django(Path(home))
        from django.core.management import call_command
        from django.db import connection, transaction

        from paritrana.programmes.models import Beneficiary
        from paritrana.programmes.services.lists import confirm_list, preview_list
        from paritrana.programmes.services.programmes import create_programme
        from paritrana.registry.models import Membership, Region, Worker
        from paritrana.registry.regions import load_regions

        call_command("migrate", verbosity=0, interactive=False)
        load_regions(villages=False)
        programme = create_programme(
            None, region="33", name="Bench", legal_basis_type="pergub", legal_basis_number="1",
            legal_basis_date="2026-01-02", budget_year=2026, budget_amount=10**14,
        )  # fmt: skip
        path = Path(home) / "list.csv"
        districts = write_list(path, n)
        size_mb = path.stat().st_size / 1e6

        def copy_list() -> None:
            with transaction.atomic(), connection.cursor() as c:
                c.execute(
                    "CREATE TABLE bench_plain (nik varchar(16), name varchar(200), birth_date date, sex varchar(1), "
                    "occupation varchar(30), village varchar(13), address varchar(300))"
                )
                with c.copy("COPY bench_plain FROM STDIN (FORMAT csv, HEADER)") as copy, path.open("rb") as f:
                    while chunk := f.read(1 << 20):
                        copy.write(chunk)

        _, a = timed(copy_list)
        region_ids = dict(Region.objects.filter(level="district").values_list("code", "id"))

        def copy_records() -> int:
            """The rows the enrolment stores, by COPY and nothing else: workers, then (their ids read back)
            memberships JKK and JKM and beneficiaries; one transaction, its foreign keys checked at commit."""
            first, last = ON.isoformat(), "2026-12-31"
            with transaction.atomic(), connection.cursor() as c:
                columns = "nik, name, birth_date, sex, occupation, region_id, scheme, sponsor_id, wage"
                homes: list[tuple[str, str, str, int]] = []
                with c.copy(f"COPY registry_worker ({columns}) FROM STDIN") as copy, path.open(newline="") as f:
                    rows = csv.reader(f)
                    next(rows)
                    sponsor = programme.sponsor_id
                    for line, (nik, name, birth, sex, occupation, village, address) in enumerate(rows, start=2):
                        copy.write_row((nik, name, birth, sex, occupation, region_ids[village[:8]], "BPU", sponsor, 0))
                        homes.append((nik, village, address, line))
                c.execute("SELECT nik, id FROM registry_worker")
                ids = dict(c.fetchall())
                with c.copy('COPY registry_membership (worker_id, programme, start, "end") FROM STDIN') as copy:
                    for nik, *_rest in homes:
                        copy.write_row((ids[nik], "JKK", first, last))
                        copy.write_row((ids[nik], "JKM", first, last))
                beneficiary = "programme_id, worker_id, row, village_code, address, enrolled_on, ends_on"
                with c.copy(f"COPY programmes_beneficiary ({beneficiary}) FROM STDIN") as copy:
                    for nik, village, address, line in homes:
                        copy.write_row((programme.pk, ids[nik], line, village, address, first, last))
                return len(homes)

        copied, b = timed(copy_records)
        with connection.cursor() as c:
            c.execute("TRUNCATE registry_worker, registry_membership, programmes_beneficiary CASCADE")
            c.execute("ANALYZE registry_worker, registry_membership, programmes_beneficiary")
        lst, c_ = timed(lambda: preview_list(None, programme.pk, path, "list.csv", on=ON))
        done, d = timed(lambda: confirm_list(None, lst.pk, on=ON))
        result = {
            "n": n,
            "districts": districts,
            "file_mb": size_mb,
            "a": a,
            "b": {**b, "rows": copied},
            "c": {**c_, "valid": lst.valid_count, "errors": lst.error_count},
            "d": {**d, "enrolled": done.enrolled_count},
            "workers": Worker.objects.count(),
            "memberships": Membership.objects.count(),
            "beneficiaries": Beneficiary.objects.filter(programme=programme).count(),
            "server": connection.cursor().connection.info.server_version,
        }
        connection.close()
        return result


def _bench_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_beneficiary_bench"
    return urlunsplit(parts._replace(path="/" + name)), name


def in_fresh_process(n: int, database_url: str) -> dict[str, Any]:
    import psycopg

    bench, name = _bench_url(database_url)
    with psycopg.connect(database_url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        with mp.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
            result: dict[str, Any] = pool.apply(measure, (n, bench))
            return result
    finally:
        with psycopg.connect(database_url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "∞"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sizes", type=int, nargs="*", default=SIZES, help="rows of the list (default 100000 1000000)")
    parser.add_argument(
        "--database-url",
        required=True,
        help="PostgreSQL (postgresql://user:password@host:port/db): a database <db>_beneficiary_bench is created "
        "next to db for each size and dropped after",
    )
    args = parser.parse_args(argv)
    print(
        f"paritrana beneficiary-list bench: PostgreSQL, {mp.cpu_count()} cores, Python {platform.python_version()}",
        flush=True,
    )
    failed = False
    summary = []
    for n in args.sizes:
        r = in_fresh_process(n, args.database_url)
        a, b, c, d = r["a"], r["b"], r["c"], r["d"]
        print(f"\n{n:,} rows ({r['file_mb']:.1f} MB CSV, {r['districts']} districts), PostgreSQL {r['server']}")
        for label, s in (
            ("(a) COPY the list into a plain table", a),
            ("(b) COPY the same records, unchecked", b),
            ("(c) preview: read, check, classify", c),
            ("(d) confirm: check again and enrol", d),
        ):
            print(f"  {label:<42} {s['wall']:8.2f} s wall {s['cpu']:8.2f} s CPU  {rate(n, s['wall']):>12} rows/s")
        both = c["wall"] + d["wall"]
        print(f"  {'(c)+(d) preview then confirm':<42} {both:8.2f} s wall {'':>21}{rate(n, both):>12} rows/s")
        ratio_a, ratio_b = a["wall"] / d["wall"], b["wall"] / d["wall"]
        print(
            f"  ratio (d) to (a): {ratio_a:.2f}  (c)+(d) to (a): {a['wall'] / both:.2f}  "
            f"(d) to (b): {ratio_b:.2f}  (c)+(d) to (b): {b['wall'] / both:.2f}"
        )
        ok = r["workers"] == n and r["memberships"] == 2 * n and r["beneficiaries"] == n and d["enrolled"] == n
        print(
            f"  enrolled {d['enrolled']:,}: workers {r['workers']:,}, memberships {r['memberships']:,}, beneficiaries {r['beneficiaries']:,}: {'ok' if ok else 'WRONG'}"
        )
        failed |= not ok
        summary.append((n, rate(n, d["wall"]), rate(n, b["wall"]), rate(n, a["wall"]), ratio_b, ratio_a))
    print(
        "\n| rows | (d) validate + enrol rows/s | (b) plain COPY of the records rows/s | (a) COPY of the list rows/s | speed ratio (d)/(b) | speed ratio (d)/(a) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, ours, records, plain, rb, ra in summary:
        print(f"| {n:,} | {ours} | {records} | {plain} | {rb:.2f} | {ra:.2f} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
