"""One record's compiled plan at its edges: a rule with no check at all (no field required or bounded, no
rule check) is computed, not refused; the plan cache keeps at most ``_PLANS_KEPT`` plans; and each thread keeps the prepared statements of at most ``_PLANS_KEPT``
plans, keeping those it uses in turn and releasing them all beyond. Values by hand."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from typing import Any

import ibis.expr.types as ir
import pytest

from paritrana.rules import base, compute_one, get_rule, one_record
from paritrana.rules.base import Context, Field, Rule

PU = "pu_contributions"
RECORD = {"wage": 4_000_000, "risk_group": 3}


def _twice(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    return {"double": t["hours"] * 2}


def test_a_rule_without_any_check_computes_its_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """No field required or bounded and no rule check: the plan's checks count nothing, the record is computed."""
    get_rule(PU)  # every real rule registered first: only this one is added, and taken away after
    hours = Field("hours", "int64", "hours worked", default=0, required=False)
    double = Field("double", "int64", "twice the hours")
    monkeypatch.setitem(
        base.RULES, "no_checks", Rule("no_checks", "No checks", "PP 1/2020 art 1", (hours,), (double,), _twice)
    )
    assert compute_one("no_checks", "2024-01-01", {"hours": 7}).outputs == {"double": 14}
    assert compute_one("no_checks", "2024-01-01", {}).outputs == {"double": 0}


def _on_a_thread(work: Callable[[], Any]) -> Any:
    """``work`` run on a new thread (its own connection, no statement prepared yet); its answer or its error."""
    answer: list[Any] = []

    def run() -> None:
        try:
            answer.append(work())
        except BaseException as error:
            answer.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


def _compute_and_list(days: list[int], names: dict[int, str]) -> list[set[str]]:
    """The thread's prepared plans after computing the record under each day of March 2023 (``names``: each
    day's plan)."""
    seen = []
    for day in days:
        compute_one(PU, dt.date(2023, 3, day), RECORD)
        names[day] = one_record.plan_for(PU, dt.date(2023, 3, day)).name  # the plan just used, from the cache
        seen.append(set(one_record._sources.prepared))
    return seen


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan cache of this test's plans alone (it starts again at the same bound as the threads')."""
    monkeypatch.setattr(one_record, "_PLANS", {})


def test_a_thread_keeps_the_plans_it_uses_in_turn_up_to_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(one_record, "_PLANS_KEPT", 2)
    names: dict[int, str] = {}
    seen = _on_a_thread(lambda: _compute_and_list([1, 2, 1, 2], names))
    first, second = names[1], names[2]
    # two plans within a bound of two: both stay prepared, neither prepared again
    assert seen == [{first}, {first, second}, {first, second}, {first, second}]


def test_a_thread_releases_every_statement_at_the_plan_beyond_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(one_record, "_PLANS_KEPT", 2)
    n: dict[int, str] = {}
    seen = _on_a_thread(lambda: _compute_and_list([1, 2, 3, 4], n))
    assert seen == [{n[1]}, {n[1], n[2]}, {n[3]}, {n[3], n[4]}]


def test_a_thread_holding_more_than_a_lowered_bound_releases_them_at_its_next_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    n: dict[int, str] = {}

    def work() -> list[set[str]]:
        monkeypatch.setattr(one_record, "_PLANS_KEPT", 3)
        before = _compute_and_list([1, 2, 3], n)
        monkeypatch.setattr(one_record, "_PLANS_KEPT", 2)
        return before + _compute_and_list([4], n)

    seen = _on_a_thread(work)
    assert seen[2] == {n[1], n[2], n[3]}
    assert seen[3] == {n[4]}


def _plan_names(days: list[int]) -> list[str]:
    return [one_record.plan_for(PU, dt.date(2023, 3, day)).name for day in days]


def test_the_plan_cache_starts_again_at_the_plan_beyond_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(one_record, "_PLANS_KEPT", 2)
    first, second, third, third_again, first_again = _plan_names([1, 2, 3, 3, 1])
    assert len({first, second, third}) == 3 and third_again == third  # a plan kept is taken, not compiled again
    assert first_again not in {first, second, third}  # the third plan let the first two go: compiled anew


def test_a_cache_holding_more_than_a_lowered_bound_starts_again_at_its_next_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(one_record, "_PLANS_KEPT", 3)
    first, *_ = _plan_names([1, 2, 3])
    monkeypatch.setattr(one_record, "_PLANS_KEPT", 2)
    fourth, first_again = _plan_names([4, 1])
    assert first_again not in {first, fourth}
