"""Periods and the reports units send up for them.

A report holds the figures computed from the data (`computed`) and the ones the unit
corrected (`edited`, code → value), kept apart: the shown value is the edited one, and
the computed one stays beside it. A submitted or accepted report is frozen.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from hoiccb.org.audit import AuditEvent
from hoiccb.org.unit_owned import UnitOwned


class PeriodKind(models.TextChoices):
    FIRST_HALF = "h1", "6 tháng đầu năm"
    YEAR = "year", "Cả năm"
    OTHER = "other", "Kỳ khác"


class Period(models.Model):
    """A reporting period, e.g. "6 tháng đầu năm 2024" (1/1–30/6/2024)."""

    kind = models.CharField("loại kỳ", max_length=8, choices=PeriodKind.choices, default=PeriodKind.FIRST_HALF)
    name = models.CharField("tên kỳ báo cáo", max_length=150)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    title = models.CharField(
        "trích yếu báo cáo",
        max_length=255,
        help_text="Ví dụ: Kết quả hoạt động 6 tháng đầu năm và phương hướng nhiệm vụ 6 tháng cuối năm 2024",
    )
    deadline = models.DateField("hạn nộp chung")
    locks_on = models.DateField(
        "khóa sổ sau ngày",
        null=True,
        blank=True,
        help_text=(
            "Sau ngày này không lập, sửa, nộp báo cáo của kỳ được nữa, trừ đơn vị được cấp trên cho phép nộp muộn."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end", "-id"]
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="period_end_after_start",
                violation_error_message="Ngày kết thúc kỳ phải sau ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("end")),
                name="period_deadline_after_end",
                violation_error_message="Hạn nộp phải từ ngày kết thúc kỳ trở đi.",
            ),
            models.CheckConstraint(
                condition=Q(locks_on__isnull=True) | Q(locks_on__gte=F("deadline")),
                name="period_lock_after_deadline",
                violation_error_message="Ngày khóa sổ phải từ hạn nộp chung trở đi.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def deadline_for(self, unit) -> datetime.date:
        """Return the deadline of a unit's report: its level's, else the period's."""
        for d in self.deadlines.all():
            if d.unit_kind_id == unit.kind_id:
                return d.due_on
        return self.deadline


class PeriodException(UnitOwned):
    """The level above lets one unit write and submit its report after the period has locked.

    Each grant is a row of its own (who, when, why); the latest one applies.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="exceptions")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.CASCADE, related_name="+")
    until = models.DateField("được nộp đến ngày")
    reason = models.CharField("lý do", max_length=255)
    granted_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "unit_path", "-granted_at"]
        verbose_name = "cho phép nộp muộn"
        verbose_name_plural = "cho phép nộp muộn"
        indexes = [models.Index(fields=["period", "unit"], name="period_exception_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id}: đến {self.until:%d/%m/%Y}"


class PeriodDeadline(models.Model):
    """The deadline of one level's reports (grassroots reports before the bloc's, and so on)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="deadlines")
    unit_kind = models.ForeignKey("org.UnitKind", verbose_name="cấp", on_delete=models.PROTECT)
    due_on = models.DateField("hạn nộp")

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit_kind"], name="period_deadline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_kind}: {self.due_on:%d/%m/%Y}"


class ReportState(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã nộp"
    RETURNED = "returned", "Trả lại"
    ACCEPTED = "accepted", "Đã duyệt"


FROZEN_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)

TEXT_SECTIONS = (
    ("building", "Công tác xây dựng Hội"),
    ("propaganda", "Công tác tuyên truyền"),
    ("movement", "Phong trào thi đua “Cựu chiến binh gương mẫu”"),
    ("welfare", "Công tác an sinh xã hội"),
    ("inspection", "Công tác kiểm tra, giám sát"),
)


class UnitReport(UnitOwned):
    """One unit's report for one period."""

    period = models.ForeignKey(Period, verbose_name="kỳ báo cáo", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="reports")
    state = models.CharField("trạng thái", max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    is_rollup = models.BooleanField("tổng hợp từ báo cáo cấp dưới", default=False)
    number = models.CharField("số", max_length=30, blank=True, help_text="Ví dụ: 15/BC-CCB")
    place = models.CharField("địa danh", max_length=100, blank=True, help_text="Ví dụ: Yên Bái")
    dated_on = models.DateField("ngày ban hành", null=True, blank=True)
    signer = models.CharField("người ký", max_length=150, blank=True)
    computed = models.JSONField("số liệu tính từ dữ liệu", default=dict, blank=True)
    edited = models.JSONField("số liệu đã sửa", default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    missing_units = models.JSONField("đơn vị chưa có báo cáo được duyệt", default=list, blank=True)
    # A frozen roll-up whose reports below changed after it was submitted: not printed until
    # it is returned and recomputed (a draft one is recomputed at once instead).
    stale = models.BooleanField("số liệu tổng hợp đã cũ", default=False)
    building = models.TextField("Công tác xây dựng Hội", blank=True)
    propaganda = models.TextField("Công tác tuyên truyền", blank=True)
    movement = models.TextField("Phong trào thi đua “Cựu chiến binh gương mẫu”", blank=True)
    welfare = models.TextField("Công tác an sinh xã hội", blank=True)
    inspection = models.TextField("Công tác kiểm tra, giám sát", blank=True)
    shortcomings = models.TextField("Tồn tại, hạn chế", blank=True)
    plan = models.TextField("Phương hướng, nhiệm vụ kỳ tới", blank=True)
    return_comment = models.TextField("lý do trả lại", blank=True)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    reviewed_at = models.DateTimeField("duyệt / trả lại lúc", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "unit_path"]
        verbose_name = "báo cáo đơn vị"
        verbose_name_plural = "báo cáo đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"],
                name="report_one_per_unit_period",
                violation_error_message="Đơn vị đã có báo cáo cho kỳ này.",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_comment=""),
                name="report_returned_has_comment",
                violation_error_message="Trả lại báo cáo phải ghi lý do.",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "unit_path"], name="report_period_path"),
            # Reports waiting for review, for the inbox of every level up to the centre: a
            # few hundred among hundreds of thousands, so only they are indexed.
            models.Index(
                fields=["unit_path", "period", "unit"], condition=Q(state="submitted"), name="report_waiting_path"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    def value(self, code: str) -> int:
        """Return the figure as reported: the unit's correction if any, else the computed value."""
        if code in self.edited:
            return self.edited[code]
        return self.computed.get(code, 0)

    def values(self) -> dict[str, int]:
        return {**self.computed, **self.edited}


class RuleOperator(models.TextChoices):
    LE = "<=", "≤ (không lớn hơn)"
    LT = "<", "< (nhỏ hơn)"
    EQ = "=", "= (bằng)"
    GE = ">=", "≥ (không nhỏ hơn)"
    GT = ">", "> (lớn hơn)"


class ValidationRule(models.Model):
    """A check an administrator adds to the built-in ones: left side, operator, right side, message.

    Each side is a sum of figure codes and whole numbers ("act_tuyen_truyen + act_an_sinh",
    "members - 1"); `hoiccb.reports.rules` reads and evaluates them.
    """

    left = models.CharField(
        "vế trái",
        max_length=255,
        help_text="Mã số liệu nối bằng dấu + hoặc - (cách hai bên), ví dụ: ccb + cqn (mã ở trang Quy tắc)",
    )
    operator = models.CharField("phép so sánh", max_length=2, choices=RuleOperator.choices, default=RuleOperator.LE)
    right = models.CharField("vế phải", max_length=255, help_text="Ví dụ: members")
    message = models.CharField("thông báo khi sai", max_length=255)
    active = models.BooleanField("đang áp dụng", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "quy tắc kiểm tra số liệu"
        verbose_name_plural = "quy tắc kiểm tra số liệu"

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"

    def clean(self) -> None:
        from hoiccb.reports.rules import parse_side  # rules reads the figure catalogue

        errors = {}
        for name in ("left", "right"):
            try:
                parse_side(getattr(self, name))
            except ValueError as exc:
                errors[name] = str(exc)
        if errors:
            raise ValidationError(errors)


class ReportEvent(AuditEvent):
    """Audit entry: who created, edited, submitted, returned or accepted a report."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="events")

    class Meta(AuditEvent.Meta):
        indexes = [models.Index(fields=["report", "-at"], name="report_event_recent")]

    def __str__(self) -> str:
        return f"{self.action}: {self.summary}"

    def owner_path(self) -> str:
        return self.report.unit_path


class ReportReminder(AuditEvent):
    """Audit entry: the level above reminded a unit that its report for a period is late."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta(AuditEvent.Meta):
        verbose_name = "nhắc nộp báo cáo"
        verbose_name_plural = "nhắc nộp báo cáo"
        indexes = [models.Index(fields=["period", "unit", "-at"], name="report_reminder_recent")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.summary}"

    def owner_path(self) -> str:
        return self.unit.path
