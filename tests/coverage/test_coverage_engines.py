"""Must-show 1: the coverage expression gives the same numbers on the registry database (in place) and on a
Parquet snapshot with DuckDB, and they equal an independent count written as plain SQL, on demo-like data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import connection

from paritrana.contributions.services.status import active_workers
from paritrana.coverage import analytics
from paritrana.coverage.services.dashboard import denominator_years
from paritrana.coverage.sources import registry_tables, snapshot_tables, to_arrow, write_snapshot
from tests.coverage.coveragekit import COMMITTED, DemoLike

ACTIVE_SQL = """
WITH month_lines AS (
    SELECT l.worker_id, SUM(l.amount) AS total,
           SUM(CASE WHEN b.paid < b.amount THEN 1 ELSE 0 END) AS on_unpaid_bills
    FROM contributions_billline l JOIN contributions_bill b ON b.id = l.bill_id
    WHERE b.kind = 'contribution' AND b.period = %s AND l.worker_id IS NOT NULL
    GROUP BY l.worker_id
)
SELECT substr(CASE WHEN %s = 'employer' AND e.id IS NOT NULL THEN er.code ELSE r.code END, 1, 5) AS place,
       w.scheme, w.occupation, COUNT(*)
FROM month_lines m
JOIN registry_worker w ON w.id = m.worker_id
JOIN registry_region r ON r.id = w.region_id
LEFT JOIN registry_employer e ON e.id = w.employer_id
LEFT JOIN registry_region er ON er.id = e.region_id
WHERE m.total > 0 AND m.on_unpaid_bills = 0
GROUP BY 1, 2, 3
"""

REGISTERED_SQL = """
SELECT COUNT(DISTINCT w.id) FROM registry_worker w
WHERE EXISTS (SELECT 1 FROM registry_membership ms WHERE ms.worker_id = w.id
              AND ms.start <= %s AND (ms."end" IS NULL OR ms."end" >= %s))
"""


def sql_active(month: dt.date, view: str) -> Counter[tuple[str, str, str]]:
    """The active participants per (regency or, for a province-only location, province; scheme; occupation)."""
    with connection.cursor() as cursor:
        cursor.execute(ACTIVE_SQL, [month, view])
        return Counter({(place, scheme, occ): n for place, scheme, occ, n in cursor.fetchall()})


def month_end(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1) - dt.timedelta(days=1)


def cube_active(cube: pd.DataFrame, month: dt.date, view: str) -> Counter[tuple[str, str, str]]:
    rows = cube[(cube["period"] == pd.Timestamp(month)) & (cube["view"] == view) & (cube["active"] > 0)]
    out: Counter[tuple[str, str, str]] = Counter()
    for r in rows.itertuples():
        place = r.regency if isinstance(r.regency, str) else r.province
        out[(place, r.scheme, r.occupation)] += int(r.active)
    return out


def frame(table: Any, keys: list[str]) -> pd.DataFrame:
    df = to_arrow(table).to_pandas().sort_values(keys, na_position="first").reset_index(drop=True)
    df["period"] = pd.to_datetime(df["period"]).astype("datetime64[s]")
    return df


@COMMITTED
def test_registry_and_duckdb_give_the_same_numbers_and_equal_plain_sql(demo_like: DemoLike, tmp_path: Path) -> None:
    months = demo_like.months
    registry = registry_tables()
    written = write_snapshot(tmp_path)
    assert written["worker"] == 240 and written["line"] > 0
    snapshot = snapshot_tables(tmp_path)
    keys = list(analytics.CUBE_KEYS)
    on_registry = frame(analytics.coverage_cube(registry, months), keys)
    on_duckdb = frame(analytics.coverage_cube(snapshot, months), keys)
    assert len(on_registry) > 100
    pd.testing.assert_frame_equal(on_registry, on_duckdb, check_dtype=False)

    for month in months:
        expected_total = active_workers(month).count()
        assert expected_total > 0
        for view in analytics.VIEWS:
            expected = sql_active(month, view)
            assert cube_active(on_registry, month, view) == expected
            assert sum(expected.values()) == expected_total
        start, end = month, month_end(month)
        with connection.cursor() as cursor:
            cursor.execute(REGISTERED_SQL, [end, start])
            in_force = cursor.fetchone()[0]
        month_rows = on_registry[(on_registry["period"] == pd.Timestamp(month)) & (on_registry["view"] == "domicile")]
        # every active worker of the demo has a membership in force, so registered is exactly the in-force count
        assert int(month_rows["registered"].sum()) == in_force

    years = denominator_years(months)
    assert set(years.values()) == {2026}
    for level in ("national", "province", "regency"):
        for view in analytics.VIEWS:
            a = frame(analytics.coverage_rates(registry, months, years, level, view=view), ["period", "view", "code"])
            b = frame(analytics.coverage_rates(snapshot, months, years, level, view=view), ["period", "view", "code"])
            pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_the_cases_the_demo_lacks(demo_like: DemoLike) -> None:
    last = demo_like.months[-1]
    cube = frame(analytics.coverage_cube(registry_tables(), [last]), list(analytics.CUBE_KEYS))
    part_paid_workers = set(
        demo_like.part_paid_bill.lines.exclude(worker__isnull=True).values_list("worker_id", flat=True)
    )
    active_ids = set(active_workers(last).values_list("pk", flat=True))
    assert part_paid_workers and not part_paid_workers & active_ids
    assert demo_like.zeroed_worker.pk not in active_ids
    # the province-only worker has no regency in either view (a BPU: its domicile is its place in both)
    code = demo_like.province_only_worker.region.code
    for view in analytics.VIEWS:
        rows = cube[(cube["view"] == view) & (cube["province"] == code) & cube["regency"].isna()]
        assert int(rows["registered"].sum()) == 1
    # BPU workers never have JP; programme counts never exceed the active count
    bpu = cube[cube["scheme"] == "BPU"]
    assert int(bpu["active_jp"].sum()) == 0 and int(bpu["active_jkk"].sum()) > 0
    for p in analytics.PROGRAMMES:
        assert (cube[f"active_{p.lower()}"] <= cube["active"]).all()


def test_rates_are_active_over_employed_and_match_sql(demo_like: DemoLike) -> None:
    last = demo_like.months[-1]
    years = denominator_years([last])
    rows = to_arrow(analytics.coverage_rates(registry_tables(), [last], years, "province", view="employer")).to_pandas()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.code, f.employed FROM coverage_workforcefigure f JOIN registry_region r ON r.id = f.region_id "
            "WHERE f.year = %s AND length(r.code) = 2",
            [years[last]],
        )
        employed = dict(cursor.fetchall())
    expected = Counter[str]()
    for (place, _scheme, _occ), n in sql_active(last, "employer").items():
        expected[place[:2]] += n
    assert set(rows["code"]) >= set(employed)
    for r in rows.itertuples():
        assert int(r.active) == expected[r.code]
        if r.code in employed:
            assert int(r.employed) == employed[r.code]
            assert r.rate == int(r.active) / employed[r.code]
        else:
            assert pd.isna(r.rate)
