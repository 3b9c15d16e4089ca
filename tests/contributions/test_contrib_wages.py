"""Wage reports (services/wages.py): one worker's wage, corrections with history, the bills that follow,
and every refusal (role, scope, scheme, month, amount).

The world is tests/platform/world.py made billable (tests/contributions/conftest.py): W33PU is a wage earner
of E33 (HR ``hr``), W35 of E35; W33BPU and W33CITY are non-wage earners; memberships from 2024-01-01.
Expected contributions are computed by the rules engine for the same inputs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from paritrana.contributions.models import Bill, BillingRun, BillLine, WageReport
from paritrana.contributions.periods import next_month
from paritrana.contributions.services import wages
from paritrana.contributions.services.wage_checks import first_month_of_law
from paritrana.contributions.services.wages import report_wage
from paritrana.contributions.wagefile import Msg
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Membership
from paritrana.rules import compute_one
from paritrana.rules.errors import ParameterNotInForce
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages are asserted in English (a use case outside a request speaks the default, Bahasa Indonesia)."""
    with translation.override("en"):
        yield


def pu_lines(wage: int, risk_group: int, on: dt.date = MARCH) -> dict[str, int]:
    """The amount per programme of a PU worker in JKK, JKM, JHT, JP and JKP, from the rule."""
    o = compute_one(
        "pu_contributions", on, {"wage": wage, "risk_group": risk_group, "in_jp": True, "in_jkp": True}
    ).outputs
    return {"JKK": o["jkk"], "JKM": o["jkm"], "JHT": o["jht_employer"] + o["jht_worker"], "JP": o["jp_employer"] + o["jp_worker"]}  # fmt: skip


def billed_for(worker_id: int, period: dt.date = MARCH) -> dict[str, int]:
    sums: dict[str, int] = {}
    for line in BillLine.objects.filter(worker_id=worker_id, bill__period=period, bill__kind=Bill.Kind.CONTRIBUTION):
        sums[line.programme] = sums.get(line.programme, 0) + line.amount
    return sums


def test_hr_reports_a_wage_and_the_bill_follows(world: World) -> None:
    w = world.workers["W33PU"]
    report = report_wage(world.users["hr"], w.pk, "2025-03", "3.750.000")
    assert (report.worker_id, report.employer_id, report.period, report.wage) == (
        w.pk,
        world.employers["E33"].pk,
        MARCH,
        3_750_000,
    )
    assert report.reported_by == world.users["hr"]
    assert WageReport.objects.count() == 1
    # the employer's bill of March is computed at once, on the reported wage
    assert billed_for(w.pk) == pu_lines(3_750_000, world.employers["E33"].risk_group)
    assert set(BillLine.objects.filter(worker=w).values_list("wage", flat=True)) == {3_750_000}
    run = BillingRun.objects.get()
    assert run.period == MARCH and run.started_by == world.users["hr"]
    # only E33's wage earners were billed
    assert not BillLine.objects.exclude(worker=w).exists()


def test_a_correction_updates_the_report_keeps_history_and_adjusts_the_bill(world: World) -> None:
    w = world.workers["W33PU"]
    risk = world.employers["E33"].risk_group
    first = report_wage(world.users["hr"], w.pk, MARCH, 3_000_000)
    second = report_wage(world.users["branch"], w.pk, "2025-03", 3_600_000)
    assert second.pk == first.pk
    assert WageReport.objects.get().wage == 3_600_000
    history = list(WageReport.history.filter(id=first.pk).order_by("history_date").values_list("wage", "history_user"))
    assert history == [(3_000_000, world.users["hr"].pk), (3_600_000, world.users["branch"].pk)]
    # an adjustment line of the difference per programme; the bill adds up to the new wage's contributions
    new, old = pu_lines(3_600_000, risk), pu_lines(3_000_000, risk)
    assert billed_for(w.pk) == new
    adjustments = {
        line.programme: line.amount for line in BillLine.objects.filter(worker=w, kind=BillLine.Kind.ADJUSTMENT)
    }
    assert adjustments == {p: new[p] - old[p] for p in new}
    # the branch officer's report is billed as the system (run_billing takes administrators and HR)
    assert BillingRun.objects.order_by("id").last().started_by is None  # type: ignore[union-attr]


def test_the_same_wage_again_changes_nothing(world: World) -> None:
    w = world.workers["W33PU"]
    report_wage(world.users["hr"], w.pk, MARCH, 3_000_000)
    report_wage(world.users["hr"], w.pk, MARCH, "3,000,000")
    assert WageReport.history.count() == 1
    assert BillingRun.objects.count() == 1


def test_admin_and_branch_officer_report_in_scope(world: World) -> None:
    w = world.workers
    assert report_wage(world.users["admin"], w["W35"].pk, MARCH, 5_000_000).employer == world.employers["E35"]
    assert report_wage(world.users["branch"], w["W33PU"].pk, MARCH, 3_100_000).wage == 3_100_000
    with pytest.raises(NotFound):  # E35 is another branch's
        report_wage(world.users["branch"], w["W35"].pk, MARCH, 1)


@pytest.mark.parametrize(
    ("role", "worker", "error"),
    [
        ("hr", "W35", NotFound),  # another employer's worker
        ("worker", "W33PU", NotFound),
        ("worker", "W33BPU", NotAllowed),  # itself: seen, not reported
        ("heir", "W33PU", NotAllowed),  # the heir sees the worker, reports nothing
        ("assessor", "W33PU", NotFound),
        ("city", "W33PU", NotAllowed),  # a regional officer sees the region's workers, reports no wage
        ("province", "W33PU", NotAllowed),
        ("province", "W35", NotFound),
        (None, "W33PU", NotFound),
    ],
)
def test_refused_by_role_and_scope(world: World, role: str | None, worker: str, error: type[Exception]) -> None:
    user = world.users[role] if role else None
    with pytest.raises(error):
        report_wage(user, world.workers[worker].pk, MARCH, 3_000_000)
    assert not WageReport.objects.exists()


def test_unknown_worker_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        report_wage(world.users["admin"], 10**9, MARCH, 1)


def refusal(world: World, worker: str, period: Any, wage: Any, **kw: Any) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as err:
        report_wage(world.users["admin"], world.workers[worker].pk, period, wage, **kw)
    assert not WageReport.objects.exists()
    assert not BillingRun.objects.exists()
    return err.value


def test_a_non_wage_earner_is_refused(world: World) -> None:
    err = refusal(world, "W33BPU", MARCH, 1_000_000)
    assert err.field == "worker" and "non-wage earner (BPU)" in err.reason


def test_the_employer_reported_for_must_be_the_workers(world: World) -> None:
    err = refusal(world, "W35", MARCH, 1, employer_id=world.employers["E33"].pk)
    assert err.field == "worker"
    assert (
        err.reason
        == f"the worker with NIK {world.workers['W35'].nik} is a wage earner of PT Surabaya, not of PT Semarang"
    )


@pytest.mark.parametrize(
    ("wage", "words"),
    [
        (-1, "is negative"),
        ("-3.500.000", "is negative"),
        ("3.500.000,50", "has decimals"),
        ("abc", "not a whole number"),
    ],
)
def test_bad_wages(world: World, wage: Any, words: str) -> None:
    err = refusal(world, "W33PU", MARCH, wage)
    assert err.field == "wage" and words in err.reason


def test_a_month_before_the_membership(world: World) -> None:
    err = refusal(world, "W33PU", "2023-12", 3_000_000)
    assert err.field == "period"
    assert err.reason == "December 2023 is before the worker's membership began (1 January 2024)"


def test_a_month_before_the_law(world: World) -> None:
    w = world.workers["W33PU"]
    Membership.objects.filter(worker=w).update(start=dt.date(2010, 1, 1))
    law = first_month_of_law()
    # the first month is the rules' answer: pu_contributions computes from it and not the month before
    compute_one("pu_contributions", law, {"wage": 1, "risk_group": 1})
    before = dt.date(law.year - (law.month == 1), (law.month - 2) % 12 + 1, 1)
    with pytest.raises(ParameterNotInForce):
        compute_one("pu_contributions", before, {"wage": 1, "risk_group": 1})
    err = refusal(world, "W33PU", before, 3_000_000)
    assert err.field == "period" and "before contributions were due" in err.reason
    assert report_wage(world.users["admin"], w.pk, law, 3_000_000).period == law


def test_months_ahead(world: World) -> None:
    w = world.workers["W33PU"]
    upcoming = next_month(this_month())
    too_far = next_month(upcoming)
    err = refusal(world, "W33PU", too_far, 3_000_000)
    assert err.field == "period" and "more than one month ahead" in err.reason
    # next month is accepted, and billed only when the month has begun
    report = report_wage(world.users["hr"], w.pk, upcoming, 3_000_000)
    assert report.period == upcoming
    assert not BillingRun.objects.exists() and not Bill.objects.exists()
    # the current month is billed at once
    report_wage(world.users["hr"], w.pk, this_month(), 3_000_000)
    assert list(BillingRun.objects.values_list("period", flat=True)) == [this_month()]


@pytest.mark.parametrize("period", ["2025-13", "March 2025", dt.date(2025, 3, 2), ""])
def test_bad_months(world: World, period: Any) -> None:
    assert refusal(world, "W33PU", period, 1).field == "period"


def test_reading_in_scope(world: World) -> None:
    e33, e35 = world.employers["E33"].pk, world.employers["E35"].pk
    report_wage(world.users["admin"], world.workers["W33PU"].pk, MARCH, 3_000_000)
    report_wage(world.users["admin"], world.workers["W35"].pk, MARCH, 5_000_000)
    assert [r.worker_id for r in wages.wage_reports(world.users["hr"], e33)] == [world.workers["W33PU"].pk]
    assert wages.wage_reports(world.users["hr"], e33, dt.date(2025, 4, 1)).count() == 0
    with pytest.raises(NotFound):
        wages.wage_reports(world.users["hr"], e35)
    with pytest.raises(NotAllowed):
        wages.wage_reports(world.users["city"], e33)
    for role in ("worker", "heir", "assessor"):
        with pytest.raises(NotFound):
            wages.wage_reports(world.users[role], e33)
    assert [n for n, _ in wages.template_rows(world.users["hr"], e33)] == [world.workers["W33PU"].nik]
    found = wages.find_worker(world.users["hr"], e33, world.workers["W33PU"].nik)
    assert found == world.workers["W33PU"]
    with pytest.raises(ValidationFailed) as err:
        wages.find_worker(world.users["hr"], e33, world.workers["W35"].nik)
    assert err.value.field == "nik" and "no worker with NIK" in err.value.reason


def test_messages_are_in_the_active_language(world: World) -> None:
    with translation.override("id"):
        indonesian = refusal(world, "W33PU", MARCH, -5)
    english = refusal(world, "W33PU", MARCH, -5)
    assert indonesian.field == english.field == "wage"
    assert english.reason == "the wage -5 is negative; it must be 0 or more"
    with translation.override("id"):
        assert indonesian.reason == gettext(Msg.WAGE_NEGATIVE).format(value="-5")
