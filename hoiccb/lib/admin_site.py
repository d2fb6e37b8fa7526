"""`/quan-tri/` in Vietnamese: app and model headings of our apps and of the libraries'.

Third-party apps (django-axes, django-tasks-db) and some of ours name themselves in
English; changing their models' `verbose_name` would ask for migrations in packages we
do not own, so the admin site renames them where it lists them instead.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

# app label → (app heading, {model object name → list heading})
LABELS: dict[str, tuple[str, dict[str, str]]] = {
    "accounts": ("Tài khoản", {}),
    "activities": ("Hoạt động", {}),
    "org": ("Tổ chức, đơn vị", {}),
    "auth": ("Xác thực và phân quyền", {"Group": "Nhóm quyền"}),
    "axes": (
        "Chống dò mật khẩu (django-axes)",
        {
            "AccessAttempt": "Lần đăng nhập sai",
            "AccessFailureLog": "Nhật ký đăng nhập sai",
            "AccessLog": "Nhật ký đăng nhập",
        },
    ),
    "django_tasks_database": ("Việc chạy nền", {"DBTaskResult": "Kết quả việc chạy nền"}),
}


class HoiCCBAdminSite(admin.AdminSite):
    site_header = "Quản trị hệ thống Hội Cựu chiến binh"
    site_title = "Quản trị HoiCCB"
    index_title = "Danh mục quản trị"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        for app in apps:
            name, models = LABELS.get(app["app_label"], (None, {}))
            if name:
                app["name"] = name
            for model in app["models"]:
                model["name"] = models.get(model["object_name"], model["name"])
        return sorted(apps, key=lambda a: a["name"].lower())


class HoiCCBAdminConfig(AdminConfig):
    default_site = "hoiccb.lib.admin_site.HoiCCBAdminSite"
