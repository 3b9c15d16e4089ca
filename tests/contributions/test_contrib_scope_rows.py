"""The contributions' scopes (contributions/scopes.py) on real records of each party: payers of two employers,
a self-paid worker and four sponsors (Kota Semarang's programme, Jawa Tengah's own, a CSR fund in Semarang,
Kota Surabaya's programme); statement lines (one without a payer), manual payments, wage reports and uploads,
JHT entries of two branches' workers. Each role's rows are written out by hand from "Who sees what"
(docs/architecture.md, decision 0009: payers never record their own payments); a refused write stores nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from paritrana.contributions import models
from paritrana.contributions.payers import payer_of, payer_party
from paritrana.contributions.scopes import (
    can_handle_payments,
    can_import_statements,
    can_report_wages,
    visible_jht_accounts,
    visible_jht_entries,
    visible_manual_payments,
    visible_payers,
    visible_statement_lines,
    visible_wage_reports,
    visible_wage_uploads,
)
from paritrana.contributions.services.manual import confirm_manual, reject_manual
from paritrana.contributions.services.wages import report_wage
from paritrana.core.errors import NotAllowed, NotFound
from paritrana.registry.models import Sponsor
from tests.platform.world import ROLES, World, keys_of

PROGRAMME = Sponsor.Kind.REGIONAL_PROGRAMME


@pytest.fixture
def payers(world: World) -> dict[str, models.Payer]:
    w, r = world.workers, world.regions
    out = {key: payer_of(payer_party(w[key])) for key in ("W33PU", "W35", "W33BPU", "W33CITY")}
    out = {"E33": out["W33PU"], "E35": out["W35"], "W33BPU": out["W33BPU"], "CITY": out["W33CITY"]}
    sponsors = {
        "PROVINCE": (PROGRAMME, "Program Provinsi Jawa Tengah", r["33"]),
        "CSR33": (Sponsor.Kind.CSR, "Dana CSR Semarang", r["33.74"]),
        "SURABAYA": (PROGRAMME, "Program Kota Surabaya", r["35.78"]),
    }
    for key, (kind, name, region) in sponsors.items():
        out[key] = payer_of(Sponsor.objects.create(kind=kind, name=name, region=region))
    return out


PAYERS_SEEN = {
    "admin": {"E33", "E35", "W33BPU", "CITY", "PROVINCE", "CSR33", "SURABAYA"},
    # the employers and workers it sees, and the sponsors of the regions it serves (not the province above them)
    "branch": {"E33", "W33BPU", "CITY", "CSR33"},
    "province": {"PROVINCE"},  # its own region's programmes exactly, not its regencies'
    "city": {"CITY"},  # a programme, not a CSR fund of its region
    "hr": {"E33"},
    "worker": {"W33BPU"},
    "heir": set(),
    "assessor": set(),
    "analyst": set(),
}
OFFICERS = {"admin", "branch"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_payers_written_out_for_it(world: World, payers: dict[str, models.Payer], role: str) -> None:
    user = world.users[role]
    assert keys_of(visible_payers(user), payers) == PAYERS_SEEN[role]
    assert can_handle_payments(user) == (role in OFFICERS)
    for key, payer in payers.items():  # an officer handles the payments of the payers it sees, no other
        assert can_handle_payments(user, payer) == (role in OFFICERS and key in PAYERS_SEEN[role]), key
    assert can_import_statements(user) == (role == "admin")  # the agency's collection account
    assert can_report_wages(user) == (role in ("admin", "branch", "hr"))


@pytest.fixture
def bank_records(world: World, payers: dict[str, models.Payer]) -> dict[str, dict[str, Any]]:
    """Exception lines of E33, E35 and one with an unknown code (no payer); a pending manual entry for E33 and
    one for E35, each entered by the administrator."""
    statement = models.BankStatement.objects.create(file_name="bri.csv", format="csv", sha256="a" * 64, account="BRI")
    lines: dict[str, Any] = {}
    for n, (key, payer) in enumerate([("E33", payers["E33"]), ("E35", payers["E35"]), ("UNKNOWN", None)], 1):
        lines[key] = models.StatementLine.objects.create(
            statement=statement,
            line_no=n,
            account="BRI",
            bank_reference=f"REF{n}",
            value_date=dt.date(2025, 4, 10),
            amount=100_000 * n,
            payer=payer,
            status="exception",
            problem="unknown" if payer is None else "underpaid",
        )
    manual = {
        key: models.ManualPayment.objects.create(
            payer=payers[key],
            amount=250_000,
            paid_on=dt.date(2025, 4, 10),
            reference=f"KAS-{key}",
            evidence_name="slip.pdf",
            evidence_type="application/pdf",
            evidence_sha256="b" * 64,
            evidence=b"%PDF-1.4",
            entered_by=world.users["admin"],
        )
        for key in ("E33", "E35")
    }
    return {"lines": lines, "manual": manual}


LINES_SEEN = {"admin": {"E33", "E35", "UNKNOWN"}, "branch": {"E33"}}  # the unknown code is the agency's
MANUAL_SEEN = {"admin": {"E33", "E35"}, "branch": {"E33"}}  # not HR, though it sees E33: payers never


@pytest.mark.parametrize("role", ROLES)
def test_the_bank_lines_and_manual_entries_each_role_sees(
    world: World, bank_records: dict[str, dict[str, Any]], role: str
) -> None:
    user = world.users[role]
    assert keys_of(visible_statement_lines(user), bank_records["lines"]) == LINES_SEEN.get(role, set())
    assert keys_of(visible_manual_payments(user), bank_records["manual"]) == MANUAL_SEEN.get(role, set())


def _entry_row(entry: models.ManualPayment) -> tuple[Any, ...]:
    return tuple(
        models.ManualPayment.objects.filter(pk=entry.pk).values_list("status", "decided_by", "payment", "note").get()
    )


@pytest.mark.parametrize(
    ("role", "key", "refusal"),
    [("branch", "E35", NotFound), ("hr", "E33", NotAllowed), ("city", "E33", NotAllowed), ("admin", "E33", NotAllowed)],
)
def test_a_manual_entry_decided_out_of_scope_by_a_payer_or_by_its_author_stays_pending(
    world: World, bank_records: dict[str, dict[str, Any]], role: str, key: str, refusal: type
) -> None:
    """Out of scope as if absent; HR and regional officers are no officers of money; the administrator entered
    both entries, so it decides neither (no one completes a money decision alone)."""
    entry = bank_records["manual"][key]
    before, payments = _entry_row(entry), models.Payment.objects.count()
    with pytest.raises(refusal):
        confirm_manual(world.users[role], entry.pk)
    with pytest.raises(refusal):
        reject_manual(world.users[role], entry.pk, "no such transfer")
    assert _entry_row(entry) == before and before[0] == models.ManualPayment.Status.PENDING
    assert models.Payment.objects.count() == payments


def test_the_branch_officer_confirms_an_entry_of_a_payer_it_sees(
    world: World, bank_records: dict[str, dict[str, Any]]
) -> None:
    entry = confirm_manual(world.users["branch"], bank_records["manual"]["E33"].pk)
    entry.refresh_from_db()
    assert entry.status == models.ManualPayment.Status.CONFIRMED and entry.decided_by == world.users["branch"]
    assert entry.payment is not None and (entry.payment.payer_id, entry.payment.amount) == (entry.payer_id, 250_000)


@pytest.fixture
def wages(world: World) -> dict[str, dict[str, Any]]:
    """March 2025's wage of W33PU (PT Semarang) and W35 (PT Surabaya), each from an upload of its employer."""
    uploads, reports = {}, {}
    for key, employer in (("W33PU", "E33"), ("W35", "E35")):
        e = world.employers[employer]
        uploads[employer] = models.WageUpload.objects.create(file_name=f"{employer}.csv", employer=e, status="stored")
        reports[key] = models.WageReport.objects.create(
            worker=world.workers[key], employer=e, period=dt.date(2025, 3, 1), wage=3_000_000, upload=uploads[employer]
        )
    return {"uploads": uploads, "reports": reports}


WAGES_SEEN = {"admin": {"E33", "E35"}, "branch": {"E33"}, "hr": {"E33"}}  # regional officers see no wage


@pytest.mark.parametrize("role", ROLES)
def test_the_wage_reports_and_uploads_each_role_sees(world: World, wages: dict[str, dict[str, Any]], role: str) -> None:
    user = world.users[role]
    employers = WAGES_SEEN.get(role, set())
    assert keys_of(visible_wage_uploads(user), wages["uploads"]) == employers
    workers = {"E33": "W33PU", "E35": "W35"}
    assert keys_of(visible_wage_reports(user), wages["reports"]) == {workers[e] for e in employers}


@pytest.mark.parametrize(
    ("role", "key", "refusal"), [("hr", "W35", NotFound), ("city", "W33PU", NotAllowed), ("heir", "W33PU", NotAllowed)]
)
def test_a_wage_reported_out_of_scope_or_by_a_role_that_does_not_report_is_not_stored(
    world: World, role: str, key: str, refusal: type
) -> None:
    with pytest.raises(refusal):
        report_wage(world.users[role], world.workers[key].pk, "2025-04", 5_000_000)
    assert not models.WageReport.objects.filter(worker=world.workers[key], period=dt.date(2025, 4, 1)).exists()


JHT_SEEN = {
    "admin": {"W33PU", "W33CITY", "W33BPU", "W35"},
    "branch": {"W33PU", "W33CITY", "W33BPU"},
    "worker": {"W33BPU"},
    "heir": {"W33PU"},
}  # not employer HR nor regional officers: a JHT balance is the worker's own savings


@pytest.mark.parametrize("role", ROLES)
def test_the_jht_accounts_and_entries_each_role_sees(world: World, role: str) -> None:
    entries = {
        key: models.JhtEntry.objects.create(
            worker=world.workers[key],
            kind="contribution",
            value_date=dt.date(2025, 4, 10),
            amount=171_000,
            reference=key,
        )
        for key in ("W33PU", "W33BPU", "W35")
    }
    user = world.users[role]
    seen = JHT_SEEN.get(role, set())
    assert keys_of(visible_jht_accounts(user), world.workers) == seen
    assert keys_of(visible_jht_entries(user), entries) == seen & set(entries)


def test_a_caller_without_a_role_sees_no_money_and_handles_none(
    world: World, payers: dict[str, models.Payer], bank_records: dict[str, dict[str, Any]]
) -> None:
    plain = get_user_model().objects.create(username="plain")  # signed in, no profile
    for user in (plain, AnonymousUser(), None):
        assert not visible_payers(user).exists() and not visible_statement_lines(user).exists()
        assert not visible_manual_payments(user).exists()
        assert not visible_wage_reports(user).exists() and not visible_wage_uploads(user).exists()
        assert not visible_jht_accounts(user).exists()
        assert not can_handle_payments(user, payers["E33"]) and not can_report_wages(user)
        assert not can_import_statements(user)
