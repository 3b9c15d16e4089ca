"""The records of money from the bank (decision 0009).

- ``BankStatement``: one imported statement file (CSV, MT940 or camt.053), once per content.
- ``StatementLine``: a credit line of a statement, once per account and bank reference; matched
  (it became a ``Payment``) or an exception an officer resolves (allocated, returned, duplicate).
- ``ManualPayment``: money entered by an officer with evidence (cash at a branch, a transfer without
  code); it becomes a ``Payment`` only when a second, different officer confirms it.

The invariants the database keeps: a file once (its SHA-256), a bank line once (account and bank
reference), amounts above zero, a matched or allocated line has its payment and the others none, a
resolved exception has who and when, and a manual payment is decided by someone other than its author.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class BankStatement(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        MT940 = "mt940", "MT940"
        CAMT053 = "camt053", "camt.053"

    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    sha256 = models.CharField(max_length=64, unique=True)
    account = models.CharField(_("account"), max_length=40, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    line_count = models.PositiveIntegerField(_("credit lines"), default=0)
    already_imported = models.PositiveIntegerField(_("lines imported before"), default=0)
    credit_total = models.BigIntegerField(_("credits, rupiah"), default=0)
    debit_total = models.BigIntegerField(_("debits, rupiah"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    exception_count = models.PositiveIntegerField(_("exceptions"), default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")

    def __str__(self) -> str:
        return self.file_name


class StatementLine(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", _("matched")
        EXCEPTION = "exception", _("exception")

    class Problem(models.TextChoices):
        NONE = "", _("none")
        UNDERPAID = "underpaid", _("under-payment")
        OVERPAID = "overpaid", _("over-payment")
        UNKNOWN_CODE = "unknown", _("unknown code")
        DUPLICATE = "duplicate", _("duplicate")

    class Resolution(models.TextChoices):
        OPEN = "", _("open")
        ALLOCATED = "allocated", _("allocated to a payer")
        RETURNED = "returned", _("returned to the sender")
        DUPLICATE = "duplicate", _("marked duplicate, returned")

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    line_no = models.PositiveIntegerField(_("line"))
    account = models.CharField(_("account"), max_length=40, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=60)
    value_date = models.DateField(_("value date"))
    amount = models.BigIntegerField(_("amount, rupiah"))
    payment_code = models.CharField(_("payment code"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    payer = models.ForeignKey(
        "contributions.Payer", null=True, blank=True, on_delete=models.PROTECT, related_name="statement_lines"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    problem = models.CharField(_("problem"), max_length=10, choices=Problem.choices, blank=True, default="")
    expected = models.BigIntegerField(_("open on the payer's bills, rupiah"), default=0)
    payment = models.OneToOneField(
        "contributions.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="statement_line"
    )
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices, blank=True, default="")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["value_date", "statement", "line_no"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        constraints = [
            # the same bank line imported twice (the same file, or overlapping statements) is stored once
            models.UniqueConstraint(fields=["account", "bank_reference"], name="statement_line_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="statement_line_credit"),
            models.CheckConstraint(
                condition=(Q(status="matched", problem="", resolution="") | Q(status="exception") & ~Q(problem="")),
                name="statement_line_status_problem",
            ),
            # money left the line only as a payment: matched or allocated ⇔ a payment
            models.CheckConstraint(
                condition=(
                    (Q(status="matched") | Q(resolution="allocated")) & Q(payment__isnull=False)
                    | ~(Q(status="matched") | Q(resolution="allocated")) & Q(payment__isnull=True)
                ),
                name="statement_line_payment_iff_allocated",
            ),
            models.CheckConstraint(
                condition=Q(resolution="") | Q(resolved_by__isnull=False, resolved_at__isnull=False),
                name="statement_line_resolved_by_whom",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "resolution"]),
            models.Index(fields=["payment_code", "amount", "value_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.bank_reference} {self.amount}"


class ManualPayment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    payer = models.ForeignKey("contributions.Payer", on_delete=models.PROTECT, related_name="manual_payments")
    amount = models.BigIntegerField(_("amount, rupiah"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=60)
    evidence_name = models.CharField(_("evidence"), max_length=255)
    evidence_type = models.CharField(max_length=40)
    evidence_sha256 = models.CharField(max_length=64)
    evidence = models.BinaryField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    payment = models.OneToOneField(
        "contributions.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="manual_entry"
    )

    class Meta:
        ordering = ["-entered_at", "-id"]
        verbose_name = _("manual payment")
        verbose_name_plural = _("manual payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="manual_payment_positive"),
            # four eyes: whoever decides is not whoever entered
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("entered_by")), name="manual_payment_four_eyes"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="pending", decided_by__isnull=True, payment__isnull=True)
                    | Q(status="confirmed", decided_by__isnull=False, payment__isnull=False)
                    | Q(status="rejected", decided_by__isnull=False, payment__isnull=True)
                ),
                name="manual_payment_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"
