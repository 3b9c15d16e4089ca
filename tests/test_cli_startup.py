"""The command line starts without what it does not need: ``paritrana --help`` imports neither the
engine (Ibis, DuckDB, pyarrow) nor Django; one ``calc`` imports no Django and no pandas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("ibis", "duckdb", "pyarrow", "pandas", "numpy", "django", "yaml")

# runs the command line in this process, then prints the heavy packages it imported
PROBE = """
import json, sys
from paritrana.cli.main import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy} if m in sys.modules)), file=sys.stderr)
"""


def _imported(tmp_path: Path, *args: str) -> tuple[list[str], str]:
    env = {**os.environ, "PARITRANA_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    last = done.stderr.strip().splitlines()[-1]
    imported: list[str] = json.loads(last)
    return imported, done.stdout


def test_help_imports_no_engine_and_no_django(tmp_path: Path) -> None:
    imported, out = _imported(tmp_path, "--help")
    assert "calc" in out and "billing" in out
    assert imported == []


def test_a_sub_command_help_imports_nothing_heavy(tmp_path: Path) -> None:
    imported, out = _imported(tmp_path, "billing", "--help")
    assert "run" in out
    assert imported == []


def test_one_calc_imports_the_engine_but_no_django_no_pandas_no_arrow(tmp_path: Path) -> None:
    imported, out = _imported(
        tmp_path, "calc", "pu_contributions", "--date", "2024-06-01", "-i", "wage=5000000", "-i", "risk_group=1"
    )
    assert "462,000" in out  # the total of the legal case, computed
    assert "ibis" in imported and "duckdb" in imported
    assert "django" not in imported
    assert "pandas" not in imported
    assert "pyarrow" not in imported  # one record goes to DuckDB as query parameters, not as an Arrow table
