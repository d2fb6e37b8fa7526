from django.contrib import admin

from hoiccb.reports.models import Period, PeriodDeadline, UnitReport


class DeadlineInline(admin.TabularInline):
    model = PeriodDeadline
    extra = 0


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "deadline"]
    inlines = [DeadlineInline]


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "state", "number"]
    list_filter = ["period", "state"]
    readonly_fields = ["computed", "edited", "state"]
