"""A rule's input file whose columns are not of the fields' own types (``rules/checks.py``): a Parquet file written
by another program holds a wage as a float or a 32-bit integer, a flag as 0 and 1, a code as a number. Each is
converted to the field's type (a whole float is the same whole number; 0 is false, 1 true) or refused naming the
field, and the inputs are echoed in the output file in their declared types. As for one record, a code is taken
as written (one with spaces around it is refused, not trimmed) and a whole number written as text must be written
as one (``1.5`` is refused, not rounded).

PU contributions on 1 May 2024, amounts by hand: JKK 0.24 % of the wage for risk group 1 and 0.54 % for group 2
(PP 44/2015 art 16(1)), JKM 0.30 % (PP 44/2015), JP 2 % employer and 1 % worker below the wage cap (PP 45/2015
art 28-29).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.rules import InvalidInput, compute_one, get_rule, prepare
from paritrana.rules.engine import read_file
from paritrana.rules.fetch import rows_of

ON = dt.date(2024, 5, 1)


def _parquet(tmp_path: Path, columns: dict[str, pa.Array]) -> Path:
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table(columns), path)
    return path


def _rows(rule: str, path: Path) -> list[dict[str, Any]]:
    declared = get_rule(rule)
    return rows_of(prepare(declared, read_file(path, declared), on=ON).table)


def test_a_float_wage_and_an_int32_risk_group_are_computed_as_whole_numbers_and_written_as_int64(
    tmp_path: Path,
) -> None:
    source = _parquet(
        tmp_path,
        {
            "wage": pa.array([5_000_000.0, 4_000_000.0], pa.float64()),
            "risk_group": pa.array([1, 2], pa.int32()),
            "in_jp": pa.array([1, 0], pa.int8()),  # an optional input converted: checked for unreadable values
        },
    )
    out = tmp_path / "out.parquet"
    result = CliRunner().invoke(
        app, ["calc", "pu_contributions", "--date", ON.isoformat(), "--file", str(source), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    # the wage echoed as the whole number it is, in the field's declared type (not the file's float)
    assert table.schema.field("wage").type == pa.int64()
    assert table.column("wage").to_pylist() == [5_000_000, 4_000_000]
    # 0.24 % of Rp5,000,000 and 0.54 % of Rp4,000,000; JKM 0.30 % of each; JP 2 % in JP, nothing out of it
    assert table.column("jkk").to_pylist() == [12_000, 21_600]
    assert table.column("jkm").to_pylist() == [15_000, 12_000]
    assert table.column("jp_employer").to_pylist() == [100_000, 0]
    rule = get_rule("pu_contributions")
    assert set(table.column_names) == {f.name for f in rule.inputs} | {f.name for f in rule.outputs}


def test_a_flag_written_as_0_and_1_is_false_and_true(tmp_path: Path) -> None:
    source = _parquet(
        tmp_path,
        {
            "wage": pa.array([5_000_000, 5_000_000], pa.int64()),
            "risk_group": pa.array([1, 1], pa.int64()),
            "in_jp": pa.array([0, 1], pa.int8()),
        },
    )
    rows = _rows("pu_contributions", source)
    assert [r["in_jp"] for r in rows] == [False, True]
    # out of JP nothing; in JP 2 % and 1 % of Rp5,000,000
    assert [(r["jp_employer"], r["jp_worker"]) for r in rows] == [(0, 0), (100_000, 50_000)]
    # the prepared table (written as it is by another engine's writer) holds the inputs and the outputs only, not
    # the checks' own columns of what was given and what was unreadable
    rule = get_rule("pu_contributions")
    assert set(rows[0]) == {f.name for f in rule.inputs} | {f.name for f in rule.outputs}


def test_a_code_written_as_a_number_is_refused_naming_the_field(tmp_path: Path) -> None:
    # the school level is one of tk, sd, smp, sma, higher (the levels of Permenaker 5/2021): a level 1 is none of them
    source = _parquet(
        tmp_path,
        {
            "trigger": pa.array(["jkm_death"]),
            "child_order": pa.array([1], pa.int64()),
            "level": pa.array([1], pa.int64()),
            "year_in_level": pa.array([1], pa.int64()),
            "child_age": pa.array([8], pa.int64()),
        },
    )
    with pytest.raises(InvalidInput) as caught:
        _rows("scholarship_benefit", source)
    assert caught.value.field == "level"
    assert caught.value.reason == "is not one of tk, sd, smp, sma, higher (got '1')"


def test_a_code_with_spaces_around_it_is_refused_in_a_file_as_for_one_record(tmp_path: Path) -> None:
    record = {
        "month": 1,
        "wage": 4_000_000,
        "separation": " termination ",
        "age_at_registration": 30,
        "claim_date": dt.date(2024, 5, 10),
        "contribution_months": 12,
        "consecutive_months": 12,
    }
    with pytest.raises(InvalidInput) as one:
        compute_one("jkp_benefit", ON, record)
    source = tmp_path / "in.csv"
    source.write_text(",".join(record) + "\n" + ",".join(str(v) for v in record.values()) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as in_file:
        _rows("jkp_benefit", source)
    assert in_file.value.field == one.value.field == "separation"
    assert in_file.value.reason == one.value.reason
    assert in_file.value.reason.endswith("(got ' termination ')")


@pytest.mark.parametrize("written", ["1.5", "1e3", "0x10"])
def test_a_whole_number_written_as_a_fraction_an_exponent_or_hex_in_a_file_is_refused_naming_its_row(
    tmp_path: Path, written: str
) -> None:
    # as for one record, where int() refuses them: "1.5" is not rounded to 2, nor "1e3" read as 1,000
    with pytest.raises(InvalidInput) as one:
        compute_one("pu_contributions", ON, {"wage": written, "risk_group": 1})
    assert one.value.field == "wage"
    source = tmp_path / "wages.csv"
    source.write_text(f"wage,risk_group\n5_000_000,1\n{written},1\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as in_file:
        _rows("pu_contributions", source)
    assert (in_file.value.field, in_file.value.row) == ("wage", 2)
    assert in_file.value.reason == f"is not a whole number (got '{written}')"
