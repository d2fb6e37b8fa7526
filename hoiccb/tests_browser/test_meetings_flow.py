"""Meetings in a real browser: the bloc's chair creates the summary conference, writes the agenda,
gives places, names a delegate, assigns a task; on the day the clerk checks the delegate in on a phone."""

import pytest
from playwright.sync_api import expect

from hoiccb.meetings.models import Delegate, Task
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Hội nghị tổng kết phong trào thi đua CCB gương mẫu giai đoạn 2019–2024"


def test_from_creating_the_conference_to_checking_a_delegate_in_on_a_phone(page, live_server, cast, tree, members):
    log_in(page, live_server, "khoi")
    page.get_by_role("link", name="Hội nghị").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Tạo hội nghị").click()
    page.get_by_label("Đơn vị tổ chức").select_option(value=str(tree["bloc"].pk))
    page.get_by_label("Loại").select_option(label="Hội nghị tổng kết")
    page.get_by_label("Tên hội nghị, buổi làm việc").fill(TITLE)
    page.get_by_label("Ngày").fill("2024-12-20")
    page.get_by_label("Giờ").fill("08:00")
    page.get_by_label("Địa điểm").fill("Hội trường Khối")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã tạo hội nghị.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    page.get_by_label("Nội dung").fill("Báo cáo tổng kết phong trào")
    page.get_by_role("button", name="Thêm mục").click()
    expect(page.get_by_role("cell", name="Báo cáo tổng kết phong trào")).to_be_visible()

    page.get_by_role("link", name="Phân bổ số đại biểu").click()
    page.get_by_label("Hội CCB Sở Tài chính").fill("2")
    page.get_by_label("Hội CCB Sở Y tế").fill("1")
    page.get_by_role("button", name="Lưu số đại biểu").click()
    expect(page.get_by_text("Đã lưu số đại biểu.")).to_be_visible()
    page.get_by_role("link", name=TITLE).click()

    page.get_by_role("link", name="Cử đại biểu").first.click()
    page.get_by_label("Tìm hội viên").fill("hung")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("button", name="Cử").first.click()
    expect(page.get_by_text("Đã cử Nguyễn Văn Hùng.")).to_be_visible()
    page.get_by_role("link", name=TITLE).click()

    page.get_by_role("link", name="Giao nhiệm vụ").click()
    page.wait_for_load_state()
    page.locator("#id_title").fill("Khánh tiết: phông, khẩu hiệu")
    page.get_by_label("Nhóm việc").select_option(label="Khánh tiết")
    page.get_by_label("Người phụ trách").select_option(value=str(cast["uyvien"].pk))
    page.get_by_label("Hạn hoàn thành").fill("2024-12-15")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã giao nhiệm vụ.")).to_be_visible()
    assert Task.objects.get().assignee == cast["uyvien"]

    # On the day: a phone-sized window.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Điểm danh").click()
    page.wait_for_load_state()
    page.get_by_label("Tìm đại biểu").fill("nguyen van hung")
    row = page.locator("li", has_text="Nguyễn Văn Hùng")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Điểm danh").click()
    expect(page.locator("li", has_text="Nguyễn Văn Hùng").get_by_text("Có mặt")).to_be_visible()
    expect(page.locator("#checkin-counts")).to_contain_text("Đại biểu 1/1")
    assert Delegate.objects.get().checked_in_at is not None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the check-in page scrolls sideways on a phone ({width}px)"
