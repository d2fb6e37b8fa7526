"""News articles (public once published) and directives sent to a subtree of units."""

from django.db import models
from django.db.models import F, Q

from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.audit import AuditEvent


class Category(models.Model):
    """A section of the public news page (Hoạt động của Hội, Thi đua – khen thưởng…)."""

    name = models.CharField("tên chuyên mục", max_length=120)
    slug = models.SlugField("đường dẫn", max_length=80, unique=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"

    def __str__(self) -> str:
        return self.name


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    PUBLISHED = "published", "Đã đăng"
    WITHDRAWN = "withdrawn", "Đã gỡ"


class Article(models.Model):
    """A news item. The public sees it only when published and its publish_at has come."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="đơn vị đăng tin", on_delete=models.PROTECT, related_name="articles"
    )
    category = models.ForeignKey(
        Category, verbose_name="chuyên mục", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    title = models.CharField("tiêu đề", max_length=255)
    slug = models.SlugField(max_length=140, unique=True, editable=False)
    lead = models.TextField("sa pô (tóm tắt)", max_length=1000)
    body_source = models.TextField(
        "nội dung",
        help_text="Mỗi đoạn cách nhau một dòng trống. **chữ đậm**, *chữ nghiêng*, "
        "dòng bắt đầu bằng “- ” thành danh sách, [chữ](https://địa-chỉ) thành liên kết.",
    )
    # Rendered from body_source and sanitised on every save; templates sanitise it again.
    body_html = models.TextField(editable=False, default="")
    author_name = models.CharField("tác giả", max_length=120, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    publish_at = models.DateTimeField("thời điểm đăng", null=True, blank=True)
    withdrawn_at = models.DateTimeField("thời điểm gỡ", null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người viết"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set on the articles of a public list by selectors.attach_cover_photos, not stored.
    url: str
    cover: dict[str, str] | None

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        indexes = [
            models.Index(fields=["status", "-publish_at", "-id"], name="article_public_order"),
            models.Index(fields=["category", "status", "-publish_at", "-id"], name="article_category_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_time",
                violation_error_message="Bài đã đăng phải có thời điểm đăng.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_scheduled(self) -> bool:
        """Published with a publication time still to come."""
        from django.utils import timezone

        return (
            self.status == ArticleStatus.PUBLISHED and self.publish_at is not None and self.publish_at > timezone.now()
        )

    def refresh_search_text(self) -> None:
        self.search_text = normalize_search(f"{self.title} {self.lead} {self.body_source}")


class ArticlePhoto(models.Model):
    """A photo of an article, re-encoded on upload (resized, metadata stripped)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="news/photos/", max_length=200)
    caption = models.CharField("chú thích ảnh", max_length=300, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "ảnh"
        verbose_name_plural = "ảnh"

    def __str__(self) -> str:
        return self.caption or f"Ảnh {self.pk}"


class NewsState(models.Model):
    """One row whose token changes whenever what the public may see changes (page cache key)."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


class DirectiveKind(models.TextChoices):
    DIRECTIVE = "chi-dao", "Văn bản chỉ đạo"
    ORIENTATION = "dinh-huong", "Định hướng tuyên truyền"
    GUIDANCE = "huong-dan", "Hướng dẫn"
    NOTICE = "thong-bao", "Thông báo"
    PLAN = "ke-hoach", "Kế hoạch"


class Directive(models.Model):
    """A document a unit sends to the units of a subtree; each recipient confirms receipt."""

    issuing_unit = models.ForeignKey(
        "org.Unit", verbose_name="đơn vị ban hành", on_delete=models.PROTECT, related_name="directives_issued"
    )
    kind = models.CharField(
        "loại văn bản", max_length=12, choices=DirectiveKind.choices, default=DirectiveKind.DIRECTIVE
    )
    number = models.CharField("số, ký hiệu", max_length=50, help_text="Ví dụ: 12/HD-CCB")
    issued_on = models.DateField("ngày ban hành")
    summary = models.CharField("trích yếu", max_length=500)
    file = models.FileField(upload_to="van-ban/", max_length=200)
    file_name = models.CharField("tên tệp", max_length=200)
    file_size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100)
    recipient_root = models.ForeignKey("org.Unit", verbose_name="gửi đến", on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người gửi"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "văn bản chỉ đạo"
        verbose_name_plural = "văn bản chỉ đạo"

    def __str__(self) -> str:
        return f"{self.number} – {self.summary}"


class ReceiptState(models.TextChoices):
    UNREAD = "unread", "Chưa xem"
    OPENED = "opened", "Đã tải, chưa xác nhận"
    CONFIRMED = "confirmed", "Đã xác nhận"


class DirectiveReceipt(models.Model):
    """One recipient unit of a directive: when it opened the file, confirmed, was reminded."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="receipts")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị nhận", on_delete=models.PROTECT, related_name="receipts")
    state = models.CharField("tình trạng", max_length=10, choices=ReceiptState.choices, default=ReceiptState.UNREAD)
    opened_at = models.DateTimeField("lần đầu tải", null=True, blank=True)
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người xác nhận",
    )
    reminded_at = models.DateTimeField("nhắc lần cuối", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("số lần nhắc", default=0)

    class Meta:
        ordering = ["unit__path"]
        verbose_name = "nơi nhận"
        verbose_name_plural = "nơi nhận"
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="receipt_unique_unit"),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False),
                name="receipt_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True)
                | Q(opened_at__isnull=True)
                | Q(confirmed_at__gte=F("opened_at")),
                name="receipt_confirmed_after_opened",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state"], name="receipt_unit_state"),
            # The sender's inbox counts the receipts still unconfirmed: a directive of the
            # centre has 17,000 receipts, nearly all confirmed after a few weeks.
            models.Index(fields=["directive"], condition=~Q(state="confirmed"), name="receipt_unconfirmed"),
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.unit_id}"


class NewsEventKind(models.TextChoices):
    CREATED = "created", "Tạo"
    UPDATED = "updated", "Sửa"
    PUBLISHED = "published", "Đăng"
    SCHEDULED = "scheduled", "Hẹn giờ đăng"
    WITHDRAWN = "withdrawn", "Gỡ"
    PHOTO_ADDED = "photo_added", "Thêm ảnh"
    PHOTO_REMOVED = "photo_removed", "Xóa ảnh"
    ISSUED = "issued", "Gửi văn bản"
    OPENED = "opened", "Tải văn bản"
    CONFIRMED = "confirmed", "Xác nhận đã nhận"
    REMINDED = "reminded", "Nhắc nơi chưa xác nhận"


class NewsEvent(AuditEvent):
    """Audit entry of an article or a directive: who did what, when."""

    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    directive = models.ForeignKey(Directive, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("việc", max_length=40, choices=NewsEventKind.choices)
    note = models.TextField("ghi chú", blank=True)

    class Meta(AuditEvent.Meta):
        indexes = [
            models.Index(fields=["article", "-at"], name="news_event_article_recent"),
            models.Index(fields=["directive", "-at"], name="news_event_directive_recent"),
        ]

    def __str__(self) -> str:
        return self.get_action_display()

    def owner_path(self) -> str:
        # Under the publishing unit: an article's, or the directive's issuer (a recipient's
        # confirmation is the issuer's business; the recipient is named in `note`).
        if self.article is not None:
            return self.article.unit.path
        if self.directive is not None:
            return self.directive.issuing_unit.path
        raise ValueError("A news event names an article or a directive.")
