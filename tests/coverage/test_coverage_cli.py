"""``paritrana coverage import | snapshot | show``: the figures of a file, the snapshot, and the same rates in place
and on the snapshot with DuckDB."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.coverage.models import WorkforceFigure
from tests.coverage.coveragekit import COMMITTED, DemoLike


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def rows(output: str) -> dict[str, tuple[str, ...]]:
    found = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 5 and re.fullmatch(r"ID|\d{2}(\.\d{2})?", cells[0]):
            found[cells[0]] = tuple(cells[1:])
    return found


@COMMITTED
def test_show_in_place_and_on_a_snapshot_agree(demo_like: DemoLike, tmp_path: Path) -> None:
    in_place = run("coverage", "show", "--level", "province", "--view", "employer")
    assert in_place.exit_code == 0, in_place.output
    snap = run("coverage", "snapshot", str(tmp_path / "snap"))
    assert snap.exit_code == 0, snap.output
    on_duckdb = run(
        "coverage", "show", "--level", "province", "--view", "employer", "--snapshot", str(tmp_path / "snap")
    )
    assert on_duckdb.exit_code == 0, on_duckdb.output
    assert "DuckDB" in on_duckdb.output
    assert rows(in_place.output) == rows(on_duckdb.output)
    assert len(rows(in_place.output)) >= 5 and any(r[3].endswith("%") for r in rows(in_place.output).values())


def test_import_reports_rows_and_stores_nothing_on_an_error(demo_like: DemoLike, tmp_path: Path) -> None:
    before = WorkforceFigure.objects.count()
    bad = tmp_path / "bad.csv"
    bad.write_text("region_code;employed\n33;100\n99.99;5\n")
    result = run("coverage", "import", str(bad), "--year", "2024", "--source", "BPS")
    assert result.exit_code == 1 and "row 3, region_code" in result.output and "99.99" in result.output
    assert WorkforceFigure.objects.count() == before
    good = tmp_path / "good.csv"
    good.write_text("region_code;employed\n33;100\n")
    result = run("coverage", "import", str(good), "--year", "2024", "--source", "BPS")
    assert result.exit_code == 0 and "1 figures stored" in result.output
    assert WorkforceFigure.objects.get(region__code="33", year=2024).employed == 100
