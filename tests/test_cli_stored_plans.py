"""``paritrana calc --file x.parquet`` from a stored plan (decision 0030): the same file, the same refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from paritrana.cli.main import app


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARITRANA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _wages(path: Path, wages: list[int], risk: list[int], extra: bool = False, own: bool = False) -> Path:
    """A file of wages; with ``own``, only the rule's inputs (its own layout, whose plans are shipped in the
    package, decision 0035), else with a worker number too (a layout whose plan a first run stores)."""
    columns = {} if own else {"worker_id": pa.array(range(len(wages)), pa.int64())}
    columns |= {"wage": pa.array(wages, pa.int64()), "risk_group": pa.array(risk, pa.int64())}
    if extra:
        columns["in_jp"] = pa.array([False] * len(wages))
    pq.write_table(pa.table(columns), path)
    return path


def _calc(source: Path, out: Path, *more: str) -> object:
    args = ["calc", "pu_contributions", "--date", "2024-05-01", "--file", str(source), "--out", str(out), "--json"]
    args += more
    return CliRunner().invoke(app, args)


def test_the_second_run_gives_the_same_file_and_totals_from_the_stored_plan(home: Path, tmp_path: Path) -> None:
    source = _wages(tmp_path / "in.parquet", [5_000_000, 5_000_000, 12_000_000], [1, 2, 5])
    first, second = (_calc(source, tmp_path / f"{n}.parquet", "--totals") for n in "ab")
    for result in (first, second):
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert len(list((home / "cache" / "plans").glob("pu_contributions-file-*.json"))) == 1
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    a, b = (json.loads(r.stdout) for r in (first, second))  # type: ignore[attr-defined]
    assert a["totals"] == b["totals"] and a["rows"] == b["rows"] == 3
    table = pq.read_table(tmp_path / "b.parquet")
    assert table.column("jkk").to_pylist() == [12_000, 27_000, 208_800]  # 0.24 %, 0.54 %, 1.74 % of the wage
    assert b["totals"]["jkk"] == 247_800


def test_a_bad_row_is_refused_by_name_and_row_with_a_plan_stored(home: Path, tmp_path: Path) -> None:
    good = _wages(tmp_path / "good.parquet", [5_000_000, 5_000_000], [1, 2])
    assert _calc(good, tmp_path / "a.parquet").exit_code == 0  # type: ignore[attr-defined]
    bad = _wages(tmp_path / "bad.parquet", [5_000_000, 5_000_000, 5_000_000], [1, 2, 9])  # the same layout
    out = tmp_path / "b.parquet"
    result = _calc(bad, out)
    assert result.exit_code != 0  # type: ignore[attr-defined]
    message = " ".join(result.output.split())  # type: ignore[attr-defined]
    assert "row 3" in message and "'risk_group'" in message
    assert not out.exists()


def test_another_layout_of_the_file_is_another_plan(home: Path, tmp_path: Path) -> None:
    plain = _wages(tmp_path / "plain.parquet", [5_000_000], [1])
    wider = _wages(tmp_path / "wider.parquet", [5_000_000], [1], extra=True)
    for source in (plain, wider):
        assert _calc(source, tmp_path / f"{source.stem}-out.parquet").exit_code == 0  # type: ignore[attr-defined]
    assert len(list((home / "cache" / "plans").glob("pu_contributions-file-*.json"))) == 2
    # in_jp false: no JP contribution in the wider file; the default (true) in the plain one
    assert pq.read_table(tmp_path / "wider-out.parquet").column("jp_worker").to_pylist() == [0]
    assert pq.read_table(tmp_path / "plain-out.parquet").column("jp_worker").to_pylist() == [50_000]


CALC = """
import sys
from paritrana.cli.main import app
sys.argv = ["paritrana", "calc", "pu_contributions", "--date", "2024-05-01", "--json", *sys.argv[1:]]
try:
    app()
except SystemExit as done:
    assert not done.code, done.code
print("ibis imported:", "ibis" in sys.modules, file=sys.stderr)
"""


def _twice(home: Path, *runs: list[str], first_compiles: bool = True) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PARITRANA_HOME": str(home)}
    done = [
        subprocess.run([sys.executable, "-c", CALC, *args], env=env, capture_output=True, text=True) for args in runs
    ]
    for run in done:
        assert run.returncode == 0, run.stderr
    assert f"ibis imported: {first_compiles}" in done[0].stderr and "ibis imported: False" in done[1].stderr
    first, second = ({k: v for k, v in json.loads(r.stdout).items() if k not in {"out", "seconds"}} for r in done)
    assert first == second
    return done


def test_the_second_calc_of_a_record_does_not_import_ibis(tmp_path: Path) -> None:
    record = ["-i", "wage=5000000", "-i", "risk_group=1"]
    done = _twice(tmp_path / "home", record, record)
    assert json.loads(done[1].stdout)["outputs"]["jkk"] == 12_000  # 0.24 % of Rp 5,000,000 (risk group 1)


def test_the_second_run_over_a_file_does_not_import_ibis(tmp_path: Path) -> None:
    source = _wages(tmp_path / "in.parquet", [5_000_000, 7_000_000], [1, 3])
    runs = [["--file", str(source), "--out", str(tmp_path / f"out{i}.parquet")] for i in range(2)]
    _twice(tmp_path / "home", *runs)
    assert (tmp_path / "out0.parquet").read_bytes() == (tmp_path / "out1.parquet").read_bytes()


def test_the_first_run_over_a_file_of_the_rules_own_layout_does_not_import_ibis(tmp_path: Path) -> None:
    source = _wages(tmp_path / "in.parquet", [5_000_000, 7_000_000], [1, 3], own=True)
    runs = [["--file", str(source), "--out", str(tmp_path / f"out{i}.parquet")] for i in range(2)]
    _twice(tmp_path / "home", *runs, first_compiles=False)
    assert not (tmp_path / "home" / "cache" / "plans").exists()  # nothing compiled, nothing stored
    assert pq.read_table(tmp_path / "out0.parquet").column("jkk").to_pylist() == [12_000, 62_300]  # 0.24 %, 0.89 %
