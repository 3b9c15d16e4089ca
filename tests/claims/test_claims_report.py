"""The claims report against an independent count: plain SQL grouped by branch, type and status, the payments
summed in SQL, the medians of the service days taken in the test (statistics.median); and who may read it."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from paritrana.accounts.models import Role
from paritrana.claims.models import Claim
from paritrana.claims.services import claims as svc
from paritrana.claims.services.report import STATUSES, claims_report, median
from paritrana.core.errors import NotAllowed, ValidationFailed
from tests.claims.claimkit import documents_for
from tests.claims.factkit import user

WINDOW = 30  # days back from today that the report is asked for


def file(world: Any, role: str, claim_type: str, worker: str, days_ago: int, **inputs: Any) -> Claim:
    """A claim filed by ``role``, received ``days_ago`` days ago (an officer's paper claim), for ``worker``."""
    today = timezone.localdate()
    received = today - dt.timedelta(days=days_ago)
    given: dict[str, Any] = {"event_date": (received - dt.timedelta(days=3)).isoformat(), **inputs}
    kwargs: dict[str, Any] = {}
    if role in ("admin", "branch"):
        kwargs = {"worker_id": world.workers[worker].pk, "received_on": received}
    return svc.submit(world.users[role], claim_type, given, documents_for(claim_type), bank_account="BRI 7", **kwargs)


def medical(world: Any, role: str, worker: str, days_ago: int, claimed: int) -> Claim:
    return file(world, role, "jkk_medical", worker, days_ago, kind="land", claimed=claimed)


def pay(world: Any, officer: str, claim: Claim) -> None:
    """Verified by ``officer``, approved and paid by another who sees the claim (never the verifier)."""
    svc.verify(world.users[officer], claim.pk)
    approver = world.users["branch2"] if claim.branch == world.branches["KC-33"] else kc35_officer(world)
    svc.approve_and_pay(approver, claim.pk)


def kc35_officer(world: Any) -> Any:
    """An officer of KC-35: approves what the administrator verified there."""
    found = get_user_model().objects.filter(username="t_branch35").first()
    return found or user("t_branch35", Role.BRANCH_OFFICER, branch=world.branches["KC-35"])


@pytest.fixture
def claims(world: Any) -> list[Claim]:
    """Two branches, three types, every status; service days 1 to 9; one paid claim outside the window."""
    made: list[Claim] = []

    def keep(claim: Claim) -> Claim:
        made.append(claim)
        return claim

    # KC-33: JKK reimbursements
    keep(medical(world, "worker", "W33BPU", 0, 400_000))  # submitted, filed by the worker itself
    for days, claimed in ((3, 700_000), (8, 6_000_000), (4, 1_250_000)):  # paid: 3, 8, 4 days -> median 4
        pay(world, "branch", keep(medical(world, "branch", "W33PU" if days != 8 else "W33CITY", days, claimed)))
    svc.verify(world.users["branch"], keep(medical(world, "branch", "W33PU", 5, 900_000)).pk)  # verified
    pay(world, "branch", keep(medical(world, "branch", "W33PU", WINDOW + 10, 300_000)))  # before the window
    # KC-33: JKM
    jkm = keep(file(world, "heir", "jkm", "W33PU", 0))
    svc.reject(world.users["branch"], jkm.pk, "the death certificate is not legible")  # rejected
    for worker, days in (("W33CITY", 6), ("W33BPU", 1)):  # paid: 6 and 1 days -> median 3.5
        pay(world, "branch", keep(file(world, "branch", "jkm", worker, days)))
    approved = keep(file(world, "branch", "jkm", "W33PU", 2))
    svc.verify(world.users["branch"], approved.pk)
    svc.approve(world.users["branch2"], approved.pk)  # approved, not paid
    # KC-35, by the administrator
    for days, claimed in ((7, 2_000_000), (2, 450_000)):  # paid: 7 and 2 days -> median 4.5
        pay(world, "admin", keep(medical(world, "admin", "W35", days, claimed)))
    keep(file(world, "admin", "jkk_temporary", "W35", 0, months=2))  # submitted
    pay(world, "admin", keep(file(world, "admin", "jkm", "W35", 9)))  # paid: 9 days
    return made


def independent(start: dt.date | None, end: dt.date | None) -> dict[tuple[str, str], dict[str, Any]]:
    """The report computed with plain SQL (counts and sums) and statistics.median."""
    lo, hi = start or dt.date(1900, 1, 1), end or dt.date(2999, 12, 31)
    out: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"counts": dict.fromkeys(STATUSES, 0), "amount": 0, "days": []}
    )
    with connection.cursor() as cur:
        cur.execute(
            "SELECT b.code, c.claim_type, c.status, COUNT(*) FROM claims_claim c "
            "JOIN registry_branch b ON b.id = c.branch_id "
            "WHERE c.submitted_on BETWEEN %s AND %s GROUP BY b.code, c.claim_type, c.status",
            [lo, hi],
        )
        for code, claim_type, status, n in cur.fetchall():
            out[(code, claim_type)]["counts"][status] = n
        cur.execute(
            "SELECT b.code, c.claim_type, SUM(p.amount) FROM claims_benefitpayment p "
            "JOIN claims_claim c ON c.id = p.claim_id JOIN registry_branch b ON b.id = c.branch_id "
            "WHERE c.submitted_on BETWEEN %s AND %s GROUP BY b.code, c.claim_type",
            [lo, hi],
        )
        for code, claim_type, total in cur.fetchall():
            out[(code, claim_type)]["amount"] = int(total)
        cur.execute(
            "SELECT b.code, c.claim_type, c.service_days FROM claims_claim c "
            "JOIN registry_branch b ON b.id = c.branch_id "
            "WHERE c.status = 'paid' AND c.submitted_on BETWEEN %s AND %s",
            [lo, hi],
        )
        for code, claim_type, days in cur.fetchall():
            out[(code, claim_type)]["days"].append(days)
    return dict(out)


def as_dict(rows: list[Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (r.branch_code, r.claim_type): {
            "counts": dict(r.counts),
            "amount": r.amount_paid,
            "median": r.median_service_days,
        }
        for r in rows
    }


def check(rows: list[Any], start: dt.date | None, end: dt.date | None) -> dict[tuple[str, str], dict[str, Any]]:
    expected = independent(start, end)
    got = as_dict(rows)
    assert set(got) == set(expected)
    for key, want in expected.items():
        assert got[key]["counts"] == want["counts"], key
        assert got[key]["amount"] == want["amount"], key
        if want["days"]:
            assert got[key]["median"] == Decimal(str(statistics.median(want["days"]))), key
        else:
            assert got[key]["median"] is None, key
    return got


def test_the_report_agrees_with_plain_sql(world: Any, claims: list[Claim]) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=WINDOW)
    rows = claims_report(world.users["admin"], start, today)
    got = check(rows, start, today)
    # the set is as varied as meant: both branches, three types, every status, odd and even medians, halves
    assert {code for code, _t in got} == {"KC-33", "KC-35"}
    assert {t for _c, t in got} == {"jkk_medical", "jkm", "jkk_temporary"}
    for status in STATUSES:
        assert sum(g["counts"][status] for g in got.values()) > 0, status
    assert got[("KC-33", "jkk_medical")]["median"] == 4  # 3, 4, 8
    assert got[("KC-33", "jkm")]["median"] == Decimal("3.5")  # 1, 6
    assert got[("KC-35", "jkk_medical")]["median"] == Decimal("4.5")  # 2, 7
    assert got[("KC-35", "jkk_temporary")]["median"] is None
    # amounts are those paid: the reimbursement up to the cap (6,000,000 claimed, land at most 5,000,000)
    assert got[("KC-33", "jkk_medical")]["amount"] == 700_000 + 5_000_000 + 1_250_000
    # the claim before the window is left out; without bounds it counts
    everything = check(claims_report(world.users["admin"]), None, None)
    assert everything[("KC-33", "jkk_medical")]["counts"]["paid"] == got[("KC-33", "jkk_medical")]["counts"]["paid"] + 1
    assert sum(sum(g["counts"].values()) for g in everything.values()) == len(claims)
    # rows come by branch, then the catalogue's order of types
    assert [(r.branch_code, r.claim_type) for r in rows] == [
        ("KC-33", "jkm"),
        ("KC-33", "jkk_medical"),
        ("KC-35", "jkm"),
        ("KC-35", "jkk_medical"),
        ("KC-35", "jkk_temporary"),
    ]
    row = rows[1]
    assert (row.submitted, row.verified, row.approved, row.paid, row.rejected) == (1, 1, 0, 3, 0)
    assert row.total == 5 and row.paid_claims == 3


def test_a_window_of_one_day(world: Any, claims: list[Claim]) -> None:
    day = timezone.localdate() - dt.timedelta(days=2)
    rows = claims_report(world.users["admin"], day, day)
    got = check(rows, day, day)
    assert set(got) == {("KC-33", "jkm"), ("KC-35", "jkk_medical")}


def test_a_branch_officer_sees_its_branch_only(world: Any, claims: list[Claim]) -> None:
    admin = as_dict(claims_report(world.users["admin"]))
    branch = as_dict(claims_report(world.users["branch"]))
    assert branch and {code for code, _t in branch} == {"KC-33"}
    assert branch == {k: v for k, v in admin.items() if k[0] == "KC-33"}


def test_other_roles_are_refused(world: Any, claims: list[Claim]) -> None:
    for role in ("worker", "heir", "hr", "province", "city", "assessor"):
        with pytest.raises(NotAllowed):
            claims_report(world.users[role])
    with pytest.raises(NotAllowed):
        claims_report(None)


def test_an_end_before_the_start_is_refused(world: Any) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as err:
        claims_report(world.users["admin"], today, today - dt.timedelta(days=1))
    assert err.value.field == "end"
    assert claims_report(world.users["admin"], today, today) == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([5], Decimal(5)), ([9, 1], Decimal(5)), ([1, 2], Decimal("1.5")), ([4, 1, 3], Decimal(3))],
)
def test_the_median(values: list[int], expected: Decimal | None) -> None:
    assert median(values) == expected
