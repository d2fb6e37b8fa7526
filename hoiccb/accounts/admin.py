from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from hoiccb.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("HoiCCB", {"fields": ("full_name", "unit", "role", "member")}))
    list_display = ("username", "full_name", "unit", "role", "is_active")
    raw_id_fields = ("unit", "member")
