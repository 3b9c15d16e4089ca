"""Who is billed and the bills.

- ``Payer``: who is billed: an employer (PU), a worker (self-paid BPU) or a sponsor (regional
  programme, CSR). Its row is also the lock that serialises the posting of its payments.
- ``Bill`` / ``BillLine``: a payer's bill for a month, a line per worker and programme. Lines are
  never rewritten: a later change is a new ``adjustment`` line.
- ``BillingRun``: one run of the billing of a month, and what it added.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paritrana.contributions.workflow import BillStatus, bill_status, is_partly_paid
from paritrana.registry.models import Employer, Programme, Sponsor, Worker


class Payer(models.Model):
    """Who a bill is addressed to. Exactly one of employer, worker, sponsor is set, as ``kind`` says."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("employer")
        WORKER = "worker", _("worker (self-paid)")
        SPONSOR = "sponsor", _("sponsor")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    employer = models.OneToOneField(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="payer")
    worker = models.OneToOneField(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="payer")
    sponsor = models.OneToOneField(Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="payer")
    # payments received and not (yet) allocated to a bill: an overpayment is kept here
    credit = models.BigIntegerField(_("credit, rupiah"), default=0)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("payer")
        verbose_name_plural = _("payers")
        constraints = [
            models.CheckConstraint(condition=Q(credit__gte=0), name="payer_credit_not_negative"),
            models.CheckConstraint(
                condition=(
                    Q(kind="employer", employer__isnull=False, worker__isnull=True, sponsor__isnull=True)
                    | Q(kind="worker", employer__isnull=True, worker__isnull=False, sponsor__isnull=True)
                    | Q(kind="sponsor", employer__isnull=True, worker__isnull=True, sponsor__isnull=False)
                ),
                name="payer_exactly_one_party",
            ),
        ]

    def __str__(self) -> str:
        party = self.employer or self.worker or self.sponsor
        return str(party)


class BillingRun(models.Model):
    period = models.DateField(_("month"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    workers = models.PositiveIntegerField(_("workers billed"), default=0)
    lines_added = models.PositiveIntegerField(_("lines added"), default=0)
    adjustments = models.PositiveIntegerField(_("adjustment lines"), default=0)
    bills_touched = models.PositiveIntegerField(_("bills created or changed"), default=0)
    amount_added = models.BigIntegerField(_("amount added, rupiah"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} #{self.pk}"


class BillQuerySet(models.QuerySet["Bill"]):
    def with_status(self, status: str, today: dt.date) -> BillQuerySet:
        """The bills whose ``workflow.bill_status`` on ``today`` is ``status`` (the same rule, as a filter)."""
        if status == BillStatus.PAID:
            return self.filter(paid__gte=F("amount"))
        if status == BillStatus.OVERDUE:
            return self.filter(paid__lt=F("amount"), due_date__lt=today)
        if status == BillStatus.OPEN:
            # the API's and the list page's "open" filter: every bill not yet fully paid, overdue ones too
            return self.filter(paid__lt=F("amount"))
        raise ValueError(f"unknown bill status {status!r}")


class Bill(models.Model):
    """A payer's bill for a month. ``amount`` is the sum of its lines; ``paid`` the sum of its allocations."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("contributions")
        PENALTY = "penalty", _("late-payment penalty")

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="bills")
    period = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CONTRIBUTION)
    due_date = models.DateField(_("due date"))
    amount = models.BigIntegerField(_("amount, rupiah"), default=0)
    paid = models.BigIntegerField(_("paid, rupiah"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    paid_at = models.DateField(_("fully paid on"), null=True, blank=True)

    objects = BillQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [
            models.UniqueConstraint(fields=["payer", "period", "kind"], name="bill_one_per_payer_month_kind"),
            models.CheckConstraint(condition=Q(period__day=1), name="bill_period_first_day"),
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(paid__lte=F("amount")), name="bill_paid_within_amount"),
        ]
        indexes = [models.Index(fields=["period", "kind"])]

    def __str__(self) -> str:
        return f"{self.payer} {self.period:%Y-%m} {self.kind}"

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid

    @property
    def is_paid(self) -> bool:
        return self.paid >= self.amount

    def status_on(self, today: dt.date) -> BillStatus:
        return bill_status(self.amount, self.paid, self.due_date, today)

    @property
    def shown_status(self) -> str:
        """Today's status as a page shows it: ``partly`` for an open bill with some money allocated."""
        status = self.status_on(timezone.localdate())
        if status == BillStatus.OPEN and is_partly_paid(self.amount, self.paid):
            return "partly"
        return str(status)


class BillLine(models.Model):
    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("contribution")
        ADJUSTMENT = "adjustment", _("adjustment")
        PENALTY = "penalty", _("penalty")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="lines")
    worker = models.ForeignKey(Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="bill_lines")
    programme = models.CharField(_("programme"), max_length=3, choices=Programme.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    wage = models.BigIntegerField(_("wage or income basis, rupiah"), default=0)
    amount = models.BigIntegerField(_("amount, rupiah"))
    worker_share = models.BigIntegerField(_("of which deducted from the wage, rupiah"), default=0)
    rule = models.CharField(_("rule"), max_length=60)
    law_date = models.DateField(_("law of"))
    billing_run = models.ForeignKey(BillingRun, null=True, blank=True, on_delete=models.PROTECT, related_name="lines")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["bill", "worker", "programme", "id"]
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        indexes = [models.Index(fields=["worker", "programme"])]

    def __str__(self) -> str:
        return f"{self.bill_id} {self.worker_id} {self.programme} {self.kind} {self.amount}"
