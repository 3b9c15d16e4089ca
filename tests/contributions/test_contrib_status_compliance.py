"""An employer's compliance (services/status.py): the share of its wage earners paid up, and the indicators of
partial registration (reference coverage-and-award.md §6 rows 396–399): PDS upah, a wage below the regional
minimum wage in force; PDS program, a programme missing that the employer must give (JKK, JKM, JHT always;
JP for medium and large employers, reference contributions.md §2). Minimum wages: who sets them, which applies.

The minimum wages here are test values (the decree strings say so), not a governor's decree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest
from django.utils import translation

from paritrana.contributions.models import Bill, RegionalMinimumWage, WageReport
from paritrana.contributions.services.billing import run_billing
from paritrana.contributions.services.payments import record_payment
from paritrana.contributions.services.status import employer_compliance, minimum_wage_for, set_minimum_wage
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Employer, Membership, Worker
from paritrana.rules import load_parameters
from tests.platform.world import World, worker

MARCH = dt.date(2025, 3, 1)
JOINED = dt.date(2024, 1, 1)
DECREE = "test value, not a decree"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages checked here are the English source strings (the default language is Bahasa Indonesia)."""
    with translation.override("en"):
        yield


def hire(
    world: World, key: str, serial: int, programmes: tuple[str, ...], *, wage: int = 3_000_000, **kw: Any
) -> Worker:
    """A wage earner of E33 with memberships from 2024 (or as ``start`` / ``end`` say)."""
    start, end = kw.pop("start", JOINED), kw.pop("end", None)
    birth = kw.pop("birth", dt.date(1990, 5, 17))
    obj = worker(key, "33.74.01", "M", birth, serial, occupation="employee", **kw)
    obj.region, obj.scheme, obj.employer, obj.wage = world.regions["33.74"], "PU", world.employers["E33"], wage
    obj.save()
    for programme in programmes:
        Membership.objects.create(worker=obj, programme=programme, start=start, end=end)
    return obj


ALL = ("JKK", "JKM", "JHT", "JP")


def test_share_paid_up_and_the_signs_of_partial_registration(world: World) -> None:
    set_minimum_wage(world.users["admin"], "33", dt.date(2025, 1, 1), 2_100_000, DECREE)
    set_minimum_wage(world.users["admin"], "33.74", dt.date(2025, 1, 1), 2_500_000, DECREE)
    low = hire(world, "LOW", 11, ALL, wage=2_000_000)
    no_jp = hire(world, "NOJP", 12, ("JKK", "JKM", "JHT"))
    # at or past the JP pension age in force in March 2025 (parameter jp.pension_age): JP is not expected
    pension_age = load_parameters()["jp.pension_age"].at(MARCH).value
    old = hire(world, "OLD", 13, ("JKK", "JKM", "JHT"), birth=dt.date(2025 - pension_age - 1, 1, 1))
    hire(world, "GONE", 14, ALL, end=dt.date(2025, 1, 31))  # no membership in force in March: not counted
    run_billing(MARCH)
    bill = Bill.objects.get(payer__employer=world.employers["E33"], period=MARCH)
    record_payment(None, bill.payer_id, bill.amount, dt.date(2025, 4, 10), "MARCH")
    hire(world, "LATE", 15, ALL, start=MARCH)  # registered after the month was billed: counted, not paid up

    c = employer_compliance(world.users["hr"], world.employers["E33"].pk, MARCH)
    assert (c.workers, c.paid_up) == (5, 4)  # W33PU, LOW, NOJP, OLD paid; LATE not billed
    assert c.share == Fraction(4, 5) and c.share_per_mille == 800
    assert c.required_programmes == ("JKK", "JKM", "JHT", "JP")  # E33 is a medium employer
    assert c.minimum_wage is not None and c.minimum_wage.amount == 2_500_000  # the city's, not the province's
    assert (c.below_minimum_wage, c.missing_programme) == (1, 1)
    flagged = {f.worker.pk: f for f in c.flagged}
    assert set(flagged) == {low.pk, no_jp.pk}
    assert old.pk not in flagged
    assert flagged[low.pk].below_minimum_wage and flagged[low.pk].wage == 2_000_000
    assert flagged[low.pk].missing_programmes == ()
    assert "Rp 2.000.000" in flagged[low.pk].reasons[0] and "Rp 2.500.000" in flagged[low.pk].reasons[0]
    assert flagged[no_jp.pk].missing_programmes == ("JP",) and not flagged[no_jp.pk].below_minimum_wage
    assert flagged[no_jp.pk].reasons == ("not in JP",)


def test_a_small_employer_need_not_give_jp(world: World) -> None:
    Employer.objects.filter(pk=world.employers["E33"].pk).update(size_class="small")
    no_jp = hire(world, "NOJP", 12, ("JKK", "JKM", "JHT"))
    no_jkm = hire(world, "NOJKM", 13, ("JKK", "JHT"))
    c = employer_compliance(world.users["admin"], world.employers["E33"].pk, MARCH)
    assert c.required_programmes == ("JKK", "JKM", "JHT")
    assert [(f.worker.pk, f.missing_programmes) for f in c.flagged] == [(no_jkm.pk, ("JKM",))]
    assert no_jp.pk not in {f.worker.pk for f in c.flagged}
    # nothing billed yet: nobody paid up, no minimum wage recorded, no wage flag
    assert c.paid_up == 0 and c.share == 0 and c.minimum_wage is None and c.below_minimum_wage == 0


def test_the_wage_is_the_one_billing_takes(world: World) -> None:
    w, e33 = world.workers["W33PU"], world.employers["E33"]  # registered with a wage of 3,000,000
    set_minimum_wage(world.users["admin"], "33.74", dt.date(2024, 1, 1), 2_900_000, DECREE)

    def flagged_wage() -> int | None:
        c = employer_compliance(world.users["admin"], e33.pk, MARCH)
        return next((f.wage for f in c.flagged if f.worker.pk == w.pk and f.below_minimum_wage), None)

    assert flagged_wage() is None  # the registration wage, above the minimum
    WageReport.objects.create(worker=w, employer=e33, period=dt.date(2025, 2, 1), wage=2_800_000)
    assert flagged_wage() == 2_800_000  # the latest report before the month
    WageReport.objects.create(worker=w, employer=e33, period=dt.date(2025, 4, 1), wage=1_000_000)
    assert flagged_wage() == 2_800_000  # a later month's report does not count
    WageReport.objects.create(worker=w, employer=e33, period=MARCH, wage=3_100_000)
    assert flagged_wage() is None  # the month's own report


def test_an_employer_without_wage_earners_has_no_share(world: World) -> None:
    c = employer_compliance(world.users["admin"], world.employers["E33B"].pk, MARCH)
    assert (c.workers, c.paid_up, c.share, c.share_per_mille, c.flagged) == (0, 0, None, None, [])


# who may see an employer's compliance: accounts.scopes.visible_employers
SEES = {
    "E33": {"admin", "branch", "province", "city", "hr"},
    "E33B": {"admin", "branch", "province"},
    "E35": {"admin"},
}


@pytest.mark.parametrize("key", sorted(SEES))
def test_compliance_only_in_scope(world: World, key: str) -> None:
    for role in ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor"):
        if role in SEES[key]:
            assert employer_compliance(world.users[role], world.employers[key].pk, MARCH).employer.pk == (
                world.employers[key].pk
            )
        else:
            with pytest.raises(NotFound):
                employer_compliance(world.users[role], world.employers[key].pk, MARCH)


def test_compliance_asks_for_a_month(world: World) -> None:
    with pytest.raises(ValidationFailed) as err:
        employer_compliance(world.users["admin"], world.employers["E33"].pk, dt.date(2025, 3, 15))
    assert err.value.field == "period"


# --- minimum wages ---------------------------------------------------------------------------


def test_which_minimum_wage_applies(world: World) -> None:
    r = world.regions
    admin = world.users["admin"]
    set_minimum_wage(admin, "33", dt.date(2024, 1, 1), 2_000_000, DECREE)
    set_minimum_wage(admin, "33", dt.date(2025, 1, 1), 2_100_000, DECREE)
    set_minimum_wage(admin, "33.74", dt.date(2025, 1, 1), 3_200_000, DECREE)

    def amount(code: str, on: dt.date) -> int | None:
        found = minimum_wage_for(r[code], on)
        return found.amount if found else None

    assert amount("33.74", dt.date(2025, 3, 1)) == 3_200_000  # the city's
    assert amount("33.74.01", dt.date(2025, 3, 1)) == 3_200_000  # a district: its city's
    assert amount("33.74", dt.date(2024, 6, 1)) == 2_000_000  # the city's not yet in force: the province's
    assert amount("33.01.01", dt.date(2025, 3, 1)) == 2_100_000  # no regency wage: the province's latest
    assert amount("33", dt.date(2025, 3, 1)) == 2_100_000
    assert amount("33", dt.date(2023, 12, 31)) is None  # before any
    assert amount("35.78", dt.date(2025, 3, 1)) is None  # none recorded for Jawa Timur


@pytest.mark.parametrize("role", ["branch", "province", "city", "hr", "worker", "heir", "assessor"])
def test_only_an_administrator_sets_a_minimum_wage(world: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        set_minimum_wage(world.users[role], "33", dt.date(2025, 1, 1), 2_100_000, DECREE)
    assert not RegionalMinimumWage.objects.exists()


@pytest.mark.parametrize(
    ("code", "valid_from", "amount", "reference", "field"),
    [
        ("33.74.01", dt.date(2025, 1, 1), 2_100_000, DECREE, "region"),  # a district
        ("99", dt.date(2025, 1, 1), 2_100_000, DECREE, "region"),
        ("", dt.date(2025, 1, 1), 2_100_000, DECREE, "region"),
        ("33", "2025-01-01", 2_100_000, DECREE, "valid_from"),
        ("33", dt.date(2025, 1, 1), 0, DECREE, "amount"),
        ("33", dt.date(2025, 1, 1), 2_100_000.5, DECREE, "amount"),
        ("33", dt.date(2025, 1, 1), 2_100_000, "  ", "reference"),
        ("33", dt.date(2025, 1, 1), 2_100_000, "x" * 201, "reference"),
    ],
)
def test_a_bad_minimum_wage_names_the_field(
    world: World, code: str, valid_from: Any, amount: Any, reference: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as err:
        set_minimum_wage(world.users["admin"], code, valid_from, amount, reference)
    assert err.value.field == field
    assert not RegionalMinimumWage.objects.exists()


def test_setting_the_same_region_and_date_again_corrects_it(world: World) -> None:
    admin = world.users["admin"]
    first = set_minimum_wage(admin, "33.74", dt.date(2025, 1, 1), 3_100_000, DECREE)
    again = set_minimum_wage(admin, "33.74", dt.date(2025, 1, 1), 3_200_000, "corrected " + DECREE)
    assert again.pk == first.pk and RegionalMinimumWage.objects.count() == 1
    assert (again.amount, again.reference) == (3_200_000, "corrected " + DECREE)
    assert [h.amount for h in again.history.order_by("history_date")] == [3_100_000, 3_200_000]


def test_required_programmes_come_from_the_parameter_by_size_class() -> None:
    """Perpres 109/2013 art 6 (contributions.md §2): micro and small at least JKK, JKM, JHT; medium and large JP too."""
    from paritrana.contributions.services.status import required_programmes

    on = dt.date(2026, 1, 1)
    assert required_programmes("micro", on) == required_programmes("small", on) == ("JKK", "JKM", "JHT")
    assert required_programmes("medium", on) == required_programmes("large", on) == ("JKK", "JKM", "JHT", "JP")
    assert required_programmes("large", dt.date(2015, 6, 30)) == ()  # before JP began, no value in force
