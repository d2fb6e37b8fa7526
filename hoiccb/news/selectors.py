"""Reads of news and directives.

`public_articles()` is the one definition of what the public may see: published, and
its publication time has come. Every public page, the feed and the search start from it.
"""

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.news import access as news_access
from hoiccb.news.models import (
    Article,
    ArticlePhoto,
    ArticleStatus,
    Directive,
    DirectiveReceipt,
    NewsState,
    ReceiptState,
)
from hoiccb.org.paths import subtree_filter

PUBLIC_PAGE_SIZE = 12


def public_articles(now: datetime.datetime | None = None) -> QuerySet[Article]:
    """Return the articles anyone may read, newest first."""
    return Article.objects.filter(status=ArticleStatus.PUBLISHED, publish_at__lte=now or timezone.now()).order_by(
        "-publish_at", "-id"
    )


def is_public(article: Article) -> bool:
    """Return whether the public may read the article now."""
    return public_articles().filter(pk=article.pk).exists()


def readable_photo(user: User, pk: int) -> tuple[ArticlePhoto, bool] | None:
    """Return the photo and whether it is public: to anyone once its article is public, else only to its writers."""
    photo = ArticlePhoto.objects.select_related("article").filter(pk=pk).first()
    if photo is None:
        return None
    public = public_articles().filter(pk=photo.article_id).exists()
    if not public and not news_access.articles(user).filter(pk=photo.article_id).exists():
        return None
    return photo, public


def next_scheduled_time(now: datetime.datetime) -> datetime.datetime | None:
    """Return when the next scheduled article becomes public (None: none waiting)."""
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


def public_state_token() -> str:
    """Return the token that changes whenever the public view changes (see services.bump_public_state)."""
    return NewsState.objects.filter(pk=1).values_list("token", flat=True).first() or "0"


def encode_cursor(article: Article) -> str:
    if article.publish_at is None:
        raise ValueError("Only a published article has a place in the public list.")
    return f"{int(article.publish_at.timestamp() * 1_000_000)}-{article.pk}"


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    try:
        micros, pk = cursor.split("-", 1)
        moment = datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC)
        return moment, int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def public_page(
    *, category=None, after: str = "", size: int = PUBLIC_PAGE_SIZE, now: datetime.datetime | None = None
) -> tuple[list[Article], str | None]:
    """Return one page of public articles (keyset after `after`) and the cursor of the next page."""
    qs = (
        public_articles(now)
        .select_related("category", "unit")
        .only("title", "slug", "lead", "publish_at", "author_name", "category__name", "category__slug", "unit__name")
    )
    if category is not None:
        qs = qs.filter(category=category)
    position = decode_cursor(after) if after else None
    if position is not None:
        moment, pk = position
        qs = qs.filter(Q(publish_at__lt=moment) | Q(publish_at=moment, pk__lt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    attach_cover_photos(rows)
    return rows, (encode_cursor(rows[-1]) if more and rows else None)


def attach_cover_photos(articles: list[Article]) -> None:
    """Set `url` and `cover` (a {url, caption} dict of the first photo, or None) on each article, in one query."""
    article_url = reverse("news:article", args=["-"])[:-2]
    photo_url = reverse("news:photo", args=[0])[:-2]
    covers: dict[int, dict[str, str]] = {}
    rows = (
        ArticlePhoto.objects.filter(article__in=[a.pk for a in articles])
        .order_by("article_id", "order", "id")
        .values_list("article_id", "id", "caption")
    )
    for article_id, photo_id, caption in rows:
        covers.setdefault(article_id, {"url": f"{photo_url}{photo_id}/", "caption": caption})
    for article in articles:
        article.url = f"{article_url}{article.slug}/"
        article.cover = covers.get(article.pk)


def latest_public(*, exclude: Article | None = None, size: int = 5) -> list[Article]:
    """Return the "Bài viết mới nhất" block."""
    qs = public_articles().only("title", "slug", "publish_at")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs[:size])


def public_search(query: str, *, size: int = 30) -> list[Article]:
    """Return published articles whose title, lead or body hold every word of `query`, accents ignored."""
    words = normalize_search(query).split()
    if not words:
        return []
    qs = public_articles().select_related("category")
    for word in words[:8]:
        qs = qs.filter(search_text__contains=word)
    rows = list(qs[:size])
    attach_cover_photos(rows)
    return rows


# --- Staff ---------------------------------------------------------------------------


def staff_articles(user: User, *, status: str = "", query: str = "") -> QuerySet[Article]:
    """Return the articles the user may write or publish, in every state, recently edited first."""
    qs = news_access.articles(user).select_related("unit", "category").order_by("-updated_at", "-id")
    if status:
        qs = qs.filter(status=status)
    for word in normalize_search(query).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


def inbox(user: User) -> QuerySet[DirectiveReceipt]:
    """Return the receipts of the user's own unit, newest directive first."""
    if user.unit_id is None:
        return DirectiveReceipt.objects.none()
    return (
        DirectiveReceipt.objects.filter(unit_id=user.unit_id)
        .select_related("directive", "directive__issuing_unit")
        .order_by("-directive__issued_on", "-directive_id")
    )


def issued(user: User) -> QuerySet[Directive]:
    """Return the directives issued within the user's subtree, with receipt counts and those pending."""
    root = scoping.root_unit(user)
    if root is None:
        return Directive.objects.none()
    return (
        news_access.directives(user)
        .filter(**subtree_filter("issuing_unit__path", root.path))
        .select_related("issuing_unit")
        .annotate(
            total=Count("receipts"),
            confirmed=Count("receipts", filter=Q(receipts__state=ReceiptState.CONFIRMED)),
            opened=Count("receipts", filter=Q(receipts__state=ReceiptState.OPENED)),
        )
        .annotate(pending=F("total") - F("confirmed"))
        .order_by("-issued_on", "-id")
    )


def receipt_table(directive: Directive) -> list[DirectiveReceipt]:
    """Return every recipient, those not yet confirmed first, then in tree order."""
    rows = list(directive.receipts.select_related("unit", "confirmed_by"))
    order: dict[str, int] = {ReceiptState.UNREAD: 0, ReceiptState.OPENED: 1, ReceiptState.CONFIRMED: 2}
    rows.sort(key=lambda r: (order[r.state], r.unit.path))
    return rows
