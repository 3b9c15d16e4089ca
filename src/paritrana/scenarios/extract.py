"""The registry's month as the scenario computation reads it: the billing extract's tables (who is billed, on what
wage, for which programmes) and the people table (:data:`compute.PEOPLE_SCHEMA`), read in batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
from django.db import connection

from paritrana.contributions.billing_extract import (
    BPU_SCHEMA,
    PU_SCHEMA,
    bpu_extract_sql,
    fetch_arrow,
    pu_extract_sql,
)
from paritrana.contributions.periods import month_end
from paritrana.registry.models import Employer, Region, Scheme, Worker
from paritrana.scenarios.compute import PEOPLE_SCHEMA


@dataclass(frozen=True)
class MonthTables:
    pu: pa.Table
    bpu: pa.Table
    people: pa.Table


def _table(model: type[Worker] | type[Employer] | type[Region]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def people_sql() -> str:
    """Every worker with where it is counted: a wage earner at its employer's region, anyone else at home."""
    return f"""
        SELECT w.id, w.scheme, w.sex, CAST(w.birth_date AS TEXT),
            CASE WHEN w.scheme = '{Scheme.PU.value}' AND er.code IS NOT NULL THEN er.code ELSE wr.code END,
            COALESCE(e.sector, ''), COALESCE(e.size_class, '')
        FROM {_table(Worker)} w
        JOIN {_table(Region)} wr ON wr.id = w.region_id
        LEFT JOIN {_table(Employer)} e ON e.id = w.employer_id
        LEFT JOIN {_table(Region)} er ON er.id = e.region_id"""


def month_tables(period: dt.date, on_rows: Callable[[int], None] | None = None) -> MonthTables:
    """The month's billing extract (as the monthly run reads it) and the people, from the registry."""
    first, last = period.replace(day=1), month_end(period)
    pu = fetch_arrow(pu_extract_sql(None), [first, last, first], PU_SCHEMA, on_rows)
    bpu = fetch_arrow(bpu_extract_sql(), [last, first], BPU_SCHEMA, on_rows)
    people = fetch_arrow(people_sql(), [], PEOPLE_SCHEMA, on_rows)
    return MonthTables(pu=pu, bpu=bpu, people=people)
