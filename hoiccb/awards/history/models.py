"""Awards received (from a decision here, or entered from before the system existed) and the
imports of past awards from a spreadsheet."""

from django.db import models
from django.db.models import Q

from hoiccb.awards.rounds.models import AwardForm
from hoiccb.org.unit_owned import UnitOwned


class AwardRecord(UnitOwned):
    """An award received (from a decision here, or entered from before the system existed)."""

    form = models.ForeignKey(AwardForm, verbose_name="hình thức", on_delete=models.PROTECT)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    achievement = models.CharField("thành tích", max_length=255, blank=True)
    decision = models.ForeignKey("Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    decision_text = models.CharField("số quyết định", max_length=100, blank=True)
    # The nomination an upper level's result came from (documents.services.upward_result_record).
    nomination = models.ForeignKey(
        "Nomination", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    source_import = models.ForeignKey(
        "AwardImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="records", editable=False
    )

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = "khen thưởng đã nhận"
        verbose_name_plural = "khen thưởng đã nhận"
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True) ^ Q(unit__isnull=True),
                name="award_record_one_recipient",
                violation_error_message="Khen thưởng thuộc về một cá nhân hoặc một tập thể.",
            )
        ]
        indexes = [
            models.Index(fields=["member", "form"], name="award_record_member"),
            models.Index(fields=["unit_path", "year"], name="award_record_path"),
        ]

    def __str__(self) -> str:
        return f"{self.form} ({self.year})"

    def owner_path(self) -> str:
        if self.member is not None:
            return self.member.unit_path
        if self.unit is None:
            raise ValueError("An award record names a member or a unit.")
        return self.unit.path

    @property
    def recipient_name(self) -> str:
        return str(self.member or self.unit)


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
