"""A whole-number input read from a file is bounded as for one record (``rules/values.py``): beyond 10^13 (the
platform's money bound; a field's own larger maximum, e.g. a contract value) or below -10^13 it is refused at its
first row, naming field, row and value, with the words ``compute_one`` uses, on every way a file is computed:
``prepare(read_file(…))`` over Parquet and CSV, ``paritrana calc --file`` through a plan shipped in the package,
through one it stores and through the general way (Spark: ``tests/engines/test_engines_rules.py``). Unbounded, a
wage of 10^15 or 9.2 x 10^18 in a file was computed (the second overflowing the 64-bit products of a wage and a rate)
while ``compute_one`` refused it.

A wage in a 32-bit float column (decision 0049): such a float holds every whole number only up to 2^24
(16,777,216), so a larger value may not be the one the writer had (20,000,001 is stored as 20,000,000): refused
naming its row, asking for integers or 64-bit floats; smaller ones are taken.

PU contributions on 1 May 2024: JKK of risk group 1 is 0.24 % of the wage (PP 44/2015 art 16(1)(a)), JKM 0.30 %
(PP 44/2015 art 18), amounts by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import translation
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.rules import InvalidInput, compute_one, get_rule, prepare
from paritrana.rules.engine import read_file
from paritrana.rules.fetch import rows_of
from paritrana.web.domain_text import translate_message

PU = "pu_contributions"
ON = dt.date(2024, 5, 1)
BOUND = 10**13
INT64 = pa.int64()
TOO_LARGE = "must be at most 10,000,000,000,000"
FLOAT32 = "is beyond 16,777,216, the largest whole number a 32-bit float holds exactly: write money columns as integers or 64-bit floats"


def _parquet(path: Path, wages: list[Any], kind: pa.DataType = INT64, **more: pa.Array) -> Path:
    columns = {"wage": pa.array(wages, kind), "risk_group": pa.array([1] * len(wages), pa.int64()), **more}
    pq.write_table(pa.table(columns), path)
    return path


def _refused(path: Path, rule_name: str = PU, read_as_inputs: bool = True) -> InvalidInput:
    rule = get_rule(rule_name)
    with pytest.raises(InvalidInput) as caught:
        prepare(rule, read_file(path, rule if read_as_inputs else None), on=ON)
    return caught.value


def _one_refused(record: dict[str, Any], rule_name: str = PU) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        compute_one(rule_name, ON, record)
    return caught.value


@pytest.mark.parametrize("wage", [BOUND + 1, 10**15, 9_200_000_000_000_000_000], ids=str)
def test_a_parquet_wage_beyond_the_bound_is_refused_at_its_row_as_one_record_is(wage: int, tmp_path: Path) -> None:
    # the first row beyond is named, not a later one
    refused = _refused(_parquet(tmp_path / "w.parquet", [5_000_000, BOUND, wage, wage + 1]))
    assert (refused.field, refused.row, refused.reason) == ("wage", 3, f"{TOO_LARGE} (got {wage:,})")
    one = _one_refused({"wage": wage, "risk_group": 1})
    assert (one.field, one.row, one.reason) == ("wage", None, refused.reason)  # the same words


def test_a_wage_at_the_bound_is_computed_as_for_one_record(tmp_path: Path) -> None:
    rule = get_rule(PU)
    rows = rows_of(prepare(rule, read_file(_parquet(tmp_path / "w.parquet", [BOUND]), rule), on=ON).table)
    assert (rows[0]["jkk"], rows[0]["jkm"]) == (24_000_000_000, 30_000_000_000)  # 0.24 % and 0.30 % of 10^13
    assert rows[0]["jkk"] == compute_one(PU, ON, {"wage": BOUND, "risk_group": 1}).outputs["jkk"]


@pytest.mark.parametrize("with_rule", [True, False], ids=["inputs read as text", "types guessed"])
def test_a_csv_wage_beyond_the_bound_is_refused_the_same_way(with_rule: bool, tmp_path: Path) -> None:
    source = tmp_path / "wages.csv"
    source.write_text("wage,risk_group\n5000000,1\n1000000000000000,1\n", encoding="utf-8")
    refused = _refused(source, read_as_inputs=with_rule)
    assert (refused.field, refused.row, refused.reason) == ("wage", 2, f"{TOO_LARGE} (got 1,000,000,000,000,000)")


@pytest.mark.parametrize("written", ["1000000000000000", "1_000_000_000_000_000", "100000000000000000000"])
def test_a_csv_wage_beyond_the_bound_is_refused_in_the_words_of_one_record(written: str, tmp_path: Path) -> None:
    # the last is beyond a 64-bit integer too: still a whole number, refused as beyond the bound, not as "not whole"
    source = tmp_path / "wages.csv"
    source.write_text(f"wage,risk_group\n5000000,1\n{written},1\n", encoding="utf-8")
    refused = _refused(source)
    one = _one_refused({"wage": written, "risk_group": 1})
    assert (refused.field, refused.row, refused.reason) == ("wage", 2, one.reason)
    assert one.reason == f"{TOO_LARGE} (got {int(written.replace('_', '')):,})"


def test_a_whole_number_below_the_lower_bound_is_refused_with_the_words_of_one_record(tmp_path: Path) -> None:
    # the risk group has choices but no minimum of its own: the platform's lower bound comes first, as for one record
    low = -(10**14)
    one = _one_refused({"wage": 5_000_000, "risk_group": low})
    path = tmp_path / "low.parquet"
    pq.write_table(pa.table({"wage": [5_000_000, 5_000_000], "risk_group": [1, low]}), path)
    refused = _refused(path)
    assert (refused.field, refused.row) == ("risk_group", 2)
    assert refused.reason == one.reason == "must be at least -10,000,000,000,000 (got -100,000,000,000,000)"


def test_a_field_with_its_own_larger_maximum_takes_a_value_beyond_the_platform_bound(tmp_path: Path) -> None:
    # a construction contract may be worth more than 10^13 rupiah: its field's own maximum (10^15) is the bound
    rule = get_rule("construction_contributions")
    record = compute_one(rule.name, ON, {"contract_value": 10**15}).outputs
    path = tmp_path / "contracts.parquet"
    pq.write_table(pa.table({"contract_value": [10**15]}), path)
    rows = rows_of(prepare(rule, read_file(path, rule), on=ON).table)
    assert rows[0]["contract_value"] == 10**15
    assert {k: rows[0][k] for k in record} == record
    pq.write_table(pa.table({"contract_value": [10**15, 10**15 + 1]}), path)
    refused = _refused(path, rule.name)
    one = _one_refused({"contract_value": 10**15 + 1}, rule.name)
    assert (refused.field, refused.row, refused.reason) == ("contract_value", 2, one.reason)


def test_a_float32_wage_beyond_what_it_holds_exactly_is_refused_naming_its_row(tmp_path: Path) -> None:
    # 20,000,001 written as a 32-bit float is 20,000,000 in the file: the writer changed it, nothing here can tell
    wages = [5_000_000.0, 16_777_216.0, 20_000_001.0]
    path = _parquet(tmp_path / "f32.parquet", wages, pa.float32())
    assert pq.read_table(path).column("wage").to_pylist()[2] == 20_000_000.0
    refused = _refused(path)
    assert (refused.field, refused.row, refused.reason) == ("wage", 3, f"{FLOAT32} (got 20,000,000)")
    assert str(refused) == f"row 3, field 'wage': {FLOAT32} (got 20,000,000)"
    # up to 2^24 every whole number is exact: taken (0.24 % of 16,777,216 is 40,265.3…, rounded to 40,265)
    rule = get_rule(PU)
    rows = rows_of(prepare(rule, read_file(_parquet(path, wages[:2], pa.float32()), rule), on=ON).table)
    assert [(r["wage"], r["jkk"]) for r in rows] == [(5_000_000, 12_000), (16_777_216, 40_265)]


def test_a_64_bit_float_wage_above_2_to_the_24_is_taken(tmp_path: Path) -> None:
    rule = get_rule(PU)
    source = _parquet(tmp_path / "f64.parquet", [20_000_001.0], pa.float64())
    rows = rows_of(prepare(rule, read_file(source, rule), on=ON).table)
    assert (rows[0]["wage"], rows[0]["jkk"]) == (20_000_001, 48_000)  # 0.24 % of 20,000,001 = 48,000.0024


def test_the_refusals_are_shown_in_indonesian() -> None:
    with translation.override("id"):
        assert translate_message(f"{TOO_LARGE} (got 1,000,000,000,000,000)") == (
            "paling besar 10,000,000,000,000 (diisi 1,000,000,000,000,000)"
        )
        assert translate_message(f"{FLOAT32} (got 20,000,000)") == (
            "melebihi 16,777,216, bilangan bulat terbesar yang disimpan tepat oleh float 32-bit: "
            "tulis kolom uang sebagai bilangan bulat atau float 64-bit (diisi 20,000,000)"
        )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARITRANA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _calc(source: Path, out: Path) -> Any:
    return CliRunner().invoke(app, ["calc", PU, "--date", ON.isoformat(), "--file", str(source), "--out", str(out)])


WORKER_IDS = {"worker_id": pa.array([1, 2], pa.int64())}


@pytest.mark.parametrize(
    ("layout", "kind", "wage", "reason"),
    [
        # the rule's own layout (wage, risk_group): the plan shipped in the package
        ({}, INT64, 10**15, f"{TOO_LARGE} (got 1,000,000,000,000,000)"),
        # other layouts: compiled, then their plan stored and read
        (WORKER_IDS, INT64, 10**15, f"{TOO_LARGE} (got 1,000,000,000,000,000)"),
        ({}, pa.float32(), 20_000_001.0, f"{FLOAT32} (got 20,000,000)"),
    ],
    ids=["shipped plan", "stored plan", "stored plan of float32"],
)
def test_calc_refuses_a_wage_beyond_the_bound_on_each_plan(
    layout: dict[str, pa.Array], kind: pa.DataType, wage: Any, reason: str, home: Path, tmp_path: Path
) -> None:
    good = _parquet(tmp_path / "good.parquet", [5_000_000, 7_000_000], kind, **layout)
    bad = _parquet(tmp_path / "bad.parquet", [5_000_000, wage], kind, **layout)
    for attempt in ("first", "second"):  # the second run of a stored layout reads the plan the first stored
        assert _calc(good, tmp_path / f"{attempt}-good.parquet").exit_code == 0
        refused = _calc(bad, tmp_path / f"{attempt}-bad.parquet")
        assert refused.exit_code == 2, refused.output
        assert f"row 2, field 'wage': {reason}" in " ".join(refused.output.split())
        assert not (tmp_path / f"{attempt}-bad.parquet").exists()
    stored = list((home / "cache" / "plans").glob(f"{PU}-file-*.json"))
    assert len(stored) == (0 if kind == INT64 and not layout else 1)  # the shipped plan needs none stored
