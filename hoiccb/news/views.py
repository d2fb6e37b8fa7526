"""Public news pages (no login) and the staff pages that write and publish articles."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.lib.replica import reads_from_replica
from hoiccb.lib.search import search_param
from hoiccb.lib.views import submit
from hoiccb.news import access as news_access
from hoiccb.news import forms, selectors, services
from hoiccb.news.cache import public_cache
from hoiccb.news.models import Article, ArticlePhoto, ArticleStatus, Category

# --- Public -------------------------------------------------------------------------


def _public_context(**extra) -> dict:
    return {"categories": Category.objects.all(), "public": True, **extra}


@reads_from_replica
@login_not_required
@require_GET
@public_cache
def public_list(request):
    articles, next_cursor = selectors.public_page(after=request.GET.get("sau", ""))
    return render(
        request,
        "news/public_list.html",
        _public_context(articles=articles, next_cursor=next_cursor, first_page=not request.GET.get("sau")),
    )


@reads_from_replica
@login_not_required
@require_GET
@public_cache
def public_category(request, slug: str):
    category = get_object_or_404(Category, slug=slug)
    articles, next_cursor = selectors.public_page(category=category, after=request.GET.get("sau", ""))
    return render(
        request,
        "news/public_list.html",
        _public_context(
            articles=articles, next_cursor=next_cursor, category=category, first_page=not request.GET.get("sau")
        ),
    )


@reads_from_replica
@login_not_required
@require_GET
@public_cache
def public_article(request, slug: str):
    article = scoping.get_or_404(selectors.public_articles().select_related("unit", "category"), slug=slug)
    return render(
        request,
        "news/public_article.html",
        _public_context(
            article=article, photos=list(article.photos.all()), latest=selectors.latest_public(exclude=article)
        ),
    )


@login_not_required
@require_GET
def public_search(request):
    query = search_param(request)
    results = selectors.public_search(query) if query else []
    return render(request, "news/public_search.html", _public_context(query=query, results=results))


@login_not_required
@require_GET
def photo(request, pk: int):
    """Serve a photo: to anyone once its article is public, otherwise only to its writers."""
    found = selectors.readable_photo(request.user, pk)
    if found is None:
        raise Http404("Không tìm thấy.")
    photo, public = found
    try:
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404("Không tìm thấy.") from None
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class LatestArticlesFeed(Feed):
    title = "Tin tức Hội Cựu chiến binh"
    description = "Tin hoạt động của Hội Cựu chiến binh Khối cơ quan và doanh nghiệp tỉnh và các Hội CCB cơ sở."
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    language = "vi"

    def link(self):
        return reverse("news:list")

    def items(self):
        return selectors.public_articles().select_related("unit")[:30]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.lead

    def item_link(self, item: Article) -> str:
        return reverse("news:article", args=[item.slug])

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_author_name(self, item: Article) -> str:
        return item.author_name or str(item.unit)

    def item_guid(self, item: Article) -> str:
        return f"hoiccb-article-{item.pk}"

    item_guid_is_permalink = False


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


feed = reads_from_replica(login_not_required(require_GET(public_cache(LatestArticlesFeed()))))
atom_feed = reads_from_replica(login_not_required(require_GET(public_cache(LatestArticlesAtomFeed()))))


# --- Staff: writing and publishing ---------------------------------------------------


def _article_or_404(request, pk: int) -> Article:
    return scoping.get_or_404(news_access.articles(request.user).select_related("unit", "category"), pk=pk)


def manage_list(request):
    scoping.require(request.user, "write_news")
    status = request.GET.get("trang_thai", "")
    if status not in ArticleStatus.values:
        status = ""
    query = search_param(request)
    paginator = Paginator(selectors.staff_articles(request.user, status=status, query=query), 25)
    page = paginator.get_page(request.GET.get("trang"))
    return render(
        request,
        "news/manage_list.html",
        {"page": page, "status": status, "query": query, "statuses": ArticleStatus.choices},
    )


@require_http_methods(["GET", "POST"])
def article_create(request):
    scoping.require(request.user, "write_news")
    form = forms.ArticleForm(request.POST or None, user=request.user)
    article = submit(
        request,
        form,
        lambda data: services.article_create(actor=request.user, **form.values()),
        done="Đã lưu bản nháp. Xem trước, thêm ảnh rồi đăng.",
    )
    if article:
        return redirect("news:preview", pk=article.pk)
    return render(request, "news/article_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def article_edit(request, pk: int):
    article = _article_or_404(request, pk)
    form = forms.ArticleForm(request.POST or None, instance=article, user=request.user)
    # The service applies the changes; the form must not touch the instance it reloads.
    if submit(
        request,
        form,
        lambda data: services.article_update(actor=request.user, article=article, changes=form.values()),
        done="Đã lưu bài viết.",
    ):
        return redirect("news:preview", pk=article.pk)
    return render(request, "news/article_form.html", {"form": form, "article": article})


def article_preview(request, pk: int):
    article = _article_or_404(request, pk)
    return render(
        request,
        "news/preview.html",
        {
            "article": article,
            "photos": list(article.photos.all()),
            "latest": selectors.latest_public(exclude=article),
            "publish_form": forms.PublishForm(),
            "withdraw_form": forms.WithdrawForm(),
            "photo_form": forms.PhotoForm(),
            "events": article.events.select_related("actor")[:20],
            "can_publish": scoping.can(request.user, "publish_news"),
            "is_public": selectors.is_public(article),
        },
    )


@require_POST
def article_publish(request, pk: int):
    article = _article_or_404(request, pk)
    scoping.require(request.user, "publish_news")
    submit(
        request,
        forms.PublishForm(request.POST),
        lambda data: services.article_publish(actor=request.user, article=article, at=data["at"]),
        done=_published,
        flash_errors=True,
    )
    return redirect("news:preview", pk=article.pk)


def _published(article: Article) -> str:
    if selectors.is_public(article):
        return "Đã đăng bài. Bạn đọc đã xem được trên trang Tin tức."
    return f"Đã hẹn giờ đăng lúc {timezone.localtime(article.publish_at):%H:%M %d/%m/%Y}."


@require_POST
def article_withdraw(request, pk: int):
    article = _article_or_404(request, pk)
    scoping.require(request.user, "publish_news")
    submit(
        request,
        forms.WithdrawForm(request.POST),
        lambda data: services.article_withdraw(actor=request.user, article=article, reason=data["reason"]),
        done="Đã gỡ bài khỏi trang Tin tức.",
        flash_errors=True,
    )
    return redirect("news:preview", pk=article.pk)


@require_POST
def photo_add(request, pk: int):
    article = _article_or_404(request, pk)
    submit(
        request,
        forms.PhotoForm(request.POST, request.FILES),
        lambda data: services.photo_add(
            actor=request.user, article=article, upload=data["image"], caption=data["caption"]
        ),
        done="Đã thêm ảnh.",
        flash_errors=True,
    )
    return redirect(reverse("news:preview", args=[article.pk]) + "#anh")


@require_POST
def photo_remove(request, pk: int):
    photo = scoping.get_or_404(
        ArticlePhoto.objects.filter(article__in=news_access.articles(request.user)).select_related("article"), pk=pk
    )
    submit(
        request,
        None,
        lambda _: services.photo_remove(actor=request.user, photo=photo),
        done="Đã xóa ảnh.",
        flash_errors=True,
    )
    return redirect(reverse("news:preview", args=[photo.article_id]) + "#anh")
