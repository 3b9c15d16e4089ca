"""Paying a claim out over time: the instalments' due dates, a pension's months, the monthly run and stopping
the scheduled payments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.claims.dates import add_months, month_start
from paritrana.claims.models import BenefitPayment, Claim, ClaimStep, Instalment, Status
from paritrana.claims.services.lookup import locked, record_step, require_processor
from paritrana.claims.services.schedules import instalment_number
from paritrana.claims.types import TYPES
from paritrana.core.bulk import advisory_lock, history_user
from paritrana.core.errors import ValidationFailed
from paritrana.core.text import clean_text


def instruction(
    claim: Claim, key: str, kind: str, amount: int, due: dt.date, at: dt.datetime, by: Any
) -> BenefitPayment:
    """A payment instruction of ``claim`` (unsaved) to the claim's bank account; ``key`` is unique per claim."""
    return BenefitPayment(
        claim=claim,
        key=key,
        kind=kind,
        amount=amount,
        due_on=due,
        instructed_at=at,
        instructed_by=by,
        bank_account=claim.bank_account,
    )


def instalment_due(item: dict[str, Any], paid_on: dt.date) -> dt.date:
    """When a planned instalment falls due: its date, else its month counted from the payment (month 1 with it)."""
    if item.get("due_on"):
        return dt.date.fromisoformat(str(item["due_on"]))
    return add_months(paid_on, instalment_number(str(item["key"])) - 1)


def first_pension_month(claim: Claim) -> dt.date:
    """The first month a pension is paid: the month after the pension date (old age) or after the death."""
    dated_by = TYPES[claim.claim_type].first_payment_output
    if dated_by and claim.outputs.get(dated_by):
        return month_start(dt.date.fromisoformat(claim.outputs[dated_by]))
    base = claim.event_date or claim.submitted_on
    return add_months(month_start(base), 1)


def pension_months(claim: Claim, today: dt.date) -> list[dt.date]:
    """The months of a pension due by ``today`` (back pay from the first month on)."""
    month = first_pension_month(claim)
    out = []
    while month <= month_start(today):
        out.append(month)
        month = add_months(month, 1)
    return out


# the advisory-lock class of the monthly runs: two runs of one month at once would both read a pension month as
# unpaid; the unique key stores it once, but both would count it as paid by them (the lock is taken before the run
# reads anything; on SQLite the write transaction already locks the database)
PAY_DUE_LOCK = 0x636C


@dataclass
class RunResult:
    month: dt.date
    pensions: int
    instalments: int
    amount: int


def pay_due(month: dt.date, user: AnyUser | None = None) -> RunResult:
    """The monthly run: each pension's payment for ``month``, and every scheduled instalment due by the
    end of ``month`` (JKP months, scholarship years begun). Idempotent: a rerun adds nothing."""
    month = month_start(month)
    end = add_months(month, 1) - dt.timedelta(days=1)
    now = timezone.now()
    by = history_user(user)
    pensions = instalments = amount = 0
    with advisory_lock(PAY_DUE_LOCK, month.year * 100 + month.month):
        pensioners = Claim.objects.filter(status=Status.PAID, monthly_amount__gt=0).exclude(
            payments__key=f"{month:%Y-%m}"
        )
        new = []
        for claim in pensioners.only(
            "id", "claim_type", "outputs", "event_date", "submitted_on", "monthly_amount", "bank_account"
        ):
            if first_pension_month(claim) <= month:
                new.append(
                    instruction(
                        claim, f"{month:%Y-%m}", BenefitPayment.Kind.MONTHLY, claim.monthly_amount, month, now, by
                    )
                )
        BenefitPayment.objects.bulk_create(new, ignore_conflicts=True)
        pensions = len(new)
        amount += sum(p.amount for p in new)
        due = (
            Instalment.objects.select_for_update(of=("self",))  # not the claims: see _locked
            .select_related("claim")
            .filter(state=Instalment.State.SCHEDULED, due_on__lte=end, claim__status=Status.PAID)
        )
        for inst in due:
            kind = TYPES[inst.claim.claim_type].instalment_payment
            inst.payment = instruction(inst.claim, inst.key, kind, inst.amount, inst.due_on, now, by)
            inst.payment.save(force_insert=True)
            inst.state = Instalment.State.PAID
            inst.save(update_fields=["payment", "state"])
            instalments += 1
            amount += inst.amount
    return RunResult(month, pensions, instalments, amount)


def stop_instalments(user: AnyUser | None, claim_id: int, reason: str, child_order: int | None = None) -> int:
    """Stop the scheduled instalments of a claim (or of one child): the child married, works or left school,
    the JKP right ended (a new job). Returns how many were stopped."""
    require_processor(user)
    reason = clean_text(reason or "")
    if not reason:
        raise ValidationFailed("reason", _("give the reason the payments stop"))
    with transaction.atomic():
        claim = locked(user, claim_id)
        qs = claim.instalments.filter(state=Instalment.State.SCHEDULED)
        if child_order is not None:
            qs = qs.filter(child_order=child_order)
        count = qs.update(state=Instalment.State.STOPPED, stop_reason=reason)
        if count:
            record_step(claim, ClaimStep.Step.STOPPED, user, reason)
        return count
