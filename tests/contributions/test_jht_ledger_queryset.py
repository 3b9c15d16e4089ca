"""The ledger's readings on its queryset (``JhtEntry.objects``) and the database's refusal of a zero entry.

Every figure is checked against a sum written here over the entries created, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from paritrana.contributions.models import JhtEntry
from tests.platform.world import World

K = JhtEntry.Kind
# (value date, kind, amount) of one account, deliberately out of order: the readings order by date, then id
MOVES = [
    (dt.date(2024, 3, 10), K.CONTRIBUTION, 300_000),
    (dt.date(2024, 1, 5), K.CONTRIBUTION, 200_000),
    (dt.date(2024, 6, 1), K.WITHDRAWAL, -400_000),
    (dt.date(2024, 3, 10), K.CONTRIBUTION, -50_000),
    (dt.date(2024, 12, 31), K.RETURN, 9_000),
]


def book(worker_id: int, moves: list[tuple[dt.date, str, int]]) -> list[JhtEntry]:
    return [
        JhtEntry.objects.create(worker_id=worker_id, kind=kind, value_date=on, amount=amount, year=on.year)
        if kind == K.RETURN
        else JhtEntry.objects.create(worker_id=worker_id, kind=kind, value_date=on, amount=amount)
        for on, kind, amount in moves
    ]


def by_hand(moves: list[tuple[dt.date, str, int]], on: dt.date) -> int:
    return sum(amount for day, _, amount in moves if day <= on)


@pytest.mark.django_db
def test_balance_on_a_date_is_the_sum_of_the_entries_dated_up_to_it(world: World) -> None:
    w = world.workers["W33PU"]
    book(w.pk, MOVES)
    book(world.workers["W35"].pk, [(dt.date(2024, 1, 1), K.CONTRIBUTION, 777)])  # another account: not counted
    for on in (
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 5),
        dt.date(2024, 3, 9),
        dt.date(2024, 3, 10),
        dt.date(2025, 1, 1),
    ):
        assert JhtEntry.objects.balance(w.pk, on) == by_hand(MOVES, on), on
    assert JhtEntry.objects.filter(worker=w).sum_to_balance() == 59_000
    assert JhtEntry.objects.none().sum_to_balance() == 0


@pytest.mark.django_db
def test_balance_after_each_entry_runs_in_value_date_then_id_order(world: World) -> None:
    w = world.workers["W33PU"]
    entries = book(w.pk, MOVES)
    ordered = sorted(entries, key=lambda e: (e.value_date, e.pk))
    expected, running = {}, 0
    for e in ordered:
        running += e.amount
        expected[e.pk] = running
    # filtering after the window keeps the earlier entries in each running sum
    got = JhtEntry.objects.filter(worker=w).with_balance_after().filter(value_date__gte=dt.date(2024, 3, 1))
    assert {e.pk: e.balance_after for e in got} == {k: v for k, v in expected.items() if k not in {ordered[0].pk}}


@pytest.mark.django_db
def test_available_is_the_lowest_balance_from_the_date_on(world: World) -> None:
    w = world.workers["W33PU"]
    book(w.pk, MOVES)
    # on 1 April the balance is 450,000, but the June withdrawal leaves 50,000: only 50,000 may go
    assert by_hand(MOVES, dt.date(2024, 4, 1)) == 450_000
    assert JhtEntry.objects.available(w.pk, dt.date(2024, 4, 1)) == 50_000
    # after the withdrawal nothing later lowers it: the balance itself
    assert JhtEntry.objects.available(w.pk, dt.date(2024, 7, 1)) == by_hand(MOVES, dt.date(2024, 7, 1)) == 50_000
    assert JhtEntry.objects.available(w.pk, dt.date(2025, 1, 1)) == 59_000
    assert JhtEntry.objects.available(world.workers["W35"].pk, dt.date(2025, 1, 1)) == 0


@pytest.mark.django_db
def test_balances_and_totals_by_kind(world: World) -> None:
    a, b = world.workers["W33PU"], world.workers["W35"]
    book(a.pk, MOVES)
    book(b.pk, [(dt.date(2024, 2, 1), K.CONTRIBUTION, 10_000), (dt.date(2024, 2, 2), K.WITHDRAWAL, -25_000)])
    dated = JhtEntry.objects.up_to(dt.date(2024, 6, 30))
    assert dated.balances() == {a.pk: 50_000, b.pk: -15_000}
    assert dated.totals_by_kind() == {K.CONTRIBUTION: 460_000, K.RETURN: 0, K.WITHDRAWAL: -425_000}


@pytest.mark.django_db
def test_yearly_rows_leave_out_accounts_already_credited(world: World) -> None:
    a, b = world.workers["W33PU"], world.workers["W35"]
    book(a.pk, MOVES)
    book(b.pk, [(dt.date(2023, 5, 1), K.CONTRIBUTION, 10_000), (dt.date(2024, 2, 2), K.CONTRIBUTION, 5_000)])
    fresh = JhtEntry.objects.not_credited_for(2024)  # a is credited for 2024 (its return entry)
    assert sorted(fresh.opening_balances(2024)) == [(b.pk, 10_000)]
    assert sorted(fresh.monthly_movements(2024)) == [(b.pk, 2, 5_000)]
    every = JhtEntry.objects.not_credited_for(2025)
    assert sorted(every.monthly_movements(2024)) == sorted(
        [(a.pk, 1, 200_000), (a.pk, 3, 250_000), (a.pk, 6, -400_000), (b.pk, 2, 5_000)]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [K.CONTRIBUTION, K.RETURN])
def test_the_database_itself_refuses_a_zero_entry(world: World, kind: str) -> None:
    w = world.workers["W33PU"]
    with pytest.raises(IntegrityError), transaction.atomic():
        # straight to the database: no service or model validation stands in the way
        JhtEntry.objects.bulk_create(
            [JhtEntry(worker=w, kind=kind, value_date=dt.date(2024, 1, 1), amount=0, year=2024)]
        )
    assert not JhtEntry.objects.filter(worker=w).exists()
    JhtEntry.objects.create(worker=w, kind=kind, value_date=dt.date(2024, 1, 1), amount=1, year=2024)
    assert JhtEntry.objects.filter(worker=w).count() == 1
