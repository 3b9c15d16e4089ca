"""Benchmark: the bounded tabular reader (core.tabular.read_rows) against a hand-written read of the same file.

Run from the repository root::

    .venv/bin/python bench/tabular_read.py            # 200,000 rows (the upload limit), best of 3
    .venv/bin/python bench/tabular_read.py 50000 1    # quick

For a deterministic wage file of N rows (NIK; month; wage), written once as CSV and once as XLSX (not timed):

- CSV: ``read_rows`` (UTF-8 checked in chunks, then line by line, each line bounded, rows counted) against
  the plain ``csv.reader`` over the whole file decoded at once (what the readers did before decision 0011);
- XLSX: ``read_rows`` (every part inflated in chunks and the sheets' ranges scanned before calamine opens the
  workbook, then ``iter_rows``) against calamine's ``to_python`` of the first sheet alone.

Each is timed in this process, best of the repeats; the script prints seconds, rows per second and the ratio
(ours ÷ hand-written: 1.0 is as fast; the limits' price is the rest). Both sides must yield the same rows.
Then ``read_rows`` with a progress tracker active (``core.progress``, its snapshots kept in a list) against
``read_rows`` without one: the price of reporting the rows (decision 0037), and how many snapshots it passed on.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core"))

from xlsxkit import wage_rows, write_xlsx

from paritrana.core.limits import UploadLimits
from paritrana.core.progress import Snapshot, Tracker, tracking
from paritrana.core.tabular import read_rows


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def plain_csv(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def plain_xlsx(path: Path) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    return [list(r) for r in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()]


def ours(path: Path, limits: UploadLimits) -> list[list[Any]]:
    return [cells for _, cells in read_rows(path, path.name, limits)]


def tracked(path: Path, limits: UploadLimits, seen: list[Snapshot]) -> list[list[Any]]:
    seen.clear()
    with tracking(Tracker(seen.append)):
        return ours(path, limits)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    limits = UploadLimits(max_rows=rows)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "wages.csv"
        with csv_path.open("w") as f:
            f.write("nik;period;wage\n")
            for i in range(2, rows + 2):
                f.write(f"33740101018{i % 100000:05d};2025-03;3500000\n")
        xlsx_path = write_xlsx(Path(tmp) / "wages.xlsx", wage_rows(rows))
        print(
            f"{rows:,} rows: CSV {csv_path.stat().st_size / 1e6:.1f} MB, XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB"
        )
        for name, plain, path in (("csv", plain_csv, csv_path), ("xlsx", plain_xlsx, xlsx_path)):
            base, expected = best(lambda p=path, f=plain: f(p), repeat)
            mine, got = best(lambda p=path: ours(p, limits), repeat)
            if [[str(c) for c in r] for r in got] != [[str(c) for c in r] for r in expected]:
                raise SystemExit(f"{name}: the rows differ")
            print(
                f"{name:5} hand-written {base:6.2f} s ({rows / base:>9,.0f} rows/s)   "
                f"read_rows {mine:6.2f} s ({rows / mine:>9,.0f} rows/s)   ratio {mine / base:.2f}"
            )
            seen: list[Snapshot] = []
            reported, _ = best(lambda p=path, s=seen: tracked(p, limits, s), repeat)
            print(
                f"{name:5} read_rows reporting its progress {reported:6.2f} s: ratio to read_rows alone "
                f"{reported / mine:.3f} ({len(seen)} snapshots passed on)"
            )


if __name__ == "__main__":
    main()
