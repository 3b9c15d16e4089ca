"""The award's records: editions, rounds (provincial and national), candidates, submissions with evidence,
assessors' scores (every change kept), declared conflicts of interest, and computations (the frozen ranking)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paritrana.registry.models import Employer, Region


class Category(models.TextChoices):
    PROVINCE = "province", _("province")
    REGENCY = "regency", _("regency/city")
    VILLAGE = "village", _("village")
    COMPANY_LARGE = "company_large", _("large company")
    COMPANY_MEDIUM = "company_medium", _("medium company")
    COMPANY_SMALL = "company_small", _("small or micro company")
    INSTITUTION = "institution", _("public-service institution")


class Edition(models.Model):
    year = models.PositiveSmallIntegerField(_("assessment year"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    window_opens = models.DateField(_("submissions open"))
    window_closes = models.DateField(_("submissions close"))
    calendar = models.JSONField(_("calendar"), default=dict, help_text=_("stage → date"))
    weights = models.JSONField(_("weights"), default=dict)
    weights_version = models.PositiveIntegerField(_("weights version"), default=1)
    weights_reference = models.CharField(_("weights reference"), max_length=200)
    zones_version = models.CharField(_("zones version"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("award edition")
        verbose_name_plural = _("award editions")

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    class Tier(models.TextChoices):
        PROVINCIAL = "provincial", _("provincial round")
        NATIONAL = "national", _("national round")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("panel closed")
        PUBLISHED = "published", _("published")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="rounds")
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    province = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assessors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="award_panels")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    published = models.ForeignKey("Computation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(m2m_fields=[assessors])

    class Meta:
        ordering = ["edition", "tier", "province"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "tier", "province"], name="award_one_round_per_place"),
            models.UniqueConstraint(fields=["edition"], condition=models.Q(tier="national"),
                                    name="award_one_national_round"),
        ]  # fmt: skip

    def __str__(self) -> str:
        where = self.province.name if self.province else "Indonesia"
        return f"{self.edition.year} {self.tier} {where}"


class Candidate(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidates")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    zone = models.CharField(_("zone"), max_length=32)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # fmt: skip
    self_nominated = models.BooleanField(default=False)
    promoted_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "region"], condition=models.Q(region__isnull=False),
                                    name="award_candidate_region_once"),
            models.UniqueConstraint(fields=["round", "employer"], condition=models.Q(employer__isnull=False),
                                    name="award_candidate_employer_once"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "regulation", _("regulation")
        INNOVATION = "innovation", _("innovation")
        BUDGET = "budget", _("budget document (DPA)")
        CSR = "csr", _("CSR programme")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="submissions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["candidate", "kind", "submitted_at"]


class Score(models.Model):
    """One assessor's score of one rubric item of one candidate; every change is in its history."""

    class Item(models.TextChoices):
        INTERVIEW = "interview", _("interview")
        REGULATION = "regulation", _("regulation quality")
        INNOVATION = "innovation", _("innovation")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_scores")
    item = models.CharField(_("item"), max_length=12, choices=Item.choices)
    value = models.PositiveSmallIntegerField(_("score (0–100)"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "item", "assessor"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "assessor", "item"], name="award_one_score_per_item"),
            models.CheckConstraint(condition=models.Q(value__lte=100), name="award_score_at_most_100"),
        ]


class Conflict(models.Model):
    """A conflict of interest declared by an assessor: a region (and the regions below it) or a company."""

    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_conflicts")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()


class Computation(models.Model):
    """A ranking computed from a frozen snapshot: its folder and hash, the parameters and inputs it used, and
    its results (recomputing from these gives the same ranks whatever the registry holds later)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="computations")
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.CharField(_("snapshot folder"), max_length=400)
    snapshot_sha256 = models.CharField(_("snapshot hash"), max_length=64)
    months = models.JSONField(default=list)
    as_of = models.DateField(_("snapshot date"))
    parameters = models.JSONField(default=dict)
    inputs = models.JSONField(default=dict)
    results = models.JSONField(default=list)

    class Meta:
        ordering = ["round", "-computed_at", "-id"]
