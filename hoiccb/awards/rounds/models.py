"""Forms of commendation and their rules, rounds with shared-out quotas, nominations, council
votes and decisions."""

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from hoiccb.awards.movements.models import Movement
from hoiccb.lib.word import doc_number
from hoiccb.org.audit import AuditEvent
from hoiccb.org.unit_owned import UnitOwned

if TYPE_CHECKING:
    from hoiccb.members.models import Member
    from hoiccb.org.models import Unit


class Recipient(models.TextChoices):
    INDIVIDUAL = "individual", "Cá nhân"
    COLLECTIVE = "collective", "Tập thể"


class IssuingLevel(models.TextChoices):
    BLOC = "khoi", "Hội CCB Khối"
    PROVINCE = "tinh", "Hội CCB tỉnh"
    CENTRAL = "trung-uong", "Trung ương Hội CCB Việt Nam"


class AwardForm(models.Model):
    """A form of commendation (hình thức khen thưởng) with its rules; never a rating title."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên hình thức", max_length=200)
    recipient = models.CharField("đối tượng", max_length=12, choices=Recipient.choices)
    level = models.CharField("cấp khen", max_length=12, choices=IssuingLevel.choices)
    once_in_lifetime = models.BooleanField("chỉ một lần trong đời", default=False)
    not_posthumous = models.BooleanField("không truy tặng", default=False)
    min_years_between = models.PositiveSmallIntegerField("số năm tối thiểu giữa hai lần", default=0)
    prerequisite_years = models.PositiveSmallIntegerField(
        "số năm đạt danh hiệu trong kỳ",
        default=0,
        help_text="Cá nhân: số năm CCB gương mẫu; tập thể: số năm xếp loại cao nhất.",
    )
    requires_form = models.ForeignKey(
        "self",
        verbose_name="phải đã nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Hình thức người, tập thể được đề nghị phải nhận trước đó (ví dụ Bằng khen tỉnh trước Bằng khen "
        "Trung ương); để trống nếu không cần.",
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "hình thức khen thưởng"
        verbose_name_plural = "hình thức khen thưởng"

    def __str__(self) -> str:
        return self.name


class QuotaBasis(models.TextChoices):
    NUMBER = "number", "Số lượng cho cả khối"
    PERCENT_MEMBERS = "pct_members", "% số hội viên"
    PERCENT_UNITS = "pct_units", "% số đơn vị"


class RoundState(models.TextChoices):
    OPEN = "open", "Đang nhận đề nghị"
    CLOSED = "closed", "Đã kết thúc"


class Round(UnitOwned):
    movement = models.ForeignKey(Movement, verbose_name="phong trào", on_delete=models.PROTECT, related_name="rounds")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("tên đợt", max_length=255)
    year = models.PositiveSmallIntegerField("năm")
    approval_threshold = models.PositiveSmallIntegerField(
        "ngưỡng tán thành (%)",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Được duyệt khi số phiếu đồng ý vượt quá tỷ lệ này trên số thành viên có mặt.",
    )
    unit_minimum = models.PositiveSmallIntegerField("tối thiểu mỗi đơn vị", default=0)
    group_minimum = models.PositiveSmallIntegerField("tối thiểu mỗi khối", default=0)
    state = models.CharField("trạng thái", max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "đợt khen thưởng"
        verbose_name_plural = "đợt khen thưởng"
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_threshold__gte=1, approval_threshold__lte=100),
                name="round_threshold_range",
                violation_error_message="Ngưỡng tán thành từ 1 đến 100 %.",
            )
        ]
        indexes = [models.Index(fields=["unit_path"], name="round_path")]

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="quotas")
    form = models.ForeignKey(AwardForm, verbose_name="hình thức", on_delete=models.PROTECT)
    basis = models.CharField("cách giao", max_length=12, choices=QuotaBasis.choices, default=QuotaBasis.NUMBER)
    value = models.PositiveIntegerField("số lượng hoặc %")
    total = models.PositiveIntegerField("tổng số suất", default=0, editable=False)
    # The group stage of the share-out as the page explains it: one dict a group (see services.quota_set).
    groups = models.JSONField("chia giữa các khối", default=list, blank=True, editable=False)

    class Meta:
        ordering = ["form__order"]
        constraints = [models.UniqueConstraint(fields=["round", "form"], name="quota_unique_form")]

    def __str__(self) -> str:
        return f"{self.form}: {self.total}"


class Share(UnitOwned):
    quota = models.ForeignKey(Quota, on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveIntegerField("số hội viên")
    exact = models.DecimalField("suất chính xác", max_digits=12, decimal_places=4)
    whole = models.PositiveIntegerField("phần nguyên")
    remainder = models.DecimalField("phần dư", max_digits=8, decimal_places=4)
    got_extra = models.BooleanField("được thêm suất dư", default=False)
    computed = models.PositiveIntegerField("số suất tính được")
    amount = models.PositiveIntegerField("số suất")
    reason = models.TextField("giải thích")
    adjusted_reason = models.CharField("lý do điều chỉnh", max_length=255, blank=True)
    warning = models.CharField("cảnh báo", max_length=500, blank=True)

    class Meta:
        ordering = ["unit_path"]
        constraints = [models.UniqueConstraint(fields=["quota", "unit"], name="share_unique_unit")]
        indexes = [models.Index(fields=["unit_path"], name="share_path")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.amount}"


class NominationState(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã gửi"
    REVIEW = "review", "Hội đồng xét"
    APPROVED = "approved", "Duyệt"
    REJECTED = "rejected", "Không duyệt"
    RETURNED = "returned", "Trả lại"
    UPWARD = "upward", "Đề nghị cấp trên"
    AWARDED_ABOVE = "awarded_above", "Cấp trên đã khen"
    DECLINED_ABOVE = "declined_above", "Cấp trên không khen"
    WITHDRAWN = "withdrawn", "Đã rút"


# States that hold one of the unit's seats.
HOLDING_STATES = (
    NominationState.DRAFT,
    NominationState.SUBMITTED,
    NominationState.REVIEW,
    NominationState.APPROVED,
    NominationState.UPWARD,
    NominationState.AWARDED_ABOVE,
)
# States of a nomination proposed to the upper level: sent, then answered.
SENT_UP_STATES = (NominationState.UPWARD, NominationState.AWARDED_ABOVE, NominationState.DECLINED_ABOVE)


class Nomination(UnitOwned):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="nominations")
    form = models.ForeignKey(AwardForm, verbose_name="hình thức", on_delete=models.PROTECT)
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị đề nghị", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", verbose_name="cá nhân", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nominee_unit = models.ForeignKey(
        "org.Unit", verbose_name="tập thể", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField("tóm tắt thành tích")
    attachment = models.FileField("tệp đính kèm", upload_to="awards/%Y/", blank=True)
    state = models.CharField(
        "trạng thái", max_length=16, choices=NominationState.choices, default=NominationState.DRAFT
    )
    votes_present = models.PositiveSmallIntegerField("có mặt", default=0)
    votes_yes = models.PositiveSmallIntegerField("đồng ý", default=0)
    votes_no = models.PositiveSmallIntegerField("không đồng ý", default=0)
    votes_abstain = models.PositiveSmallIntegerField("không biểu quyết", default=0)
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="nominations"
    )
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_path", "id"]
        verbose_name = "đề nghị khen thưởng"
        verbose_name_plural = "đề nghị khen thưởng"
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True) ^ Q(nominee_unit__isnull=True),
                name="nomination_one_nominee",
                violation_error_message="Đề nghị cho một cá nhân hoặc một tập thể.",
            ),
            models.CheckConstraint(
                condition=Q(votes_present__gte=F("votes_yes") + F("votes_no") + F("votes_abstain")),
                name="nomination_votes_fit",
                violation_error_message="Tổng số phiếu không được vượt số thành viên có mặt.",
            ),
        ]
        indexes = [models.Index(fields=["round", "unit_path", "state"], name="nomination_round_path")]

    def __str__(self) -> str:
        return f"{self.form} – {self.nominee}"

    @property
    def nominee(self) -> "Member | Unit | None":
        return self.member or self.nominee_unit

    @property
    def collective(self) -> "Unit":
        """The nominated unit of a collective nomination (the constraint makes it the one without a member)."""
        if self.nominee_unit is None:
            raise ValueError(f"Nomination {self.pk} names a member, not a unit.")
        return self.nominee_unit

    @property
    def nominee_path(self) -> str:
        """Where the nominee sits in the tree: the member's unit, or the nominated unit (an award's owner)."""
        return self.member.unit_path if self.member is not None else self.collective.path

    @property
    def nominee_name(self) -> str:
        """The member's full name, or the nominated unit's name."""
        return self.member.full_name if self.member is not None else self.collective.name


class NominationAction(models.TextChoices):
    CREATED = "created", "Lập đề nghị"
    MOVED = "moved", "Chuyển bước"
    VOTED = "voted", "Biểu quyết"
    DOSSIER_SENT = "dossier_sent", "Gửi hồ sơ cấp trên"
    EDITED = "edited", "Sửa đề nghị"
    RESULT_ABOVE = "result_above", "Kết quả của cấp trên"


class NominationEvent(AuditEvent):
    """One step of a nomination: the state before and after, and why (`summary`).

    Its history is read oldest first (`order_by("at", "id")`), unlike the shared newest-first default.
    """

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("việc", max_length=40, choices=NominationAction.choices)
    from_state = models.CharField(max_length=16, choices=NominationState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=NominationState.choices)

    class Meta(AuditEvent.Meta):
        indexes = [models.Index(fields=["nomination", "at"], name="nomination_event_steps")]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"

    def owner_path(self) -> str:
        return self.nomination.unit_path


class DecisionKind(models.TextChoices):
    AWARD = "award", "Khen thưởng"
    CORRECT = "correct", "Đính chính"
    REVOKE = "revoke", "Thu hồi, hủy bỏ"


class Decision(UnitOwned):
    """A numbered decision. Once issued it is never edited: a later decision corrects or revokes it."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField("loại quyết định", max_length=10, choices=DecisionKind.choices, default=DecisionKind.AWARD)
    amends = models.ForeignKey(
        "self",
        verbose_name="đính chính / thu hồi quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    content = models.TextField("nội dung đính chính hoặc lý do thu hồi", blank=True)
    form = models.ForeignKey(AwardForm, verbose_name="hình thức", on_delete=models.PROTECT)
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị ban hành", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    seq = models.PositiveIntegerField("số")
    issued_on = models.DateField("ngày ký")
    signer = models.CharField("người ký", max_length=150)
    signer_title = models.CharField("chức vụ người ký", max_length=100, default="CHỦ TỊCH")
    place = models.CharField("địa danh", max_length=100, default="Yên Bái")
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "-seq"]
        verbose_name = "quyết định khen thưởng"
        verbose_name_plural = "quyết định khen thưởng"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "seq"], name="decision_unique_number"),
            models.CheckConstraint(
                condition=Q(kind="award", amends__isnull=True) | (~Q(kind="award") & Q(amends__isnull=False)),
                name="decision_amendment_names_its_decision",
                violation_error_message="Quyết định đính chính hoặc thu hồi phải nêu quyết định được đính chính.",
            ),
        ]

    def __str__(self) -> str:
        return f"Quyết định số {self.number}"

    @property
    def number(self) -> str:
        return doc_number(self.seq, "QĐ-CCB")
