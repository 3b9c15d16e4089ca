"""Sample wage files (CSV or XLSX) for demonstrations, tests and benchmarks, optionally with bad rows.

``sample_rows`` makes a row per worker for a month: the worker's wage moved by a small seeded
amount, written the Indonesian way (``3.512.000``). ``spoil`` replaces the cells of chosen rows with
the kinds of mistakes people make (a negative wage, a 15-digit NIK, a month that is not one, …), and
says which row and field each one is, as ``wagefile.read_wage_file`` will report it. Pure: no database.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADER = ("nik", "bulan", "upah")

# the mistakes ``spoil`` makes, in turn: (the field reported, the kind of mistake)
MISTAKES: tuple[tuple[str, str], ...] = (
    ("wage", "negative"),
    ("nik", "short"),
    ("period", "not a month"),
    ("wage", "decimals"),
    ("wage", "words"),
)


@dataclass(frozen=True)
class SampleRow:
    nik: str
    period: str
    wage: str

    def cells(self) -> list[str]:
        return [self.nik, self.period, self.wage]


@dataclass(frozen=True)
class Spoiled:
    """A row made wrong on purpose: its number in the file (the header is row 1) and the field."""

    row: int
    field: str


def dotted(amount: int) -> str:
    """``3512000`` → ``3.512.000``."""
    return f"{amount:,}".replace(",", ".")


def sample_rows(workers: Iterable[tuple[str, int]], period: dt.date, *, seed: int = 0) -> list[SampleRow]:
    """A row per ``(nik, wage)``: the wage moved by up to ±5 % in thousands, for the month ``period``."""
    rng = random.Random(seed)
    out = []
    for nik, wage in workers:
        change = wage * rng.randint(-50, 50) // 1000  # up to 5 % either way
        moved = max(0, (wage + change) // 1000 * 1000)
        out.append(SampleRow(nik, f"{period:%Y-%m}", dotted(moved)))
    return out


def spoil(rows: Sequence[SampleRow], count: int, *, seed: int = 0) -> tuple[list[SampleRow], list[Spoiled]]:
    """``rows`` with ``count`` of them made wrong (one mistake each), and where (row number, field)."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(len(rows)), min(count, len(rows))))
    out = list(rows)
    spoiled = []
    for n, i in enumerate(chosen):
        field, kind = MISTAKES[n % len(MISTAKES)]
        r = rows[i]
        if kind == "negative":
            out[i] = SampleRow(r.nik, r.period, "-" + r.wage)
        elif kind == "short":
            out[i] = SampleRow(r.nik[:15], r.period, r.wage)
        elif kind == "not a month":
            out[i] = SampleRow(r.nik, r.period.replace("-", "/"), r.wage)
        elif kind == "decimals":
            out[i] = SampleRow(r.nik, r.period, r.wage + ",50")
        else:
            out[i] = SampleRow(r.nik, r.period, "tiga juta")
        spoiled.append(Spoiled(i + 2, field))
    return out, spoiled


def write_wage_file(path: Path | str, rows: Iterable[SampleRow], header: Sequence[str] = HEADER) -> Path:
    """Write ``rows`` as CSV (``;`` between cells, as Excel does in an Indonesian locale) or XLSX (NIKs as text),
    as the suffix of ``path`` says."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        import openpyxl  # type: ignore[import-untyped]

        wb = openpyxl.Workbook()
        ws: Any = wb.active
        ws.append(list(header))
        for r in rows:
            ws.append(r.cells())
        for cell in ws["A"]:
            cell.number_format = "@"
        wb.save(path)
        return path
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        for r in rows:
            writer.writerow(r.cells())
    return path
