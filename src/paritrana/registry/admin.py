"""The back office for administrators: every registry record, with its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from paritrana.registry.models import Branch, Employer, Heir, Membership, Region, Sponsor, Worker


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Branch)
class BranchAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    filter_horizontal = ("regions",)


@admin.register(Employer)
class EmployerAdmin(SimpleHistoryAdmin):
    list_display = ("registration_number", "name", "sector", "size_class", "risk_group", "status")
    list_filter = ("size_class", "risk_group", "status")
    search_fields = ("registration_number", "name")
    raw_id_fields = ("region", "branch")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class HeirInline(admin.TabularInline):
    model = Heir
    extra = 0


@admin.register(Worker)
class WorkerAdmin(SimpleHistoryAdmin):
    list_display = ("nik", "name", "birth_date", "sex", "occupation", "scheme")
    list_filter = ("scheme", "sex", "occupation")
    search_fields = ("nik", "name")
    raw_id_fields = ("region", "employer", "sponsor")
    inlines = [MembershipInline, HeirInline]


@admin.register(Sponsor)
class SponsorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    raw_id_fields = ("region", "employer")


admin.site.register(Membership, SimpleHistoryAdmin)
admin.site.register(Heir, SimpleHistoryAdmin)
