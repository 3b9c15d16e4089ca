"""The JHT ledger's edges that the mutation run (docs/mutation.md) found unpinned, each with its reading.

An entry of the ledger is value-dated by the calendar day (PP 46/2015 art 22(2): the balance is what was
paid in, and its returns, on a date): a withdrawal or a statement given a moment of a day, or a text, is
refused naming the field, never stored with a time nor read as a date.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import (
    credit_paid_bills,
    credit_yearly_returns,
    returns_credited,
    statement,
    totals,
    withdraw,
)
from paritrana.core.errors import ValidationFailed
from paritrana.rules.money import rupiah_text
from tests.platform.world import World


def test_a_withdrawal_dated_with_a_time_or_a_text_is_refused_naming_the_date(world: World) -> None:
    worker = world.workers["W33PU"]
    JhtEntry.objects.create(worker=worker, kind="contribution", value_date=dt.date(2024, 2, 10), amount=9_000)
    for on in (dt.datetime(2025, 3, 1, 9, 30), "2025-03-01"):
        with pytest.raises(ValidationFailed) as refused:
            withdraw(world.users["admin"], worker.pk, 5_000, on, "KLAIM-1")  # type: ignore[arg-type]
        assert refused.value.field == "on", on
    assert not JhtEntry.objects.filter(kind="withdrawal").exists()


def test_a_statement_between_moments_or_texts_is_refused_naming_its_first_day(world: World) -> None:
    worker = world.workers["W33PU"]
    for start, end in (
        (dt.datetime(2025, 1, 1, 0, 0), dt.date(2025, 12, 31)),
        (dt.date(2025, 1, 1), dt.datetime(2025, 12, 31, 23, 59)),
        ("2025-01-01", dt.date(2025, 12, 31)),
    ):
        with pytest.raises(ValidationFailed) as refused:
            statement(world.users["admin"], worker.pk, start, end)  # type: ignore[arg-type]
        assert refused.value.field == "start", (start, end)


def test_a_withdrawal_may_be_dated_today_not_tomorrow(world: World) -> None:
    """A claim paid today is debited today (the value date of the payment order); only a date after today is
    refused (it would lower a balance that statements of today still show whole)."""
    worker = world.workers["W33PU"]
    JhtEntry.objects.create(worker=worker, kind="contribution", value_date=dt.date(2024, 2, 10), amount=9_000)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as refused:
        withdraw(world.users["admin"], worker.pk, 4_000, today + dt.timedelta(days=1), "KLAIM-2")
    assert refused.value.field == "on"
    entry = withdraw(world.users["admin"], worker.pk, 4_000, today, "KLAIM-1")
    assert (entry.value_date, entry.amount) == (today, -4_000)


def test_a_reference_of_the_longest_length_is_taken_one_more_is_refused_with_both_lengths(world: World) -> None:
    """The payment order's reference is stored whole (200 characters, the entry's reference field); a longer one
    is refused naming the limit and the length given, never cut."""
    worker = world.workers["W33PU"]
    JhtEntry.objects.create(worker=worker, kind="contribution", value_date=dt.date(2024, 2, 10), amount=9_000)
    with pytest.raises(ValidationFailed) as refused:
        withdraw(world.users["admin"], worker.pk, 1_000, dt.date(2025, 3, 1), "K" * 201)
    assert refused.value.field == "reference"
    assert "200" in refused.value.reason and "201" in refused.value.reason
    entry = withdraw(world.users["admin"], worker.pk, 1_000, dt.date(2025, 3, 1), "K" * 200)
    assert entry.reference == "K" * 200


def test_a_withdrawal_dated_in_or_before_a_credited_year_is_refused(world: World) -> None:
    """Once the return of 2024 is credited, 2024 and the years before it are closed: a withdrawal dated in them
    would change the balances the return was computed on (PP 46/2015 art 22(2): the return is on the balance)."""
    worker = world.workers["W33PU"]
    JhtEntry.objects.create(worker=worker, kind="contribution", value_date=dt.date(2023, 2, 10), amount=9_000)
    JhtEntry.objects.create(worker=worker, kind="return", value_date=dt.date(2024, 12, 31), amount=540, year=2024)
    for on in (dt.date(2023, 6, 1), dt.date(2024, 12, 31)):
        with pytest.raises(ValidationFailed) as refused:
            withdraw(world.users["admin"], worker.pk, 1_000, on, "KLAIM-1")
        assert refused.value.field == "on" and "2024" in refused.value.reason, on
    assert withdraw(world.users["admin"], worker.pk, 1_000, dt.date(2025, 1, 1), "KLAIM-1").amount == -1_000


def test_a_withdrawal_above_an_overdrawn_balance_names_a_balance_of_zero(world: World) -> None:
    worker = world.workers["W33PU"]
    JhtEntry.objects.create(worker=worker, kind="contribution", value_date=dt.date(2024, 2, 10), amount=1_000)
    JhtEntry.objects.create(worker=worker, kind="withdrawal", value_date=dt.date(2024, 3, 10), amount=-4_000)
    with pytest.raises(ValidationFailed) as refused:
        withdraw(world.users["admin"], worker.pk, 500, dt.date(2025, 3, 1), "KLAIM-1")
    assert refused.value.field == "amount"
    assert rupiah_text(0) in refused.value.reason and rupiah_text(-1) not in refused.value.reason


def test_a_statement_of_one_day_and_its_balances(world: World) -> None:
    """Opening balance: the end of the day before the first day; closing: after the last entry of the period."""
    worker = world.workers["W33PU"]
    for day, amount in ((1, 1_000), (2, 2_000), (3, 4_000), (4, 8_000)):
        JhtEntry.objects.create(worker=worker, kind="contribution", value_date=dt.date(2025, 3, day), amount=amount)
    one_day = statement(world.users["admin"], worker.pk, dt.date(2025, 3, 2), dt.date(2025, 3, 2))
    assert (one_day.opening_balance, one_day.closing_balance) == (1_000, 3_000)
    three_days = statement(world.users["admin"], worker.pk, dt.date(2025, 3, 2), dt.date(2025, 3, 4))
    assert (three_days.opening_balance, [e.balance for e in three_days.entries]) == (1_000, [3_000, 7_000, 15_000])
    assert three_days.closing_balance == 15_000
    empty = statement(world.users["admin"], worker.pk, dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert (empty.opening_balance, empty.entries, empty.closing_balance) == (15_000, [], 15_000)
    since_ever = statement(world.users["admin"], worker.pk, dt.date.min, dt.date(2025, 3, 1))
    assert (since_ever.opening_balance, since_ever.closing_balance) == (0, 1_000)


def test_totals_with_nothing_returned_or_withdrawn_and_zero_balances(world: World) -> None:
    """An account brought to zero is not negative; the sides with no entry are zero."""
    w = world.workers
    JhtEntry.objects.create(worker=w["W33PU"], kind="contribution", value_date=dt.date(2025, 2, 1), amount=5_000)
    on = dt.date(2025, 2, 28)
    before = totals(on)
    assert (before.returns, before.withdrawals, before.negative_accounts) == (0, 0, 0)
    JhtEntry.objects.create(worker=w["W35"], kind="contribution", value_date=dt.date(2025, 2, 1), amount=3_000)
    JhtEntry.objects.create(worker=w["W35"], kind="withdrawal", value_date=dt.date(2025, 2, 2), amount=-3_000)
    JhtEntry.objects.create(worker=w["W33BPU"], kind="withdrawal", value_date=dt.date(2025, 2, 3), amount=-700)
    JhtEntry.objects.create(worker=w["W33CITY"], kind="withdrawal", value_date=dt.date(2025, 2, 3), amount=-1)
    after = totals(on)
    assert (after.withdrawals, after.balances, after.accounts) == (3_701, 5_000 - 701, 4)
    assert after.negative_accounts == 2  # W33BPU and W33CITY (one rupiah below zero); W35 at zero is not negative


def test_crediting_no_bill_credits_nothing_and_says_so(world: World) -> None:
    """The count a billing run's settlement reports as JHT lines credited (``Settlement.jht_lines_credited``)."""
    assert credit_paid_bills([]) == 0
    assert not JhtEntry.objects.exists()


def test_a_given_rate_out_of_range_is_refused_as_out_of_range_not_as_missing(world: World) -> None:
    """A declared rate above 100 % (10.000 bp) is refused by the rule's range; only a year with no rate given
    and none on record gets the message asking for the declared rate."""
    JhtEntry.objects.create(
        worker=world.workers["W33PU"], kind="contribution", value_date=dt.date(2024, 5, 10), amount=1
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        credit_yearly_returns(2024, declared_rate_bp=10_001)
    assert refused.value.field == "rate"
    assert "no JHT crediting rate declared" not in refused.value.reason
    assert "--rate-bp" not in refused.value.reason  # the missing rate's message (for 2024 with none given) asks for it
    with pytest.raises(ValidationFailed) as missing:
        credit_yearly_returns(2024)
    assert missing.value.field == "rate" and "--rate-bp" in missing.value.reason
    assert not JhtEntry.objects.filter(kind="return").exists()


def test_a_year_with_no_return_credited_reports_no_account_and_no_rupiah(world: World) -> None:
    """What the yearly-return command prints before and after a run: a year nobody was credited for shows
    0 accounts and Rp 0, whether it was never run or run over no balance; a credited year shows its own."""
    assert returns_credited(2024) == (0, 0)
    assert credit_yearly_returns(2023, declared_rate_bp=600) == 0  # no balance in 2023: nothing to credit
    assert returns_credited(2023) == (0, 0)
    JhtEntry.objects.create(
        worker=world.workers["W33PU"], kind="contribution", value_date=dt.date(2024, 6, 10), amount=1_000_000
    )
    assert credit_yearly_returns(2025, declared_rate_bp=600) == 1
    # a balance held the whole of 2025 earns the declared 6 % of it: 60.000 rupiah
    assert returns_credited(2025) == (1, 60_000)
    assert returns_credited(2024) == (0, 0)


@pytest.mark.parametrize("year", ["2024", 2024.0, True, None])
def test_a_year_that_is_not_a_whole_number_is_refused_naming_the_year_and_the_value(world: World, year: object) -> None:
    """The year of a return run is a calendar year; a text, a fraction or a truth value is refused with the value
    given (its Python form, so "2024" the text is told from 2024 the number), and nothing is credited."""
    JhtEntry.objects.create(
        worker=world.workers["W33PU"], kind="contribution", value_date=dt.date(2023, 6, 10), amount=1_000_000
    )
    with pytest.raises(ValidationFailed) as refused:
        credit_yearly_returns(year, declared_rate_bp=600)  # type: ignore[arg-type]
    assert refused.value.field == "year"
    assert refused.value.reason == f"{year!r} bukan tahun"
    with translation.override("en"), pytest.raises(ValidationFailed) as in_english:
        credit_yearly_returns(year, declared_rate_bp=600)  # type: ignore[arg-type]
    assert in_english.value.reason == f"{year!r} is not a year"
    assert not JhtEntry.objects.filter(kind="return").exists()
