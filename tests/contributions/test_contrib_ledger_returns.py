"""Yearly JHT returns (ledger.credit_yearly_returns): computed by ``jht_yearly_return`` for every account.

Each expected return is computed by the rule (``compute_one``) on the same inputs: the balance
at 1 January for the full year, and each month's net movement with first_month = last_month =
that month (a debit subtracted).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import (
    balance,
    credit_yearly_returns,
    returns_credited,
    totals,
    withdraw,
)
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.rules import compute_one, load_parameters
from tests.platform.world import World


def rule_return(year: int, rate_bp: int, opening: int = 0, amount: int = 0, month: int = 1) -> int:
    inputs = {"opening_balance": opening, "contributions": amount, "first_month": month, "last_month": month}
    result: int = compute_one(
        "jht_yearly_return", dt.date(year, 12, 31), {**inputs, "declared_rate_bp": rate_bp}
    ).outputs["yearly_return"]
    return result


def credit(world: World, key: str, on: dt.date, amount: int) -> None:
    JhtEntry.objects.create(worker=world.workers[key], kind="contribution", value_date=on, amount=amount)


def test_the_return_counts_the_opening_balance_and_each_months_movement(world: World) -> None:
    w = world.workers
    credit(world, "W33PU", dt.date(2024, 5, 10), 1_000_000)
    credit(world, "W33PU", dt.date(2025, 3, 10), 600_000)
    withdraw(world.users["admin"], w["W33PU"].pk, 300_000, dt.date(2025, 6, 20), "KLAIM-7")
    credit(world, "W33BPU", dt.date(2025, 12, 5), 35_000)  # credited in December: earns nothing this year
    credit(world, "W35", dt.date(2026, 1, 5), 500_000)  # after the year

    assert credit_yearly_returns(2025, declared_rate_bp=600) == 1
    expected = (
        rule_return(2025, 600, opening=1_000_000)
        + rule_return(2025, 600, amount=600_000, month=3)
        - rule_return(2025, 600, amount=300_000, month=6)
    )
    # the rate times the average of the twelve month-start balances: 1.0 M (Jan-Mar), 1.6 M (Apr-Jun), 1.3 M (Jul-Dec)
    assert expected == (1_000_000 * 3 + 1_600_000 * 3 + 1_300_000 * 6) * 600 // 10_000 // 12
    entry = JhtEntry.objects.get(kind="return")
    assert (entry.worker, entry.year, entry.value_date, entry.amount, entry.rate_ppm) == (
        w["W33PU"],
        2025,
        dt.date(2025, 12, 31),
        expected,
        60_000,
    )
    assert "jht_yearly_return 2025" in entry.reference and "600 bp" in entry.reference
    assert balance(w["W33PU"].pk, dt.date(2025, 12, 31)) == 1_300_000 + expected
    assert returns_credited(2025) == (1, expected)
    assert totals(dt.date(2026, 1, 31)).returns == expected


def test_crediting_a_year_twice_credits_once(world: World) -> None:
    credit(world, "W33PU", dt.date(2024, 5, 10), 1_000_000)
    assert credit_yearly_returns(2025, declared_rate_bp=600) == 1
    assert credit_yearly_returns(2025, declared_rate_bp=700) == 0
    assert JhtEntry.objects.filter(kind="return").count() == 1
    credit(world, "W35", dt.date(2024, 8, 1), 2_000_000)  # an account found later is credited on the next run
    assert credit_yearly_returns(2025, declared_rate_bp=600) == 1
    amounts = dict(JhtEntry.objects.filter(kind="return").values_list("worker__name", "amount"))
    assert amounts == {
        "Worker W33PU": rule_return(2025, 600, opening=1_000_000),
        "Worker W35": rule_return(2025, 600, opening=2_000_000),
    }


def test_the_return_compounds_year_on_year(world: World) -> None:
    w = world.workers["W33PU"]
    credit(world, "W33PU", dt.date(2023, 12, 1), 1_000_000)
    credit_yearly_returns(2024, declared_rate_bp=500)
    first = rule_return(2024, 500, opening=1_000_000)
    credit_yearly_returns(2025, declared_rate_bp=500)
    second = rule_return(2025, 500, opening=1_000_000 + first)
    assert [e.amount for e in JhtEntry.objects.filter(worker=w, kind="return").order_by("year")] == [first, second]


def test_a_year_with_a_declared_rate_on_record_needs_none_given(world: World) -> None:
    credit(world, "W33PU", dt.date(2015, 9, 10), 2_000_000)
    assert credit_yearly_returns(2016) == 1
    entry = JhtEntry.objects.get(kind="return")
    declared = load_parameters()["jht.return_rate"].at(dt.date(2016, 12, 31))
    assert entry.amount == rule_return(2016, 0, opening=2_000_000)
    assert entry.rate_ppm == int(declared.value * 1_000_000)
    assert declared.reference[:40] in entry.reference


def test_a_year_without_a_declared_rate_is_refused_without_one(world: World) -> None:
    credit(world, "W33PU", dt.date(2024, 5, 10), 1_000_000)
    for ledger_is_empty in (False, True):
        if ledger_is_empty:
            JhtEntry.objects.all().delete()
        with pytest.raises(ValidationFailed) as err:
            credit_yearly_returns(2024)
        assert err.value.field == "rate" and "2024" in err.value.reason and "--rate-bp" in err.value.reason
    assert not JhtEntry.objects.filter(kind="return").exists()


def test_refusals(world: World) -> None:
    credit(world, "W33PU", dt.date(2024, 5, 10), 1_000_000)
    this_year = timezone.localdate().year
    for year, rate, field in (
        (this_year, 600, "year"),
        (2010, 600, "year"),
        (2024, 10_001, "rate"),
        (2024, -1, "rate"),
    ):
        with pytest.raises(ValidationFailed) as err:
            credit_yearly_returns(year, declared_rate_bp=rate)
        assert err.value.field == field, (year, rate)
    for role in ("branch", "province", "hr", "worker", "heir", "assessor"):
        with pytest.raises(NotAllowed):
            credit_yearly_returns(2024, user=world.users[role], declared_rate_bp=600)
    assert not JhtEntry.objects.filter(kind="return").exists()
    assert credit_yearly_returns(2024, user=world.users["admin"], declared_rate_bp=600) == 1


def test_progress_reports_each_stage(world: World) -> None:
    credit(world, "W33PU", dt.date(2024, 5, 10), 1_000_000)
    credit(world, "W35", dt.date(2025, 2, 10), 500_000)
    seen: list[tuple[str, int, int]] = []
    assert credit_yearly_returns(2025, declared_rate_bp=600, progress=lambda *a: seen.append(a)) == 2
    assert [s for s, _, _ in seen if s] and {s for s, _, _ in seen} == {"extract", "compute", "load"}
    assert ("load", 2, 2) in seen and ("compute", 2, 2) in seen
