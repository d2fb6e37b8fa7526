"""Member care in a real browser: a treasurer pays a unit's dues, prints the receipts, prints
a card sheet (watching the bar while the worker prints) and opens the card's QR page."""

import subprocess

import pytest
from playwright.sync_api import expect

from hoiccb.conftest import admit
from hoiccb.finance.models import DuesPayment, DuesRate
from hoiccb.lib.dates import PartialDate
from hoiccb.members.cards import jobs, signing
from hoiccb.members.cards.models import CardJob
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_dues_receipts_cards_and_qr(page, live_server, cast, tree):
    DuesRate.objects.create(from_year=2020, amount=24_000, exempt_from_age=80)
    an = admit(cast["khoi"], tree["unit_a"], "Hoàng Văn An", birth_date=PartialDate(1958), card_number="YB101")
    admit(cast["khoi"], tree["unit_a"], "Hoàng Văn Bình", birth_date=PartialDate(1960, 2), card_number="YB102")
    admit(cast["khoi"], tree["unit_a"], "Hoàng Văn Cụ", birth_date=PartialDate(1935))  # exempt: 80 and over

    log_in(page, live_server, "coso1")
    page.get_by_role("link", name="Hội phí, quỹ").click()
    expect(page.get_by_role("heading", name="Hội phí năm")).to_contain_text("Hội CCB Sở Tài chính")
    row = page.locator("#dues-members tr", has_text="Hoàng Văn Cụ")
    expect(row).to_contain_text("Được miễn")
    page.get_by_label("Người thu").fill("Lê Thủ Quỹ")
    page.get_by_label("Chọn Hoàng Văn An").check()
    page.get_by_role("button", name="Ghi đã nộp (người đã chọn)").click()
    expect(page.get_by_text("Đã ghi 1 hội viên nộp hội phí")).to_be_visible()
    expect(page.locator("#dues-members tr", has_text="Hoàng Văn An")).to_contain_text("Số 1")
    page.get_by_label("Người thu").fill("Lê Thủ Quỹ")
    page.get_by_role("button", name="Thu cả danh sách").click()
    expect(page.get_by_text("Đã ghi 1 hội viên nộp hội phí")).to_be_visible()
    assert DuesPayment.objects.count() == 2
    expect(page.locator("#dues-rollup tfoot")).to_contain_text("48.000")

    # WeasyPrint renders while the user waits: its first run loads the fonts.
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("link", name="In phiếu thu (PDF)").click(timeout=30_000)
    text = subprocess.run(["pdftotext", str(info.value.path()), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("PHIẾU THU") == 2 and "Hai mươi bốn nghìn đồng" in text

    # A card sheet for the unit, printed by the worker while the bar polls.
    page.get_by_role("link", name="Thẻ hội viên").click()
    page.get_by_role("button", name="In thẻ (PDF, khổ A4 có dấu cắt)").click()
    expect(page.get_by_role("heading", name="In 2 thẻ hội viên")).to_be_visible()
    expect(page.get_by_label("Tiến độ in thẻ")).to_be_visible()
    jobs.run(CardJob.objects.get().pk)
    expect(page.get_by_text("Đã in xong 2 thẻ")).to_be_visible(timeout=15_000)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("link", name="Tải tệp PDF").click(timeout=30_000)
    text = subprocess.run(["pdftotext", str(info.value.path()), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("THẺ HỘI VIÊN") == 2 and "HOÀNG VĂN AN" in text

    # The QR's address, opened by anyone: valid, and the unit; nothing else.
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(live_server.url + signing.verify_path(an.card_number))
    expect(page.locator("#verify-result")).to_contain_text("Thẻ hợp lệ")
    expect(page.locator("#verify-result")).to_contain_text("Hội CCB Sở Tài chính")
    expect(page.get_by_text("Hoàng Văn An")).to_have_count(0)
    page.goto(f"{live_server.url}/the/YB101/0000000000/")
    expect(page.locator("#verify-result")).to_contain_text("Thẻ không hợp lệ")
