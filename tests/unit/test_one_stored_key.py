"""The key of a stored plan (decision 0030) changes with the installed Ibis or DuckDB: a plan compiled by one
version is never read by another."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from paritrana.rules import one_stored


@pytest.mark.parametrize("package", ["ibis", "duckdb"])
def test_another_installed_ibis_or_duckdb_is_another_key(
    package: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = tmp_path / package / "__init__.py"
    installed.parent.mkdir()
    installed.write_text("version = 1\n")
    found = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return SimpleNamespace(origin=str(installed)) if name == package else found(name, *args)

    monkeypatch.setattr(one_stored.importlib.util, "find_spec", find_spec)
    on = one_stored.parse_date("2025-03-01")
    before = one_stored.stored_file(tmp_path, "pu_contributions", on)
    installed.write_text("version = 22\n")  # another release of the package
    assert one_stored.stored_file(tmp_path, "pu_contributions", on) != before


@pytest.mark.parametrize("found", [None, SimpleNamespace(origin=None)], ids=["not found", "found without a file"])
def test_a_package_not_found_or_without_a_file_leaves_the_key_to_the_others(
    found: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package found without a file of its own (a namespace package) or not found at all has nothing to
    digest: the key is then made of the rules' files and the other package alone, still one per rule and date."""
    on = one_stored.parse_date("2025-03-01")
    with_ibis = one_stored.stored_file(tmp_path, "pu_contributions", on)
    found_spec = importlib.util.find_spec
    monkeypatch.setattr(
        one_stored.importlib.util, "find_spec", lambda name, *a: found if name == "ibis" else found_spec(name, *a)
    )
    key = one_stored.stored_file(tmp_path, "pu_contributions", on)
    assert key != with_ibis and key.name.startswith("pu_contributions-")
    assert one_stored.stored_file(tmp_path, "pu_contributions", on) == key
    assert one_stored.stored_file(tmp_path, "pu_contributions", one_stored.parse_date("2025-03-02")) != key
