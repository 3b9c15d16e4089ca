"""The back office: contributions records (read mostly; changes go through the use cases)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from paritrana.contributions.models import (
    Allocation,
    Bill,
    BillingRun,
    BillLine,
    JhtEntry,
    Payer,
    Payment,
    RegionalMinimumWage,
    WageReport,
    WageUpload,
)


@admin.register(WageReport)
class WageReportAdmin(SimpleHistoryAdmin):
    list_display = ("worker", "employer", "period", "wage")
    list_filter = ("period",)
    raw_id_fields = ("worker", "employer", "upload", "reported_by")


@admin.register(RegionalMinimumWage)
class RegionalMinimumWageAdmin(SimpleHistoryAdmin):
    list_display = ("region", "valid_from", "amount", "reference")
    raw_id_fields = ("region",)


for model in (WageUpload, Payer, BillingRun, Bill, BillLine, Payment, Allocation, JhtEntry):
    admin.site.register(model)
