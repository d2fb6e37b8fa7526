from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from hoiccb.lib.dates import PartialDate
from hoiccb.lib.fields import PartialDateField
from hoiccb.lib.text import clean_text
from hoiccb.lib.vietnamese import name_sort_key, normalize_search
from hoiccb.org.audit import AuditEvent
from hoiccb.org.unit_owned import UnitOwned

cccd_validator = RegexValidator(r"^\d{12}$", "Số CCCD phải gồm đúng 12 chữ số.")
phone_validator = RegexValidator(r"^[0-9 +().-]{8,20}$", "Số điện thoại không hợp lệ.")


class MemberKind(models.TextChoices):
    VETERAN = "ccb", "Cựu chiến binh"
    FORMER_SOLDIER = "cqn", "Cựu quân nhân"


class MemberStatus(models.TextChoices):
    ACTIVE = "active", "Đang sinh hoạt"
    TRANSFERRED_OUT = "transferred_out", "Đã chuyển đi"
    LEFT = "left", "Đã thôi sinh hoạt"
    DECEASED = "deceased", "Đã từ trần"


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class DischargeKind(models.TextChoices):
    DISCHARGED = "xuat_ngu", "Xuất ngũ"
    DEMOBILISED = "phuc_vien", "Phục viên"
    RETIRED = "nghi_huu", "Nghỉ hưu"
    TRANSFERRED = "chuyen_nganh", "Chuyển ngành"


class FamilyCircumstance(models.TextChoices):
    NONE = "", "Bình thường"
    POOR = "ho_ngheo", "Hộ nghèo"
    NEAR_POOR = "can_ngheo", "Hộ cận nghèo"
    HARDSHIP = "kho_khan", "Hoàn cảnh khó khăn"


class Theatre(models.Model):
    """A service period or theatre (kháng chiến chống Pháp, chống Mỹ, biên giới…)."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên", max_length=150)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = "thời kỳ, chiến trường"
        verbose_name_plural = "thời kỳ, chiến trường"

    def __str__(self) -> str:
        return self.name


# Fields holding sensitive personal data (Decree 13/2023): shown only to roles that
# need them, and every view of them is written to SensitiveAccess.
SENSITIVE_FIELDS = (
    "cccd",
    "party_member",
    "party_joined_on",
    "war_invalid_rate",
    "sick_soldier",
    "agent_orange",
    "policy_family",
    "family_circumstance",
    "health_note",
)


class Member(UnitOwned):
    # No index of its own: member_unit_status (unit, status) serves every lookup by unit.
    unit = models.ForeignKey(
        "org.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="members", db_index=False
    )
    # The unit's path, copied so that a subtree's members are one index range away.

    # Identity
    ho = models.CharField("họ", max_length=50)
    chu_dem = models.CharField("chữ đệm", max_length=80, blank=True)
    ten = models.CharField("tên", max_length=50)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices, default=Gender.MALE)
    birth_date = PartialDateField("ngày sinh")
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, editable=False)
    ethnicity = models.CharField("dân tộc", max_length=50, blank=True, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=50, blank=True)
    hometown = models.CharField("quê quán", max_length=255, blank=True)
    residence = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True, validators=[phone_validator])
    cccd = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True, validators=[cccd_validator])

    # Membership
    kind = models.CharField("đối tượng", max_length=3, choices=MemberKind.choices, default=MemberKind.VETERAN)
    joined_on = PartialDateField("ngày vào Hội")
    card_number = models.CharField("số thẻ hội viên", max_length=30, null=True, blank=True, unique=True)
    card_issued_on = models.DateField("ngày cấp thẻ", null=True, blank=True)
    status = models.CharField("tình trạng", max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    status_date = models.DateField("ngày thay đổi tình trạng", null=True, blank=True)
    died_on = PartialDateField("ngày từ trần")

    # Military service
    enlisted_on = PartialDateField("ngày nhập ngũ")
    discharged_on = PartialDateField("ngày xuất ngũ")
    discharge_kind = models.CharField("hình thức ra quân", max_length=12, choices=DischargeKind.choices, blank=True)
    rank = models.CharField("cấp bậc cao nhất", max_length=50, blank=True)
    served_unit = models.CharField("đơn vị khi tại ngũ", max_length=255, blank=True)
    theatres = models.ManyToManyField(Theatre, verbose_name="thời kỳ, chiến trường", blank=True)

    # Policy status and health (sensitive)
    war_invalid_rate = models.PositiveSmallIntegerField("thương binh (tỷ lệ tổn thương %)", null=True, blank=True)
    sick_soldier = models.BooleanField("bệnh binh", default=False)
    agent_orange = models.BooleanField("nhiễm chất độc da cam", default=False)
    hero = models.BooleanField("Anh hùng LLVT", default=False)
    policy_family = models.BooleanField("gia đình chính sách", default=False)
    family_circumstance = models.CharField(
        "hoàn cảnh gia đình", max_length=12, choices=FamilyCircumstance.choices, blank=True
    )
    health_note = models.CharField("tình trạng sức khỏe", max_length=255, blank=True)

    # Party, education, work
    party_member = models.BooleanField("đảng viên", default=False)
    party_joined_on = PartialDateField("ngày vào Đảng")
    education = models.CharField("trình độ học vấn", max_length=100, blank=True)
    occupation = models.CharField("nghề nghiệp hiện nay", max_length=150, blank=True)
    retired = models.BooleanField("đã nghỉ hưu", default=False)
    notes = models.TextField("ghi chú", blank=True)

    # Derived columns for search and Vietnamese ordering (see hoiccb.lib.vietnamese).
    search_text = models.CharField(max_length=300, editable=False, default="")
    sort_key = models.BinaryField(editable=False, default=b"")

    # Optimistic locking: a save that does not carry the current version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The import that registered this member. It stands for their admission entry (history.py):
    # writing and checking 100,000 entries took a quarter of a large import's time. No index of
    # its own: an import's members are found through their id range (committing.created_members).
    imported_in = models.ForeignKey(
        "MemberImport",
        verbose_name="lần nhập",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="admitted_members",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hội viên"
        verbose_name_plural = "hội viên"
        indexes = [
            # Name order is served by member_sort_covering (sort_key, id, …; migrations 0007, 0010).
            # Covers the capped count of a subtree's active members without touching the table.
            # SQLite only in fact: PostgreSQL has member_path_search in its place (migrations 0015, 0018).
            models.Index(fields=["unit_path", "status"], name="member_path_status"),
            models.Index(fields=["unit", "status"], name="member_unit_status"),
            models.Index(fields=["birth_year"], name="member_birth_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2010),
                name="member_birth_year_plausible",
                violation_error_message="Năm sinh phải trong khoảng 1900–2010.",
            ),
            models.CheckConstraint(
                condition=Q(war_invalid_rate__isnull=True) | Q(war_invalid_rate__gte=1, war_invalid_rate__lte=100),
                name="member_invalid_rate_range",
                violation_error_message="Tỷ lệ tổn thương phải từ 1 đến 100%.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.ho, self.chu_dem, self.ten) if part)

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    def refresh_derived(self) -> None:
        """Recompute the columns derived from name, birth date and unit.

        Called by the services before every save (and by bulk loaders before bulk_create).
        """
        # Names come from forms, imports and the admin: stored clean (NFC, no zero-width
        # space, BOM or bidi mark), or a search would never find them.
        self.ho, self.chu_dem, self.ten = clean_text(self.ho), clean_text(self.chu_dem), clean_text(self.ten)
        self.search_text = build_search_text(self.full_name, self.card_number)
        self.sort_key = name_sort_key(self.ho, self.chu_dem, self.ten)
        birth = self.birth_date
        self.birth_year = birth.year if birth else None
        if self.unit_id is not None:
            self.unit_path = self.unit.path


def partial_date(record: object, name: str) -> PartialDate | None:
    """Return the PartialDateField called `name` of `record` (a member, or a row being checked)."""
    return getattr(record, name)


def member_field(name: str) -> models.Field:
    """Return the concrete Member field `name` (get_field may also answer with a reverse relation)."""
    field = Member._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise LookupError(f"Member.{name} is not a concrete field")
    return field


def build_search_text(full_name: str, card_number: str | None) -> str:
    return " ".join(p for p in (normalize_search(full_name), normalize_search(card_number or "")) if p)


class EventKind(models.TextChoices):
    ADMITTED = "admitted", "Kết nạp / tiếp nhận"
    UPDATED = "updated", "Sửa hồ sơ"
    TRANSFERRED = "transferred", "Chuyển sinh hoạt"
    TRANSFERRED_OUT = "transferred_out", "Chuyển ra ngoài"
    LEFT = "left", "Thôi sinh hoạt"
    DIED = "died", "Từ trần"
    CARD_ISSUED = "card_issued", "Cấp thẻ hội viên"
    UNIT_MERGED = "unit_merged", "Đơn vị sáp nhập"
    REINSTATED = "reinstated", "Sinh hoạt trở lại"


class MemberEvent(AuditEvent):
    """One entry of a member's history: who did what, when, and what changed."""

    # No index of its own: member_event_recent (member, -at) serves every lookup by member.
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events", db_index=False)
    action = models.CharField("sự kiện", max_length=40, choices=EventKind.choices)
    happened_on = models.DateField("ngày", null=True, blank=True)
    from_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("ghi chú", blank=True)
    # Set on the entries an import wrote, so that the import can be undone as a whole.
    batch = models.ForeignKey("MemberImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="events")

    class Meta(AuditEvent.Meta):
        verbose_name = "lịch sử hội viên"
        verbose_name_plural = "lịch sử hội viên"
        indexes = [
            models.Index(fields=["member", "-at"], name="member_event_recent"),
            models.Index(fields=["unit_path", "-at"], name="member_event_path"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.member_id}"

    def owner_path(self) -> str:
        # The member's unit when the entry was written: a later transfer leaves old entries where they happened.
        return self.member.unit_path


class SensitiveAccess(AuditEvent):
    """A log line for each time a user was shown sensitive data of one member or of a list.

    `actor` is the user who was shown it, `action` is "viewed" and `summary` the purpose
    ("xem hồ sơ", "xuất Excel"). A single read names its member (`member`, and copies of
    the id and name that outlive the member); a read of a list (an export, a filtered
    list, a search, an import preview) is one row with the `count` of members shown and
    the `criteria` that chose them. Either way every member shown has a
    `privacy.SensitiveAccessMember` row, so "who saw member X" is one index lookup.
    """

    # PROTECT, not SET_NULL: a login that has seen sensitive data stays on record (deactivate it instead).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người xem", on_delete=models.PROTECT, related_name="+"
    )
    # SET_NULL with copies: the trace of a read outlives the member (an undone import deletes members).
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="sensitive_accesses"
    )
    member_ref = models.PositiveIntegerField("mã hội viên", null=True, blank=True)
    member_name = models.CharField("họ tên hội viên", max_length=255, blank=True)
    count = models.PositiveIntegerField("số hội viên", default=1)
    criteria = models.JSONField("điều kiện lọc, cột", default=dict, blank=True)
    fields = models.JSONField(default=list)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta(AuditEvent.Meta):
        verbose_name = "lượt xem dữ liệu nhạy cảm"
        verbose_name_plural = "lượt xem dữ liệu nhạy cảm"
        indexes = [
            models.Index(fields=["member", "-at"], name="sensitive_access_recent"),
            models.Index(fields=["unit_path", "-at"], name="sensitive_access_path"),
            models.Index(fields=["actor", "-at"], name="sensitive_access_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} xem {self.member_name or self.count} lúc {self.at:%H:%M %d/%m/%Y}"

    def owner_path(self) -> str:
        # A list read is filed under the unit whose list it was (set by the service).
        return self.member.unit_path if self.member is not None else self.unit_path


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", "Đã tải lên"
    ANALYSING = "analysing", "Đang đọc và đối chiếu"
    READY = "ready", "Chờ xác nhận"
    COMMITTING = "committing", "Đang ghi vào sổ"
    COMMITTED = "committed", "Đã nhập"
    UNDOING = "undoing", "Đang hoàn tác"
    UNDONE = "undone", "Đã hoàn tác"
    FAILED = "failed", "Không thành công"


class MemberImport(models.Model):
    """One uploaded member list, from its upload through preview and commit to a possible undo."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    file_name = models.CharField("tên tệp", max_length=255)
    file_sha256 = models.CharField("mã băm SHA-256", max_length=64)
    file_size = models.PositiveIntegerField("dung lượng")
    # Where rows go when the file names no unit (or the user chose one unit for the file).
    default_unit = models.ForeignKey(
        "org.Unit", verbose_name="đơn vị nhận", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sheet_name = models.CharField("trang tính", max_length=100, blank=True)
    header_row = models.PositiveIntegerField("dòng tiêu đề", null=True, blank=True)
    # [{"index": 0, "letter": "A", "label": "Họ và tên", "field": "full_name", "encoding": "tcvn3", ...}]
    columns = models.JSONField(default=list, blank=True)
    # {normalised unit text in the file: unit id chosen by the user}
    unit_choices = models.JSONField(default=dict, blank=True)
    state = models.CharField("trạng thái", max_length=12, choices=ImportState.choices, default=ImportState.UPLOADED)
    message = models.TextField("thông báo", blank=True)
    counts = models.JSONField("số dòng", default=dict, blank=True)
    committed_at = models.DateTimeField("ghi vào sổ lúc", null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField("hoàn tác lúc", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "lần nhập danh sách"
        verbose_name_plural = "lần nhập danh sách"

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def is_busy(self) -> bool:
        return self.state in (ImportState.ANALYSING, ImportState.COMMITTING, ImportState.UNDOING)


class RowStatus(models.TextChoices):
    NEW = "new", "Mới"
    MATCH = "match", "Trùng hội viên đã có"
    DUPLICATE = "duplicate", "Trùng trong tệp"
    ERROR = "error", "Lỗi"


class RowDecision(models.TextChoices):
    CREATE = "create", "Thêm mới"
    UPDATE = "update", "Cập nhật hội viên đã có"
    SKIP = "skip", "Bỏ qua"


class ImportRow(models.Model):
    """One data row of an uploaded list: what the file said, what it means, what to do with it."""

    # No index of its own: the unique (batch, number) index serves every lookup by batch,
    # and one index less makes storing a 100,000-row preview cheaper.
    batch = models.ForeignKey(MemberImport, on_delete=models.CASCADE, related_name="rows", db_index=False)
    number = models.PositiveIntegerField("dòng")  # the row number the user sees in Excel
    raw = models.JSONField(default=list)  # the cells as read, for the result file and for fixes
    values = models.JSONField(default=dict)  # parsed field values, in storage form
    errors = models.JSONField(default=list)  # ["Dòng 12, cột C “Ngày sinh”: …", …]
    notes = models.JSONField(default=list)  # remarks worth showing ("Trùng với dòng 12 trong tệp.")
    conversions = models.JSONField(default=list)  # cells converted from TCVN3/VNI, before → after
    status = models.CharField(max_length=10, choices=RowStatus.choices)
    decision = models.CharField(max_length=10, choices=RowDecision.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # For an update: the member's fields before the import, so that undo can restore them.
    before = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="import_row_unique_number")]
        indexes = [models.Index(fields=["batch", "status", "number"], name="import_row_status")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}"


class ColumnAlias(models.Model):
    """A column heading a user mapped by hand, remembered for their next files."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    heading = models.CharField(max_length=200)  # normalised (normalize_search)
    field = models.CharField(max_length=30)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "heading"], name="column_alias_unique")]

    def __str__(self) -> str:
        return f"{self.heading} → {self.field}"


# The personal-data area's and the cards' models live in their subpackages; importing them
# here registers them (Django finds an app's models through this module).
from hoiccb.members.cards.models import CardJob, MemberPhoto  # noqa: E402
from hoiccb.members.privacy.models import (  # noqa: E402
    Anonymisation,
    Consent,
    DataRequest,
    PrivacyEvent,
    SensitiveAccessMember,
)

__all__ = ["Anonymisation", "CardJob", "Consent", "DataRequest", "MemberPhoto", "PrivacyEvent", "SensitiveAccessMember"]
