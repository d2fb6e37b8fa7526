"""The admin holds only the configurable lists; activities themselves go through the app's pages
(and their services: scope checks, audit)."""

from django.contrib import admin

from hoiccb.activities.models import ActivityKind


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "has_gifts", "is_active")
    list_editable = ("order", "is_active")
    prepopulated_fields = {"code": ("name",)}
