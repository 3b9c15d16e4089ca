"""A user's role and what it is attached to (branch, region, employer, worker); API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paritrana.registry.models import Branch, Employer, Region, Worker


class Role(models.TextChoices):
    ADMIN = "admin", _("agency administrator")
    BRANCH_OFFICER = "branch_officer", _("branch officer")
    REGIONAL_OFFICER = "regional_officer", _("regional-government officer")
    EMPLOYER_HR = "employer_hr", _("employer HR")
    WORKER = "worker", _("worker")
    HEIR = "heir", _("heir")
    ASSESSOR = "assessor", _("award assessor")
    AWARD_ADMIN = "award_admin", _("award administrator")
    POLICY_ANALYST = "policy_analyst", _("policy analyst")


# the scope object each role is attached to
ROLE_SCOPE: dict[str, str | None] = {
    Role.ADMIN: None,
    Role.BRANCH_OFFICER: "branch",
    Role.REGIONAL_OFFICER: "region",
    Role.EMPLOYER_HR: "employer",
    Role.WORKER: "worker",
    Role.HEIR: "worker",
    Role.ASSESSOR: None,
    # the central committee (no region) or a provincial committee (its province)
    Role.AWARD_ADMIN: None,
    # nation-wide, aggregated figures only (coverage, projections, scenarios): never a person's record
    Role.POLICY_ANALYST: None,
}


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="officers")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="officers")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="hr_users")
    worker = models.ForeignKey(
        Worker,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("the worker themself, or for an heir the worker whose heir they are"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, default="default")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: models.Model, name: str = "default", raw: str | None = None) -> tuple[ApiToken, str]:
        """A new token for ``user``; returns the record and the raw token (shown once)."""
        raw = raw or "ptk_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=_digest(raw), prefix=raw[:8])
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        return cls.objects.select_related("user").filter(digest=_digest(raw)).first()


class RequestCount(models.Model):
    """The requests of one address to one public page in one minute (``accounts.rate_limits``): the count is kept
    in the database so that every server process shares one limit; counts of earlier minutes are pruned."""

    scope = models.CharField(max_length=40)
    address = models.CharField(max_length=64)
    minute = models.BigIntegerField()  # minutes since the epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "address", "minute"], name="one_count_a_minute")]
        indexes = [models.Index(fields=["minute"], name="request_count_minute")]
