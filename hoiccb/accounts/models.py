from django.contrib.auth.models import AbstractUser
from django.db import models

from hoiccb.accounts import idle  # noqa: F401  (starts the idle clock at each login)
from hoiccb.org.audit import AuditEvent


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    STANDING = "standing", "Ban Thường vụ"
    OFFICER = "officer", "Cán bộ đơn vị"
    COMMITTEE = "committee", "Ủy viên Ban Chấp hành"
    VIEWER = "viewer", "Chỉ xem"


class UserEventAction(models.TextChoices):
    CREATED = "created", "Tạo tài khoản"
    UPDATED = "updated", "Sửa tài khoản"
    PASSWORD_SET = "password_set", "Đặt lại mật khẩu"
    OTP_ENROLLED = "otp_enrolled", "Bật đăng nhập hai bước"
    OTP_RESET = "otp_reset", "Đặt lại đăng nhập hai bước"
    PASSWORD_CHANGED = "password_changed", "Tự đổi mật khẩu"


class User(AbstractUser):
    """A login. Its role applies to its unit and everything below it."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("vai trò", max_length=12, choices=Role.choices, default=Role.VIEWER)
    member = models.OneToOneField(
        "members.Member",
        verbose_name="hội viên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    # A password somebody else chose and mailed (bulk creation): the owner replaces it at first login.
    must_change_password = models.BooleanField("phải đổi mật khẩu khi đăng nhập", default=False)

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self) -> str:
        return self.full_name or self.username


class UserEvent(AuditEvent):
    """Audit entry of a login: created, edited (role, unit, rights), password reset. Never a password."""

    user = models.ForeignKey(User, verbose_name="tài khoản", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("việc", max_length=40, choices=UserEventAction.choices)

    class Meta(AuditEvent.Meta):
        verbose_name = "nhật ký tài khoản"
        verbose_name_plural = "nhật ký tài khoản"
        indexes = [
            models.Index(fields=["user", "-at"], name="user_event_recent"),
            models.Index(fields=["unit_path", "-at"], name="user_event_path"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.user_id}"

    def owner_path(self) -> str:
        # Under the login's unit, so the chair of that subtree reads it; "" for a login with no unit (admins).
        unit = self.user.unit
        return unit.path if unit is not None else ""
