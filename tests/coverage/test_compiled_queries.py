"""The dashboard's queries compiled once (coverage/services/compiled.py, decision 0036): the same rows as the Ibis
expression run through Ibis, on SQLite and PostgreSQL; a second page compiles nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from paritrana.coverage import analytics
from paritrana.coverage.services import compiled
from paritrana.coverage.services.targets import denominator_years
from paritrana.coverage.sources import registry_tables, to_arrow
from tests.coverage.coveragekit import MONTHS, DemoLike


def normalised(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows comparable across drivers: dates as ISO text, numbers as ints or rounded floats, in one order."""

    def cell(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float):
            return None if value != value else round(value, 9)
        if value is not None and not isinstance(value, str):
            return int(value)
        return value

    return sorted((tuple((k, cell(v)) for k, v in sorted(r.items())) for r in rows), key=repr)


def test_compiled_queries_give_the_expressions_rows(demo_like: DemoLike) -> None:
    months = tuple(MONTHS)
    years = tuple(sorted(denominator_years(months).items()))
    t = registry_tables()
    for level, within in (("national", None), ("province", None), ("regency", "33")):
        query = compiled.Rates(level, months, "domicile", within, years)
        expected = analytics.coverage_rates(t, list(months), dict(years), level, view="domicile", within=within)
        rows = compiled.rows(query)
        assert rows and normalised(rows) == normalised(to_arrow(expected).to_pylist()), level
    cube = analytics.coverage_cube(t, [months[-1]])
    cube = cube.filter(cube["view"] == "employer", cube.province == "33")
    rows = compiled.rows(compiled.Cube((months[-1],), "employer", "province", "33"))
    assert rows and normalised(rows) == normalised(to_arrow(cube).to_pylist())


def test_a_second_dashboard_compiles_nothing(demo_like: DemoLike) -> None:
    from paritrana.coverage.services import dashboard

    dashboard.dashboard(None, region_code="33")
    before = compiled.sql_of.cache_info()
    again = dashboard.dashboard(None, region_code="33")
    after = compiled.sql_of.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
    assert again.total.registered > 0
    # another month is another query, compiled once
    other = dashboard.dashboard(None, region_code="33", month=MONTHS[0])
    assert compiled.sql_of.cache_info().misses > after.misses and other.month == MONTHS[0]
