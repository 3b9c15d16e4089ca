"""One record from a plan stored on disk (``paritrana calc RULE -i …`` without Ibis, decision 0030)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from paritrana.rules import all_rules, compute_one, get_rule, one_stored
from paritrana.rules.cases import load_cases
from paritrana.rules.errors import InvalidInput

CASES_DIR = Path(__file__).parent.parent / "rules"
LEGAL = {}
for _case in load_cases([CASES_DIR]):
    if _case.error is None and _case.expected and _case.rule not in LEGAL and "date" not in _case.inputs:
        LEGAL[_case.rule] = _case


@pytest.mark.parametrize("rule_name", sorted(LEGAL))
def test_a_stored_plan_gives_what_the_compiled_plan_gives(rule_name: str, tmp_path: Path) -> None:
    case = LEGAL[rule_name]
    assert one_stored.compute_stored(tmp_path, rule_name, case.date, case.inputs) is None  # nothing stored yet
    direct = compute_one(rule_name, case.date, case.inputs)
    kept = one_stored.store(tmp_path, get_rule(rule_name), case.date)
    stored = one_stored.compute_stored(tmp_path, rule_name, case.date, case.inputs)
    assert stored is not None
    result, rule = stored
    assert result.as_dict(explain=True) == json.loads(json.dumps(direct.as_dict(explain=True)))
    assert rule == kept and [f.name for f in rule.outputs] == [f.name for f in get_rule(rule_name).outputs]
    for name, want in case.expected.items():
        got = result.outputs.get(name, result.explanation.intermediate.get(name))
        assert got == want, f"{case.id}: {name}"


def test_the_legal_cases_cover_the_rules_of_money() -> None:
    assert set(LEGAL) >= {"pu_contributions", "jht_yearly_return"} and len(LEGAL) >= len(all_rules()) // 2


def _stored_pu(folder: Path) -> None:
    one_stored.store(folder, get_rule("pu_contributions"), one_stored.parse_date("2025-03-01"))


def test_a_record_the_checks_refuse_goes_the_general_way(tmp_path: Path) -> None:
    _stored_pu(tmp_path)
    assert one_stored.compute_stored(tmp_path, "pu_contributions", "2025-03-01", {"wage": 5_000_000, "risk_group": 1})
    # risk group 9 is not one of the choices: the stored plan's checks count it, and give no result
    refused = {"wage": 5_000_000, "risk_group": 9}
    assert one_stored.compute_stored(tmp_path, "pu_contributions", "2025-03-01", refused) is None
    with pytest.raises(InvalidInput) as err:
        one_stored.compute_stored(tmp_path, "pu_contributions", "2025-03-01", {"wage": "lima juta", "risk_group": 1})
    assert err.value.field == "wage"
    with pytest.raises(InvalidInput) as err:
        one_stored.compute_stored(tmp_path, "pu_contributions", "2025-03-01", {"wage": 1, "upah": 2, "risk_group": 1})
    assert err.value.field == "upah"


def test_another_date_or_a_changed_file_is_another_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stored_pu(tmp_path)
    record = {"wage": 5_000_000, "risk_group": 1}
    assert one_stored.compute_stored(tmp_path, "pu_contributions", "2025-03-01", record) is not None
    assert one_stored.compute_stored(tmp_path, "pu_contributions", "2025-04-01", record) is None
    rules = tmp_path / "rules"
    rules.mkdir()
    parameter = rules / "rates.yaml"
    parameter.write_text("a: 1\n")
    monkeypatch.setattr(one_stored, "RULES_DIR", rules)
    before = one_stored.stored_file(tmp_path, "pu_contributions", one_stored.parse_date("2025-03-01"))
    parameter.write_text("a: 22\n")  # another size: a parameter file changed
    after = one_stored.stored_file(tmp_path, "pu_contributions", one_stored.parse_date("2025-03-01"))
    assert before != after
    os.utime(parameter, ns=(1, 1))  # the same size, another modification time
    assert one_stored.stored_file(tmp_path, "pu_contributions", one_stored.parse_date("2025-03-01")) != after


def test_an_unreadable_stored_plan_is_ignored(tmp_path: Path) -> None:
    _stored_pu(tmp_path)
    record = {"wage": 5_000_000, "risk_group": 1}
    path = one_stored.stored_file(tmp_path, "pu_contributions", one_stored.parse_date("2025-03-01"))
    path.write_text('{"rule": {"name": "pu_contributions"}')
    assert one_stored.compute_stored(tmp_path, "pu_contributions", "2025-03-01", record) is None
    assert one_stored.compute_stored(tmp_path, "pu_contributions", "not a date", record) is None


def test_a_folder_that_cannot_be_written_stores_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    kept = one_stored.store(blocked / "plans", get_rule("pu_contributions"), one_stored.parse_date("2025-03-01"))
    assert kept.name == "pu_contributions" and not (blocked / "plans").exists()
