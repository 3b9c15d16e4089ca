"""The coverage records: the workforce (employed persons) by region and year, and the files they came from.

- ``WorkforceFigure``: employed persons of Indonesia (``region`` empty), a province or a regency/city in a
  year (BPS Sakernas, August), with its source and whether it is an official figure or an estimate.
  One per region and year; a re-import replaces the number and simple-history keeps the earlier one.
- ``WorkforceUpload``: one imported file, its per-row errors, and what was stored from it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paritrana.core.models import Upload
from paritrana.registry.models import Region


class FigureKind(models.TextChoices):
    OFFICIAL = "official", _("official figure")
    ESTIMATE = "estimate", _("estimate")
    DEMO_ESTIMATE = "demo_estimate", _("demo estimate")


class WorkforceUpload(Upload):
    class Status(models.TextChoices):
        STORED = "stored", _("stored")
        REJECTED = "rejected", _("rejected: nothing stored")

    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=300)
    kind = models.CharField(_("kind"), max_length=14, choices=FigureKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    stored_count = models.PositiveIntegerField(_("rows stored"), default=0)
    replaced_count = models.PositiveIntegerField(_("figures replaced"), default=0)

    class Meta(Upload.Meta):
        verbose_name = _("workforce upload")
        verbose_name_plural = _("workforce uploads")

    def __str__(self) -> str:
        return f"{self.file_name} {self.year} ({self.status})"


class WorkforceFigure(models.Model):
    """Employed persons of a region in a year; ``region`` empty is Indonesia."""

    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="workforce", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    employed = models.BigIntegerField(_("employed persons"))
    kind = models.CharField(_("kind"), max_length=14, choices=FigureKind.choices)
    source = models.CharField(_("source"), max_length=300)
    upload = models.ForeignKey(WorkforceUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "region__code"]
        verbose_name = _("workforce figure")
        verbose_name_plural = _("workforce figures")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], condition=Q(region__isnull=False), name="workforce_one_per_region_year"
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(region__isnull=True), name="workforce_one_national_year"
            ),
            models.CheckConstraint(condition=Q(employed__gte=0), name="workforce_employed_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id or 'ID'} {self.year} {self.employed}"
