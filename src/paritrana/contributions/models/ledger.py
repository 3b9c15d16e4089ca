"""The JHT individual account as a ledger (``JhtEntry``: credits, yearly returns, withdrawals) and its readings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext_lazy as _

from paritrana.contributions.models.bills import BillLine
from paritrana.registry.models import Worker


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
