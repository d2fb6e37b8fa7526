from django.contrib import admin

from hoiccb.finance.models import DuesRate, DuesShare


@admin.register(DuesRate)
class DuesRateAdmin(admin.ModelAdmin):
    list_display = ("from_year", "amount", "exempt_from_age", "exempt_hardship")


@admin.register(DuesShare)
class DuesShareAdmin(admin.ModelAdmin):
    list_display = ("kind", "basis_points")
