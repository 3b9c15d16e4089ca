"""Records dated one by one whose dates are known to lie ``within`` a first and a last date (a scenario's months,
decision 0046): the law read over those dates only gives what the whole history's CASE gives, a date outside is
refused, and a table prepared once is checked again when its name holds new rows (``batch.recheck``). Amounts by
hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest

from paritrana.rules import get_rule
from paritrana.rules.batch import prepare, recheck
from paritrana.rules.duck import connection
from paritrana.rules.errors import InvalidInput
from paritrana.rules.fetch import rows_of
from paritrana.rules.inputs import records_table

D = dt.date
# BPU on Rp1,000,000: JKK Rp10,000 and JKM Rp6,800 a month; PP 50/2025 arts 2-4 halve both from April 2026 (8,400)
ADVANCE = [
    {"declared_income": 1_000_000, "months": 3, "date": "2026-01-01"},  # January to March: 3 x 16,800
    {"declared_income": 1_000_000, "months": 3, "date": "2026-02-01"},  # February, March, April
    {"declared_income": 1_000_000, "months": 3, "date": "2026-03-01"},  # March, April, May
]


def _amounts(within: tuple[dt.date, dt.date] | None) -> list[int]:
    rule = get_rule("bpu_contributions")
    run = prepare(rule, records_table(rule, ADVANCE), within=within)
    return [row["amount_due"] for row in rows_of(run.table.order_by("date"))]


def test_the_law_read_within_the_records_dates_is_the_law_of_each_date() -> None:
    expected = [3 * 16_800, 2 * 16_800 + 8_400, 16_800 + 2 * 8_400]
    assert _amounts(None) == expected
    assert _amounts((D(2026, 1, 1), D(2026, 3, 1))) == expected  # the months paid ahead read April and May too
    assert _amounts((D(2025, 1, 1), D(2026, 12, 1))) == expected


def test_a_date_outside_the_dates_given_is_refused() -> None:
    with pytest.raises(ValueError, match="not within"):
        _amounts((D(2026, 1, 1), D(2026, 2, 1)))


def _month(wage: int, risk_group: int, date: dt.date) -> pa.Table:
    return pa.table(
        {
            "wage": pa.array([wage], pa.int64()),
            "risk_group": pa.array([risk_group], pa.int64()),
            "date": pa.array([date], pa.date32()),
        }
    )


def _recheck(run: Any) -> None:
    assert run.checks is not None
    recheck(run, rows_of(run.checks.summary)[0])


def test_a_table_prepared_once_is_checked_again_on_its_new_rows() -> None:
    con = connection()
    name = "_test_within_month"
    con.con.register(name, _month(5_000_000, 1, D(2026, 1, 1)))
    try:
        run = prepare(get_rule("pu_contributions"), con.table(name), within=(D(2026, 1, 1), D(2026, 12, 1)))
        # JKM 0,30 % of Rp5,000,000 (PP 44/2015 art 18(1))
        assert [r["jkm"] for r in rows_of(run.table)] == [15_000]
        con.con.register(name, _month(4_000_000, 2, D(2026, 5, 1)))  # May: a good row
        _recheck(run)
        assert [r["jkm"] for r in rows_of(run.table)] == [12_000]
        con.con.register(name, _month(4_000_000, 7, D(2026, 6, 1)))  # June: no risk group 7
        with pytest.raises(InvalidInput) as bad:
            _recheck(run)
        assert bad.value.field == "risk_group"
        con.con.register(name, _month(4_000_000, 2, D(2027, 1, 1)))  # a month outside the run's
        with pytest.raises(ValueError, match="not within"):
            _recheck(run)
    finally:
        con.con.unregister(name)
