"""The rows of an election: what is elected and how many, the candidates, the rounds of voting,
the ballots as the counters entered them in batches, and what the confirmation wrote into the tree."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from hoiccb.meetings.elections.counting import Base, Invalid
from hoiccb.org.unit_owned import UnitOwned


class ElectedBody(models.TextChoices):
    EXECUTIVE = "bch", "Ban Chấp hành"
    DELEGATES = "dai_bieu", "Đại biểu dự Đại hội cấp trên"
    STANDING = "btv", "Ban Thường vụ"
    CHAIR = "chu_tich", "Chủ tịch"
    VICE_CHAIR = "pho_chu_tich", "Phó Chủ tịch"
    INSPECTION = "bkt", "Ủy ban Kiểm tra"


class ElectionStatus(models.TextChoices):
    DRAFT = "draft", "Đang lập danh sách"
    APPROVED = "approved", "Đã thông qua danh sách"
    CONFIRMED = "confirmed", "Đã xác nhận kết quả"


class Election(UnitOwned):
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="elections")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    body = models.CharField("bầu", max_length=12, choices=ElectedBody.choices)
    seats = models.PositiveSmallIntegerField("số lượng cần bầu")
    min_extra_pct = models.PositiveSmallIntegerField(
        "số dư tối thiểu (%)", help_text="Danh sách phải nhiều hơn số cần bầu ít nhất chừng này phần trăm."
    )
    max_extra_pct = models.PositiveSmallIntegerField("số dư tối đa (%)")
    majority_base = models.CharField("quá một nửa của", max_length=8, choices=Base.choices, default=Base.VALID)
    double_entry = models.BooleanField(
        "hai người nhập mỗi tập phiếu",
        default=True,
        help_text="Hai người kiểm phiếu nhập độc lập; tập phiếu chỉ được tính khi hai lần nhập khớp nhau.",
    )
    status = models.CharField(max_length=10, choices=ElectionStatus.choices, default=ElectionStatus.DRAFT)
    approved_at = models.DateTimeField(null=True, blank=True)
    # What the confirmation wrote, so that a reversal undoes exactly that.
    term = models.ForeignKey("org.Term", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    term_created = models.BooleanField(default=False)
    created_positions = models.JSONField(default=list, blank=True)
    ended_positions = models.JSONField(default=list, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = "cuộc bầu cử"
        verbose_name_plural = "cuộc bầu cử"
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_seats_positive"),
            models.CheckConstraint(
                condition=Q(max_extra_pct__gte=models.F("min_extra_pct")),
                name="election_margin_order",
                violation_error_message="Số dư tối đa phải không nhỏ hơn số dư tối thiểu.",
            ),
        ]

    def __str__(self) -> str:
        return f"Bầu {self.get_body_display()}"

    def owner_path(self) -> str:
        return self.meeting.unit_path


class Candidate(models.Model):
    """A name on the list, with the short profile read out to the congress (copied when added)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey("members.Member", verbose_name="hội viên", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(max_length=255)
    sort_key = models.BinaryField(default=b"")
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    unit_name = models.CharField(max_length=255, blank=True)
    party_member = models.BooleanField(default=False)
    position = models.CharField("chức vụ hiện nay", max_length=255, blank=True)

    class Meta:
        ordering = ["sort_key", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="candidate_once")]

    def __str__(self) -> str:
        return self.full_name


class RoundStatus(models.TextChoices):
    VOTING = "voting", "Đang bỏ phiếu"
    COUNTING = "counting", "Đang kiểm phiếu"
    SIGNED = "signed", "Tổ kiểm phiếu đã ký"


class Round(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("lần bầu")
    seats = models.PositiveSmallIntegerField("số lượng cần bầu")
    candidates = models.ManyToManyField(Candidate, related_name="rounds")
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.VOTING)
    present = models.PositiveIntegerField("số đại biểu có mặt", default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="round_number_once")]

    def __str__(self) -> str:
        return f"Lần {self.number}"


class Batch(models.Model):
    """A bundle of ballots counted together; with double entry, two counters enter it independently."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveSmallIntegerField("tập số")
    # Counted on paper by the team and entered as totals (TallyEntry), not ballot by ballot.
    tallied = models.BooleanField("nhập tổng hợp", default=False)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="batch_number_once")]

    def __str__(self) -> str:
        return f"Tập {self.number}"


class BallotEntry(models.Model):
    """One ballot as one counter entered it: its serial, why invalid, the names crossed out."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="entries")
    slot = models.PositiveSmallIntegerField("lần nhập", choices=[(1, "Người nhập thứ nhất"), (2, "Người nhập thứ hai")])
    serial = models.PositiveIntegerField("số phiếu")
    invalid = models.CharField("phiếu không hợp lệ vì", max_length=12, choices=Invalid.choices, blank=True)
    crossed = models.JSONField("gạch tên", default=list, blank=True)  # candidate ids, sorted
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "slot", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "slot", "serial"],
                name="ballot_entry_once",
                violation_error_message="Phiếu số này đã được nhập trong tập.",
            )
        ]

    def __str__(self) -> str:
        return f"Phiếu {self.serial}"


class TallyEntry(models.Model):
    """A batch's totals as one counter entered them from the team's paper tally."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="tallies")
    slot = models.PositiveSmallIntegerField("lần nhập", choices=[(1, "Người nhập thứ nhất"), (2, "Người nhập thứ hai")])
    ballots = models.PositiveIntegerField("số phiếu của tập")
    valid = models.PositiveIntegerField("số phiếu hợp lệ")
    invalid = models.JSONField("phiếu không hợp lệ", default=dict, blank=True)  # reason → ballots
    votes = models.JSONField("số phiếu bầu", default=dict, blank=True)  # str(candidate id) → votes (JSON keys)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "slot"]
        constraints = [models.UniqueConstraint(fields=["batch", "slot"], name="tally_entry_once")]

    def __str__(self) -> str:
        return f"Tổng hợp tập {self.batch_id}, lần {self.slot}"
