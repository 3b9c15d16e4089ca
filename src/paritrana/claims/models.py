"""Claims: what a worker, an heir or a branch officer asks for, its assessment by the rules,
its workflow (submitted → verified → approved → paid, or rejected), its documents, and the
payment instructions it yields (exactly once each: a unique key per claim).

The decisions behind this shape are in docs/decisions/0006-claims.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paritrana.contributions.models import JhtEntry
from paritrana.registry.models import Branch, Heir, Worker


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    VERIFIED = "verified", _("verified")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")
    REJECTED = "rejected", _("rejected")


class Claim(models.Model):
    """One claim of one type for one worker (the participant, alive or deceased)."""

    claim_type = models.CharField(_("claim type"), max_length=24, db_index=True)
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="claims", verbose_name=_("participant"))
    heir = models.ForeignKey(
        Heir, null=True, blank=True, on_delete=models.PROTECT, related_name="claims", verbose_name=_("heir")
    )
    # the branch that handles it: the employer's branch, else the branch serving the worker's region
    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="claims", verbose_name=_("branch")
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="claims_filed"
    )
    filed_as = models.CharField(_("filed as"), max_length=20)  # the filer's role
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("claim date"))
    event_date = models.DateField(_("event date"), null=True, blank=True)
    law_date = models.DateField(_("law date"))
    bank_account = models.CharField(_("bank account"), max_length=60, blank=True)
    # the assessment: the rule's inputs (and where each came from), outputs and explanation
    rule = models.CharField(_("rule"), max_length=60)
    inputs = models.JSONField(_("inputs"), default=dict)
    input_sources = models.JSONField(default=dict)  # field -> "claimant" | "registry" | "officer"
    extra = models.JSONField(default=dict, blank=True)  # e.g. the children of a scholarship claim
    outputs = models.JSONField(_("outputs"), default=dict)
    explanation = models.JSONField(default=dict)
    eligible = models.BooleanField(_("eligible"), default=False)
    refusal = models.TextField(_("why the rules refuse it"), blank=True)
    amount = models.BigIntegerField(_("amount, rupiah"), default=0)  # payable now (one-off, or first instalments)
    net_amount = models.BigIntegerField(_("net amount, rupiah"), null=True, blank=True)
    monthly_amount = models.BigIntegerField(_("monthly amount, rupiah"), default=0)  # a pension
    needs_second_approval = models.BooleanField(default=False)
    # the second-approval threshold of the claim's branch when it was assessed (ClaimControls)
    approval_threshold = models.BigIntegerField(_("second-approval threshold, rupiah"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    second_approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason of rejection"), blank=True)
    service_days = models.PositiveIntegerField(_("service days"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="claim_rejection_has_reason"
            ),
        ]

    @property
    def number(self) -> str:
        return f"KL-{self.pk:07d}"

    def __str__(self) -> str:
        return f"{self.number} {self.claim_type} ({self.status})"


class ClaimStep(models.Model):
    """The workflow record: each step with who and when."""

    class Step(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        DOCUMENT = "document", _("document added")
        CORRECTED = "corrected", _("inputs corrected")
        VERIFIED = "verified", _("verified")
        APPROVED = "approved", _("approved")
        SECOND_APPROVAL = "second_approval", _("second approval")
        PAID = "paid", _("paid")
        REJECTED = "rejected", _("rejected")
        INSTALMENT = "instalment", _("instalment paid")
        STOPPED = "stopped", _("stopped")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    # a correction's reason (required when it raises the claim's value by more than the branch's share)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("claim step")
        verbose_name_plural = _("claim steps")


class ClaimDocument(models.Model):
    """An uploaded file of the claim's checklist. Kept in the database (one transaction with the claim)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")


class BenefitPayment(models.Model):
    """A payment instruction. ``key`` names what it pays ("" the one-off amount, "2026-11" a pension
    month, "jkp-2" a JKP month, "child-1-2027" a scholarship year): one instruction per claim and key."""

    class Kind(models.TextChoices):
        LUMP_SUM = "lump_sum", _("lump sum")
        MONTHLY = "monthly", _("monthly pension")
        INSTALMENT = "instalment", _("monthly instalment")
        SCHOLARSHIP = "scholarship", _("scholarship year")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    key = models.CharField(max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount, rupiah"))
    due_on = models.DateField(_("due on"))
    instructed_at = models.DateTimeField(_("instructed at"))
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bank_account = models.CharField(_("bank account"), max_length=60, blank=True)
    jht_entry = models.OneToOneField(
        JhtEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="claim_payment"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("benefit payment")
        verbose_name_plural = _("benefit payments")
        constraints = [
            models.UniqueConstraint(fields=["claim", "key"], name="benefit_payment_once_per_claim_key"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="benefit_payment_amount_positive"),
        ]

    @property
    def reference(self) -> str:
        return f"PB-{self.pk:08d}"


class Instalment(models.Model):
    """A scheduled part of a claim paid later: a JKP month, or a child's scholarship year.

    Scholarship rows carry the child and the school year; each is paid on its own
    (``BenefitPayment`` with the row's key) once the school year has begun, or stopped with a reason.
    """

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        PAID = "paid", _("paid")
        STOPPED = "stopped", _("stopped")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="instalments")
    key = models.CharField(max_length=30)
    due_on = models.DateField(_("due on"))
    amount = models.BigIntegerField(_("amount, rupiah"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    stop_reason = models.TextField(_("why stopped"), blank=True)
    # scholarship: the child, the school year (its first calendar year), the level and year in it
    child_order = models.PositiveSmallIntegerField(null=True, blank=True)
    child_name = models.CharField(_("child"), max_length=200, blank=True)
    school_year = models.PositiveSmallIntegerField(_("school year"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=10, blank=True)
    year_in_level = models.PositiveSmallIntegerField(null=True, blank=True)
    payment = models.OneToOneField(
        BenefitPayment, null=True, blank=True, on_delete=models.PROTECT, related_name="instalment"
    )

    class Meta:
        ordering = ["due_on", "child_order", "id"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [
            models.UniqueConstraint(fields=["claim", "key"], name="instalment_once_per_claim_key"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="instalment_amount_not_negative"),
        ]


# the built-in values when no national row exists (a data migration creates it with these)
DEFAULT_SECOND_APPROVAL_THRESHOLD = 50_000_000
DEFAULT_CORRECTION_REASON_SHARE_BP = 1_000


class ClaimControls(models.Model):
    """The agency's internal control of claims, an operating setting (not law): the value from which a claim
    needs a second approver, and the share by which a verifier's correction may raise a claim's value
    without a written reason. One national row (no branch) and, where set, one row per branch; edited by
    the agency administrator, every change kept in the history (decision 0010)."""

    branch = models.OneToOneField(
        Branch,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claim_controls",
        verbose_name=_("branch"),
        help_text=_("empty: the national default"),
    )
    second_approval_threshold = models.BigIntegerField(
        _("second-approval threshold, rupiah"),
        default=DEFAULT_SECOND_APPROVAL_THRESHOLD,
        help_text=_("a claim whose value (the amount, plus twelve months of a pension) reaches it needs two approvers"),
    )
    correction_reason_share_bp = models.PositiveIntegerField(
        _("raise needing a reason, basis points"),
        default=DEFAULT_CORRECTION_REASON_SHARE_BP,
        help_text=_("a correction raising the claim's value by more than this share needs a reason (1000 = 10 %)"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("claim controls")
        verbose_name_plural = _("claim controls")
        constraints = [
            # one national row: the branch's id, or 0 for the national row, is unique
            models.UniqueConstraint(Coalesce(F("branch"), Value(0)), name="claim_controls_one_per_branch"),
            models.CheckConstraint(
                condition=Q(second_approval_threshold__gte=0), name="claim_controls_threshold_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(self.branch) if self.branch_id is not None else str(_("national default"))
