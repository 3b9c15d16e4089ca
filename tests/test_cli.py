"""The ``paritrana`` command line: ``calc`` for one record and for a file, ``calc --list``, ``rules test``.

Every registered rule is exercised (``all_rules()``), so a rule added later is
covered as soon as it has a legal case in ``tests/rules/*.yaml``: its first case
that expects outputs is run through ``calc`` and must give the case's figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from paritrana.cli import calc as calc_command
from paritrana.cli import rules_cmd as rules_command
from paritrana.cli.main import app
from paritrana.rules import Rule, all_rules
from paritrana.rules.cases import LegalCase, load_cases

RULES_DIR = Path(__file__).parent / "rules"
RULES = all_rules()
CASES = load_cases([RULES_DIR])


def first_case(rule: Rule) -> LegalCase:
    """The rule's first legal case that expects outputs (not a refusal)."""
    for case in CASES:
        if case.rule == rule.name and case.error is None and case.expected:
            return case
    pytest.fail(f"rule {rule.name} has no legal case with expected outputs in {RULES_DIR}")


def text(value: Any) -> str:
    """An input value as it is typed on the command line or written in a CSV."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def plain(value: Any) -> Any:
    """A value as JSON shows it (dates as ISO text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def one_record_args(case: LegalCase, *extra: str) -> list[str]:
    args = ["calc", case.rule, "--date", case.date.isoformat()]
    for name, value in case.inputs.items():
        args += ["-i", f"{name}={text(value)}"]
    return [*args, *extra]


RULE_IDS = [r.name for r in RULES]


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich wraps at 80 columns without a terminal; a wide console keeps names and messages on one line."""
    for console in (calc_command.console, calc_command.err_console, rules_command.console):
        monkeypatch.setattr(console, "width", 250)


# --- calc --list ------------------------------------------------------------------------------------


def test_calc_list_names_every_rule() -> None:
    result = invoke("calc", "--list")
    assert result.exit_code == 0, result.output
    for rule in RULES:
        assert rule.name in result.stdout
        for f in rule.inputs:
            assert f.name in result.stdout, f"{rule.name}: input {f.name} not listed"


def test_calc_list_json_describes_every_rule_with_inputs_and_outputs() -> None:
    result = invoke("calc", "--list", "--json")
    assert result.exit_code == 0, result.output
    listed = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(listed) == {r.name for r in RULES}
    for rule in RULES:
        entry = listed[rule.name]
        assert entry["title"] == rule.title
        assert entry["reference"] == rule.reference
        assert [i["name"] for i in entry["inputs"]] == [f.name for f in rule.inputs]
        assert [o["name"] for o in entry["outputs"]] == [f.name for f in rule.outputs]
        assert [i["type"] for i in entry["inputs"]] == [f.dtype for f in rule.inputs]
        intermediate = {o["name"] for o in entry["outputs"] if o.get("intermediate")}
        assert intermediate == {f.name for f in rule.outputs if f.explain_only}


# --- calc RULE --date D -i k=v … ----------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_calc_one_record_gives_the_legal_case(rule: Rule) -> None:
    case = first_case(rule)
    result = invoke(*one_record_args(case, "--json", "--explain"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rule"] == rule.name
    assert data["date"] == case.date.isoformat()
    got = {**data["outputs"], **data["explanation"]["intermediate"]}
    for name, want in case.expected.items():
        assert name in got, f"{case.id}: {name} is neither an output nor an intermediate value"
        assert got[name] == plain(want), f"{case.id}: {name}"
    # without --explain the outputs are the same and the intermediate values are left out
    short = invoke(*one_record_args(case, "--json"))
    assert short.exit_code == 0, short.output
    short_data = json.loads(short.stdout)
    assert short_data["outputs"] == data["outputs"]
    assert "explanation" not in short_data
    assert set(data["outputs"]) == {f.name for f in rule.outputs if not f.explain_only}


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_calc_explain_lists_each_parameter_with_date_and_reference(rule: Rule) -> None:
    case = first_case(rule)
    result = invoke(*one_record_args(case, "--explain", "--json"))
    assert result.exit_code == 0, result.output
    parameters = json.loads(result.stdout)["explanation"]["parameters"]
    for p in parameters:
        assert p["name"], p
        effective = dt.date.fromisoformat(p["effective"])
        assert effective <= case.date, f"{p['name']}: a value in force after {case.date}"
        assert str(p["reference"]).strip(), f"{p['name']} has no reference"
        assert "value" in p
    names = [p["name"] for p in parameters]
    assert len(names) == len(set(names)), "one value per parameter for a single date"


def test_calc_explain_of_pu_contributions_shows_its_parameters() -> None:
    result = invoke("calc", "pu_contributions", "--date", "2024-05-01", "-i", "wage=5000000", "-i", "risk_group=1")
    assert result.exit_code == 0, result.output
    assert "jkk" in result.stdout
    explained = invoke(
        "calc", "pu_contributions", "--date", "2024-05-01", "-i", "wage=5000000", "-i", "risk_group=1", "--explain"
    )
    assert explained.exit_code == 0, explained.output
    for words in ("parameters used", "jp.wage_cap", "PP 45/2015", "jp_wage_basis"):
        assert words in explained.stdout
    data = json.loads(
        invoke(
            "calc",
            "pu_contributions",
            "--date",
            "2024-05-01",
            "-i",
            "wage=5000000",
            "-i",
            "risk_group=1",
            "--explain",
            "--json",
        ).stdout
    )
    used = {p["name"]: p for p in data["explanation"]["parameters"]}
    assert {"jkk.pu.rate", "jp.wage_cap", "jht.pu.worker_rate"} <= set(used)
    assert used["jp.wage_cap"]["effective"] == "2024-03-01"
    assert used["jp.wage_cap"]["value"] == 10_042_300


# --- calc --file --out ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_calc_file_writes_every_output_for_every_row(rule: Rule, tmp_path: Path) -> None:
    case = first_case(rule)
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(case.inputs))
        for _ in range(3):
            writer.writerow([text(v) for v in case.inputs.values()])
    out = tmp_path / "out.parquet"
    result = invoke(
        "calc", rule.name, "--date", case.date.isoformat(), "--file", str(source), "--out", str(out), "--json"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 3
    table = pq.read_table(out)
    assert table.num_rows == 3
    for f in rule.outputs:
        assert f.name in table.column_names, f"{rule.name}: {f.name} missing from the file"
    for name, want in case.expected.items():
        assert [plain(v) for v in table.column(name).to_pylist()] == [plain(want)] * 3, f"{case.id}: {name}"
    money = [f.name for f in rule.outputs if f.dtype == "int64" and not f.explain_only]
    assert set(summary["totals"]) == set(money)
    for name in money:
        assert summary["totals"][name] == sum(table.column(name).to_pylist())


def test_calc_file_to_csv_with_a_date_column(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("date,wage,risk_group\n2024-02-01,20000000,1\n2024-03-01,20000000,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = invoke("calc", "pu_contributions", "--file", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["jp_wage_basis"]) for r in rows] == [9_559_600, 10_042_300]
    assert "jp_employer" in result.stdout  # the table of totals


def test_calc_file_with_a_bad_row_names_field_and_row(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("wage,risk_group\n5000000,1\n6000000,2\n7000000,9\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    result = invoke("calc", "pu_contributions", "--date", "2024-05-01", "--file", str(source), "--out", str(out))
    assert result.exit_code != 0
    assert "risk_group" in result.output
    assert "row 3" in result.output
    assert not out.exists()


def test_calc_file_needs_an_out_path(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("wage,risk_group\n5000000,1\n", encoding="utf-8")
    result = invoke("calc", "pu_contributions", "--date", "2024-05-01", "--file", str(source))
    assert result.exit_code != 0
    assert "out" in result.output


# --- refusals ------------------------------------------------------------------------------------------

_BAD_VALUE = {"int64": "not-a-number", "date": "not-a-date", "bool": "maybe"}


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_calc_bad_input_exits_non_zero_naming_the_field(rule: Rule) -> None:
    case = first_case(rule)
    inputs = {k: text(v) for k, v in case.inputs.items()}
    typed = [f for f in rule.inputs if f.dtype in _BAD_VALUE]
    if typed:
        field = typed[0]
        inputs[field.name] = _BAD_VALUE[field.dtype]
    else:  # only text inputs: leave a required one out
        field = next(f for f in rule.inputs if f.required)
        inputs.pop(field.name, None)
    args = ["calc", rule.name, "--date", case.date.isoformat()]
    for name, value in inputs.items():
        args += ["-i", f"{name}={value}"]
    result = invoke(*args)
    assert result.exit_code != 0, result.output
    assert field.name in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-i", "wage=-5", "-i", "risk_group=1"], ["wage", "at least 0"]),
        (["-i", "wage=5000000", "-i", "risk_group=9"], ["risk_group", "not one of"]),
        (["-i", "wage=5000000"], ["risk_group", "required"]),
        (["-i", "wage=5000000", "-i", "risk_group=1", "-i", "salary=1"], ["salary", "not an input"]),
    ],
)
def test_calc_refusals_of_pu_contributions(args: list[str], words: list[str]) -> None:
    result = invoke("calc", "pu_contributions", "--date", "2024-05-01", *args)
    assert result.exit_code != 0
    for word in words:
        assert word in result.output


def test_calc_unknown_rule_and_missing_date() -> None:
    unknown = invoke("calc", "no_such_rule", "--date", "2024-05-01")
    assert unknown.exit_code != 0
    assert "no_such_rule" in unknown.output
    undated = invoke("calc", "pu_contributions", "-i", "wage=1", "-i", "risk_group=1")
    assert undated.exit_code != 0
    assert "date" in undated.output


def test_calc_a_date_before_the_law_names_the_parameter() -> None:
    result = invoke("calc", "pu_contributions", "--date", "2010-01-01", "-i", "wage=1", "-i", "risk_group=1")
    assert result.exit_code != 0
    assert "2010-01-01" in result.output
    assert "parameter" in result.output


# --- rules test ------------------------------------------------------------------------------------------


def test_rules_test_reports_expected_and_got_and_exits_1(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        """
- name: right figure
  rule: pu_contributions
  date: 2024-05-01
  inputs: {wage: 5000000, risk_group: 1}
  expected: {jkk: 12000}
  source: "PP 44/2015 art 16(1)(a)"
- name: wrong figure on purpose
  rule: pu_contributions
  date: 2024-05-01
  inputs: {wage: 5000000, risk_group: 1}
  expected: {jkk: 12345}
  source: "a deliberately wrong figure"
""",
        encoding="utf-8",
    )
    result = invoke("rules", "test", str(cases))
    assert result.exit_code == 1
    assert "FAIL" in result.stdout
    assert "wrong figure on purpose" in result.stdout
    assert "expected 12345" in result.stdout
    assert "got 12000" in result.stdout
    assert "1 passed, 1 failed" in result.stdout


def test_rules_test_passes_with_exit_0(tmp_path: Path) -> None:
    case = first_case(next(r for r in RULES if r.name == "pu_contributions"))
    copy = tmp_path / "one.yaml"
    copy.write_text(
        f"""
- name: {case.name}
  rule: {case.rule}
  date: {case.date.isoformat()}
  inputs: {json.dumps(case.inputs)}
  expected: {json.dumps(case.expected)}
  source: "{case.source.replace('"', "'")}"
""",
        encoding="utf-8",
    )
    result = invoke("rules", "test", "--verbose", str(copy))
    assert result.exit_code == 0, result.stdout
    assert "PASS" in result.stdout
    assert "1 passed, 0 failed" in result.stdout


def test_rules_test_refuses_a_malformed_file(tmp_path: Path) -> None:
    cases = tmp_path / "bad.yaml"
    cases.write_text(
        "- name: no source\n  rule: pu_contributions\n  date: 2024-05-01\n  inputs: {}\n", encoding="utf-8"
    )
    result = invoke("rules", "test", str(cases))
    assert result.exit_code == 2
    assert "source" in result.stdout
