"""Personal data: who saw which member, members' requests, consents, anonymisations.

Law 91/2025/QH15 on personal data protection (in force 01/01/2026) and Decree 13/2023.
Imported by members/models.py (so Django registers them in the members app); the
relations to Member are by name, so this module imports nothing of members.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from hoiccb.org.audit import AuditEvent
from hoiccb.org.unit_owned import UnitOwned


class MemberOwned(UnitOwned):
    """Abstract: a row filed under its member's unit, and under the last one known once the member is gone."""

    class Meta:
        abstract = True

    def owner_path(self) -> str:
        member = getattr(self, "member", None)
        return member.unit_path if member is not None else self.unit_path


class SensitiveAccessMember(models.Model):
    """One member shown by one sensitive read: the index behind "who saw member X".

    A plain id, not a foreign key: the line outlives the member, and an export of
    100,000 members writes 100,000 pairs of integers rather than 100,000 log rows.
    (A JSON list of ids on the log row would be smaller, but neither SQLite nor a
    portable query can search inside it with an index.)
    """

    access = models.ForeignKey("members.SensitiveAccess", on_delete=models.CASCADE, related_name="shown")
    member_ref = models.PositiveIntegerField("mã hội viên")

    class Meta:
        verbose_name = "hội viên trong lượt xem"
        verbose_name_plural = "hội viên trong lượt xem"
        indexes = [models.Index(fields=["member_ref", "access"], name="sensitive_shown_member")]

    def __str__(self) -> str:
        return f"{self.access_id}:{self.member_ref}"


class RequestKind(models.TextChoices):
    ACCESS = "access", "Xem, nhận bản sao dữ liệu"
    CORRECTION = "correction", "Chỉnh sửa dữ liệu"
    OBJECTION = "objection", "Phản đối xử lý"
    RESTRICTION = "restriction", "Hạn chế xử lý"
    DELETION = "deletion", "Xoá dữ liệu"
    WITHDRAWAL = "withdrawal", "Rút lại sự đồng ý"


class RequestState(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    DONE = "done", "Đã giải quyết"
    REFUSED = "refused", "Từ chối (có lý do)"


OPEN_STATES = (RequestState.RECEIVED, RequestState.IN_PROGRESS)


class DataRequest(MemberOwned):
    """A member's request about their personal data, with its state and deadline."""

    # SET_NULL with copies, like the access log: the register outlives the member.
    member = models.ForeignKey(
        "members.Member", verbose_name="hội viên", null=True, on_delete=models.SET_NULL, related_name="data_requests"
    )
    member_ref = models.PositiveIntegerField("mã hội viên")
    member_name = models.CharField("họ tên hội viên", max_length=255)
    kind = models.CharField("loại yêu cầu", max_length=12, choices=RequestKind.choices)
    received_on = models.DateField("ngày nhận")
    deadline = models.DateField("hạn giải quyết")
    channel = models.CharField("hình thức gửi", max_length=100, blank=True)
    details = models.TextField("nội dung yêu cầu")
    state = models.CharField("trạng thái", max_length=12, choices=RequestState.choices, default=RequestState.RECEIVED)
    outcome = models.TextField("kết quả, lý do", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField("ngày kết thúc", null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = "yêu cầu của chủ thể dữ liệu"
        verbose_name_plural = "yêu cầu của chủ thể dữ liệu"
        indexes = [
            models.Index(fields=["unit_path", "state", "deadline"], name="data_request_open"),
            models.Index(fields=["member_ref"], name="data_request_member"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("received_on")),
                name="data_request_deadline_after_receipt",
                violation_error_message="Hạn giải quyết không được trước ngày nhận.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.member_name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", "Văn bản có chữ ký"
    FORM = "form", "Phiếu đồng ý trong hồ sơ"
    ELECTRONIC = "electronic", "Điện tử (thư, tin nhắn có lưu vết)"
    RECORDED = "recorded", "Lời nói có ghi âm, biên bản"


class Consent(MemberOwned):
    """A member's consent to a purpose of processing their sensitive data, and its withdrawal."""

    member = models.ForeignKey(
        "members.Member", verbose_name="hội viên", on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField("mục đích", max_length=255)
    given_on = models.DateField("ngày đồng ý")
    method = models.CharField("hình thức", max_length=12, choices=ConsentMethod.choices)
    document = models.FileField("văn bản", upload_to="private/dong-y/", max_length=200, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    withdrawn_on = models.DateField("ngày rút lại", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = "sự đồng ý xử lý dữ liệu"
        verbose_name_plural = "sự đồng ý xử lý dữ liệu"
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message="Ngày rút lại không được trước ngày đồng ý.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.given_on:%d/%m/%Y})"


class AnonymisationState(models.TextChoices):
    PENDING = "pending", "Chờ người thứ hai xác nhận"
    DONE = "done", "Đã ẩn danh"
    CANCELLED = "cancelled", "Đã huỷ"


class Anonymisation(MemberOwned):
    """Anonymising one member: asked for by one user, carried out when a different one confirms."""

    member = models.ForeignKey("members.Member", null=True, on_delete=models.SET_NULL, related_name="anonymisations")
    member_ref = models.PositiveIntegerField("mã hội viên")
    request = models.ForeignKey(
        DataRequest, verbose_name="yêu cầu", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("căn cứ")
    state = models.CharField(max_length=10, choices=AnonymisationState.choices, default=AnonymisationState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "ẩn danh hội viên"
        verbose_name_plural = "ẩn danh hội viên"
        constraints = [
            # One open anonymisation per member: a second would be confirmed against a stale preview.
            models.UniqueConstraint(
                fields=["member_ref"],
                condition=Q(state="pending"),
                name="anonymisation_one_pending",
                violation_error_message="Hội viên này đã có đề nghị ẩn danh đang chờ xác nhận.",
            )
        ]

    def __str__(self) -> str:
        return f"Ẩn danh #{self.member_ref} ({self.get_state_display()})"


class PrivacyEventKind(models.TextChoices):
    REQUEST_RECEIVED = "request_received", "Tiếp nhận yêu cầu"
    REQUEST_UPDATED = "request_updated", "Cập nhật yêu cầu"
    CONSENT_RECORDED = "consent_recorded", "Ghi nhận sự đồng ý"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Rút lại sự đồng ý"
    DATA_EXPORTED = "data_exported", "Xuất toàn bộ dữ liệu của hội viên"
    ANONYMISATION_ASKED = "anonymisation_asked", "Đề nghị ẩn danh"
    ANONYMISATION_CANCELLED = "anonymisation_cancelled", "Huỷ đề nghị ẩn danh"
    ANONYMISED = "anonymised", "Ẩn danh hội viên"


class PrivacyEvent(AuditEvent):
    """The audit of the personal-data area: requests, consents, data-subject exports, anonymisations."""

    action = models.CharField("việc", max_length=40, choices=PrivacyEventKind.choices)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member_ref = models.PositiveIntegerField("mã hội viên", null=True, blank=True)

    class Meta(AuditEvent.Meta):
        verbose_name = "nhật ký dữ liệu cá nhân"
        verbose_name_plural = "nhật ký dữ liệu cá nhân"
        indexes = [
            models.Index(fields=["member_ref", "-at"], name="privacy_event_member"),
            models.Index(fields=["unit_path", "-at"], name="privacy_event_path"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.member_ref}"

    def owner_path(self) -> str:
        return self.member.unit_path if self.member is not None else self.unit_path
