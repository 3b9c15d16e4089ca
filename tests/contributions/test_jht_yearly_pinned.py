"""The yearly JHT return's edges the mutation run (docs/mutation.md) left to the slow tests, pinned here with
hand-computed amounts.

The reading (decision 0018; PP 46/2015 art 22(2): the balance is the contributions and their returns; UU 40/2004
art 37: a rate declared for each calendar year): the declared rate on the average of the twelve month-start
balances; money in during month m earns from month m + 1. The return is credited, never debited: an account
whose year earned nothing, or less than nothing, gets no entry.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import credit_yearly_returns, withdraw
from paritrana.core.errors import ValidationFailed
from tests.platform.world import World


def entry(world: World, key: str, on: dt.date, amount: int, kind: str = "contribution") -> None:
    JhtEntry.objects.create(worker=world.workers[key], kind=kind, value_date=on, amount=amount)


def returns_of(year: int) -> dict[str, int]:
    return dict(JhtEntry.objects.filter(kind="return", year=year).values_list("worker__name", "amount"))


def test_at_the_highest_rate_the_rule_takes_each_movement_earns_exactly_its_months(world: World) -> None:
    """100 % (10.000 bp, the rule's maximum) makes every rupiah visible: a balance of 1 rupiah all year earns
    1 rupiah; 1.200.000 paid in during March earns April to December, 9/12 of it; a withdrawal of 1 rupiah in
    March costs the 9/12 rupiah it no longer earns (rounded half up: 1)."""
    entry(world, "W33PU", dt.date(2024, 7, 1), 1)
    entry(world, "W35", dt.date(2025, 3, 15), 1_200_000)
    entry(world, "W33BPU", dt.date(2024, 7, 1), 1_000)
    withdraw(None, world.workers["W33BPU"].pk, 1, dt.date(2025, 3, 15), "KLAIM-1")
    assert credit_yearly_returns(2025, declared_rate_bp=10_000) == 3
    assert returns_of(2025) == {
        "Worker W33PU": 1,
        "Worker W35": 900_000,  # 1.200.000 x 9 / 12
        "Worker W33BPU": 999,  # 1.000 Jan-Mar, 999 Apr-Dec: (3 x 1.000 + 9 x 999) / 12 = 999,25
    }


def test_a_return_of_one_rupiah_is_credited_and_an_overdrawn_account_gets_none(world: World) -> None:
    """17 rupiah all year at 6 % earn 1,02: one rupiah, credited. An account below zero all year would earn a
    negative return: no return is debited (nothing written for it)."""
    entry(world, "W33PU", dt.date(2024, 7, 1), 17)
    entry(world, "W35", dt.date(2024, 7, 1), -1_000_000, kind="withdrawal")
    assert credit_yearly_returns(2025, declared_rate_bp=600) == 1
    assert returns_of(2025) == {"Worker W33PU": 1}


def test_each_stage_reports_its_rows_done_out_of_the_total(world: World) -> None:
    """``progress(stage, done, total)``: the rows read, then computed (from 0), then the returns written."""
    entry(world, "W33PU", dt.date(2024, 5, 10), 1_000_000)
    entry(world, "W35", dt.date(2025, 2, 10), 500_000)
    entry(world, "W33BPU", dt.date(2025, 4, 2), 5_000)  # paid in and out in April: a zero movement is no row
    withdraw(None, world.workers["W33BPU"].pk, 5_000, dt.date(2025, 4, 20), "KLAIM-1")
    seen: list[tuple[str, int, int]] = []
    assert credit_yearly_returns(2025, declared_rate_bp=600, progress=lambda *call: seen.append(call)) == 2
    assert seen == [("extract", 2, 2), ("compute", 0, 2), ("compute", 2, 2), ("load", 2, 2), ("load", 2, 2)]


def test_no_rate_given_or_zero_takes_the_rate_declared_for_the_year(world: World) -> None:
    """2016: 7,19 % declared by BPJS Ketenagakerjaan (parameter jht.return_rate, PP 46/2015 art 22(2));
    1.000.000 all year earns 71.900. A rate of 0 bp given means none given (the parameter)."""
    entry(world, "W33PU", dt.date(2015, 6, 1), 1_000_000)
    assert credit_yearly_returns(2016, declared_rate_bp=0) == 1
    assert returns_of(2016) == {"Worker W33PU": 71_900}
    stored = JhtEntry.objects.get(kind="return", year=2016)
    assert stored.rate_ppm == 71_900 and "PP 46/2015 art 22(2)" in stored.reference
    entry(world, "W35", dt.date(2016, 6, 1), 1_000_000)
    assert credit_yearly_returns(2017) == 2  # 7,83 %
    assert returns_of(2017)["Worker W35"] == 78_300  # on 1.000.000 (W35's 2016 money earns from 2017 on)


@pytest.mark.parametrize("rate", [-1, "600", 6.5, True])
def test_a_rate_not_a_whole_number_of_basis_points_is_refused_as_such(world: World, rate: object) -> None:
    entry(world, "W33PU", dt.date(2024, 6, 1), 1_000_000)
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        credit_yearly_returns(2025, declared_rate_bp=rate)  # type: ignore[arg-type]
    assert refused.value.field == "rate"
    assert refused.value.reason == "the rate must be a whole number of basis points, e.g. 600 for 6 %"
    assert not JhtEntry.objects.filter(kind="return").exists()


def test_the_current_year_and_later_years_are_refused_naming_the_year(world: World) -> None:
    """A year's return is declared after the year ends (UU 40/2004 art 37: a rate for the year)."""
    this_year = timezone.localdate().year
    entry(world, "W33PU", dt.date(2024, 6, 1), 1_000_000)
    for year in (this_year, this_year + 1):
        with pytest.raises(ValidationFailed) as refused:
            credit_yearly_returns(year, declared_rate_bp=600)
        assert refused.value.field == "year" and str(year) in refused.value.reason
    assert not JhtEntry.objects.filter(kind="return").exists()
