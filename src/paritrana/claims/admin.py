"""The claim controls in the back office: the agency administrator edits the national default and a branch's
own values; every change is kept with who and when (django-simple-history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from paritrana.claims.models import ClaimControls


@admin.register(ClaimControls)
class ClaimControlsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "second_approval_threshold", "correction_reason_share_bp")
    raw_id_fields = ("branch",)
