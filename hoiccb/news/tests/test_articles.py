"""Writing, sanitising, publishing and withdrawing articles, and their photos."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hoiccb.news import samples, services
from hoiccb.news.models import Article, ArticleStatus, NewsEvent, NewsEventKind
from hoiccb.news.selectors import public_articles
from hoiccb.news.tests.conftest import photo_upload, write

pytestmark = pytest.mark.django_db

NASTY = (
    "Đoạn mở đầu.\n\n"
    "<script>alert('xss-script')</script>\n\n"
    '<img src="x" onerror="alert(\'xss-onerror\')">\n\n'
    "[bấm vào đây](javascript:alert('xss-link'))\n\n"
    '<a href="https://ccb.example.vn/" onclick="steal()">liên kết thật</a>\n\n'
    "<p style=\"background:url(javascript:alert('xss-style'))\">Đoạn có style.</p>"
)


def test_body_is_sanitised_on_save(cast, tree):
    article = write(cast["khoi"], tree["bloc"], body_source=NASTY)
    html = article.body_html
    for bad in ("<script", "xss-script", "onerror", "javascript:", "onclick", "style=", "<img"):
        assert bad not in html, bad
    assert '<a href="https://ccb.example.vn/" rel="noopener noreferrer nofollow">liên kết thật</a>' in html
    assert "<p>Đoạn mở đầu.</p>" in html


def test_script_and_onerror_never_reach_a_public_page(client, cast, tree):
    article = write(cast["khoi"], tree["bloc"], body_source=NASTY, title="Tin <b>đậm</b> <script>x</script>")
    services.article_publish(actor=cast["khoi"], article=article)
    # Defence in depth: even HTML stored behind the services' back is cleaned on output.
    Article.objects.filter(pk=article.pk).update(body_html='<p>ok</p><script>alert("stored")</script><img onerror=x>')
    body = client.get(f"/tin-tuc/bai/{article.slug}/").content.decode()
    assert "<p>ok</p>" in body
    for bad in ('alert("stored")', "onerror", "xss-"):
        assert bad not in body, bad
    assert "Tin &lt;b&gt;đậm&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;" in body


def test_markdown_renders_paragraphs_lists_and_bold(cast, tree):
    article = write(cast["khoi"], tree["bloc"], body_source="Mở đầu **quan trọng**.\n\n- một\n- hai")
    assert article.body_html == "<p>Mở đầu <strong>quan trọng</strong>.</p>\n<ul>\n<li>một</li>\n<li>hai</li>\n</ul>"


def test_slugs_are_ascii_and_unique(cast, tree):
    first = write(cast["khoi"], tree["bloc"], title="Đồng chí Bí thư làm việc với Hội")
    second = write(cast["khoi"], tree["bloc"], title="Đồng chí Bí thư làm việc với Hội")
    assert first.slug == "dong-chi-bi-thu-lam-viec-voi-hoi"
    assert second.slug == "dong-chi-bi-thu-lam-viec-voi-hoi-2"


def test_publish_schedule_withdraw_states_and_audit(cast, tree):
    article = write(cast["khoi"], tree["bloc"])
    assert article.status == ArticleStatus.DRAFT and not public_articles().filter(pk=article.pk).exists()
    later = timezone.now() + datetime.timedelta(hours=2)
    services.article_publish(actor=cast["khoi"], article=article, at=later)
    assert not public_articles().filter(pk=article.pk).exists()
    assert public_articles(now=later + datetime.timedelta(seconds=1)).filter(pk=article.pk).exists()
    services.article_publish(actor=cast["khoi"], article=article)
    assert public_articles().filter(pk=article.pk).exists()
    services.article_withdraw(actor=cast["khoi"], article=article, reason="Đăng nhầm")
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN and not public_articles().filter(pk=article.pk).exists()
    with pytest.raises(ValidationError):
        services.article_withdraw(actor=cast["khoi"], article=article)
    kinds = list(NewsEvent.objects.filter(article=article).order_by("id").values_list("action", flat=True))
    assert kinds == [NewsEventKind.CREATED, NewsEventKind.SCHEDULED, NewsEventKind.PUBLISHED, NewsEventKind.WITHDRAWN]


def test_writers_and_publishers_stay_in_their_subtree(cast, tree):
    with pytest.raises(PermissionDenied):
        write(cast["coso1"], tree["unit_b"])
    own = write(cast["coso1"], tree["unit_a"])
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=cast["coso2"], article=own)
    # A committee member may write a draft but not publish it.
    draft = write(cast["uyvien"], tree["bloc"])
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=cast["uyvien"], article=draft)
    services.article_update(actor=cast["uyvien"], article=draft, changes={"title": "Tiêu đề đã sửa"})
    services.article_publish(actor=cast["khoi"], article=draft)
    with pytest.raises(PermissionDenied):  # changing a published text is publishing
        services.article_update(actor=cast["uyvien"], article=draft, changes={"title": "Sửa sau khi đăng"})
    draft.refresh_from_db()
    assert draft.title == "Tiêu đề đã sửa"


def test_editing_a_published_article_updates_the_public_page_and_history(client, cast, tree):
    article = write(cast["khoi"], tree["bloc"])
    services.article_publish(actor=cast["khoi"], article=article)
    assert "Đoạn thứ hai" in client.get(f"/tin-tuc/bai/{article.slug}/").content.decode()
    services.article_update(actor=cast["khoi"], article=article, changes={"body_source": "Nội dung đã đính chính."})
    body = client.get(f"/tin-tuc/bai/{article.slug}/").content.decode()
    assert "Nội dung đã đính chính." in body and "Đoạn thứ hai" not in body
    event = NewsEvent.objects.filter(article=article, action=NewsEventKind.UPDATED).get()
    assert list(event.changes) == ["Nội dung"]


def test_photo_is_resized_and_loses_its_exif(cast, tree):
    article = write(cast["khoi"], tree["bloc"])
    upload = photo_upload("may-anh.jpg", width=2400, height=1600, exif=True)
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get(0x0110) == "SecretModel"  # the test photo really carries EXIF
    upload.seek(0)
    photo = services.photo_add(actor=cast["khoi"], article=article, upload=upload, caption="Ảnh có EXIF")
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (1600, 1067) == (photo.width, photo.height)
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"SecretModel" not in photo.image.open("rb").read()


def test_png_is_accepted_and_re_encoded(cast, tree):
    article = write(cast["khoi"], tree["bloc"])
    png = SimpleUploadedFile("anh.png", samples.photo_bytes(300, 200, fmt="PNG"))
    photo = services.photo_add(actor=cast["khoi"], article=article, upload=png)
    assert photo.image.name is not None
    assert photo.image.name.endswith(".jpg") and (photo.width, photo.height) == (300, 200)


@pytest.mark.parametrize(
    "name,data",
    [
        ("anh.jpg", b"<html><script>alert(1)</script></html>"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # a PNG signature, then nothing decodable
        ("anh.jpg", b"%PDF-1.4 not an image"),
    ],
)
def test_uploads_that_are_not_images_are_refused(cast, tree, name, data):
    article = write(cast["khoi"], tree["bloc"])
    with pytest.raises(ValidationError):
        services.photo_add(actor=cast["khoi"], article=article, upload=SimpleUploadedFile(name, data, "image/jpeg"))
    assert article.photos.count() == 0


def test_editor_pages_write_preview_upload_and_refuse_a_fake_image(client, cast, tree, category):
    client.force_login(cast["coso1"])
    response = client.post(
        "/tin-tuc/quan-ly/viet/",
        {
            "title": "Hội CCB Sở Tài chính thăm hội viên ốm",
            "lead": "Thăm hỏi, động viên.",
            "body_source": "Đoàn đã đến thăm.",
            "category": category.pk,
            "unit": tree["unit_a"].pk,
            "author_name": "Văn phòng",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tin-tuc/quan-ly/{article.pk}/"
    fake = SimpleUploadedFile("anh.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = client.post(f"/tin-tuc/quan-ly/{article.pk}/anh/", {"image": fake, "caption": "x"}, follow=True)
    assert "Tệp “anh.jpg” không phải ảnh hợp lệ" in response.content.decode()
    assert article.photos.count() == 0
    client.post(f"/tin-tuc/quan-ly/{article.pk}/anh/", {"image": photo_upload(), "caption": "Thăm hội viên"})
    preview = client.get(f"/tin-tuc/quan-ly/{article.pk}/").content.decode()
    assert "Thăm hội viên" in preview and "Bạn đọc chưa thấy bài này." in preview
    # The chair may not pick a unit outside the subtree.
    response = client.post(
        f"/tin-tuc/quan-ly/{article.pk}/sua/",
        {"title": "x", "lead": "y", "body_source": "z", "unit": tree["unit_b"].pk},
    )
    assert response.status_code == 200 and Article.objects.get().unit == tree["unit_a"]
