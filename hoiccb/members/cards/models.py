from django.db import models


class MemberPhoto(models.Model):
    """A member's card photo: cropped to 3×4 and re-encoded as JPEG, kept in the database (never public)."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="photo")
    image = models.BinaryField()
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ảnh thẻ hội viên"
        verbose_name_plural = "ảnh thẻ hội viên"

    def __str__(self) -> str:
        return f"Ảnh thẻ {self.member_id}"


class CardJobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang in"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Lỗi"


class CardJob(models.Model):
    """A sheet of member cards printed in the background; the PDF is kept privately."""

    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.CASCADE, related_name="+")
    member_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField("số thẻ", default=0)
    state = models.CharField("trạng thái", max_length=10, choices=CardJobState.choices, default=CardJobState.QUEUED)
    file = models.FileField(upload_to="private/cards/", max_length=255, blank=True)
    base_url = models.CharField(max_length=200)
    message = models.CharField("thông báo", max_length=255, blank=True)
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lần in thẻ hội viên"
        verbose_name_plural = "lần in thẻ hội viên"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"In {self.total} thẻ ({self.get_state_display()})"

    @property
    def is_busy(self) -> bool:
        return self.state in (CardJobState.QUEUED, CardJobState.RUNNING)
