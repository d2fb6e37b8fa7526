from django.contrib import admin
from django.http import HttpRequest

from hoiccb.members.models import SensitiveAccess, Theatre

admin.site.register(Theatre)


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(admin.ModelAdmin):
    """The access log, read-only: nobody adds, edits or deletes a trace from the admin."""

    list_display = ("at", "actor", "summary", "member_name", "member_ref", "count", "ip_address")
    list_filter = ("summary",)
    search_fields = ("member_name", "=member_ref", "actor__username", "summary")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    readonly_fields = [f.name for f in SensitiveAccess._meta.concrete_fields]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
