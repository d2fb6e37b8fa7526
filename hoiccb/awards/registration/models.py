"""Yearly registration of a unit for a movement, and the members excepted from it."""

from django.db import models
from django.utils import timezone

from hoiccb.awards.movements.models import Movement
from hoiccb.org.unit_owned import UnitOwned


class Registration(UnitOwned):
    """Yearly registration of a unit (members follow their unit unless excepted)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    excepted_members = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", through="RegistrationException"
    )
    registered_at = models.DateTimeField("đăng ký lúc", default=timezone.now)
    registered_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["movement", "unit", "year"], name="registration_unique")]
        indexes = [models.Index(fields=["movement", "year", "unit_path"], name="registration_path")]

    def __str__(self) -> str:
        return f"Đăng ký thi đua {self.year}"


class RegistrationException(models.Model):
    """A member who does not register with their unit in a year, and why."""

    registration = models.ForeignKey("Registration", on_delete=models.CASCADE, related_name="exceptions")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("lý do", max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["registration", "member"], name="registration_exception_unique")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.reason}"
