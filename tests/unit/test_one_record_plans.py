"""One record under one date's law (decision 0014): the rule compiled once per rule and date, its plan then run
for each record with the record's own values; a record carrying its own date goes the general way."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.rules import compute_one, one_record
from paritrana.rules.duck import connection
from paritrana.rules.parameters import load_parameters

PU = "pu_contributions"
ON = dt.date(2023, 3, 9)
NEXT_DAY = dt.date(2023, 3, 11)
OWN_DATE = dt.date(2023, 3, 10)


def _key(on: dt.date) -> tuple[str, dt.date, int]:
    return (PU, on, id(load_parameters()))


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan cache of this test's own: none of its dates compiled by an earlier test."""
    monkeypatch.setattr(one_record, "_PLANS", {})


def test_a_plan_is_compiled_once_per_rule_and_date_and_run_with_each_records_values() -> None:
    first = compute_one(PU, ON, {"wage": 5_000_000, "risk_group": 1})
    plan = one_record._PLANS.get(_key(ON))
    assert plan is not None  # compiled for the rule and date
    second = compute_one(PU, ON, {"wage": 12_000_000, "risk_group": 5})
    assert one_record._PLANS.get(_key(ON)) is plan  # the same plan, not compiled again
    # JKK 0.24 % and 1.74 % of the wage by risk group (PP 44/2015 art 16(1)(a), (e)); JKM 0.30 % (art 18(1))
    assert (first.outputs["jkk"], first.outputs["jkm"]) == (12_000, 15_000)
    assert (second.outputs["jkk"], second.outputs["jkm"]) == (208_800, 36_000)
    compute_one(PU, NEXT_DAY, {"wage": 5_000_000, "risk_group": 1})
    assert one_record._PLANS.get(_key(ON)) is plan  # another date's plan is kept beside it (the cache is not full)
    assert _key(NEXT_DAY) in one_record._PLANS
    # and its statements stay prepared on this thread's connection: parsed, bound and optimised once, not for
    # every record (they are released only when the cache starts again)
    rows = connection().con.execute(f"EXECUTE {plan.name}_check").fetchall()
    assert len(rows) == 1 and not any(rows[0])  # the last record given (valid) violates no check


def test_a_record_with_its_own_date_goes_the_general_way_with_the_same_result() -> None:
    record = {"wage": 5_000_000, "risk_group": 1}
    dated = compute_one(PU, OWN_DATE, {**record, "date": OWN_DATE})
    assert _key(OWN_DATE) not in one_record._PLANS  # no plan compiled for it
    plain = compute_one(PU, OWN_DATE, record)
    assert dated.outputs == plain.outputs
    assert dated.explanation.parameters == plain.explanation.parameters
