"""Money received (``Payment``), and how much of it went to which bill (``Allocation``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from paritrana.contributions.models.bills import Bill, Payer


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
