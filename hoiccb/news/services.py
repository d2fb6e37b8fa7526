"""Writes of news and directives: keyword-only, checked against the actor's scope,
validated, saved with an audit entry in one transaction."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib import files
from hoiccb.lib.audit import diff, snapshot
from hoiccb.news import access as news_access
from hoiccb.news import content
from hoiccb.news.models import (
    Article,
    ArticlePhoto,
    ArticleStatus,
    Category,
    Directive,
    DirectiveKind,
    DirectiveReceipt,
    NewsEvent,
    NewsEventKind,
    NewsState,
    ReceiptState,
)
from hoiccb.org.audit import record
from hoiccb.org.models import Unit

ARTICLE_FIELDS = ("unit", "category", "title", "lead", "body_source", "author_name")


def bump_public_state() -> None:
    """Invalidate every cached public page (called whenever what the public may see can change)."""
    NewsState.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    # This process re-reads the token now and again after commit (pages rendered meanwhile
    # may still carry the old one); other processes within NEWS_CACHE_CHECK_SECONDS.
    from hoiccb.news.cache import forget_token

    forget_token()
    transaction.on_commit(forget_token)


def _check_writer(actor: User, unit: Unit) -> None:
    if not (scoping.can(actor, "write_news") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied("Bạn không có quyền viết tin cho đơn vị này.")


def _check_publisher(actor: User, article: Article) -> None:
    if not (scoping.can(actor, "publish_news") and scoping.unit_in_scope(actor, article.unit)):
        raise PermissionDenied("Bạn không có quyền đăng hoặc gỡ tin của đơn vị này.")


def _check_editor(actor: User, article: Article) -> None:
    """A draft is its writers'; once published (or scheduled), changing it is publishing."""
    _check_writer(actor, article.unit)
    if article.status == ArticleStatus.PUBLISHED:
        _check_publisher(actor, article)


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = content.slug_base(title)
    slug, n = base, 1
    taken = Article.objects.exclude(pk=exclude_pk) if exclude_pk else Article.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _render(article: Article) -> None:
    article.body_html = content.render_body(article.body_source)
    article.refresh_search_text()


@transaction.atomic
def article_create(
    *,
    actor: User,
    unit: Unit,
    title: str,
    lead: str,
    body_source: str,
    category: Category | None = None,
    author_name: str = "",
) -> Article:
    """Return a new draft article of `unit`."""
    _check_writer(actor, unit)
    article = Article(
        unit=unit,
        category=category,
        title=title.strip(),
        lead=lead.strip(),
        body_source=body_source,
        author_name=author_name.strip(),
        created_by=actor if actor and actor.pk else None,
    )
    article.slug = _unique_slug(article.title)
    _render(article)
    article.full_clean()
    article.save()
    record(NewsEvent, actor=actor, action=NewsEventKind.CREATED, article=article)
    return article


@transaction.atomic
def article_update(*, actor: User, article: Article, changes: dict) -> Article:
    """Apply `changes` (fields of ARTICLE_FIELDS) to an article; returns it."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check_editor(actor, article)
    if "unit" in changes:
        _check_writer(actor, changes["unit"])
    before = snapshot(article, ARTICLE_FIELDS)
    for name, value in changes.items():
        if name not in ARTICLE_FIELDS:
            raise ValueError(f"not an editable field: {name}")
        setattr(article, name, value.strip() if isinstance(value, str) and name != "body_source" else value)
    _render(article)
    article.full_clean()
    article.save()
    changed = diff(before, snapshot(article, ARTICLE_FIELDS), Article)
    if changed:
        record(NewsEvent, actor=actor, action=NewsEventKind.UPDATED, changes=changed, article=article)
    if article.status == ArticleStatus.PUBLISHED:
        bump_public_state()
    return article


@transaction.atomic
def article_publish(*, actor: User, article: Article, at: datetime.datetime | None = None) -> Article:
    """Publish now, or at `at` (scheduled: the public sees it from then on); returns the article."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check_publisher(actor, article)
    now = timezone.now()
    article.status = ArticleStatus.PUBLISHED
    article.publish_at = at if at is not None and at > now else now
    article.withdrawn_at = None
    article.full_clean()
    article.save(update_fields=["status", "publish_at", "withdrawn_at", "updated_at"])
    scheduled = article.publish_at > now
    record(
        NewsEvent,
        actor=actor,
        action=NewsEventKind.SCHEDULED if scheduled else NewsEventKind.PUBLISHED,
        article=article,
        note=timezone.localtime(article.publish_at).strftime("%H:%M %d/%m/%Y"),
    )
    bump_public_state()
    return article


@transaction.atomic
def article_withdraw(*, actor: User, article: Article, reason: str = "") -> Article:
    """Take a published (or scheduled) article off the public pages; returns it."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check_publisher(actor, article)
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError("Chỉ gỡ được bài đã đăng.")
    article.status = ArticleStatus.WITHDRAWN
    article.withdrawn_at = timezone.now()
    article.save(update_fields=["status", "withdrawn_at", "updated_at"])
    record(NewsEvent, actor=actor, action=NewsEventKind.WITHDRAWN, article=article, note=reason)
    bump_public_state()
    return article


@transaction.atomic
def photo_add(*, actor: User, article: Article, upload, caption: str = "") -> ArticlePhoto:
    """Store a re-encoded copy of an uploaded image under the article; returns the photo."""
    # The stored state, not the caller's copy: a stale "draft" object must not open a published article.
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check_editor(actor, article)
    try:
        checked = files.guard_upload(
            upload, accept=files.PHOTOS | {"gif"}, max_bytes=files.PHOTO_MAX_BYTES, image_as="jpeg"
        )
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    stored = checked.file
    last = article.photos.order_by("-order").values_list("order", flat=True).first()
    photo = ArticlePhoto(
        article=article, caption=caption.strip(), width=checked.width, height=checked.height, order=(last or 0) + 1
    )
    photo.image.save(stored.name or "anh", stored, save=False)
    # The file is written before the row; if the row fails, remove the file again.
    try:
        photo.full_clean()
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    record(NewsEvent, actor=actor, action=NewsEventKind.PHOTO_ADDED, article=article, note=photo.caption)
    if article.status == ArticleStatus.PUBLISHED:
        bump_public_state()
    return photo


@transaction.atomic
def photo_remove(*, actor: User, photo: ArticlePhoto) -> None:
    """Delete a photo of an article (its file once the transaction commits)."""
    article = Article.objects.select_for_update().get(pk=photo.article_id)
    _check_editor(actor, article)
    name = photo.image.name
    storage = photo.image.storage
    photo.delete()
    record(NewsEvent, actor=actor, action=NewsEventKind.PHOTO_REMOVED, article=article, note=photo.caption)
    if article.status == ArticleStatus.PUBLISHED:
        bump_public_state()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Directives ------------------------------------------------------------------


def recipient_units(root: Unit, *, grassroots_only: bool):
    """Return the units a directive sent to `root`'s subtree reaches (active ones only)."""
    units = Unit.objects.subtree(root).active().select_related("kind")
    if grassroots_only:
        units = units.filter(kind__is_grassroots=True)
    return units


@transaction.atomic
def directive_issue(
    *,
    actor: User,
    issuing_unit: Unit,
    number: str,
    issued_on: datetime.date,
    summary: str,
    upload,
    recipient_root: Unit,
    grassroots_only: bool = True,
    kind: str = DirectiveKind.DIRECTIVE,
) -> Directive:
    """Send a directive to the units of `recipient_root`'s subtree; returns it with its receipts."""
    if not (scoping.can(actor, "issue_directives") and scoping.unit_in_scope(actor, issuing_unit)):
        raise PermissionDenied("Bạn không có quyền ban hành văn bản cho đơn vị này.")
    if not (scoping.unit_in_scope(actor, recipient_root) and recipient_root.is_within(issuing_unit)):
        raise ValidationError({"recipient_root": "Chỉ gửi được đến các đơn vị thuộc đơn vị ban hành."})
    recipients = [u for u in recipient_units(recipient_root, grassroots_only=grassroots_only) if u != issuing_unit]
    if not recipients:
        raise ValidationError({"recipient_root": "Không có đơn vị nào nhận văn bản này."})
    try:
        checked = files.guard_upload(
            upload, accept=files.DOCUMENTS, max_bytes=files.DOCUMENT_MAX_BYTES, what=files.DOCUMENTS_WHAT
        )
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from None
    directive = Directive(
        issuing_unit=issuing_unit,
        kind=kind,
        number=number.strip(),
        issued_on=issued_on,
        summary=summary.strip(),
        file_name=checked.name,
        file_size=checked.size,
        content_type=checked.content_type,
        recipient_root=recipient_root,
        issued_by=actor if actor and actor.pk else None,
    )
    directive.file.save(checked.file.name or "van-ban", checked.file, save=False)
    stored_name, storage = directive.file.name, directive.file.storage
    try:
        directive.full_clean()
        directive.save()
    except Exception:
        if stored_name:
            storage.delete(stored_name)
        raise
    DirectiveReceipt.objects.bulk_create([DirectiveReceipt(directive=directive, unit=u) for u in recipients])
    record(
        NewsEvent, actor=actor, action=NewsEventKind.ISSUED, directive=directive, note=f"{len(recipients)} đơn vị nhận"
    )
    return directive


def own_receipt(actor: User, directive: Directive) -> DirectiveReceipt | None:
    """Return the receipt of the actor's own unit for this directive, if it is a recipient."""
    if actor.unit_id is None:
        return None
    return DirectiveReceipt.objects.filter(directive=directive, unit_id=actor.unit_id).first()


@transaction.atomic
def directive_opened(*, actor: User, directive: Directive) -> DirectiveReceipt | None:
    """Note that a recipient unit downloaded the file (first time only); returns its receipt."""
    if not scoping.can(actor, "view"):
        raise PermissionDenied("Bạn không có quyền xem văn bản này.")
    receipt = own_receipt(actor, directive)
    if receipt is None or receipt.opened_at is not None:
        return receipt
    receipt.opened_at = timezone.now()
    if receipt.state == ReceiptState.UNREAD:
        receipt.state = ReceiptState.OPENED
    receipt.save(update_fields=["opened_at", "state"])
    record(NewsEvent, actor=actor, action=NewsEventKind.OPENED, directive=directive, note=str(receipt.unit))
    return receipt


@transaction.atomic
def receipt_confirm(*, actor: User, directive: Directive) -> DirectiveReceipt:
    """Confirm receipt for the actor's own unit; returns the receipt."""
    receipt = own_receipt(actor, directive)
    if receipt is None or not scoping.can(actor, "receive_directives"):
        raise PermissionDenied("Đơn vị của bạn không nằm trong nơi nhận văn bản này.")
    receipt = DirectiveReceipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.state == ReceiptState.CONFIRMED:
        return receipt
    now = timezone.now()
    receipt.opened_at = receipt.opened_at or now
    receipt.confirmed_at = now
    receipt.confirmed_by = actor
    receipt.state = ReceiptState.CONFIRMED
    receipt.full_clean()
    receipt.save(update_fields=["opened_at", "confirmed_at", "confirmed_by", "state"])
    record(NewsEvent, actor=actor, action=NewsEventKind.CONFIRMED, directive=directive, note=str(receipt.unit))
    return receipt


@transaction.atomic
def directive_remind(*, actor: User, directive: Directive) -> int:
    """Remind every recipient that has not confirmed (email to its logins); returns how many units."""
    if not news_access.can_manage_directive(actor, directive):
        raise PermissionDenied("Chỉ đơn vị ban hành được nhắc nơi nhận.")
    late = list(
        DirectiveReceipt.objects.select_for_update()
        .filter(directive=directive)
        .exclude(state=ReceiptState.CONFIRMED)
        .select_related("unit")
    )
    now = timezone.now()
    for receipt in late:
        receipt.reminded_at = now
        receipt.reminder_count += 1
    DirectiveReceipt.objects.bulk_update(late, ["reminded_at", "reminder_count"])
    if late:
        record(
            NewsEvent,
            actor=actor,
            action=NewsEventKind.REMINDED,
            directive=directive,
            note=", ".join(r.unit.name for r in late)[:2000],
        )
        emails = list(
            User.objects.filter(unit__in=[r.unit_id for r in late], is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if emails:
            subject = f"Nhắc xác nhận văn bản {directive.number}"
            body = (
                f"{directive.issuing_unit} đề nghị đơn vị xác nhận đã nhận văn bản số {directive.number} "
                f"ngày {directive.issued_on:%d/%m/%Y}: {directive.summary}.\n"
                "Đăng nhập, vào mục Văn bản để tải và xác nhận."
            )
            transaction.on_commit(lambda: send_mail(subject, body, None, emails, fail_silently=True))
    return len(late)
