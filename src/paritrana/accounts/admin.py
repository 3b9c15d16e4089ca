from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from paritrana.accounts.models import ApiToken, Profile


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "branch", "region", "employer")
    list_filter = ("role",)
    raw_id_fields = ("user", "branch", "region", "employer", "worker")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created", "last_used")
    readonly_fields = ("digest", "prefix", "created", "last_used")
