"""``paritrana scenario save | list | run`` on the registry: the operator's path, its refusals by field."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from paritrana.cli.main import app
from tests.platform.world import World
from tests.scenarios.test_scenario_run import DOUBLE_JKM

MONTH = "2025-01"


def test_save_list_and_run_a_scenario(world: World, tmp_path: Path) -> None:
    file = tmp_path / "jkm.yaml"
    file.write_text(DOUBLE_JKM)
    saved = CliRunner().invoke(app, ["scenario", "save", str(file), "--name", "JKM x2", "--description", "doubled"])
    assert saved.exit_code == 0, saved.output
    assert "saved: JKM x2, version 1" in saved.output
    listed = CliRunner().invoke(app, ["scenario", "list"])
    assert "JKM x2" in listed.output and "doubled" in listed.output
    ran = CliRunner().invoke(app, ["scenario", "run", "JKM x2", "--month", MONTH, "--json"])
    assert ran.exit_code == 0, ran.output
    body = json.loads(ran.output)
    jkm = next(r for r in body["programmes"] if r["programme"] == "JKM")
    assert jkm["reform_amount"] == 2 * jkm["baseline_amount"] > 0
    table = CliRunner().invoke(app, ["scenario", "run", "JKM x2", "--month", MONTH, "-q"])
    assert table.exit_code == 0 and "Rp" in table.output and "take-home up: 0, down: 1" in table.output


def test_refusals_name_what_is_wrong(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "jkm.pu.rates:\n  unit: rate\n  description: x\n  values:\n    2027-01-01: {value: '0.01', reference: proposed}\n"
    )
    saved = CliRunner().invoke(app, ["scenario", "save", str(bad), "--name", "x", "--description", "y"])
    assert saved.exit_code != 0 and "jkm.pu.rates" in saved.output
    missing = CliRunner().invoke(app, ["scenario", "run", "nothing", "--month", MONTH])
    assert missing.exit_code != 0 and "nothing" in missing.output
    month = CliRunner().invoke(app, ["scenario", "run", "nothing", "--month", "Januari"])
    assert month.exit_code != 0 and "month" in month.output


def test_run_over_a_snapshot_gives_the_registry_figures(world: World, tmp_path: Path) -> None:
    file = tmp_path / "jkm.yaml"
    file.write_text(DOUBLE_JKM)
    CliRunner().invoke(app, ["scenario", "save", str(file), "--name", "JKM x2", "--description", "doubled"])
    exported = CliRunner().invoke(app, ["snapshot", "export", "--out", str(tmp_path / "snap"), "-q"])
    assert exported.exit_code == 0, exported.output
    registry = CliRunner().invoke(app, ["scenario", "run", "JKM x2", "--month", MONTH, "--json"])
    snapshot = CliRunner().invoke(
        app, ["scenario", "run", "JKM x2", "--month", MONTH, "--json", "--snapshot", str(tmp_path / "snap")]
    )
    assert snapshot.exit_code == 0, snapshot.output
    assert json.loads(snapshot.output) == json.loads(registry.output)  # the benefit payments included
    missing = CliRunner().invoke(app, ["scenario", "run", "JKM x2", "--month", MONTH, "--snapshot", str(tmp_path)])
    assert missing.exit_code != 0 and "manifest.json" in missing.output
