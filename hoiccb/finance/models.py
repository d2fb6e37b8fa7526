"""Dues (hội phí) and funds (quỹ) of each unit.

Dues: the rate per member and year (with its exemptions) is set by the upper level for a
period of years (`DuesRate`); each payment is one row per member and year, numbered as a
receipt (phiếu thu) per unit and year; what the collecting unit passes up is computed from
the per-level rates (`DuesShare`) and what it has passed is recorded (`Remittance`).

Funds: a ledger per unit and fund (`FundEntry`), signed amounts, never deleted: a mistake
is undone by a counter-entry that points at the entry it reverses.
"""

from django.db import models
from django.db.models import Q

from hoiccb.org.audit import AuditEvent
from hoiccb.org.unit_owned import UnitOwned


class DuesRate(models.Model):
    """The rate per member and year from `from_year` on, with its exemptions."""

    from_year = models.PositiveSmallIntegerField("áp dụng từ năm", unique=True)
    amount = models.PositiveIntegerField("mức hội phí (đồng/hội viên/năm)")
    exempt_from_age = models.PositiveSmallIntegerField(
        "miễn cho hội viên từ tuổi", null=True, blank=True, help_text="Bỏ trống nếu không miễn theo tuổi."
    )
    exempt_hardship = models.BooleanField("miễn cho hộ nghèo, cận nghèo, hoàn cảnh khó khăn", default=True)

    class Meta:
        ordering = ["-from_year"]
        verbose_name = "mức hội phí"
        verbose_name_plural = "mức hội phí"
        constraints = [
            models.CheckConstraint(condition=Q(from_year__gte=1990, from_year__lte=2200), name="dues_rate_year_range"),
        ]

    def __str__(self) -> str:
        return f"Từ năm {self.from_year}: {self.amount:,} đ".replace(",", ".")


class DuesShare(models.Model):
    """The share of collected dues passed to a unit of this level (in hundredths of a percent)."""

    kind = models.OneToOneField("org.UnitKind", verbose_name="cấp nhận", on_delete=models.CASCADE)
    basis_points = models.PositiveIntegerField(
        "tỷ lệ (phần vạn)", help_text="Ví dụ 1000 = 10%. Tổng các cấp không quá 10000."
    )

    class Meta:
        verbose_name = "tỷ lệ trích nộp hội phí"
        verbose_name_plural = "tỷ lệ trích nộp hội phí"
        constraints = [
            models.CheckConstraint(condition=Q(basis_points__lte=10000), name="dues_share_at_most_all"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.basis_points / 100:g}%"


class DuesPayment(UnitOwned):
    """A member's dues for one year, paid in cash; its receipt number is per unit and year."""

    member = models.ForeignKey("members.Member", verbose_name="hội viên", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị thu", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    amount = models.PositiveIntegerField("số tiền (đồng)")
    paid_on = models.DateField("ngày nộp")
    collected_by = models.CharField("người thu", max_length=150)
    receipt_no = models.PositiveIntegerField("số phiếu thu")
    payer_name = models.CharField("người nộp", max_length=200)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hội phí đã thu"
        verbose_name_plural = "hội phí đã thu"
        ordering = ["unit_path", "year", "receipt_no"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="dues_once_per_member_year"),
            models.UniqueConstraint(fields=["unit", "year", "receipt_no"], name="dues_receipt_number"),
        ]
        indexes = [models.Index(fields=["year", "unit_path"], name="dues_year_path")]

    def __str__(self) -> str:
        return f"Phiếu thu số {self.receipt_no}/{self.year}"


class Remittance(UnitOwned):
    """Dues passed by `unit` to an upper unit for a year."""

    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị nộp", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", verbose_name="nộp cho", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("hội phí năm")
    amount = models.PositiveIntegerField("số tiền (đồng)")
    paid_on = models.DateField("ngày nộp")
    note = models.CharField("ghi chú", max_length=255, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "trích nộp hội phí"
        verbose_name_plural = "trích nộp hội phí"
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="remittance_positive")]


class FundKind(models.TextChoices):
    ASSOCIATION = "quy_hoi", "Quỹ Hội"
    COMRADES = "nghia_tinh", "Quỹ nghĩa tình đồng đội"
    OTHER = "khac", "Quỹ khác"


class Fund(UnitOwned):
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("loại quỹ", max_length=12, choices=FundKind.choices, default=FundKind.ASSOCIATION)
    name = models.CharField("tên quỹ", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "quỹ"
        verbose_name_plural = "quỹ"
        ordering = ["unit_path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="fund_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class EntryCategory(models.TextChoices):
    DUES_SHARE = "hoi_phi", "Thu: hội phí để lại"
    CONTRIBUTION = "dong_gop", "Thu: đóng góp, ủng hộ"
    SUPPORT = "ho_tro", "Thu: hỗ trợ của cơ quan, cấp trên"
    GIFT = "tang_qua", "Chi: tặng quà"
    VISIT = "tham_vieng", "Chi: thăm hỏi, thăm viếng"
    ACTIVITY = "hoat_dong", "Chi: hoạt động"
    OTHER_EXPENSE = "chi_khac", "Chi: khác"
    REVERSAL = "dao_but_toan", "Bút toán đảo"


INCOME = {EntryCategory.DUES_SHARE, EntryCategory.CONTRIBUTION, EntryCategory.SUPPORT}


class FundEntry(UnitOwned):
    """One line of a fund's ledger; `amount` is signed (income > 0, expense < 0)."""

    fund = models.ForeignKey(Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="entries")
    on = models.DateField("ngày")
    category = models.CharField("khoản", max_length=16, choices=EntryCategory.choices)
    amount = models.BigIntegerField("số tiền (đồng)")
    description = models.CharField("nội dung", max_length=255)
    reverses = models.OneToOneField(
        "self", verbose_name="đảo bút toán", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    # What the money was spent on: the activities module's gift or activity (finance points at them, not back).
    gift = models.ForeignKey(
        "activities.Gift", verbose_name="quà tặng", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name="hoạt động",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bút toán quỹ"
        verbose_name_plural = "sổ quỹ"
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="fund_entry_not_zero")]
        indexes = [models.Index(fields=["fund", "on"], name="fund_entry_date")]

    def owner_path(self) -> str:
        return self.fund.unit_path

    @property
    def income(self) -> int:
        return self.amount if self.amount > 0 else 0

    @property
    def expense(self) -> int:
        return -self.amount if self.amount < 0 else 0


class FinanceEvent(AuditEvent):
    """Audit of dues, remittances and fund entries."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta(AuditEvent.Meta):
        verbose_name = "nhật ký tài chính"
        verbose_name_plural = "nhật ký tài chính"
        indexes = [models.Index(fields=["unit_path", "-at"], name="finance_event_path")]


class VisitStatus(models.TextChoices):
    TODO = "todo", "Chưa thăm viếng"
    DONE = "done", "Đã thăm viếng"


class VisitTask(UnitOwned):
    """Thăm viếng: created for the member's unit when a death is recorded."""

    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    member = models.OneToOneField(
        "members.Member", verbose_name="hội viên", on_delete=models.PROTECT, related_name="visit_task"
    )
    died_on = models.CharField("ngày từ trần", max_length=10)
    funeral = models.TextField("lễ tang (thời gian, địa điểm)", blank=True)
    status = models.CharField("tình trạng", max_length=6, choices=VisitStatus.choices, default=VisitStatus.TODO)
    visited_on = models.DateField("ngày thăm viếng", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "việc thăm viếng"
        verbose_name_plural = "việc thăm viếng"
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"Thăm viếng {self.member}"
