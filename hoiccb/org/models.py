from django.db import models
from django.db.models import F, Q

from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.audit import AuditEvent
from hoiccb.org.paths import depth_of, subtree_filter


class UnitKind(models.Model):
    """A level of the tree (tỉnh, khối, cơ sở, chi hội, tổ hội); the list is data, not code."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên cấp", max_length=100)
    level = models.PositiveSmallIntegerField("thứ bậc", help_text="Số nhỏ là cấp cao hơn.")
    is_grassroots = models.BooleanField("là Hội cơ sở", default=False)
    holds_members = models.BooleanField(
        "có hội viên sinh hoạt", default=False, help_text="Hội viên chỉ sinh hoạt ở đơn vị thuộc các cấp này."
    )

    class Meta:
        ordering = ["level", "name"]
        verbose_name = "cấp đơn vị"
        verbose_name_plural = "cấp đơn vị"

    def __str__(self) -> str:
        return self.name


class UnitGroup(models.Model):
    """A grouping of grassroots units inside a bloc (khối Đảng – đoàn thể, doanh nghiệp…)."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên khối", max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = "khối"
        verbose_name_plural = "khối"

    def __str__(self) -> str:
        return self.name


class EmulationCluster(models.Model):
    """Cụm thi đua: units that compete and are compared together."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên cụm thi đua", max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = "cụm thi đua"
        verbose_name_plural = "cụm thi đua"

    def __str__(self) -> str:
        return self.name


class UnitStatus(models.TextChoices):
    ACTIVE = "active", "Đang hoạt động"
    MERGED = "merged", "Đã sáp nhập"
    DISSOLVED = "dissolved", "Đã giải thể"


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit: "Unit") -> "UnitQuerySet":
        return self.filter(**subtree_filter("path", unit.path))

    def active(self) -> "UnitQuerySet":
        return self.filter(status=UnitStatus.ACTIVE)


class Unit(models.Model):
    """One association in the tree: province, bloc, grassroots association, branch or group."""

    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    kind = models.ForeignKey(UnitKind, verbose_name="cấp", on_delete=models.PROTECT)
    code = models.CharField(
        "mã đơn vị", max_length=30, unique=True, error_messages={"unique": "Mã đơn vị này đã được dùng."}
    )
    name = models.CharField("tên đơn vị", max_length=255)
    name_search = models.CharField(max_length=255, editable=False, db_index=True)
    host_organisation = models.CharField("cơ quan, doanh nghiệp", max_length=255, blank=True)
    group = models.ForeignKey(UnitGroup, verbose_name="khối", null=True, blank=True, on_delete=models.SET_NULL)
    cluster = models.ForeignKey(
        EmulationCluster,
        verbose_name="cụm thi đua",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    status = models.CharField("tình trạng", max_length=12, choices=UnitStatus.choices, default=UnitStatus.ACTIVE)
    established_on = models.DateField("ngày thành lập", null=True, blank=True)
    ended_on = models.DateField("ngày sáp nhập / giải thể", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="đơn vị kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    place = models.CharField(
        "địa danh",
        max_length=100,
        blank=True,
        help_text="Ghi ở dòng ngày tháng của văn bản, ví dụ “Yên Bái”. Để trống: dùng địa danh của đơn vị cấp trên.",
    )
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(ended_on__gte=F("established_on")),
                name="unit_end_after_start",
                violation_error_message="Ngày kết thúc phải sau ngày thành lập.",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(successor__isnull=False),
                name="unit_merged_has_successor",
                violation_error_message="Đơn vị đã sáp nhập phải có đơn vị kế thừa.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A derived column, kept in step with the name it is derived from.
        self.name_search = normalize_search(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_search"}
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return depth_of(self.path)

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE

    def is_within(self, other: "Unit") -> bool:
        """Return True when self is `other` or one of its descendants."""
        return self.path.startswith(other.path)

    def ancestors(self) -> "UnitQuerySet":
        from hoiccb.org.paths import ancestor_paths

        return Unit.objects.filter(path__in=ancestor_paths(self.path)).order_by("path")


class Term(models.Model):
    """Nhiệm kỳ: the five-year term of a unit's committee, e.g. 2022–2027."""

    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="terms")
    start_year = models.PositiveSmallIntegerField("từ năm")
    end_year = models.PositiveSmallIntegerField("đến năm")

    class Meta:
        ordering = ["-start_year"]
        verbose_name = "nhiệm kỳ"
        verbose_name_plural = "nhiệm kỳ"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "start_year"],
                name="term_unique_start",
                violation_error_message="Đơn vị đã có nhiệm kỳ bắt đầu năm này.",
            ),
            models.CheckConstraint(
                condition=Q(end_year__gt=F("start_year")),
                name="term_end_after_start",
                violation_error_message="Năm kết thúc nhiệm kỳ phải sau năm bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return f"Nhiệm kỳ {self.start_year}–{self.end_year}"


class PositionRole(models.TextChoices):
    CHAIR = "chu_tich", "Chủ tịch"
    VICE_CHAIR = "pho_chu_tich", "Phó Chủ tịch"
    STANDING = "uv_btv", "Ủy viên Ban Thường vụ"
    EXECUTIVE = "uv_bch", "Ủy viên Ban Chấp hành"
    INSPECTION_HEAD = "truong_bkt", "Trưởng Ban Kiểm tra"
    INSPECTION_MEMBER = "uv_bkt", "Ủy viên Ban Kiểm tra"
    BRANCH_HEAD = "chi_hoi_truong", "Chi hội trưởng"
    BRANCH_DEPUTY = "chi_hoi_pho", "Chi hội phó"
    GROUP_HEAD = "to_truong", "Tổ trưởng"


class OfficerPosition(models.Model):
    """A member holding a position in a unit for a term, from one date to another."""

    member = models.ForeignKey(
        "members.Member", verbose_name="hội viên", on_delete=models.PROTECT, related_name="positions"
    )
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="positions")
    term = models.ForeignKey(Term, verbose_name="nhiệm kỳ", on_delete=models.PROTECT, related_name="positions")
    role = models.CharField("chức vụ", max_length=20, choices=PositionRole.choices)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        ordering = ["unit", "term", "role", "start_date"]
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_end_after_start",
                violation_error_message="Ngày thôi giữ chức vụ phải sau ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.member}"

    @property
    def role_rank(self) -> int:
        return list(PositionRole.values).index(self.role)


class UnitEventKind(models.TextChoices):
    CREATED = "created", "Thành lập"
    UPDATED = "updated", "Sửa thông tin"
    MOVED = "moved", "Chuyển cấp trên"
    MERGED = "merged", "Sáp nhập"
    ABSORBED = "absorbed", "Tiếp nhận đơn vị sáp nhập"
    DISSOLVED = "dissolved", "Giải thể"


class UnitEvent(AuditEvent):
    """Audit entry of a unit: who changed what, when."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("việc", max_length=40, choices=UnitEventKind.choices)
    note = models.TextField("ghi chú", blank=True)

    class Meta(AuditEvent.Meta):
        indexes = [models.Index(fields=["unit", "-at"], name="unit_event_recent")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.unit_id}"
