"""A reform scenario (dated parameter values overriding the law's, versioned) and its runs over a month or a year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Scenario(models.Model):
    """Dated parameter values in the format of the law's parameter files; every edit is a new version."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"))
    parameters = models.TextField(_("parameters (YAML)"))
    version = models.PositiveIntegerField(_("version"), default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("reform scenario")
        verbose_name_plural = _("reform scenarios")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ScenarioRun(models.Model):
    """One run of a scenario's version over a month or a calendar year of the registry or of a snapshot: the
    roll-ups, kept as computed."""

    class Span(models.TextChoices):
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="runs")
    version = models.PositiveIntegerField(_("version"))
    parameters = models.TextField(_("parameters (YAML)"))  # the version run, as it was
    period = models.DateField(_("period"))  # the first day of its month, or 1 January of its year
    span = models.CharField(_("span"), max_length=5, choices=Span.choices, default=Span.MONTH)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    engine = models.CharField(_("engine"), max_length=8, default="duckdb")
    # what the run read: "registry", or a snapshot by its export time and its manifest's SHA-256
    source = models.CharField(_("source"), max_length=80, default="registry")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)  # in English; shown in the reader's language
    progress_token = models.CharField(max_length=64, blank=True)  # its core.Progress record, for its page

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("scenario run")
        verbose_name_plural = _("scenario runs")

    def __str__(self) -> str:
        return f"{self.scenario.name} v{self.version} {self.period_code}"

    @property
    def period_code(self) -> str:
        """The period as a program writes it: ``2026-03`` for a month, ``2026`` for a year."""
        return f"{self.period:%Y}" if self.span == self.Span.YEAR else f"{self.period:%Y-%m}"

    def period_text(self) -> str:
        """The period in words, in the active language: "Maret 2026", or "Tahun 2026"."""
        if self.span == self.Span.YEAR:
            return gettext("Year %(year)s") % {"year": self.period.year}
        return date_format(self.period, "F Y")
