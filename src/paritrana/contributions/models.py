"""The records of contributions. Money is whole rupiah in ``BigIntegerField``; a month is the date of its first day.

- ``WageReport``: an employer's report of a worker's wage for a month (one per worker and month;
  a correction changes it, and simple-history keeps every earlier value).
- ``WageUpload``: one uploaded wage file, its per-row errors, and what was stored from it.
- ``Payer``: who is billed: an employer (PU), a worker (self-paid BPU) or a sponsor (regional
  programme, CSR). Its row is also the lock that serialises the posting of its payments.
- ``Bill`` / ``BillLine``: a payer's bill for a month, a line per worker and programme. Lines are
  never rewritten: a later change is a new ``adjustment`` line.
- ``BillingRun``: one run of the billing of a month, and what it added.
- ``Payment`` / ``Allocation``: money received, and how much of it went to which bill.
- ``JhtEntry``: the JHT individual account as a ledger (credits, yearly returns, withdrawals).
- ``RegionalMinimumWage``: a province's or regency's minimum wage from a date (the governor's decree).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paritrana.contributions.workflow import BillStatus, bill_status, is_partly_paid
from paritrana.registry.models import Employer, Programme, Region, Sponsor, Worker


class WageUpload(models.Model):
    class Status(models.TextChoices):
        STORED = "stored", _("stored")
        REJECTED = "rejected", _("rejected: nothing stored")
        PARTIAL = "partial", _("valid rows stored, invalid rows left out")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="wage_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    stored_count = models.PositiveIntegerField(_("rows stored"), default=0)
    # [{"row": 3, "field": "wage", "message": "..."}]: the report shown to the user
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # the valid rows of a rejected upload, kept so the user may choose to store only them
    pending_rows = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("wage upload")
        verbose_name_plural = _("wage uploads")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"


class WageReport(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="wage_reports")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="wage_reports")
    period = models.DateField(_("month"), help_text=_("the first day of the month"))
    wage = models.BigIntegerField(_("monthly wage, rupiah"))
    upload = models.ForeignKey(WageUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "worker"]
        verbose_name = _("wage report")
        verbose_name_plural = _("wage reports")
        constraints = [
            models.UniqueConstraint(fields=["worker", "period"], name="wage_report_one_per_worker_month"),
            models.CheckConstraint(condition=Q(wage__gte=0), name="wage_report_wage_not_negative"),
            models.CheckConstraint(condition=Q(period__day=1), name="wage_report_period_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.period:%Y-%m} {self.wage}"


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


class Payment(models.Model):
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField(_("amount, rupiah"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # a bank reference is posted once per payer: a repeated posting is refused, not counted twice
            models.UniqueConstraint(fields=["payer", "reference"], name="payment_reference_once_per_payer"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"


class Allocation(models.Model):
    """Part of a payment (or of the payer's credit) applied to a bill; negative when an adjustment released it."""

    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="allocations")
    amount = models.BigIntegerField(_("amount, rupiah"))
    allocated_on = models.DateField(_("value date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.bill_id}: {self.amount}"


class JhtEntryQuerySet(models.QuerySet["JhtEntry"]):
    """The ledger's readings of its entries (as django-hordak's ``LegQuerySet``): a balance is a sum of entries."""

    def up_to(self, on: dt.date) -> JhtEntryQuerySet:
        """The entries value-dated on or before ``on`` (the end of that day)."""
        return self.filter(value_date__lte=on)

    def sum_to_balance(self) -> int:
        """The sum of the entries' amounts (0 when there is none)."""
        return int(self.aggregate(total=Coalesce(Sum("amount"), 0))["total"])

    def balance(self, worker_id: int, on: dt.date) -> int:
        """The balance of ``worker_id``'s account at the end of day ``on``."""
        return self.filter(worker_id=worker_id).up_to(on).sum_to_balance()

    def with_balance_after(self) -> JhtEntryQuerySet:
        """Each entry annotated with ``balance_after``: its account's balance once it is booked (entries in
        value-date order, then by id), counting every entry of the account, not only those selected (as
        django-hordak's ``with_account_balance_after``: one correlated sum per entry; an account is small)."""
        earlier = (
            JhtEntry.objects.filter(worker_id=OuterRef("worker_id"))
            .filter(
                Q(value_date__lt=OuterRef("value_date")) | Q(value_date=OuterRef("value_date"), id__lte=OuterRef("id"))
            )
            .order_by()
            .values("worker_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(balance_after=Subquery(earlier, output_field=models.BigIntegerField()))

    def available(self, worker_id: int, on: dt.date) -> int:
        """What may be withdrawn on ``on``: the lowest of the balance then and at every later value date
        (a withdrawal dated before another one must not overdraw the account at the later date)."""
        account = self.filter(worker_id=worker_id)
        later = account.with_balance_after().filter(value_date__gt=on)
        return min([account.balance(worker_id, on), *(int(e.balance_after) for e in later)])  # type: ignore[attr-defined]

    def balances(self) -> dict[int, int]:
        """Every account's balance over these entries, by worker id."""
        rows = self.values("worker_id").annotate(total=Sum("amount")).order_by()
        return {row["worker_id"]: int(row["total"] or 0) for row in rows}

    def totals_by_kind(self) -> dict[str, int]:
        """The sum of these entries per kind; every kind present (0 when none)."""
        found = dict.fromkeys(JhtEntry.Kind.values, 0)
        for row in self.values("kind").annotate(total=Sum("amount")).order_by():
            found[row["kind"]] = int(row["total"] or 0)
        return found

    def not_credited_for(self, year: int) -> JhtEntryQuerySet:
        """The entries of accounts not yet credited with the return of ``year``."""
        credited = JhtEntry.objects.filter(worker_id=OuterRef("worker_id"), kind=JhtEntry.Kind.RETURN, year=year)
        return self.filter(~Exists(credited))

    def opening_balances(self, year: int) -> models.QuerySet[Any, tuple[int, int]]:
        """(worker_id, total): each account's balance at 1 January of ``year``."""
        return (
            self.filter(value_date__lt=dt.date(year, 1, 1))
            .values("worker_id")
            .annotate(total=Sum("amount"))
            .values_list("worker_id", "total")
            .order_by()
        )

    def monthly_movements(self, year: int) -> models.QuerySet[Any, tuple[int, int, int]]:
        """(worker_id, month, total): each account's net movement per month of ``year``, returns left out."""
        return (
            self.filter(value_date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            .exclude(kind=JhtEntry.Kind.RETURN)
            .annotate(month=ExtractMonth("value_date"))
            .values("worker_id", "month")
            .annotate(total=Sum("amount"))
            .values_list("worker_id", "month", "total")
            .order_by()
        )


class JhtEntry(models.Model):
    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("contribution")
        RETURN = "return", _("yearly return")
        WITHDRAWAL = "withdrawal", _("withdrawal")

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="jht_entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    value_date = models.DateField(_("value date"))
    amount = models.BigIntegerField(_("amount, rupiah"), help_text=_("a withdrawal is negative"))
    bill_line = models.OneToOneField(
        BillLine, null=True, blank=True, on_delete=models.PROTECT, related_name="jht_entry"
    )
    year = models.PositiveSmallIntegerField(_("year of the return"), null=True, blank=True)
    rate_ppm = models.PositiveIntegerField(_("rate, parts per million"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = JhtEntryQuerySet.as_manager()

    class Meta:
        ordering = ["worker", "value_date", "id"]
        verbose_name = _("JHT account entry")
        verbose_name_plural = _("JHT account entries")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year"], condition=Q(kind="return"), name="jht_one_return_per_worker_year"
            ),
            models.CheckConstraint(
                condition=~Q(kind="withdrawal") | Q(amount__lt=0), name="jht_withdrawal_is_negative"
            ),
            # an entry moves money: a zero entry says nothing and would only blur the account's history
            models.CheckConstraint(condition=~Q(amount=0), name="jht_entry_not_zero"),
        ]
        indexes = [models.Index(fields=["worker", "value_date"])]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.kind} {self.value_date} {self.amount}"


class RegionalMinimumWage(models.Model):
    """A regional minimum wage (UMP for a province, UMK for a regency/city) in force from a date."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="minimum_wages")
    valid_from = models.DateField(_("valid from"))
    amount = models.BigIntegerField(_("monthly minimum wage, rupiah"))
    reference = models.CharField(_("decree"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "-valid_from"]
        verbose_name = _("regional minimum wage")
        verbose_name_plural = _("regional minimum wages")
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="minimum_wage_one_per_region_date"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="minimum_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.valid_from} {self.amount}"


# the bank's money: statements, their lines and the exceptions queue, manual payments (decision 0009)
from paritrana.contributions.bank_models import BankStatement, ManualPayment, StatementLine  # noqa: E402

__all__ = ["BankStatement", "ManualPayment", "StatementLine"]
