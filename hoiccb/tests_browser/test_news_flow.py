"""A clerk writes a news item, adds a photo, previews and publishes it; a logged-out
visitor then reads it on the public news page. And a chair confirms a directive."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from hoiccb.news import samples
from hoiccb.news import services as news_services
from hoiccb.news.models import Article, ArticleStatus, Category, DirectiveReceipt, ReceiptState
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_writes_previews_publishes_and_the_public_reads_it(page, live_server, cast, tree, tmp_path):
    Category.objects.create(slug="hoat-dong-cua-hoi", name="Hoạt động của Hội")
    photo = tmp_path / "buoi-lam-viec.jpg"
    photo.write_bytes(samples.photo_bytes(2000, 1300, exif=True))
    log_in(page, live_server, "khoi")

    page.get_by_role("link", name="Tin tức").click()
    page.get_by_role("link", name="Viết tin mới").click()
    page.get_by_label("Tiêu đề").fill("Đồng chí Bí thư Đảng uỷ Khối làm việc với Hội Cựu chiến binh Khối")
    page.get_by_label("Sa pô (tóm tắt)").fill("Sáng ngày 05/6/2024, đồng chí Đỗ Quang Minh làm việc với Ban Thường vụ.")
    page.get_by_label("Nội dung").fill(
        "Tại hội nghị, đồng chí Chủ tịch báo cáo kết quả **6 tháng đầu năm**.\n\n"
        "<script>document.title='hacked'</script>Đoạn kết luận."
    )
    page.get_by_label("Chuyên mục").select_option(label="Hoạt động của Hội")
    page.get_by_label("Tác giả").fill("Ngọc Khánh")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp.")).to_be_visible()
    expect(page.get_by_text("Bạn đọc chưa thấy bài này.")).to_be_visible()

    page.get_by_label("Thêm ảnh").set_input_files(str(photo))
    page.get_by_label("Chú thích ảnh").fill("Đ/c Đỗ Quang Minh phát biểu tại buổi làm việc")
    page.get_by_role("button", name="Tải ảnh lên").click()
    expect(page.get_by_text("Đã thêm ảnh.")).to_be_visible()
    # The preview shows the article as readers will see it: photo, caption, bold text, author.
    preview = page.locator("article.news-article")
    expect(preview.locator("figcaption")).to_have_text("Đ/c Đỗ Quang Minh phát biểu tại buổi làm việc")
    expect(preview.locator("strong")).to_have_text("6 tháng đầu năm")
    expect(preview.locator("img").first).to_have_js_property("naturalWidth", 1600)
    expect(preview.get_by_text("Ngọc Khánh")).to_be_visible()

    page.get_by_role("button", name="Đăng bài").click()
    expect(page.get_by_text("Đã đăng bài.")).to_be_visible()
    article = Article.objects.get()
    assert article.status == ArticleStatus.PUBLISHED

    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(f"{live_server.url}/tin-tuc/")
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
    page.get_by_role("link", name="Đồng chí Bí thư Đảng uỷ Khối làm việc với Hội Cựu chiến binh Khối").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đồng chí Bí thư Đảng uỷ Khối làm việc với Hội Cựu chiến binh Khối"
    )
    expect(page.locator("figcaption")).to_have_text("Đ/c Đỗ Quang Minh phát biểu tại buổi làm việc")
    expect(page.locator("article img").first).to_have_js_property("complete", True)
    expect(page.get_by_text("Đoạn kết luận.")).to_be_visible()
    assert page.title() != "hacked"
    expect(page.get_by_text("Bài viết mới nhất")).to_be_visible()

    # Accent-free search finds it, logged out.
    page.get_by_role("navigation").get_by_role("link", name="Tin tức").first.click()
    page.get_by_label("Tìm tin").fill("dong chi bi thu")
    page.get_by_role("button", name="Tìm").click()
    expect(
        page.get_by_role("link", name="Đồng chí Bí thư Đảng uỷ Khối làm việc với Hội Cựu chiến binh Khối")
    ).to_be_visible()


def test_chair_downloads_and_confirms_a_directive_on_a_phone(browser, live_server, cast, tree):
    directive = news_services.directive_issue(
        actor=cast["khoi"],
        issuing_unit=tree["bloc"],
        number="15/HD-CCB",
        issued_on=datetime.date(2024, 6, 10),
        summary="Hướng dẫn tổ chức Hội nghị tổng kết phong trào thi đua",
        upload=SimpleUploadedFile("15-HD-CCB.pdf", samples.pdf_bytes(["HUONG DAN 15/HD-CCB"])),
        recipient_root=tree["bloc"],
    )
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, accept_downloads=True
    )
    page = context.new_page()
    try:
        log_in(page, live_server, "coso1")
        page.goto(f"{live_server.url}/van-ban/")
        expect(page.get_by_text("1 chưa xác nhận")).to_be_visible()
        page.get_by_role("link", name="Hướng dẫn tổ chức Hội nghị tổng kết phong trào thi đua").click()
        with page.expect_download() as info:
            page.get_by_role("link", name="Tải về 15-HD-CCB.pdf").click()
        assert info.value.suggested_filename == "15-HD-CCB.pdf"
        page.reload()
        expect(page.get_by_text("Đã tải, chưa xác nhận")).to_be_visible()
        page.get_by_role("button", name="Xác nhận đã nhận văn bản").click()
        expect(page.get_by_text("Đã xác nhận đơn vị nhận được văn bản.")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    receipt = DirectiveReceipt.objects.get(directive=directive, unit=tree["unit_a"])
    assert receipt.state == ReceiptState.CONFIRMED
