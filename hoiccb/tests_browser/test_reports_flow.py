"""Periodic reports in a real browser: a chair fills in and submits, the bloc returns it
with a comment, the chair corrects and resubmits, the bloc accepts, builds its own report,
downloads the Word document and submits it to the province, which returns it, then accepts it."""

import docx
import pytest
from playwright.sync_api import expect

from hoiccb.accounts.models import Role
from hoiccb.conftest import admit, make_user
from hoiccb.lib.dates import PartialDate
from hoiccb.reports.tests.conftest import period  # noqa: F401  (a fixture)
from hoiccb.tests_browser.test_activities_flow import act_kinds, log_out  # noqa: F401
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save_and_submit(page, **fields) -> None:
    """On the edit page: fill the fields (by label), save, submit and confirm."""
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Lưu báo cáo").click()
    page.wait_for_load_state()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator("#report-state")).to_have_text("Đã nộp")


def open_report_below(page, unit: str, standing: str = "") -> None:
    """From the reports menu: the period's page, then the report of one unit below."""
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="6 tháng đầu năm 2024").click()
    row = page.locator("#completeness tr", has_text=unit)
    if standing:
        expect(row).to_contain_text(standing)
    row.get_by_role("link", name="Xem").click()
    page.wait_for_load_state()


def test_from_unit_submission_to_the_blocs_document(page, live_server, cast, tree, act_kinds, period):  # noqa: F811
    for i in range(2):
        admit(cast["khoi"], tree["unit_a"], f"Nguyễn Văn Hội{i}", joined_on=PartialDate(2015))
    log_in(page, live_server, "coso1")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="6 tháng đầu năm 2024").click()
    page.get_by_role("button", name="Lập báo cáo của đơn vị").click()
    page.wait_for_load_state()
    expect(page.locator("td[data-code=members]")).to_contain_text("2")
    page.get_by_role("link", name="Sửa báo cáo").click()
    page.wait_for_load_state()
    save_and_submit(
        page, **{"Hội viên CCB gương mẫu": "2", "Phương hướng, nhiệm vụ kỳ tới": "Phát triển thêm hội viên."}
    )
    log_out(page)

    log_in(page, live_server, "khoi")
    open_report_below(page, "Hội CCB Sở Tài chính", "Nộp muộn")
    page.get_by_label("Lý do trả lại").fill("Bổ sung số hội viên nữ.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator("#report-state")).to_have_text("Trả lại")
    log_out(page)

    log_in(page, live_server, "coso1")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="Trả lại").click()
    expect(page.locator(".alert-warning")).to_contain_text("Bổ sung số hội viên nữ.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator("#report-state")).to_have_text("Đã nộp")
    log_out(page)

    log_in(page, live_server, "khoi")
    open_report_below(page, "Hội CCB Sở Tài chính")
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator("#report-state")).to_have_text("Đã duyệt")
    page.get_by_role("link", name="6 tháng đầu năm 2024").click()
    page.get_by_role("button", name="Lập báo cáo tổng hợp").click()
    page.wait_for_load_state()
    expect(page.locator("td[data-code=members]")).to_contain_text("2")
    expect(page.get_by_text("Chưa có báo cáo được duyệt của: Hội CCB Sở Y tế")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Word").click()
    document = docx.Document(str(download.value.path()))
    assert "HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in document.tables[0].rows[0].cells[0].text
    assert any("6 tháng đầu năm và phương hướng" in p.text for p in document.paragraphs)

    # Up one level: the bloc submits its report to the province, which returns it, then accepts it.
    make_user("tinh", tree["province"], Role.STANDING)
    page.get_by_role("link", name="Sửa báo cáo").click()
    save_and_submit(page, **{"Phương hướng, nhiệm vụ kỳ tới": "Tổng kết phong trào."})
    log_out(page)

    log_in(page, live_server, "tinh")
    open_report_below(page, "Khối cơ quan", "Nộp muộn")
    page.get_by_label("Lý do trả lại").fill("Bổ sung phương hướng.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator("#report-state")).to_have_text("Trả lại")
    log_out(page)

    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_role("link", name="Trả lại").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator("#report-state")).to_have_text("Đã nộp")
    log_out(page)

    log_in(page, live_server, "tinh")
    open_report_below(page, "Khối cơ quan")
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator("#report-state")).to_have_text("Đã duyệt")
