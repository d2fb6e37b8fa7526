"""Registration and past awards in a real browser: a chair registers the unit for the year and
leaves out one member (searching as they type), then the bloc's officer imports an award-history
file and sees it on the member's page, beside the year's registration."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from hoiccb.awards.models import AwardRecord, Registration
from hoiccb.awards.tests.conftest import forms, movement, people  # noqa: F401 (fixtures)
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def history_file() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Năm sinh", "Đơn vị", "Hình thức khen thưởng", "Năm", "Số quyết định"])
    sheet.append(["Lê Thị Ân", 1950, "Hội CCB Sở Tài chính", "Kỷ niệm chương", 2019, "88/QĐ-TW"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_chair_registers_and_officer_imports_history(page, live_server, cast, tree, people, movement, forms):  # noqa: F811
    # The chair of unit A registers the unit for 2024 in one click.
    log_in(page, live_server, "coso1")
    page.goto(f"{live_server.url}/thi-dua/")
    page.get_by_role("link", name="Đăng ký thi đua").click()
    expect(page.get_by_role("heading", name="Đăng ký thi đua năm 2024")).to_be_visible()
    page.get_by_role("button", name="Đăng ký thi đua cho Hội CCB Sở Tài chính").click()
    expect(page.get_by_text("đã đăng ký thi đua năm 2024")).to_be_visible()
    counts = page.locator("#registration-counts")
    expect(counts).to_contain_text("3/3 hội viên")

    # Search as you type, then leave Phạm Văn Bình out with a reason, without a page load.
    page.wait_for_load_state()
    page.get_by_label("Tìm hội viên").fill("pham van")
    people_list = page.locator("#registration-people")
    expect(people_list.get_by_text("Lê Thị Ân")).to_have_count(0)
    expect(people_list.get_by_text("Phạm Văn Bình")).to_be_visible()
    page.get_by_label("Lý do Phạm Văn Bình không đăng ký").fill("Tuổi cao, sức yếu")
    page.get_by_role("button", name="Phạm Văn Bình không đăng ký").click()
    expect(people_list.locator(".badge", has_text="Không đăng ký")).to_be_visible()
    expect(counts).to_contain_text("2/3 hội viên")
    expect(page.locator("#exception-list")).to_contain_text("Tuổi cao, sức yếu")
    assert "q=pham" in page.url
    registration = Registration.objects.get(unit=tree["unit_a"], year=2024)
    assert [e.member for e in registration.exceptions.all()] == [people["binh"]]
    page.get_by_role("button", name="Đăng xuất").click()

    # The bloc's officer imports the award history from a spreadsheet.
    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/thi-dua/")
    page.get_by_role("link", name="Nhập khen thưởng đã có").click()
    page.get_by_label("Tệp danh sách khen thưởng").set_input_files(
        files=[{"name": "khen-thuong-cu.xlsx", "mimeType": "application/octet-stream", "buffer": history_file()}]
    )
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.locator("#import-counts")).to_contain_text("Mới: 1")
    expect(page.locator("#import-rows")).to_contain_text("Lê Thị Ân")
    page.get_by_role("button", name="Ghi các dòng mới vào lịch sử khen thưởng").click()
    expect(page.get_by_text("Đã ghi 1 khen thưởng vào lịch sử.")).to_be_visible()
    assert AwardRecord.objects.get().member == people["an"]

    # The member's history shows the imported award and the year's registration.
    page.goto(f"{live_server.url}/thi-dua/hoi-vien/{people['an'].pk}/")
    expect(page.get_by_text("2019 · Kỷ niệm chương «Cựu chiến binh Việt Nam» · QĐ 88/QĐ-TW")).to_be_visible()
    expect(page.locator("#registration-years li").first).to_contain_text("2024 · Đã đăng ký")
