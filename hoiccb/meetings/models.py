"""Conferences and working sessions: agenda, delegates, guests, preparation tasks, minutes, conclusions.

A meeting keeps a copy of its organising unit's path (`unit_path`) so the meetings
of a subtree are one index range; org.services rewrites the copies when the tree changes.
"""

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.audit import AuditEvent
from hoiccb.org.unit_owned import UnitOwned


class MeetingKind(models.TextChoices):
    SUMMARY = "tong_ket", "Hội nghị tổng kết"
    COMMITTEE = "bch", "Hội nghị Ban Chấp hành"
    WORKING = "lam_viec", "Buổi làm việc"
    CONGRESS = "dai_hoi", "Đại hội"
    OTHER = "khac", "Khác"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Đang chuẩn bị"
    READY = "ready", "Sẵn sàng"
    HELD = "held", "Đã họp"
    CLOSED = "closed", "Đã kết thúc"


class Meeting(UnitOwned):
    kind = models.CharField("loại", max_length=10, choices=MeetingKind.choices, default=MeetingKind.SUMMARY)
    title = models.CharField("tên hội nghị, buổi làm việc", max_length=255)
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField("thời gian")
    venue = models.CharField("địa điểm", max_length=255, blank=True)
    sums_up = models.CharField(
        "phong trào, đợt thi đua tổng kết", max_length=255, blank=True, help_text="Bỏ trống nếu không có."
    )
    status = models.CharField("trạng thái", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField("biên bản", blank=True)
    # The invitation's number (Số: 03/GM-CCB), from the unit's count of the year, given when the
    # invitations are first printed and kept, with their date, for every reprint.
    invitation_number = models.PositiveIntegerField("số giấy mời", null=True, blank=True, editable=False)
    invitation_year = models.PositiveSmallIntegerField("năm của số giấy mời", null=True, blank=True, editable=False)
    invitation_dated = models.DateField("ngày giấy mời", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = "hội nghị"
        verbose_name_plural = "hội nghị"
        indexes = [models.Index(fields=["unit_path", "starts_at"], name="meeting_path_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "invitation_year", "invitation_number"],
                name="meeting_invitation_number_unique",
                violation_error_message="Số giấy mời này đã được dùng trong năm.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    time = models.TimeField("giờ", null=True, blank=True)
    content = models.CharField("nội dung", max_length=500)
    presenter = models.CharField("người trình bày", max_length=255, blank=True)

    class Meta:
        ordering = ["order", "time", "id"]
        verbose_name = "mục chương trình"
        verbose_name_plural = "chương trình"

    def __str__(self) -> str:
        return self.content


class Allotment(UnitOwned):
    """The delegate places given to one unit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="allotments")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    members = models.PositiveIntegerField("số hội viên", default=0)
    places = models.PositiveIntegerField("số đại biểu", validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="allotment_one_per_unit"),
            models.CheckConstraint(condition=Q(places__gte=0), name="allotment_places_not_negative"),
        ]
        indexes = [models.Index(fields=["unit_path"], name="allotment_path")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.places}"


class Delegate(models.Model):
    allotment = models.ForeignKey(Allotment, on_delete=models.CASCADE, related_name="delegates")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="delegates")
    member = models.ForeignKey("members.Member", verbose_name="hội viên", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(max_length=255, editable=False)
    search_text = models.CharField(max_length=300, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="delegate_once")]
        indexes = [models.Index(fields=["meeting", "search_text"], name="delegate_search")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = self.member.full_name
        self.search_text = normalize_search(f"{self.full_name} {self.allotment.unit.name}")
        super().save(*args, **kwargs)


class Reply(models.TextChoices):
    PENDING = "pending", "Chưa trả lời"
    ACCEPTED = "accepted", "Nhận lời"
    DECLINED = "declined", "Không dự"


class Guest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField("họ và tên", max_length=255)
    title = models.CharField("chức vụ", max_length=255, blank=True)
    organisation = models.CharField("cơ quan, đơn vị", max_length=255, blank=True)
    reply = models.CharField("trả lời", max_length=10, choices=Reply.choices, default=Reply.PENDING)
    search_text = models.CharField(max_length=600, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "khách mời"
        verbose_name_plural = "khách mời"
        indexes = [models.Index(fields=["meeting", "search_text"], name="guest_search")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = normalize_search(f"{self.name} {self.title} {self.organisation}")
        super().save(*args, **kwargs)


class TaskGroup(models.TextChoices):
    CONTENT = "noi_dung", "Nội dung"
    PROTOCOL = "khanh_tiet", "Khánh tiết"
    VENUE = "co_so", "Cơ sở vật chất"
    LOGISTICS = "hau_can", "Hậu cần"
    AWARDS = "khen_thuong", "Khen thưởng"
    FOLLOW_UP = "ket_luan", "Thực hiện kết luận"
    OTHER = "khac", "Khác"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "todo", "Chưa làm"
    IN_PROGRESS = "doing", "Đang làm"
    DONE = "done", "Đã xong"
    BLOCKED = "blocked", "Vướng mắc"


class Task(UnitOwned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("nhiệm vụ", max_length=255)
    group = models.CharField("nhóm việc", max_length=12, choices=TaskGroup.choices, default=TaskGroup.CONTENT)
    assignee = models.ForeignKey(
        "accounts.User", verbose_name="người phụ trách", on_delete=models.PROTECT, related_name="meeting_tasks"
    )
    helpers = models.ManyToManyField(
        "accounts.User", verbose_name="người phối hợp", blank=True, related_name="helped_meeting_tasks"
    )
    deadline = models.DateField("hạn hoàn thành")
    status = models.CharField("tình trạng", max_length=10, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    notes = models.TextField("ghi chú", blank=True)
    conclusion = models.OneToOneField(
        "Conclusion", null=True, blank=True, on_delete=models.CASCADE, related_name="task", editable=False
    )
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    done_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        indexes = [
            models.Index(fields=["assignee", "status", "deadline"], name="task_assignee"),
            models.Index(fields=["unit_path", "status", "deadline"], name="task_path_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def owner_path(self) -> str:
        return self.meeting.unit_path

    def is_late(self, on: datetime.date) -> bool:
        return self.status != TaskStatus.DONE and self.deadline < on


class TaskAttachment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="meetings/tasks/%Y/")
    name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Conclusion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    text = models.TextField("kết luận")
    action = models.CharField("việc phải làm", max_length=255)
    owner = models.ForeignKey(
        "accounts.User", verbose_name="người thực hiện", on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField("hạn")

    class Meta:
        ordering = ["id"]
        verbose_name = "kết luận"
        verbose_name_plural = "kết luận"

    def __str__(self) -> str:
        return self.action


class DocumentKind(models.TextChoices):
    REPORT = "bao_cao", "Báo cáo tổng kết"
    AWARD = "khen_thuong", "Quyết định khen thưởng"
    OTHER = "khac", "Tài liệu khác"


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("loại tài liệu", max_length=12, choices=DocumentKind.choices, default=DocumentKind.REPORT)
    title = models.CharField("tên tài liệu", max_length=255)
    file = models.FileField("tệp", upload_to="meetings/docs/%Y/", blank=True)
    link = models.URLField("hoặc đường dẫn", blank=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link=""),
                name="document_file_or_link",
                violation_error_message="Cần tải tệp lên hoặc nhập đường dẫn.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class MeetingEvent(AuditEvent):
    """Audit entry of a meeting and everything under it (agenda, delegates, tasks, documents)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")

    class Meta(AuditEvent.Meta):
        indexes = [models.Index(fields=["meeting", "-at"], name="meeting_event_recent")]

    def __str__(self) -> str:
        return self.summary

    def owner_path(self) -> str:
        return self.meeting.unit_path


# The elections subpackage keeps its rows in its own module; Django loads them from here.
from hoiccb.meetings.elections.models import BallotEntry, Batch, Candidate, Election, Round  # noqa: E402, F401
