"""Targets as dated parameters, the workers to add per month, the demo's denominators, and that computing
coverage never commits the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction

from paritrana.coverage.demo import NATIONAL_REGISTERED, OFFICIAL, apportion, demo_estimates
from paritrana.coverage.models import FigureKind, WorkforceFigure
from paritrana.coverage.services import dashboard, targets
from paritrana.registry.models import Region


def test_the_next_target_is_the_next_milestone_of_the_plans_in_force() -> None:
    october = targets.next_target(dt.date(2026, 10, 1))
    assert october is not None
    assert (october.year, october.rate, october.months_left) == (2026, Decimal("0.3499"), 2)
    assert october.uncertain and "RKP 2026" in october.reference
    # 2025: the RPJMN's own first year
    assert targets.next_target(dt.date(2025, 3, 1)).rate == Decimal("0.3215")  # type: ignore[union-attr]
    # 2027 and 2028 have no figure: the next milestone is 2029's, 35 months after January 2027
    january = targets.next_target(dt.date(2027, 1, 1))
    assert january is not None and (january.year, january.rate, january.months_left) == (2029, Decimal("0.4392"), 35)
    assert targets.next_target(dt.date(2030, 1, 1)).rate == Decimal("0.995")  # type: ignore[union-attr]
    assert targets.next_target(dt.date(2024, 12, 1)) is None  # before any plan
    agency = targets.agency_target(dt.date(2026, 1, 1))
    assert agency is not None and agency[:2] == (2026, 70_000_000) and "BPJS" in agency[2]
    assert targets.agency_target(dt.date(2027, 1, 1)) is None


def test_workers_to_add_per_month() -> None:
    target = targets.Target(2026, Decimal("0.3499"), "ref", False, None, months_left=2)
    # ⌈0.3499 × 1,000⌉ = 350 needed, 300 active: 50 in 2 months = 25 a month
    assert targets.workers_per_month(target, 1000, 300) == 25
    assert targets.workers_per_month(target, 1000, 299) == 26  # 51 in 2 months, rounded up
    assert targets.workers_per_month(target, 1000, 350) == 0
    assert targets.workers_per_month(target, None, 10) is None
    december = targets.Target(2026, Decimal("0.3499"), "ref", False, None, months_left=0)
    assert targets.workers_per_month(december, 1000, 300) == 50  # the last month: all of it now


def test_the_map_bands() -> None:
    assert dashboard.band_of(None) == "none"
    assert [dashboard.band_of(r) for r in (0.0, 0.099, 0.1, 0.35, 0.5, 0.99, 1.0, 1.54)] == [
        "b0", "b0", "b10", "b30", "b50", "b50", "b100", "b100",
    ]  # fmt: skip


def test_apportion_adds_up_and_follows_the_weights() -> None:
    parts = apportion(100, {"a": 1, "b": 1, "c": 1})
    assert sum(parts.values()) == 100 and sorted(parts.values()) == [33, 33, 34]
    assert apportion(10, {"a": 3, "b": 1}) == {"a": 8, "b": 2}  # 7.5 and 2.5: the tie goes to the first code
    assert apportion(5, {"a": 0}) == {"a": 0}


def test_demo_estimates_scale_the_official_figures_and_spread_the_rest() -> None:
    workers = Counter({"33.74": 30, "33.01": 10, "35.78": 40, "35.01": 20})
    out = demo_estimates(workers, registry_size=100)
    national = OFFICIAL["ID"][0] * 100 // NATIONAL_REGISTERED
    assert out["ID"][0] == national == 228
    assert out["33"][0] == OFFICIAL["33"][0] * 100 // NATIONAL_REGISTERED  # official province, scaled
    provinces = {code: v for code, v in out.items() if len(code) == 2 and code != "ID"}
    assert sum(v[0] for v in provinces.values()) == national
    assert set(provinces) == {"16", "32", "33", "51", "35"}  # no demo worker in other provinces: no figure
    assert out["33.74"][0] + out["33.01"][0] == out["33"][0]
    assert out["35.78"][0] == 2 * out["35.01"][0]
    assert all(v[1].startswith("demo estimate") for v in out.values())
    assert "BPS Jateng BRS 69/11/33" in out["33"][1] and "BRS 77/11/Th.XXVI" in out["ID"][1]  # the official source


@pytest.mark.django_db
def test_computing_coverage_leaves_the_callers_connection_as_it_was() -> None:
    Region.objects.create(code="33", name="Jawa Tengah", level="province")
    with transaction.atomic():
        WorkforceFigure.objects.create(region=None, year=2026, employed=10, kind=FigureKind.ESTIMATE, source="x")
        board = dashboard.dashboard(None, month=dt.date(2026, 10, 1))
        assert board.total.employed == 10 and board.total.active == 0 and board.total.rate == 0
        # and the application's case-insensitive searches still are (Ibis sets LIKE case-sensitive on SQLite)
        assert Region.objects.filter(name__icontains="jawa TENGAH").exists()
        transaction.set_rollback(True)
    assert not WorkforceFigure.objects.exists()
