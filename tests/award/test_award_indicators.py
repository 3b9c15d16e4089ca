"""Must show 2: the award's indicators, computed with DuckDB on the frozen Parquet snapshot, equal independent
plain-SQL counts on the demo data in the registry database (SQLite or PostgreSQL, whichever the run uses)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from paritrana.award import indicators, snapshot
from paritrana.contributions.models import RegionalMinimumWage
from paritrana.contributions.services.status import set_minimum_wage
from tests.award.awardkit import AwardWorld

pytestmark = pytest.mark.django_db


def one(sql: str, params: list[Any]) -> Any:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        found = cur.fetchone()
    value = found[0] if found else None  # no row: nothing recorded
    # PostgreSQL sums integers as numeric: whole rupiah and counts compared as integers
    return int(value) if isinstance(value, Decimal) else value


# active in a month, in plain SQL: lines on contribution bills of the month add up to more than zero, and no
# bill carrying them is unpaid
ACTIVE = """
    (SELECT COALESCE(SUM(l.amount), 0) FROM contributions_billline l JOIN contributions_bill b ON b.id = l.bill_id
      WHERE l.worker_id = w.id AND b.kind = 'contribution' AND b.period = %s) > 0
    AND NOT EXISTS (SELECT 1 FROM contributions_billline l JOIN contributions_bill b ON b.id = l.bill_id
      WHERE l.worker_id = w.id AND b.kind = 'contribution' AND b.period = %s AND b.paid < b.amount)
"""


def active_in(code: str, month: dt.date, extra: str = "") -> int:
    sql = f"""SELECT COUNT(*) FROM registry_worker w JOIN registry_region r ON r.id = w.region_id
              WHERE (r.code = %s OR r.code LIKE %s) AND {ACTIVE} {extra}"""
    return int(one(sql, [code, code + ".%", month, month]))


def test_region_and_company_indicators_equal_plain_sql(world: AwardWorld, tmp_path: Path) -> None:
    # a UMK for the regency of one company, above part of its workers' wages: that company is measured against
    # it, the other (no UMK recorded where it is) against its province's UMP
    umk_regency = world.employer33.region.code[:5]
    wages = sorted(world.employer33.workers.values_list("wage", flat=True))
    set_minimum_wage(None, umk_regency, dt.date(world.year - 1, 1, 1), wages[len(wages) // 2], "test UMK decree")
    assert not RegionalMinimumWage.objects.filter(region__code=world.employer35.region.code[:5]).exists()
    folder = tmp_path / "snap"
    sha = snapshot.write(folder)
    t = snapshot.open_tables(folder, expected=sha)
    months = snapshot.billed_months(t, world.year)
    first, last = months[0], months[-1]
    assert last == world.months[-1]
    computed = indicators.compute(t, world.year, months, world.today)
    provinces = {r["code"]: r for r in computed["province"].to_pylist()}
    regencies = {r["code"]: r for r in computed["regency"].to_pylist()}
    assert len(provinces) == 38 and len(regencies) == 514
    checked = 0
    for code in ("33", "35", "31", "33.74", "33.01"):
        row = provinces.get(code) or regencies[code]
        assert row["active_last"] == active_in(code, last)
        assert row["active_first"] == active_in(code, first)
        assert row["pu_active"] == active_in(code, last, "AND w.scheme = 'PU'")
        assert row["bpu_active"] == active_in(code, last, "AND w.scheme = 'BPU'")
        employed = one(
            "SELECT MAX(f.employed) FROM coverage_workforcefigure f JOIN registry_region r ON r.id = f.region_id "
            "WHERE r.code = %s AND f.year = %s", [code, world.year])  # fmt: skip
        assert row["employed"] == employed
        if employed:
            assert row["active_rate"] == pytest.approx(active_in(code, last) / employed)
        checked += row["active_last"]
        any_month = " OR ".join(f"({ACTIVE})" for _ in months)
        sponsored = one(
            f"""SELECT COUNT(*) FROM registry_worker w JOIN registry_sponsor s ON s.id = w.sponsor_id
                JOIN registry_region r ON r.id = s.region_id
                WHERE s.kind = 'regional_programme' AND r.code = %s AND ({any_month})""",
            [code, *[m for m in months for _ in (1, 2)]],
        )
        assert row["vulnerable_protected"] == sponsored
        budget = one(
            "SELECT SUM(p.budget_amount) FROM programmes_programme p JOIN registry_region r ON r.id = p.region_id "
            "WHERE r.code = %s AND p.budget_year = %s", [code, world.year])  # fmt: skip
        realised = one(
            """SELECT COALESCE(SUM(b.paid), 0) FROM programmes_programme p JOIN registry_region r ON r.id = p.region_id
               JOIN contributions_payer y ON y.sponsor_id = p.sponsor_id JOIN contributions_bill b ON b.payer_id = y.id
               WHERE r.code = %s AND p.budget_year = %s AND b.period >= %s AND b.period <= %s""",
            [code, world.year, dt.date(world.year, 1, 1), dt.date(world.year, 12, 31)])  # fmt: skip
        assert row["budget"] == budget
        assert row["realised"] == realised
        if budget:
            assert row["budget_realised"] == pytest.approx(realised / budget)
    assert checked > 0
    assert regencies["33.74"]["vulnerable_protected"] > 0 and regencies["33.74"]["budget"] > 0

    companies = {r["employer_id"]: r for r in computed["company"].to_pylist()}
    for employer in (world.employer33, world.employer35):
        row = companies[employer.pk]
        workers = one("SELECT COUNT(*) FROM registry_worker WHERE employer_id = %s", [employer.pk])
        assert row["workers"] == workers and workers > 0
        four = " ".join(
            f"""AND (SELECT COALESCE(SUM(l.amount), 0) FROM contributions_billline l JOIN contributions_bill b
                ON b.id = l.bill_id WHERE l.worker_id = w.id AND b.kind = 'contribution' AND b.period = %s
                AND l.programme = '{p}') > 0"""
            for p in indicators.FOUR
        )
        all_four = one(
            f"SELECT COUNT(*) FROM registry_worker w WHERE w.employer_id = %s AND {ACTIVE} {four}",
            [employer.pk, last, last, *[last] * 4],
        )
        assert row["four_programmes_share"] == pytest.approx(all_four / workers)
        in_force = """SELECT m.amount FROM contributions_regionalminimumwage m JOIN registry_region r
                      ON r.id = m.region_id WHERE r.code = %s AND m.valid_from <= %s
                      ORDER BY m.valid_from DESC LIMIT 1"""
        umk = one(in_force, [employer.region.code[:5], last])
        ump = one(in_force, [employer.region.code[:2], last])
        assert (umk is not None) == (employer == world.employer33)
        minimum = umk if umk is not None else ump
        at = "SELECT COUNT(*) FROM registry_worker WHERE employer_id = %s AND wage >= %s"
        at_min = one(at, [employer.pk, minimum])
        assert row["wage_at_minimum_share"] == pytest.approx(at_min / workers)
        if umk is not None:  # the UMK made a difference: against the UMP the share would be another
            assert one(at, [employer.pk, ump]) != at_min
        bills = """FROM contributions_bill b JOIN contributions_payer y ON y.id = b.payer_id
                   WHERE y.employer_id = %s AND b.period >= %s AND b.period <= %s"""
        span = [employer.pk, dt.date(world.year, 1, 1), dt.date(world.year, 12, 31)]
        n = one(f"SELECT COUNT(*) {bills} AND b.kind = 'contribution'", span)
        on_time = one(f"SELECT COUNT(*) {bills} AND b.kind = 'contribution' AND b.paid_at <= b.due_date", span)
        assert row["bills_on_time_share"] == pytest.approx(on_time / n)
        arrears = one(f"SELECT COALESCE(SUM(b.amount - b.paid), 0) {bills} AND b.due_date <= %s", [*span, world.today])
        assert row["arrears"] == arrears
        unreported = one(
            """SELECT COUNT(*) FROM registry_worker w WHERE w.employer_id = %s AND NOT EXISTS (
                 SELECT 1 FROM contributions_billline l JOIN contributions_bill b ON b.id = l.bill_id
                 WHERE l.worker_id = w.id AND b.kind = 'contribution' AND b.period = %s)""", [employer.pk, last])  # fmt: skip
        assert row["unreported_workers"] == unreported
