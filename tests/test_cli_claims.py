"""``paritrana claims pay-due YYYY-MM``: the monthly run pays this month's pensions and the instalments due,
prints what it paid; a rerun pays nothing new; a malformed or future month is refused (exit 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from paritrana.claims.models import BenefitPayment, Claim, Instalment
from paritrana.claims.services import claims as svc
from paritrana.cli.main import app
from paritrana.rules import compute_one
from paritrana.rules.money import rupiah_text
from tests.claims.claimkit import documents_for, enrol_for_contributions
from tests.platform.world import World, build_world


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())


def _this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


@pytest.fixture
def paid_last_month(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, Claim]:
    """A JP old-age pension and a JKP claim of W33PU, both paid on a day of last month (the branch's paper
    claims; the facts before the records are the verifying officer's corrections)."""
    day = _this_month() - dt.timedelta(days=20)
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)
    branch, approver, w33 = world.users["branch"], world.users["branch2"], world.workers["W33PU"].pk
    pension = svc.submit(branch, "jp_old_age", {}, documents_for("jp_old_age"), worker_id=w33, bank_account="BRI 1")
    svc.verify(branch, pension.pk, {"birth_date": "1960-01-01", "contribution_months": 240}, reason="old records")
    svc.approve_and_pay(approver, pension.pk)
    phk = (day - dt.timedelta(days=10)).isoformat()
    jkp = svc.submit(
        branch,
        "jkp",
        {"event_date": phk, "separation": "termination"},
        documents_for("jkp"),
        worker_id=w33,
        bank_account="BRI 2",
    )
    svc.verify(branch, jkp.pk, {"contribution_months": 12, "consecutive_months": 6}, reason="old records")
    svc.approve_and_pay(approver, jkp.pk)
    monkeypatch.undo()
    pension.refresh_from_db()
    jkp.refresh_from_db()
    assert pension.status == jkp.status == "paid" and pension.monthly_amount > 0, pension.refusal
    return {"pension": pension, "jkp": jkp}


def test_pay_due_pays_the_months_pensions_and_instalments_once(paid_last_month: dict[str, Claim]) -> None:
    pension, jkp = paid_last_month["pension"], paid_last_month["jkp"]
    month = _this_month()
    payments_before = BenefitPayment.objects.count()
    # what is due, computed by the rules from the claims' inputs
    monthly = compute_one("jp_old_age_benefit", pension.law_date, pension.inputs).outputs["monthly_benefit"]
    second = compute_one("jkp_benefit", jkp.law_date, {**jkp.inputs, "month": 2}).outputs["benefit"]
    assert monthly == pension.monthly_amount and second > 0

    result = _run("claims", "pay-due", f"{month:%Y-%m}")
    assert result.exit_code == 0, result.output
    out = _flat(result.output)
    assert f"paid {month:%Y-%m}: 1 pension, 1 instalment, {rupiah_text(monthly + second)} in all" in out
    assert BenefitPayment.objects.count() == payments_before + 2
    this = BenefitPayment.objects.get(claim=pension, key=f"{month:%Y-%m}")
    assert this.amount == monthly and this.kind == BenefitPayment.Kind.MONTHLY and this.bank_account == "BRI 1"
    instalment = Instalment.objects.get(claim=jkp, key="jkp-2")
    assert instalment.state == Instalment.State.PAID and instalment.payment is not None
    assert instalment.payment.amount == second
    assert Instalment.objects.filter(claim=jkp, state=Instalment.State.SCHEDULED).count() == 4  # months 3-6

    again = _run("claims", "pay-due", f"{month:%Y-%m}")
    assert again.exit_code == 0, again.output
    assert f"paid {month:%Y-%m}: 0 pensions, 0 instalments, Rp 0 in all" in _flat(again.output)
    assert "nothing new to pay" in _flat(again.output)
    assert BenefitPayment.objects.count() == payments_before + 2

    # last month was paid with the claim (the pension's back pay); its run adds nothing either
    last = (month - dt.timedelta(days=1)).replace(day=1)
    earlier = _run("claims", "pay-due", f"{last:%Y-%m}")
    assert earlier.exit_code == 0 and "0 pensions, 0 instalments" in _flat(earlier.output)
    assert BenefitPayment.objects.filter(claim=pension, key=f"{last:%Y-%m}").count() == 1


def test_stopped_instalments_are_not_paid(paid_last_month: dict[str, Claim], world: World) -> None:
    jkp = paid_last_month["jkp"]
    assert svc.stop_instalments(world.users["branch"], jkp.pk, "a new job") == 5
    result = _run("claims", "pay-due", f"{_this_month():%Y-%m}")
    assert result.exit_code == 0, result.output
    assert "1 pension, 0 instalments" in _flat(result.output)
    assert not BenefitPayment.objects.filter(claim=jkp, key="jkp-2").exists()


@pytest.mark.parametrize("month", ["2026-13", "November", "2026-1-1", ""])
def test_a_malformed_month_is_refused(world: World, month: str) -> None:
    result = _run("claims", "pay-due", month)
    assert result.exit_code == 2
    assert "YYYY-MM" in result.output and "month" in result.output
    assert not BenefitPayment.objects.exists()


def test_a_month_not_yet_begun_is_refused(paid_last_month: dict[str, Claim]) -> None:
    before = BenefitPayment.objects.count()
    later = (_this_month() + dt.timedelta(days=40)).replace(day=1)
    result = _run("claims", "pay-due", f"{later:%Y-%m}")
    assert result.exit_code == 2
    assert "has not begun" in _flat(result.output) and f"{later:%Y-%m}" in result.output
    assert BenefitPayment.objects.count() == before
