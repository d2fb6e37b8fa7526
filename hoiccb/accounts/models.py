from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    STANDING = "standing", "Ban Thường vụ"
    OFFICER = "officer", "Cán bộ đơn vị"
    COMMITTEE = "committee", "Ủy viên Ban Chấp hành"
    VIEWER = "viewer", "Chỉ xem"


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

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self) -> str:
        return self.full_name or self.username
