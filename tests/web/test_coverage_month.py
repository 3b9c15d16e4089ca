"""Coverage opens on the last complete month (every bill of it past its due date) and says which; a later
month asked for says that its contributions are not all due yet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from paritrana.contributions.models import Bill
from paritrana.contributions.services.billing import due_dates, run_billing
from paritrana.coverage.services import dashboard
from tests.platform.world import World, build_world, enrol_for_contributions

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)


def last_due(month: dt.date) -> dt.date:
    return max(due_dates(month).values())


@pytest.fixture
def world(db: None) -> World:
    w = enrol_for_contributions(build_world())
    for month in (JAN, FEB, MAR):
        run_billing(month)
    return w


def test_the_last_complete_month_is_the_latest_whose_bills_are_all_due(world: World) -> None:
    assert dashboard.last_complete_month(last_due(FEB) + dt.timedelta(days=1)) == FEB
    assert dashboard.last_complete_month(last_due(FEB)) == JAN  # due today: not yet past
    assert dashboard.last_complete_month(last_due(MAR) + dt.timedelta(days=1)) == MAR
    assert dashboard.last_complete_month(last_due(JAN)) is None
    assert last_due(FEB) > FEB  # a month's bills fall due after it
    # one bill of February given a later due date keeps February incomplete until then
    late = Bill.objects.filter(kind=Bill.Kind.CONTRIBUTION, period=FEB).order_by("id").first()
    assert late is not None
    Bill.objects.filter(pk=late.pk).update(due_date=last_due(FEB) + dt.timedelta(days=10))
    assert dashboard.last_complete_month(last_due(FEB) + dt.timedelta(days=1)) == JAN
    assert dashboard.last_complete_month(last_due(FEB) + dt.timedelta(days=11)) == FEB


def test_no_month_is_complete_before_any_bill(db: None) -> None:
    assert dashboard.last_complete_month(MAR) is None


def test_the_dashboard_opens_on_the_last_complete_month_and_says_so(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = last_due(FEB) + dt.timedelta(days=1)  # February complete, March's bills not all due yet
    monkeypatch.setattr(dashboard.timezone, "localdate", lambda: today)
    board = dashboard.dashboard(None)
    assert board.month == FEB and board.complete_month == FEB and board.months[-1] == MAR
    bands = [k for k, _a, _r in board.breakdowns["age_band"]]
    assert bands == sorted(bands, key=dashboard.AGE_ORDER.__getitem__)
    client = Client()
    client.force_login(world.users["admin"])
    html = client.get("/coverage/").content.decode()
    assert '<option value="2025-02" selected>' in html
    assert "Menampilkan Februari 2025, bulan terakhir" in html
    later = client.get("/coverage/", {"month": "2025-03"}).content.decode()
    assert "Iuran Maret 2025 belum semuanya jatuh tempo" in later and "Februari 2025" in later


def test_age_bands_read_youngest_first_and_other_breakdowns_largest_first() -> None:
    cells = {"65+": [5, 9], "25-34": [1, 2], "<15": [0, 1], "15-24": [7, 8], "55-64": [3, 3]}
    assert [k for k, _a, _r in dashboard._in_order("age_band", cells)] == ["<15", "15-24", "25-34", "55-64", "65+"]
    assert [k for k, _a, _r in dashboard._in_order("sex", {"F": [2, 3], "M": [5, 6]})] == ["M", "F"]
