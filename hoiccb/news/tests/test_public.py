"""The public news pages, the feed and the search: no login, published items only."""

import datetime
import time
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from hoiccb.news import services
from hoiccb.news.models import Article
from hoiccb.news.tests.conftest import photo_upload, write

pytestmark = pytest.mark.django_db


def test_logged_out_visitor_reads_list_article_and_photo(client, published, draft):
    listing = client.get("/tin-tuc/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert published.title.replace("“", "&ldquo;") in body or published.title in body
    assert "Đăng nhập" in body and "Đăng xuất" not in body
    assert draft.title not in body

    page = client.get(f"/tin-tuc/bai/{published.slug}/").content.decode()
    assert "Toàn cảnh buổi làm việc" in page and "Ngọc Khánh" in page and "Bài viết mới nhất" in page
    assert f'<meta property="og:title" content="{published.title}">' in page
    assert '<meta property="og:image" content="http://testserver/tin-tuc/anh/' in page

    photo = published.photos.get()
    response = client.get(f"/tin-tuc/anh/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_drafts_withdrawn_and_their_photos_are_invisible_to_the_public(client, cast, published, draft):
    services.article_withdraw(actor=cast["khoi"], article=published)
    for article in (published, draft):
        assert client.get(f"/tin-tuc/bai/{article.slug}/").status_code == 404
        assert client.get(f"/tin-tuc/anh/{article.photos.get().pk}/").status_code == 404
    pages = ("/tin-tuc/", "/tin-tuc/rss.xml", "/tin-tuc/chuyen-muc/hoat-dong-cua-hoi/", "/tin-tuc/tim/?q=nghia+tinh")
    for url in pages:
        body = client.get(url).content.decode()
        assert "quỹ nghĩa tình" not in body and "gương mẫu" not in body, url


def test_writers_see_their_draft_photo_but_other_units_do_not(client, cast, draft):
    photo_url = f"/tin-tuc/anh/{draft.photos.get().pk}/"
    client.force_login(cast["khoi"])
    assert client.get(photo_url).status_code == 200
    client.force_login(cast["coso1"])  # a unit below the bloc: the bloc's draft is not theirs
    assert client.get(photo_url).status_code == 404


def test_search_ignores_accents_and_finds_only_public_items(client, published, draft):
    for query in ("cuu chien binh guong mau", "Gương Mẫu", "CỰU CHIẾN"):
        body = client.get("/tin-tuc/tim/", {"q": query}).content.decode()
        assert f"/tin-tuc/bai/{published.slug}/" in body, query
    body = client.get("/tin-tuc/tim/", {"q": "quy nghia tinh"}).content.decode()
    assert "Không có bài nào" in body and draft.slug not in body


def test_scheduled_item_appears_at_its_time_even_through_the_page_cache(client, cast, tree, published):
    due = timezone.now() + datetime.timedelta(seconds=1.5)
    scheduled = write(cast["khoi"], tree["bloc"], title="Thông báo lịch tiếp hội viên")
    services.article_publish(actor=cast["khoi"], article=scheduled, at=due)
    first = client.get("/tin-tuc/")
    assert "Thông báo lịch tiếp hội viên" not in first.content.decode()
    assert client.get("/tin-tuc/").get("X-News-Cache") == "hit"  # the list really is cached
    assert client.get(f"/tin-tuc/bai/{scheduled.slug}/").status_code == 404
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.1)
    assert "Thông báo lịch tiếp hội viên" in client.get("/tin-tuc/").content.decode()
    assert client.get(f"/tin-tuc/bai/{scheduled.slug}/").status_code == 200


def test_publish_and_withdraw_invalidate_cached_pages_at_once(client, cast, tree, published):
    client.get("/tin-tuc/")
    assert client.get("/tin-tuc/").get("X-News-Cache") == "hit"
    # Tracking parameters share the entry; the page cursor does not.
    assert client.get("/tin-tuc/", {"utm_source": "zalo"}).get("X-News-Cache") == "hit"
    assert client.get("/tin-tuc/", {"sau": "1-1"}).get("X-News-Cache") is None
    fresh = write(cast["khoi"], tree["bloc"], title="Tin mới vừa đăng")
    services.article_publish(actor=cast["khoi"], article=fresh)
    assert "Tin mới vừa đăng" in client.get("/tin-tuc/").content.decode()
    client.get(f"/tin-tuc/bai/{fresh.slug}/")
    services.article_withdraw(actor=cast["khoi"], article=fresh)
    assert "Tin mới vừa đăng" not in client.get("/tin-tuc/").content.decode()
    assert client.get(f"/tin-tuc/bai/{fresh.slug}/").status_code == 404


def test_a_cached_page_costs_no_query(client, published, django_assert_num_queries):
    client.get("/tin-tuc/")
    with django_assert_num_queries(0):
        response = client.get("/tin-tuc/")
    assert response.get("X-News-Cache") == "hit" and published.title in response.content.decode()


def test_logged_in_users_never_get_the_anonymous_cached_page(client, cast, published):
    client.get("/tin-tuc/")
    client.force_login(cast["khoi"])
    response = client.get("/tin-tuc/")
    assert response.get("X-News-Cache") is None and "Đăng xuất" in response.content.decode()


def test_feed_is_valid_rss_with_only_public_items(client, cast, tree, published, draft):
    later = write(cast["khoi"], tree["bloc"], title="Tin hẹn giờ ngày mai")
    services.article_publish(actor=cast["khoi"], article=later, at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/tin-tuc/rss.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == [published.title]
    assert items[0].findtext("link") == f"http://testserver/tin-tuc/bai/{published.slug}/"
    assert items[0].findtext("description") == published.lead


def test_atom_feed_is_valid_xml_with_only_public_items(client, published, draft):
    response = client.get("/tin-tuc/atom.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = root.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == [published.title]
    link = entries[0].find("a:link", ns)
    assert link is not None
    assert link.get("href") == f"http://testserver/tin-tuc/bai/{published.slug}/"
    assert entries[0].findtext("a:author/a:name", namespaces=ns) == "Ngọc Khánh"


def test_list_pages_by_keyset_with_few_queries(client, cast, tree, category, settings, django_assert_max_num_queries):
    settings.NEWS_CACHE_SECONDS = 0
    base = timezone.now() - datetime.timedelta(days=30)
    for n in range(15):
        article = write(cast["khoi"], tree["bloc"], title=f"Tin số {n:02d}", category=category)
        if n % 3 == 0:
            services.photo_add(actor=cast["khoi"], article=article, upload=photo_upload(width=60, height=40))
        services.article_publish(actor=cast["khoi"], article=article)
        Article.objects.filter(pk=article.pk).update(publish_at=base + datetime.timedelta(hours=n))
    with django_assert_max_num_queries(4):
        first = client.get("/tin-tuc/").content.decode()
    assert "Tin số 14" in first and "Tin số 03" in first and "Tin số 02" not in first
    cursor = first.split('href="?sau=')[1].split('"')[0]
    second = client.get("/tin-tuc/", {"sau": cursor}).content.decode()
    assert "Tin số 02" in second and "Tin số 00" in second and "Tin số 03" not in second
    assert 'href="?sau=' not in second
    category_page = client.get(f"/tin-tuc/chuyen-muc/{category.slug}/").content.decode()
    assert "Tin số 14" in category_page
    assert client.get("/tin-tuc/", {"sau": "rac-khong-hop-le"}).status_code == 200


def test_unknown_category_is_404(client, published):
    assert client.get("/tin-tuc/chuyen-muc/khong-co/").status_code == 404
