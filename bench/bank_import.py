"""Benchmark: a bank statement import (``services.bank.import_statement``) against a hand-written baseline.

Run from the repository root::

    .venv/bin/python bench/bank_import.py            # 20,000 lines
    .venv/bin/python bench/bank_import.py 100000

In a new SQLite database (``PARITRANA_HOME`` a new temporary folder), writes a CSV statement of N
credit lines, each to a well-formed payment code of a payer that does not exist (every line becomes an
*unknown code* exception: the path measured is the file's three passes, the per-line checks and the
stores, not the allocation, which is ``record_payment``'s and measured with the payments tests), then
times (a) ``import_statement`` and (b) the baseline: ``csv.reader`` over the same file and one
``bulk_create`` of the same ``StatementLine`` rows under a statement of its own (no checks, no
matching), rolled back. Prints lines per second of each, the ratio (a)/(b), and the peak resident
memory of the process before and after (a), which must not grow with N (the file is streamed).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("lines", nargs="?", type=int, default=20_000)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="paritrana-bench-bank-")
    os.environ["PARITRANA_HOME"] = home
    os.environ.pop("PARITRANA_DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paritrana.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from paritrana.contributions.models import BankStatement, StatementLine
    from paritrana.contributions.paycode import payment_code
    from paritrana.contributions.services.bank import import_statement

    call_command("migrate", verbosity=0)
    day = dt.date(2025, 3, 10)
    path = Path(home) / "statement.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["bank_reference", "value_date", "amount", "payment_code", "description", "account"])
        for i in range(args.lines):
            code = payment_code(10_000_000 + i)
            w.writerow([f"B{i:09d}", day.isoformat(), 16_800 + i % 1000, code, f"IURAN {code}", "0012345678"])
    before = peak_mb()
    started = time.perf_counter()
    with path.open("rb") as stream:
        result = import_statement(None, stream, path.name, today=dt.date(2026, 1, 1))
    took_a = time.perf_counter() - started
    after = peak_mb()
    assert result.stored and result.exceptions == args.lines, result

    started = time.perf_counter()
    with transaction.atomic():
        statement = BankStatement.objects.create(file_name="baseline", format="csv", sha256="0" * 64)
        with path.open(newline="") as f:
            reader = csv.reader(f)
            next(reader)
            rows = [
                StatementLine(
                    statement=statement,
                    line_no=n,
                    account=r[5] + "-b",
                    bank_reference=r[0],
                    value_date=dt.date.fromisoformat(r[1]),
                    amount=int(r[2]),
                    payment_code=r[3],
                    description=r[4],
                    status="exception",
                    problem="unknown",
                )
                for n, r in enumerate(reader, start=2)
            ]
        StatementLine.objects.bulk_create(rows, batch_size=2_000)
        transaction.set_rollback(True)
    took_b = time.perf_counter() - started
    print(f"{args.lines:,} lines: import {args.lines / took_a:,.0f} lines/s ({took_a:.1f} s); "
          f"baseline {args.lines / took_b:,.0f} lines/s ({took_b:.1f} s); ratio {took_a / took_b:.1f}x; "
          f"peak memory {before:.0f} MB before the import, {after:.0f} MB after")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
