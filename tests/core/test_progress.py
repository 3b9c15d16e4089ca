"""The progress tracker (pure): a stage's start always passed on, then at most every interval and every 1 % of
the total; the tabular reader reports its rows through the tracker active in its context (CSV and XLSX)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from paritrana.core import progress
from paritrana.core.progress import ROWS, Snapshot, Tracker, current, tracking
from paritrana.core.tabular import read_rows


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _tracker(clock: Clock, seen: list[Snapshot], **kwargs: float) -> Tracker:
    return Tracker(seen.append, clock=clock, **kwargs)  # type: ignore[arg-type]


def test_a_stage_start_is_passed_on_at_once_and_rows_no_more_than_every_half_second() -> None:
    clock, seen = Clock(), []  # type: ignore[var-annotated]
    tracker = _tracker(clock, seen)
    tracker.begin(ROWS, 100_000)
    assert seen == [Snapshot(ROWS, 0, 100_000)]
    for row in range(1, 100_000):  # a row every millisecond: 100 seconds
        clock.now += 0.001
        tracker.advance(row)
    # the 1 % step (1,000 rows) is passed every second, so the time bound (0.5 s) does not bind: one a 1 %
    assert 95 <= len(seen) <= 101
    assert [s.done for s in seen[1:4]] == [1_000, 2_000, 3_000]
    assert all(s.total == 100_000 and s.stage == ROWS for s in seen)


def test_fast_rows_are_passed_on_by_time_only() -> None:
    clock, seen = Clock(), []  # type: ignore[var-annotated]
    tracker = _tracker(clock, seen)
    tracker.begin(ROWS, 1_000_000)
    for row in range(1, 1_000_000):  # a row every microsecond: one second in all
        clock.now += 0.000_001
        tracker.advance(row)
    # 1 % of the rows take 10 ms: the half-second bound lets one through, at the first 1 % step after 0.5 s
    assert len(seen) == 2 and 500_000 <= seen[1].done <= 510_000


def test_the_last_row_is_passed_on_and_a_count_never_exceeds_its_total() -> None:
    clock, seen = Clock(), []  # type: ignore[var-annotated]
    tracker = _tracker(clock, seen)
    tracker.begin(ROWS, 10)
    for row in range(1, 11):
        tracker.advance(row)  # no time passes: only the last row goes, as it ends the stage
    assert [s.done for s in seen] == [0, 10]
    tracker.begin(ROWS, 3)  # a total counted short (a cell's line break): the count passes it
    clock.now = 10
    tracker.advance(5)
    assert seen[-1] == Snapshot(ROWS, 5, 5)


def test_an_unknown_total_is_looked_at_every_thousand_rows() -> None:
    clock, seen = Clock(), []  # type: ignore[var-annotated]
    tracker = _tracker(clock, seen)
    tracker.begin(ROWS)
    for row in range(1, 5_000):
        clock.now += 1  # time always due: the row step alone bounds the snapshots
        tracker.advance(row)
    assert [s.done for s in seen] == [0, 1_000, 2_000, 3_000, 4_000]
    assert all(s.total is None for s in seen)


def test_without_a_tracker_nothing_is_reported_and_tracking_is_scoped() -> None:
    assert current() is progress.NOTHING
    current().begin(ROWS, 5)
    current().advance(5)  # nowhere to go: no error
    seen: list[Snapshot] = []
    with tracking(Tracker(seen.append)) as tracker:
        assert current() is tracker
    assert current() is progress.NOTHING


def _read(path: Path) -> list[Snapshot]:
    seen: list[Snapshot] = []
    with tracking(Tracker(seen.append, interval=0)):
        rows = sum(1 for _ in read_rows(path, path.name))
    assert rows == 5_001
    return seen


def test_the_reader_reports_a_csv_file_rows_against_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "upah.csv"
    path.write_text("nik,period,wage\n" + "".join(f"{i:016d},2025-01,3500000\n" for i in range(5_000)))
    seen = _read(path)
    assert seen[0] == Snapshot(ROWS, 0, 5_001)  # the lines, counted before the first row is read
    assert [s.done for s in seen[1:4]] == [50, 100, 150]  # every 1 %
    assert seen[-1] == Snapshot(ROWS, 5_001, 5_001)


def test_the_reader_reports_a_spreadsheet_rows_against_its_range(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nik", "period", "wage"])
    for i in range(5_000):
        sheet.append([f"{i:016d}", "2025-01", 3_500_000])
    path = tmp_path / "upah.xlsx"
    book.save(path)
    seen = _read(path)
    assert seen[0] == Snapshot(ROWS, 0, 5_001)
    assert seen[-1] == Snapshot(ROWS, 5_001, 5_001)
