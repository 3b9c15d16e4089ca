"""The command line: ``paritrana calc`` on every registered rule, and ``paritrana rules test``."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from paritrana.cli.main import app
from paritrana.rules import all_rules, get_rule
from paritrana.rules.cases import LegalCase, load_cases

CASES_DIR = Path(__file__).parent / "rules"
RULES = [r.name for r in all_rules()]
ARROW_TYPES = {"int64": pa.int64(), "bool": pa.bool_(), "date": pa.date32(), "string": pa.string()}


def _first_legal_case(rule: str) -> LegalCase | None:
    for case in load_cases([CASES_DIR]):
        if case.rule == rule and case.error is None and case.expected:
            return case
    return None


def _case_of(rule: str) -> LegalCase:
    case = _first_legal_case(rule)
    if case is None:
        pytest.fail(f"no legal case with expected outputs for {rule} in {CASES_DIR}: every rule needs one")
    return case


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _calc_args(case: LegalCase) -> list[str]:
    args = ["calc", case.rule, "--date", case.date.isoformat()]
    for name, value in case.inputs.items():
        args += ["-i", f"{name}={_text(value)}"]
    return args


def test_calc_list_names_every_rule() -> None:
    result = _run("calc", "--list")
    assert result.exit_code == 0, result.output
    for name in RULES:
        assert name in result.output


def test_calc_list_json_describes_inputs_and_outputs() -> None:
    result = _run("calc", "--list", "--json")
    assert result.exit_code == 0, result.output
    listed = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(listed) == set(RULES)
    for rule in all_rules():
        described = listed[rule.name]
        assert [f["name"] for f in described["inputs"]] == [f.name for f in rule.inputs]
        assert [f["name"] for f in described["outputs"]] == [f.name for f in rule.outputs]
        assert all(f["type"] for f in described["inputs"] + described["outputs"])
        assert described["reference"]


@pytest.mark.parametrize("rule", RULES)
def test_calc_one_record_gives_the_legal_case(rule: str) -> None:
    case = _case_of(rule)
    declared = get_rule(rule)
    intermediate = {f.name for f in declared.outputs if f.explain_only}

    result = _run(*_calc_args(case), "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["rule"] == rule and got["date"] == case.date.isoformat()
    for name, want in case.expected.items():
        if name not in intermediate:
            assert got["outputs"][name] == _plain(want), f"{case.id}: {name}"

    result = _run(*_calc_args(case), "--json", "--explain")
    assert result.exit_code == 0, result.output
    explained = json.loads(result.stdout)
    for name, want in case.expected.items():
        where = explained["explanation"]["intermediate"] if name in intermediate else explained["outputs"]
        assert where[name] == _plain(want), f"{case.id}: {name}"
    parameters = explained["explanation"]["parameters"]
    for p in parameters:
        assert p["name"] and p["reference"], p
        assert dt.date.fromisoformat(p["effective"]) <= case.date, p


def test_explain_lists_the_parameters_of_pu_contributions() -> None:
    result = _run(
        "calc",
        "pu_contributions",
        "--date",
        "2024-05-01",
        "-i",
        "wage=5000000",
        "-i",
        "risk_group=1",
        "--json",
        "--explain",
    )
    assert result.exit_code == 0, result.output
    params = {p["name"]: p for p in json.loads(result.stdout)["explanation"]["parameters"]}
    assert {"jkk.pu.rate", "jp.wage_cap", "jht.pu.employer_rate"} <= set(params)
    assert params["jp.wage_cap"]["effective"] == "2024-03-01"
    assert "PP 45/2015" in params["jp.wage_cap"]["reference"]


@pytest.mark.parametrize("rule", RULES)
def test_calc_file_writes_every_output(rule: str, tmp_path: Path) -> None:
    case = _case_of(rule)
    declared = get_rule(rule)
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(case.inputs))
        for _ in range(3):
            writer.writerow([_text(v) for v in case.inputs.values()])
    out = tmp_path / "out.parquet"
    result = _run(
        "calc", rule, "--date", case.date.isoformat(), "--file", str(source), "--out", str(out), "--json", "--totals"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 3
    table = pq.read_table(out)
    assert table.num_rows == 3
    for f in declared.outputs:
        assert f.name in table.column_names
        assert table.schema.field(f.name).type == ARROW_TYPES[f.dtype], f"{rule}.{f.name}"
    for name, want in case.expected.items():
        assert [_plain(v) for v in table.column(name).to_pylist()] == [_plain(want)] * 3, f"{case.id}: {name}"
    money = {f.name for f in declared.outputs if f.dtype == "int64" and not f.explain_only}
    assert set(summary["totals"]) == money
    for name, total in summary["totals"].items():
        assert total == sum(table.column(name).to_pylist())


def test_calc_file_says_rows_and_where_and_the_totals_only_when_asked(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("wage,risk_group\n5000000,1\n5000000,2\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    common = ["calc", "pu_contributions", "--date", "2024-05-01", "--file", str(source), "--out", str(out)]
    plain = _run(*common, "--json")
    assert plain.exit_code == 0, plain.output
    summary = json.loads(plain.stdout)
    assert summary["rows"] == 2 and summary["out"] == str(out) and "totals" not in summary
    text = _run(*common)
    assert text.exit_code == 0, text.output
    said = "".join(text.stdout.split())
    assert "2rows" in said and str(out).replace(" ", "") in said and "jkk" not in said
    asked = _run(*common, "--totals")
    assert asked.exit_code == 0, asked.output
    assert "jkk" in asked.stdout and "39,000" in asked.stdout  # 0.24 % + 0.54 % of Rp 5,000,000


def test_calc_file_to_csv(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("wage,risk_group\n5000000,1\n5000000,2\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = _run("calc", "pu_contributions", "--date", "2024-05-01", "--file", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [int(r["jkk"]) for r in rows] == [12000, 27000]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["-i", "wage=-5", "-i", "risk_group=1"], "wage"),
        (["-i", "wage=5000000", "-i", "risk_group=9"], "risk_group"),
        (["-i", "wage=five", "-i", "risk_group=1"], "wage"),
        (["-i", "wage=5000000"], "risk_group"),
        (["-i", "wage=5000000", "-i", "risk_group=1", "-i", "colour=blue"], "colour"),
    ],
)
def test_bad_input_fails_naming_the_field(args: list[str], field: str) -> None:
    result = _run("calc", "pu_contributions", "--date", "2024-05-01", *args)
    assert result.exit_code != 0
    assert f"'{field}'" in " ".join(result.output.split())


def test_bad_value_in_a_file_names_field_and_row(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("wage,risk_group\n5000000,1\n5000000,2\n5000000,9\n", encoding="utf-8")
    result = _run(
        "calc", "pu_contributions", "--date", "2024-05-01", "--file", str(source), "--out", str(tmp_path / "o.parquet")
    )
    assert result.exit_code != 0
    message = " ".join(result.output.split())
    assert "row 3" in message and "'risk_group'" in message


def test_a_date_before_the_law_is_refused() -> None:
    result = _run("calc", "pu_contributions", "--date", "2010-01-01", "-i", "wage=5000000", "-i", "risk_group=1")
    assert result.exit_code != 0
    assert "2015-07-01" in " ".join(result.output.split())


def test_unknown_rule_is_refused() -> None:
    result = _run("calc", "no_such_rule", "--date", "2024-05-01")
    assert result.exit_code != 0
    assert "no rule named" in " ".join(result.output.split())


def test_rules_test_reports_expected_and_got(tmp_path: Path) -> None:
    cases = tmp_path / "failing.yaml"
    cases.write_text(
        """
- name: a deliberately wrong figure
  rule: pu_contributions
  date: 2024-05-01
  inputs: {wage: 5000000, risk_group: 1}
  expected: {jkk: 99999}
  source: "test of the runner"
- name: a right figure
  rule: pu_contributions
  date: 2024-05-01
  inputs: {wage: 5000000, risk_group: 1}
  expected: {jkk: 12000}
  source: "PP 44/2015 art 16(1)(a)"
""",
        encoding="utf-8",
    )
    result = _run("rules", "test", str(cases))
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "FAIL" in output and "a deliberately wrong figure" in output
    assert "expected 99999" in output and "got 12000" in output
    assert "1 passed, 1 failed" in output


def test_rules_test_passes_on_a_good_file(tmp_path: Path) -> None:
    cases = tmp_path / "good.yaml"
    cases.write_text(
        "- {name: ok, rule: pu_contributions, date: 2024-05-01, inputs: {wage: 5000000, risk_group: 1},"
        " expected: {jkk: 12000}, source: 'PP 44/2015 art 16'}\n",
        encoding="utf-8",
    )
    result = _run("rules", "test", str(cases))
    assert result.exit_code == 0, result.output


_BAD_VALUE = {"int64": "not-a-number", "date": "not-a-date", "bool": "maybe"}


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_refuses_a_bad_value_naming_the_field(rule: str) -> None:
    """A value of the wrong type in the first typed input (or a missing required text input) of every rule."""
    case = _case_of(rule)
    declared = get_rule(rule)
    inputs = {k: _text(v) for k, v in case.inputs.items()}
    typed = [f for f in declared.inputs if f.dtype in _BAD_VALUE]
    if typed:
        field = typed[0]
        inputs[field.name] = _BAD_VALUE[field.dtype]
    else:
        field = next(f for f in declared.inputs if f.required)
        inputs.pop(field.name, None)
    args = ["calc", rule, "--date", case.date.isoformat()]
    for name, value in inputs.items():
        args += ["-i", f"{name}={value}"]
    result = _run(*args)
    assert result.exit_code != 0, result.output
    assert f"'{field.name}'" in " ".join(result.output.split())


def test_calc_file_with_a_date_column_gives_each_row_its_law(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("date,wage,risk_group\n2024-02-01,20000000,1\n2024-03-01,20000000,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = _run("calc", "pu_contributions", "--file", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [int(r["jp_wage_basis"]) for r in rows] == [9_559_600, 10_042_300]  # JP cap before and from 1 March 2024


def test_calc_file_needs_out_and_writes_nothing_on_a_bad_row(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("wage,risk_group\n5000000,1\n-1,1\n", encoding="utf-8")
    no_out = _run("calc", "pu_contributions", "--date", "2024-05-01", "--file", str(source))
    assert no_out.exit_code != 0
    assert "'out'" in " ".join(no_out.output.split())
    out = tmp_path / "out.parquet"
    bad = _run("calc", "pu_contributions", "--date", "2024-05-01", "--file", str(source), "--out", str(out))
    assert bad.exit_code != 0
    assert "row 2" in " ".join(bad.output.split())
    assert not out.exists()


def test_rules_test_refuses_a_malformed_file(tmp_path: Path) -> None:
    cases = tmp_path / "bad.yaml"
    cases.write_text("- {name: no source, rule: pu_contributions, date: 2024-05-01, inputs: {}}\n", encoding="utf-8")
    result = _run("rules", "test", str(cases))
    assert result.exit_code == 2
    assert "source" in " ".join(result.output.split())
