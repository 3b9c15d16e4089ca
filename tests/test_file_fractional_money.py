"""A money input (a whole number of rupiah) read from a file as floats or decimals: taken when every value is whole
(``5000000.0``, as spreadsheets write it), else refused naming the field, the first row that is not whole and
its value, never rounded (DuckDB's cast rounds 5,000,000.5 to 5,000,000 and 5,000,001.5 to 5,000,002). The same
refusal through ``prepare(read_file(…))``, ``paritrana calc --file`` (a stored plan's second run too) and for a
CSV; NaN and the infinities are refused naming their row. PU contributions on 1 May 2024: JKK of risk group 1 is
0.24 % of the wage (PP 44/2015 art 16(1)(a)), JP 2 % employer and 1 % worker (PP 45/2015 art 28-29)."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import translation
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.rules import InvalidInput, get_rule, prepare
from paritrana.rules.engine import read_file
from paritrana.rules.fetch import rows_of
from paritrana.rules.file_stored import compiled_job, stored_job
from paritrana.web.domain_text import translate_message

PU = "pu_contributions"
ON = dt.date(2024, 5, 1)
FLOATS = [pa.float64(), pa.float32()]


def _wages(path: Path, wages: list[float], kind: pa.DataType) -> Path:
    """A file of wages of type ``kind`` (risk group 1 each), with a worker number (a layout no plan is shipped for)."""
    columns = {
        "worker_id": pa.array(range(1, len(wages) + 1), pa.int64()),
        "wage": pa.array(wages, kind),
        "risk_group": pa.array([1] * len(wages), pa.int64()),
    }
    pq.write_table(pa.table(columns), path)
    return path


def _refused(path: Path) -> InvalidInput:
    rule = get_rule(PU)
    with pytest.raises(InvalidInput) as caught:
        prepare(rule, read_file(path, rule), on=ON)
    return caught.value


@pytest.mark.parametrize("kind", FLOATS, ids=str)
def test_whole_floats_are_taken_as_the_whole_numbers_they_are(kind: pa.DataType, tmp_path: Path) -> None:
    source = _wages(tmp_path / "whole.parquet", [5_000_000.0, 8_000_000.0], kind)
    rows = rows_of(prepare(get_rule(PU), read_file(source), on=ON).table)
    assert [(r["wage"], r["jkk"], r["jp_employer"]) for r in rows] == [
        (5_000_000, 12_000, 100_000),
        (8_000_000, 19_200, 160_000),  # 0.24 % and 2 % of 8,000,000 (below the JP wage cap of 2024)
    ]


@pytest.mark.parametrize("kind", FLOATS, ids=str)
def test_a_float_with_a_fraction_is_refused_naming_its_row_not_rounded(kind: pa.DataType, tmp_path: Path) -> None:
    # rounded half to even, row 2 would be 5,000,000 and row 3 5,000,002: the first refused is row 2
    refused = _refused(_wages(tmp_path / "half.parquet", [5_000_000.0, 5_000_000.5, 5_000_001.5], kind))
    assert (refused.field, refused.row, refused.reason) == ("wage", 2, "is not a whole number (got '5000000.5')")
    assert str(refused) == "row 2, field 'wage': is not a whole number (got '5000000.5')"


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        (pa.float64(), float("nan"), "nan"),
        (pa.float32(), float("nan"), "nan"),
        (pa.float64(), float("inf"), "inf"),
        (pa.float32(), float("-inf"), "-inf"),
        (pa.float64(), 1e20, "1e+20"),  # beyond a 64-bit integer: no whole number of rupiah either
    ],
    ids=str,
)
def test_nan_an_infinity_or_a_number_too_large_is_refused_naming_its_row(
    kind: pa.DataType, value: float, shown: str, tmp_path: Path
) -> None:
    # The file's statistics leave NaN out (min and max 5,000,000 here): DuckDB then took the cast for never null,
    # so NaN passed the checks as a missing wage before this was written out
    refused = _refused(_wages(tmp_path / "odd.parquet", [5_000_000.0, 5_000_000.0, value, 5_000_000.5], kind))
    assert (refused.field, refused.row, refused.reason) == ("wage", 3, f"is not a whole number (got '{shown}')")


def test_a_decimal_with_a_fraction_is_refused_and_a_whole_one_taken(tmp_path: Path) -> None:
    whole, half = (decimal.Decimal(v) for v in ("5000000.00", "5000000.50"))
    kind = pa.decimal128(18, 2)
    rows = rows_of(prepare(get_rule(PU), read_file(_wages(tmp_path / "w.parquet", [whole], kind)), on=ON).table)
    assert [(r["wage"], r["jkk"]) for r in rows] == [(5_000_000, 12_000)]
    refused = _refused(_wages(tmp_path / "h.parquet", [whole, half], kind))
    assert (refused.row, refused.reason) == (2, "is not a whole number (got '5000000.50')")


@pytest.mark.parametrize("with_rule", [True, False], ids=["inputs read as text", "types guessed: a float"])
def test_a_csv_with_a_fraction_is_refused_the_same_way(with_rule: bool, tmp_path: Path) -> None:
    source = tmp_path / "wages.csv"
    source.write_text("wage,risk_group\n5000000,1\n5000000.5,1\n5000001.5,1\n", encoding="utf-8")
    rule = get_rule(PU)
    with pytest.raises(InvalidInput) as caught:
        prepare(rule, read_file(source, rule if with_rule else None), on=ON)
    assert (caught.value.field, caught.value.row) == ("wage", 2)
    assert caught.value.reason == "is not a whole number (got '5000000.5')"


def test_an_empty_wage_is_still_called_missing(tmp_path: Path) -> None:
    source = tmp_path / "wages.csv"
    source.write_text("wage,risk_group\n5000000,1\n,1\n", encoding="utf-8")
    rule = get_rule(PU)
    with pytest.raises(InvalidInput) as caught:
        prepare(rule, read_file(source, rule), on=ON)
    assert (caught.value.row, caught.value.reason) == (2, "is missing or not a whole number")


def test_the_refusal_is_shown_in_indonesian() -> None:
    reason = "is not a whole number (got '5000000.5')"
    with translation.override("id"):
        assert translate_message(reason) == "bukan bilangan bulat (diisi '5000000.5')"
        assert translate_message("is not true or false (got 'mungkin')") == "bukan ya/tidak (diisi 'mungkin')"
    with translation.override("en"):
        assert translate_message(reason) == reason


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARITRANA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _calc(source: Path, out: Path) -> object:
    args = ["calc", PU, "--date", ON.isoformat(), "--file", str(source), "--out", str(out)]
    return CliRunner().invoke(app, args)


def test_calc_refuses_the_file_and_a_stored_plan_refuses_it_too(home: Path, tmp_path: Path) -> None:
    bad = _wages(tmp_path / "bad.parquet", [5_000_000.0, 5_000_000.5], pa.float64())
    first = _calc(bad, tmp_path / "first.parquet")
    assert first.exit_code == 2  # type: ignore[attr-defined]
    expected = "row 2, field 'wage': is not a whole number (got '5000000.5')"
    assert expected in " ".join(first.output.split())  # type: ignore[attr-defined]
    plans = home / "cache" / "plans"
    assert not list(plans.glob("*.json")) and not (tmp_path / "first.parquet").exists()  # nothing stored, written
    whole = _wages(tmp_path / "whole.parquet", [5_000_000.0, 12_000_000.0], pa.float64())  # the same layout
    assert _calc(whole, tmp_path / "whole-out.parquet").exit_code == 0  # type: ignore[attr-defined]
    assert pq.read_table(tmp_path / "whole-out.parquet").column("jkk").to_pylist() == [12_000, 28_800]
    assert len(list(plans.glob(f"{PU}-file-*.json"))) == 1  # its plan stored: the second run reads it
    second = _calc(bad, tmp_path / "second.parquet")
    assert second.exit_code == 2  # type: ignore[attr-defined]
    assert expected in " ".join(second.output.split())  # type: ignore[attr-defined]
    assert not (tmp_path / "second.parquet").exists()


@pytest.mark.parametrize("value", [5_000_000.5, float("nan")], ids=str)
def test_a_stored_plan_of_a_float_layout_takes_no_row_that_is_not_whole(value: float, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    compiled_job(folder, get_rule(PU), ON, _wages(tmp_path / "first.parquet", [5_000_000.0], pa.float32()))
    again = stored_job(folder, PU, ON, _wages(tmp_path / "again.parquet", [7_000_000.0], pa.float32()))
    assert again is not None and again.rows == 1  # the same layout: the plan is taken
    again.con.close()
    bad = _wages(tmp_path / "bad.parquet", [5_000_000.0, value], pa.float32())
    assert stored_job(folder, PU, ON, bad) is None  # its checks refuse the row: the general way names it
    assert _refused(bad).row == 2
