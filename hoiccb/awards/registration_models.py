"""Rows of yearly registration and of the import of past awards.

Imported at the end of `models.py`, so they are the awards app's models like the others.
"""

from django.db import models

from hoiccb.org.unit_owned import UnitOwned


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


class AwardImportState(models.TextChoices):
    PREVIEW = "preview", "Chờ xác nhận"
    COMMITTED = "committed", "Đã ghi"


class AwardImport(UnitOwned):
    """One upload of awards received before the system existed: its preview rows, then what was written."""

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị nhập", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    committed_at = models.DateTimeField("ghi lúc", null=True, blank=True)
    file_name = models.CharField("tên tệp", max_length=255)
    file_sha256 = models.CharField("mã băm SHA-256", max_length=64)
    state = models.CharField(
        "trạng thái", max_length=10, choices=AwardImportState.choices, default=AwardImportState.PREVIEW
    )
    rows = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "lần nhập khen thưởng đã có"
        verbose_name_plural = "lần nhập khen thưởng đã có"
        indexes = [models.Index(fields=["unit_path"], name="award_import_path")]

    def __str__(self) -> str:
        return f"Nhập khen thưởng từ {self.file_name}"
