"""Activities of a unit: what it organised, the gifts it gave, the inspections it made.

Activities and gifts carry a copy of their unit's path (`unit_path`, like
`Member.unit_path`), so "everything of this subtree in this period" is one index
range; they are `org.unit_owned.UnitOwned` rows, re-pathed with the unit's when the tree
changes.
"""

import datetime
import re
import uuid
from pathlib import PurePath

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.audit import AuditEvent
from hoiccb.org.unit_owned import UnitOwned

# Bounds on money and counts. Far above anything real, far below where a sum of every row
# could overflow a 64-bit integer (SQLite raises "integer overflow" instead of widening).
GIFT_VALUE_MAX = 1_000_000_000  # one gift: 1 tỷ đồng
ACTIVITY_COST_MAX = 100_000_000_000  # one activity: 100 tỷ đồng
HEAD_COUNT_MAX = 1_000_000


class ActivityKind(models.Model):
    """A kind of activity (tuyên truyền, an sinh, về nguồn…); the list is data, edited in the admin."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên loại hoạt động", max_length=150)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    has_gifts = models.BooleanField(
        "có thăm, tặng quà", default=False, help_text="Hoạt động loại này ghi danh sách quà tặng."
    )
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "loại hoạt động"
        verbose_name_plural = "loại hoạt động"

    def __str__(self) -> str:
        return self.name


class FundingSource(models.TextChoices):
    ASSOCIATION_FUND = "quy_hoi", "Quỹ Hội"
    HOST_AGENCY = "co_quan", "Cơ quan, doanh nghiệp"
    HIGHER_LEVEL = "cap_tren", "Hội cấp trên"
    SPONSORS = "xa_hoi_hoa", "Xã hội hóa, tài trợ"
    MEMBERS = "hoi_vien", "Hội viên đóng góp"
    OTHER = "khac", "Nguồn khác"


class Occasion(models.TextChoices):
    TET = "tet", "Tết Nguyên đán"
    WAR_INVALIDS_DAY = "27_7", "27/7 – Ngày Thương binh, Liệt sĩ"
    ARMY_DAY = "22_12", "22/12 – Ngày thành lập QĐND Việt Nam"
    VETERANS_DAY = "6_12", "6/12 – Ngày truyền thống Hội CCB Việt Nam"
    NATIONAL_DAY = "2_9", "2/9 – Quốc khánh"
    HARDSHIP = "om_dau", "Ốm đau, hoạn nạn"
    OTHER = "khac", "Dịp khác"


class Activity(UnitOwned):
    """One activity organised by a unit (with co-organisers), over one or more days."""

    kind = models.ForeignKey(ActivityKind, verbose_name="loại hoạt động", on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="activities"
    )
    co_organisers = models.ManyToManyField(
        "org.Unit", verbose_name="đơn vị phối hợp", blank=True, related_name="co_organised_activities"
    )
    title = models.CharField("tên hoạt động", max_length=255)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True, help_text="Bỏ trống nếu diễn ra trong một ngày.")
    place = models.CharField("địa điểm", max_length=255, blank=True)
    content = models.TextField("nội dung, kết quả", blank=True)
    participants = models.ManyToManyField(
        "members.Member", verbose_name="hội viên tham gia", blank=True, related_name="activities"
    )
    head_count = models.PositiveIntegerField(
        "số người tham gia",
        default=0,
        validators=[MaxValueValidator(HEAD_COUNT_MAX, "Số người tham gia tối đa 1.000.000.")],
    )
    cost = models.BigIntegerField(
        "kinh phí (đồng)",
        default=0,
        validators=[
            MinValueValidator(0, "Kinh phí không âm."),
            MaxValueValidator(ACTIVITY_COST_MAX, "Kinh phí một hoạt động tối đa 100.000.000.000 đ."),
        ],
    )
    funding_source = models.CharField("nguồn kinh phí", max_length=12, choices=FundingSource.choices, blank=True)
    occasion = models.CharField(
        "dịp", max_length=12, choices=Occasion.choices, blank=True, help_text="Với đợt thăm, tặng quà."
    )
    occasion_year = models.PositiveSmallIntegerField("năm của dịp", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_end_after_start",
                violation_error_message="Ngày kết thúc phải từ ngày bắt đầu trở đi.",
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="activity_cost_not_negative",
                violation_error_message="Kinh phí không âm.",
            ),
            models.CheckConstraint(
                condition=Q(cost__lte=ACTIVITY_COST_MAX) & Q(head_count__lte=HEAD_COUNT_MAX),
                name="activity_cost_count_bounded",
                violation_error_message="Kinh phí tối đa 100.000.000.000 đ, số người tối đa 1.000.000.",
            ),
        ]
        indexes = [
            # Subtree + period (lists of a branch, per-unit counts): one range on path.
            models.Index(fields=["unit_path", "start_date", "kind"], name="activity_path_date"),
            # The newest activities of a large subtree are read in date order and stop after a page.
            models.Index(fields=["start_date", "id"], name="activity_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def last_date(self) -> datetime.date:
        return self.end_date or self.start_date


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the stored file says nothing, and nobody can guess another's.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"activities/{datetime.date.today():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "Ảnh"
    DOCUMENT = "document", "Tài liệu"


class Attachment(models.Model):
    """A photo or document of an activity, stored under MEDIA_ROOT and served only through a scoped view."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    caption = models.CharField("chú thích", max_length=255, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.original_name


class GiftForm(models.TextChoices):
    CASH = "tien", "Tiền mặt"
    IN_KIND = "hien_vat", "Hiện vật"


class Circumstance(models.TextChoices):
    POOR = "ho_ngheo", "Hộ nghèo"
    NEAR_POOR = "can_ngheo", "Hộ cận nghèo"
    POLICY_FAMILY = "chinh_sach", "Gia đình chính sách"
    WAR_INVALID = "thuong_binh", "Thương binh"
    SICK_SOLDIER = "benh_binh", "Bệnh binh"
    AGENT_ORANGE = "da_cam", "Nạn nhân chất độc da cam"
    HARDSHIP = "kho_khan", "Hoàn cảnh khó khăn"
    ILLNESS = "om_dau", "Ốm đau, hoạn nạn"
    OTHER = "khac", "Khác"


_PUNCTUATION = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", normalize_search(text)).split())


def beneficiary_key(name: str, address: str) -> str:
    """Return the key two gifts to one family share: name and address without case, marks or punctuation.

    "Nguyễn Thị Mai", "Thôn 3, xã Âu Lâu" and "nguyen thi mai", "thôn 3 - xã Âu Lâu" share a key.
    """
    return f"{_fold(name)}|{_fold(address)}"[:400]


class Gift(UnitOwned):
    """One visit-and-gift to one beneficiary (a member or a household outside the association)."""

    activity = models.ForeignKey(
        Activity, verbose_name="đợt thăm, tặng quà", on_delete=models.CASCADE, related_name="gifts"
    )
    # Copies of the round's unit, path, occasion and year: totals and the duplicate rule read one table.
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị tặng", on_delete=models.PROTECT, related_name="gifts")
    occasion = models.CharField("dịp", max_length=12, choices=Occasion.choices)
    occasion_year = models.PositiveSmallIntegerField("năm")
    given_on = models.DateField("ngày tặng")
    member = models.ForeignKey(
        "members.Member",
        verbose_name="hội viên được tặng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts_received",
    )
    beneficiary_name = models.CharField("người, hộ được tặng", max_length=200)
    address = models.CharField("địa chỉ", max_length=255)
    match_key = models.CharField(max_length=400, editable=False)
    circumstance = models.CharField("hoàn cảnh", max_length=12, choices=Circumstance.choices)
    value = models.BigIntegerField(
        "giá trị (đồng)",
        validators=[
            MinValueValidator(1, "Giá trị quà phải lớn hơn 0."),
            MaxValueValidator(GIFT_VALUE_MAX, "Giá trị một phần quà tối đa 1.000.000.000 đ."),
        ],
    )
    form = models.CharField("hình thức", max_length=10, choices=GiftForm.choices, default=GiftForm.CASH)
    description = models.CharField("quà gồm", max_length=255, blank=True)
    funding_source = models.CharField("nguồn kinh phí", max_length=12, choices=FundingSource.choices)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = "quà tặng"
        verbose_name_plural = "quà tặng"
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="gift_value_positive",
                violation_error_message="Giá trị quà phải lớn hơn 0.",
            ),
            models.CheckConstraint(
                condition=Q(value__lte=GIFT_VALUE_MAX),
                name="gift_value_bounded",
                violation_error_message="Giá trị một phần quà tối đa 1.000.000.000 đ.",
            ),
        ]
        indexes = [
            models.Index(fields=["unit_path", "given_on"], name="gift_path_date"),
            models.Index(fields=["occasion", "occasion_year", "unit_path"], name="gift_occasion_path"),
            models.Index(fields=["occasion", "occasion_year", "match_key"], name="gift_occasion_key"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_name} – {self.get_occasion_display()} {self.occasion_year}"

    def save(self, *args, **kwargs):
        self.match_key = beneficiary_key(self.beneficiary_name, self.address)
        super().save(*args, **kwargs)


class PlanStatus(models.TextChoices):
    PLANNED = "planned", "Kế hoạch"
    IN_PROGRESS = "in_progress", "Đang kiểm tra"
    DONE = "done", "Đã kết thúc"


class InspectionPlan(UnitOwned):
    """A plan of inspection and supervision (kiểm tra, giám sát) made by a unit for a year."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="đơn vị kiểm tra", on_delete=models.PROTECT, related_name="inspection_plans"
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên kế hoạch", max_length=255)
    content = models.TextField("nội dung kiểm tra, giám sát")
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    status = models.CharField("tình trạng", max_length=12, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-start_date", "-id"]
        verbose_name = "kế hoạch kiểm tra, giám sát"
        verbose_name_plural = "kế hoạch kiểm tra, giám sát"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="inspection_plan_end_after_start",
                violation_error_message="Ngày kết thúc phải từ ngày bắt đầu trở đi.",
            ),
        ]
        indexes = [models.Index(fields=["unit_path", "start_date"], name="inspection_plan_path_date")]

    def __str__(self) -> str:
        return self.title


class Delegate(models.Model):
    """A member of the inspection delegation: a member of the association or an invited guest."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="delegates")
    member = models.ForeignKey(
        "members.Member", verbose_name="hội viên", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guest_name = models.CharField("khách mời (họ tên, nơi công tác)", max_length=200, blank=True)
    role = models.CharField("nhiệm vụ trong đoàn", max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "thành viên đoàn"
        verbose_name_plural = "thành viên đoàn"
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(guest_name=""),
                name="delegate_member_or_guest",
                violation_error_message="Chọn hội viên hoặc ghi tên khách mời.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.member) if self.member_id else self.guest_name


class InspectionRecord(UnitOwned):
    """What the delegation found at one inspected unit."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="records")
    unit = models.ForeignKey(
        "org.Unit", verbose_name="đơn vị được kiểm tra", on_delete=models.PROTECT, related_name="inspection_records"
    )
    inspected_on = models.DateField("ngày kiểm tra", null=True, blank=True)
    strengths = models.TextField("ưu điểm", blank=True)
    shortcomings = models.TextField("tồn tại, hạn chế", blank=True)
    conclusion = models.TextField("kết luận", blank=True)

    class Meta:
        ordering = ["plan", "unit__path"]
        verbose_name = "biên bản kiểm tra"
        verbose_name_plural = "biên bản kiểm tra"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit"],
                name="inspection_record_unique_unit",
                violation_error_message="Đơn vị này đã có trong kế hoạch.",
            )
        ]
        indexes = [models.Index(fields=["unit_path", "inspected_on"], name="inspection_record_path_date")]

    def __str__(self) -> str:
        return f"{self.plan} – {self.unit}"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    CLOSED = "closed", "Đã hoàn thành"


class Recommendation(models.Model):
    """A recommendation (kiến nghị) to an inspected unit, followed up until it is closed."""

    record = models.ForeignKey(InspectionRecord, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField("nội dung kiến nghị")
    owner = models.CharField("người chịu trách nhiệm", max_length=200)
    due_date = models.DateField("hạn hoàn thành")
    status = models.CharField(
        "tình trạng", max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    evidence = models.TextField("kết quả, minh chứng", blank=True)
    closed_on = models.DateField("ngày hoàn thành", null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "kiến nghị"
        verbose_name_plural = "kiến nghị"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(evidence="")),
                name="recommendation_closed_has_evidence",
                violation_error_message="Kiến nghị đã hoàn thành phải có ngày và minh chứng.",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="recommendation_status_due")]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status != RecommendationStatus.CLOSED and self.due_date < today


class FollowUp(models.Model):
    """One step of a recommendation's follow-up: the new status, what was done, by whom."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField("tình trạng", max_length=12, choices=RecommendationStatus.choices)
    note = models.TextField("kết quả, minh chứng", blank=True)
    on = models.DateField("ngày")
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = "theo dõi kiến nghị"
        verbose_name_plural = "theo dõi kiến nghị"

    def __str__(self) -> str:
        return f"{self.get_status_display()} – {self.on:%d/%m/%Y}"


class ActivityEvent(AuditEvent):
    """Audit entry for this app's writes: who did what to which activity, gift or inspection."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    plan = models.ForeignKey(InspectionPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")

    class Meta(AuditEvent.Meta):
        indexes = [
            models.Index(fields=["activity", "-at"], name="activity_event_recent"),
            models.Index(fields=["plan", "-at"], name="activity_event_plan_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.summary}"
