import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.news import samples, services
from hoiccb.news.models import Category


@pytest.fixture
def category(db):
    return Category.objects.create(slug="hoat-dong-cua-hoi", name="Hoạt động của Hội")


def photo_upload(name="anh.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.photo_bytes(**kwargs), content_type="image/jpeg")


def write(actor, unit, title="Hội nghị tổng kết phong trào “Cựu chiến binh gương mẫu”", **fields):
    fields.setdefault("lead", "Sáng ngày 05/6/2024, Ban Thường vụ Hội họp.")
    fields.setdefault("body_source", "Đoạn thứ nhất.\n\nĐoạn thứ hai với **chữ đậm**.")
    return services.article_create(actor=actor, unit=unit, title=title, **fields)


@pytest.fixture
def published(cast, tree, category):
    article = write(cast["khoi"], tree["bloc"], category=category, author_name="Ngọc Khánh")
    services.photo_add(actor=cast["khoi"], article=article, upload=photo_upload(), caption="Toàn cảnh buổi làm việc")
    return services.article_publish(actor=cast["khoi"], article=article)


@pytest.fixture
def draft(cast, tree, category):
    article = write(cast["khoi"], tree["bloc"], title="Bản nháp chưa đăng về quỹ nghĩa tình", category=category)
    services.photo_add(actor=cast["khoi"], article=article, upload=photo_upload(seed=3), caption="Ảnh nháp bí mật")
    return article
