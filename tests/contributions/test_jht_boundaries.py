"""The date boundaries of the yearly JHT return, pinned with hand-computed amounts.

The law: the JHT benefit is the contributions paid plus their returns (hasil pengembangan)
credited to the individual account (PP 46/2015 art 22(2)), at a rate BPJS Ketenagakerjaan
declares for each calendar year, at least the average 12-month deposit rate of the state-owned
banks (UU 40/2004 art 37 and its elucidation). The regulation does not say how money that
enters or leaves during the year earns; the reading the ledger takes (decision in
``contributions/services/ledger.py``) is the average of the twelve month-start balances:

- money in the account at the start of a month earns that month; so
- an entry value-dated on 1 January is *not* in the balance at the start of January: it earns
  11/12 of the year's rate in that year (not the full year);
- an entry value-dated on 31 December is in the next year's opening balance (the full next
  year) and earns nothing in its own year;
- a withdrawal earns up to the start of its month: withdrawn on the first or on the last day of
  March, the money earned January, February and March (3/12), the same for both days.

Every amount below is computed by hand at 6 % (600 bp): 1.200.000 × 6 % = 72.000 a year,
6.000 a month.
"""

from __future__ import annotations

import datetime as dt

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import credit_yearly_returns, withdraw
from tests.platform.world import World

RATE_BP = 600
AMOUNT = 1_200_000
MONTH = 6_000  # AMOUNT × 6 % / 12


def credit(world: World, key: str, on: dt.date, amount: int = AMOUNT) -> None:
    JhtEntry.objects.create(worker=world.workers[key], kind="contribution", value_date=on, amount=amount)


def returns(world: World, year: int) -> dict[str, int]:
    """Credit the return of ``year`` at 6 %; each account's return (0 when none was written)."""
    credit_yearly_returns(year, declared_rate_bp=RATE_BP)
    credited = dict(JhtEntry.objects.filter(kind="return", year=year).values_list("worker_id", "amount"))
    return {key: credited.get(w.pk, 0) for key, w in world.workers.items()}


def test_an_entry_of_1_january_earns_eleven_twelfths_of_its_year(world: World) -> None:
    credit(world, "W33PU", dt.date(2025, 1, 1))  # 1 January: not in January's opening balance
    credit(world, "W35", dt.date(2024, 12, 31))  # the day before: in the opening balance of 2025
    got = returns(world, 2025)
    assert got["W33PU"] == 11 * MONTH == 66_000
    assert got["W35"] == 12 * MONTH == 72_000


def test_an_entry_of_31_december_earns_nothing_that_year_and_the_full_next_year(world: World) -> None:
    credit(world, "W33PU", dt.date(2024, 12, 31))
    credit(world, "W35", dt.date(2024, 12, 1))  # the first day of December: also no month-start in 2024
    credit(world, "W33BPU", dt.date(2024, 11, 30))  # the last day of November: earns December
    got = returns(world, 2024)
    assert (got["W33PU"], got["W35"], got["W33BPU"]) == (0, 0, MONTH)
    got = returns(world, 2025)
    # 2025: each balance of 2024 earns the full year (W33BPU's with its 2024 return of 6.000 added)
    assert (got["W33PU"], got["W35"]) == (72_000, 72_000)
    assert got["W33BPU"] == (AMOUNT + MONTH) * 6 // 100 == 72_360


def test_a_withdrawal_on_the_first_or_the_last_day_of_its_month_earns_up_to_that_month(world: World) -> None:
    admin = world.users["admin"]
    for key in ("W33PU", "W35", "W33BPU", "W33CITY"):
        credit(world, key, dt.date(2024, 6, 15), 2 * AMOUNT)  # opening balance of 2025: 2.400.000 each
    withdraw(admin, world.workers["W33PU"].pk, AMOUNT, dt.date(2025, 3, 1), "KLAIM-1")
    withdraw(admin, world.workers["W35"].pk, AMOUNT, dt.date(2025, 3, 31), "KLAIM-2")
    withdraw(admin, world.workers["W33BPU"].pk, AMOUNT, dt.date(2025, 1, 1), "KLAIM-3")
    withdraw(admin, world.workers["W33CITY"].pk, AMOUNT, dt.date(2025, 12, 31), "KLAIM-4")
    got = returns(world, 2025)
    # what stays earns the year (72.000); what was withdrawn earned its months up to the withdrawal's
    assert got["W33PU"] == got["W35"] == 72_000 + 3 * MONTH == 90_000
    assert got["W33BPU"] == 72_000 + 1 * MONTH == 78_000  # 1 January: January's month-start had it
    assert got["W33CITY"] == 72_000 + 12 * MONTH == 144_000  # 31 December: the whole year


def test_a_withdrawal_in_the_month_of_a_contribution_cancels_its_earning_from_the_next_month(world: World) -> None:
    credit(world, "W33PU", dt.date(2025, 4, 1))  # earns May to December: 8/12
    withdraw(world.users["admin"], world.workers["W33PU"].pk, AMOUNT, dt.date(2025, 4, 30), "KLAIM-5")
    credit(world, "W35", dt.date(2025, 4, 30))  # the last day of April: also 8/12
    got = returns(world, 2025)
    assert got["W33PU"] == 0  # in and out within April: no month-start balance ever held it
    assert got["W35"] == 8 * MONTH == 48_000
