"""Rows behind the awards documents: the certificates job of a decision and the upward dossier sent."""

from django.db import models
from django.db.models import Q

from hoiccb.lib.word import doc_number


class JobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang in"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Lỗi"


class CertificateJob(models.Model):
    """The certificates PDF of a decision, made in the background and kept until the decision changes.

    `fingerprint` is a hash of everything printed (see `documents.certificates.fingerprint`): a stored
    PDF whose fingerprint differs from the decision's current one is stale.
    """

    decision = models.OneToOneField("Decision", on_delete=models.CASCADE, related_name="certificate_job")
    state = models.CharField("trạng thái", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    fingerprint = models.CharField(max_length=64)
    total = models.PositiveIntegerField("số giấy khen", default=0)
    file = models.FileField(upload_to="private/awards/", max_length=255, blank=True)
    message = models.CharField("thông báo", max_length=255, blank=True)
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lần in giấy khen"
        verbose_name_plural = "lần in giấy khen"

    def __str__(self) -> str:
        return f"Giấy khen {self.decision_id}: {self.get_state_display()}"

    @property
    def is_busy(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)


class UpwardDossier(models.Model):
    """That the dossier proposing a form of a round to the higher level was sent: number, date, who."""

    round = models.ForeignKey("Round", on_delete=models.CASCADE, related_name="dossiers")
    form = models.ForeignKey("AwardForm", verbose_name="hình thức", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField("số tờ trình")
    sent_on = models.DateField("ngày gửi")
    place = models.CharField("địa danh", max_length=100)
    signer = models.CharField("người ký", max_length=150)
    nominations = models.PositiveIntegerField("số người, tập thể", default=0)
    sent_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    # The upper level's answer (services.upward_result_record): its decision, and who recorded it.
    result_number = models.CharField("số quyết định của cấp trên", max_length=100, blank=True)
    result_on = models.DateField("ngày quyết định", null=True, blank=True)
    result_issuer = models.CharField("cơ quan, người ký", max_length=200, blank=True)
    result_form = models.ForeignKey(
        "AwardForm",
        verbose_name="hình thức được khen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    result_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "hồ sơ đề nghị cấp trên"
        verbose_name_plural = "hồ sơ đề nghị cấp trên"
        constraints = [
            models.UniqueConstraint(fields=["round", "form"], name="dossier_unique_form"),
            models.CheckConstraint(
                condition=Q(seq__gte=1), name="dossier_seq_positive", violation_error_message="Số tờ trình từ 1."
            ),
        ]

    def __str__(self) -> str:
        return f"Tờ trình số {self.number}"

    @property
    def number(self) -> str:
        return doc_number(self.seq, "TTr-CCB")


class CitationUse(models.TextChoices):
    ALL = "all", "Mọi văn bản khen thưởng"
    DECISION = "decision", "Quyết định khen thưởng"
    PROPOSAL = "proposal", "Tờ trình đề nghị cấp trên"


class LegalCitation(models.Model):
    """One "Căn cứ …" line of the awards documents, in force from one date to another.

    A document cites the lines in force on its signing date (`documents.selectors.citations`),
    so a decision signed in 2023 cites the 2003 law and one signed in 2024 the 2022 law.
    The administrator keeps the list in the admin.
    """

    text = models.CharField(
        "căn cứ", max_length=500, help_text="Viết như trong văn bản, không có «Căn cứ» ở đầu và dấu «;» ở cuối."
    )
    valid_from = models.DateField("có hiệu lực từ ngày")
    valid_to = models.DateField("hết hiệu lực từ ngày", null=True, blank=True, help_text="Để trống nếu còn hiệu lực.")
    applies_to = models.CharField("dùng cho", max_length=10, choices=CitationUse.choices, default=CitationUse.ALL)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "valid_from", "id"]
        verbose_name = "căn cứ pháp lý"
        verbose_name_plural = "căn cứ pháp lý"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="citation_valid_to_after_from",
                violation_error_message="Ngày hết hiệu lực phải sau ngày có hiệu lực.",
            ),
        ]

    def __str__(self) -> str:
        return self.text
