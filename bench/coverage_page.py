"""Benchmark: the coverage dashboard's first and later hits against one hand-written query of the same figures.

Run from the repository root on a demo database (``paritrana demo --no-serve`` first; SQLite under
``$PARITRANA_HOME``, or PostgreSQL with ``PARITRANA_DATABASE_URL``)::

    .venv/bin/python bench/coverage_page.py            # 5 later hits, 5 baseline runs
    .venv/bin/python bench/coverage_page.py --repeat 9 --path /coverage/33/

In a fresh process (so that nothing is imported or compiled yet), as the demo's administrator through Django's
test client:

1. the **first hit** of the page (``--path``, default ``/coverage/``): what a person waits for after the server
   starts, every import and compilation included;
2. the **later hits**: the median of ``--repeat`` more;
3. the **baseline**: one plain SQL query, written by hand, of the figures the page is about (registered and
   active participants by domicile per billed month and province, decision 0005's *active*), run ``--repeat``
   times on the same connection (the median; its first run is printed too);
4. checks that the page's figures (its trend and its provinces, read from the dashboard's selector) are the
   query's, and exits 1 if they differ;
5. prints wall and CPU seconds of each and the ratios to the baseline's median.

No timed test asserts these: the numbers depend on the machine and its load (read the CPU times).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def baseline_sql(vendor: str) -> str:
    next_month = "date(mo.period, '+1 month')" if vendor == "sqlite" else "(mo.period + interval '1 month')"
    return f"""
WITH bills AS (SELECT id, period, amount, paid FROM contributions_bill WHERE kind = 'contribution'),
months AS (SELECT DISTINCT period FROM bills),
per AS (
  SELECT l.worker_id, b.period, SUM(l.amount) AS total,
         MAX(CASE WHEN b.paid < b.amount THEN 1 ELSE 0 END) AS unpaid
  FROM contributions_billline l JOIN bills b ON b.id = l.bill_id
  WHERE l.worker_id IS NOT NULL GROUP BY l.worker_id, b.period),
active AS (SELECT worker_id, period FROM per WHERE total > 0 AND unpaid = 0),
in_force AS (
  SELECT m.worker_id, mo.period FROM registry_membership m
  JOIN months mo ON m.start < {next_month} AND (m."end" IS NULL OR m."end" >= mo.period)),
pairs AS (SELECT worker_id, period FROM in_force UNION SELECT worker_id, period FROM active)
SELECT p.period, substr(r.code, 1, 2) AS province, COUNT(*) AS registered,
       SUM(CASE WHEN a.worker_id IS NULL THEN 0 ELSE 1 END) AS active
FROM pairs p
JOIN registry_worker w ON w.id = p.worker_id
JOIN registry_region r ON r.id = w.region_id
LEFT JOIN active a ON a.worker_id = p.worker_id AND a.period = p.period
GROUP BY p.period, substr(r.code, 1, 2)
"""


def timed(work: Any) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def child(path: str, repeat: int) -> dict[str, Any]:
    """Steps 1–4 in this (fresh) process; the figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paritrana.site.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from paritrana.coverage.services import dashboard

    admin = get_user_model().objects.filter(profile__role="admin").order_by("id").first()
    if admin is None:
        raise SystemExit("no administrator: set up the demo first (paritrana demo --no-serve)")
    client = Client()
    client.force_login(admin)
    client.get("/")  # the site's own first request (URLs, middleware) is not the dashboard's

    def hit() -> int:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    _, first_cpu, first_wall = timed(hit)
    later = [timed(hit)[1:] for _ in range(repeat)]
    sql = baseline_sql(connection.vendor)

    def query() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    runs = [timed(query) for _ in range(repeat)]
    rows = runs[0][0]
    # the same figures: the page's trend (Indonesia per month) and provinces (the month shown)
    board = dashboard.dashboard(admin)
    by_month: dict[str, list[int]] = {}
    by_province: dict[str, list[int]] = {}
    for period, province, registered, active in rows:
        month = str(period)[:7]
        cell = by_month.setdefault(month, [0, 0])
        cell[0], cell[1] = cell[0] + int(active), cell[1] + int(registered)
        if month == f"{board.month:%Y-%m}":
            by_province[province] = [int(active), int(registered)]
    page_months = {f"{f.month:%Y-%m}": [f.active, f.registered] for f in board.trend}
    page_provinces = {f.code: [f.active, f.registered] for f in board.parts if f.registered}
    return {
        "vendor": connection.vendor,
        "path": path,
        "first": [first_cpu, first_wall],
        "later": [statistics.median(c for c, _ in later), statistics.median(w for _, w in later)],
        "baseline_first": [runs[0][1], runs[0][2]],
        "baseline": [statistics.median(r[1] for r in runs), statistics.median(r[2] for r in runs)],
        "same": page_months == {m: v for m, v in by_month.items() if m in page_months}
        and page_provinces == by_province,
        "months": len(page_months),
        "provinces": len(page_provinces),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default="/coverage/")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.path, args.repeat)))
        return
    command = [sys.executable, __file__, "--child", "--path", args.path, "--repeat", str(args.repeat)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    r = json.loads(out.strip().splitlines()[-1])
    base_cpu, base_wall = r["baseline"]
    print(f"coverage page {r['path']} on {r['vendor']}: {r['months']} months, {r['provinces']} provinces")
    print(f"{'step':<28}{'CPU s':>9}{'wall s':>9}{'CPU ÷ base':>12}{'wall ÷ base':>13}")
    for label, (cpu, wall) in (
        ("first hit (fresh process)", r["first"]),
        ("later hit (median)", r["later"]),
        ("baseline query, first run", r["baseline_first"]),
        ("baseline query (median)", r["baseline"]),
    ):
        print(f"{label:<28}{cpu:>9.3f}{wall:>9.3f}{cpu / base_cpu:>12.2f}{wall / base_wall:>13.2f}")
    print("figures: the page's trend and provinces " + ("are the query's" if r["same"] else "DIFFER from the query's"))
    if not r["same"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
