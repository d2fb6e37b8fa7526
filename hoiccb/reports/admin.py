from django.contrib import admin

from hoiccb.reports.models import Period, PeriodDeadline, PeriodException, UnitReport, ValidationRule


class DeadlineInline(admin.TabularInline):
    model = PeriodDeadline
    extra = 0


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "deadline", "locks_on"]
    inlines = [DeadlineInline]


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "state", "number"]
    list_filter = ["period", "state"]
    readonly_fields = ["computed", "edited", "state"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    """Rules added to the built-in checks; `ValidationRule.clean` rejects unknown figure codes."""

    list_display = ["left", "operator", "right", "message", "active"]
    list_filter = ["active"]


@admin.register(PeriodException)
class PeriodExceptionAdmin(admin.ModelAdmin):
    list_display = ["period", "unit", "until", "reason", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
