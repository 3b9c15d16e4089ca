"""Wages reported by employers, their files, and the regional minimum wages.

- ``WageReport``: an employer's report of a worker's wage for a month (one per worker and month;
  a correction changes it, and simple-history keeps every earlier value).
- ``WageUpload``: one uploaded wage file, its per-row errors, and what was stored from it.
- ``RegionalMinimumWage``: a province's or regency's minimum wage from a date (the governor's decree).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paritrana.core.models import Upload
from paritrana.registry.models import Employer, Region, Worker


class WageUpload(Upload):
    class Status(models.TextChoices):
        STORED = "stored", _("stored")
        REJECTED = "rejected", _("rejected: nothing stored")
        PARTIAL = "partial", _("valid rows stored, invalid rows left out")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="wage_uploads")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    stored_count = models.PositiveIntegerField(_("rows stored"), default=0)
    # the valid rows of a rejected upload, kept so the user may choose to store only them
    pending_rows = models.JSONField(default=list, blank=True)

    class Meta(Upload.Meta):
        verbose_name = _("wage upload")
        verbose_name_plural = _("wage uploads")


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
