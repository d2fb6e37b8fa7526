"""One award round in a real browser: the bloc types the province's quota and sees it
shared out, a chair nominates within the unit's share, the council votes, the clerk
issues the decision and downloads it as Word and the certificates as PDF (printed in the background)."""

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from hoiccb.awards.models import Nomination
from hoiccb.awards.rounds import services
from hoiccb.awards.tests.conftest import forms, movement, people, rated  # noqa: F401 (fixtures)
from hoiccb.tests_browser.test_import_flow import run_worker
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_round_from_quota_to_certificates(page, live_server, cast, tree, people, rated, forms):  # noqa: F811
    rnd = services.round_create(
        actor=cast["khoi"],
        unit=tree["bloc"],
        movement=rated,
        name="Tổng kết phong trào CCB gương mẫu 2019–2024",
        year=2024,
    )
    # The bloc types the quota: 3 Giấy khen for the whole bloc.
    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/thi-dua/dot/{rnd.pk}/")
    page.locator("select[name=form]").first.select_option(label="Giấy khen của Hội CCB Khối")
    page.locator("input[name=value]").fill("3")
    page.get_by_role("button", name="Phân bổ").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Đã phân bổ 3 suất")).to_be_visible()
    shares = page.locator("#phan-bo tbody tr")
    expect(shares).to_have_count(2)
    expect(shares.filter(has_text="Hội CCB Sở Y tế")).to_contain_text("được thêm 1")
    page.get_by_role("button", name="Đăng xuất").click()

    # The chair of unit A nominates Lê Thị Ân and sends the nomination.
    log_in(page, live_server, "coso1")
    page.goto(f"{live_server.url}/thi-dua/dot/{rnd.pk}/")
    page.get_by_role("link", name="Lập đề nghị").click()
    page.wait_for_load_state()
    page.get_by_label("Hình thức").select_option(label="Giấy khen của Hội CCB Khối")
    # Pickers that search: type without tone marks, tick the match.
    page.wait_for_load_state()
    page.get_by_label("Đơn vị đề nghị").fill("tai chinh")
    page.get_by_role("radio", name="Hội CCB Sở Tài chính").check()
    page.get_by_label("Cá nhân").fill("le thi an")
    page.get_by_role("radio", name="Lê Thị Ân").check()
    page.get_by_label("Tóm tắt thành tích").fill("Sáu năm liền đạt danh hiệu CCB gương mẫu.")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Gửi đề nghị").click()
    page.wait_for_load_state()
    expect(page.locator(".badge.text-bg-primary")).to_have_text("Đã gửi")
    nomination = Nomination.objects.get()
    page.get_by_role("button", name="Đăng xuất").click()

    # The bloc puts it before the council, records the vote; the result is computed.
    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/thi-dua/de-nghi/{nomination.pk}/")
    page.get_by_role("button", name="Đưa ra hội đồng xét").click()
    page.wait_for_load_state()
    page.get_by_label("Có mặt").fill("9")
    page.get_by_label("Đồng ý", exact=True).fill("7")
    page.get_by_label("Không đồng ý").fill("1")
    page.get_by_role("button", name="Ghi kết quả").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Kết quả: Duyệt.")).to_be_visible()

    # The clerk issues the decision and downloads the documents.
    page.goto(f"{live_server.url}/thi-dua/dot/{rnd.pk}/")
    page.locator("input[name=issued_on]").fill("2024-06-05")
    page.locator("input[name=signer]").fill("Nguyễn Văn Thắng")
    page.once("dialog", lambda dialog: dialog.accept())  # issuing asks first
    page.get_by_role("button", name="Ban hành", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Đã ban hành Quyết định số 01/QĐ-CCB")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải quyết định (Word)").click()
    doc = Document(str(info.value.path()))
    assert [row.cells[1].text for row in doc.tables[-1].rows[1:]] == ["Lê Thị Ân"]
    page.get_by_role("button", name="In giấy khen").click()  # printed by the background worker
    run_worker()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải giấy khen (PDF)").click(timeout=15_000)
    reader = PdfReader(info.value.path())
    assert len(reader.pages) == 1 and "Lê Thị Ân" in reader.pages[0].extract_text()
