"""The yearly JHT return computed on Spark (decision 0016: the engine of a national run) credits what the
law gives, as on DuckDB: the Arrow rows handed to the SparkSession under a table name of their own.

Reading (decision 0018, PP 46/2015 art 22(2)): the declared rate on the average of the twelve month-start
balances of the year; an amount paid in during a month counts from the next month's start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import credit_yearly_returns, returns_credited
from tests.platform.world import World


def test_the_yearly_return_on_spark_credits_each_account_its_hand_computed_return(world: World, spark: Any) -> None:
    w = world.workers
    JhtEntry.objects.create(worker=w["W33PU"], kind="contribution", value_date=dt.date(2024, 6, 10), amount=1_000_000)
    JhtEntry.objects.create(worker=w["W35"], kind="contribution", value_date=dt.date(2025, 4, 10), amount=1_200_000)
    assert credit_yearly_returns(2025, declared_rate_bp=600, engine="spark") == 2
    returns = dict(JhtEntry.objects.filter(kind="return", year=2025).values_list("worker__name", "amount"))
    assert returns == {
        "Worker W33PU": 60_000,  # 1.000.000 all year at 6 %
        "Worker W35": 48_000,  # 1.200.000 from 1 May: 8 of 12 month-starts, 1.200.000 x 6 % x 8 / 12
    }
    assert returns_credited(2025) == (2, 108_000)
    assert credit_yearly_returns(2025, declared_rate_bp=600, engine="spark") == 0  # a year is credited once
