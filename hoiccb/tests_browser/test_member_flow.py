"""The clerk's main flow in a real browser: log in, search without tone marks, open,
edit, transfer, see the history; and the chair who sees only their own unit."""

import pytest
from playwright.sync_api import expect

from hoiccb.conftest import PASSWORD, admit
from hoiccb.members.models import EventKind, Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {username}")).to_be_visible()


def test_clerk_searches_edits_transfers_and_sees_history(page, live_server, cast, tree):
    hung = admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn Hùng")
    admit(cast["khoi"], tree["unit_b"], "Trần Thị Lan", gender="nu")
    log_in(page, live_server, "khoi")

    page.get_by_role("link", name="Hội viên").click()
    # Typing before the deferred htmx script has run would send nothing.
    page.wait_for_load_state()
    page.get_by_label("Tìm theo tên hoặc số thẻ").fill("nguyen van hung")
    # htmx replaces the rows as the clerk types, without a page load.
    results = page.locator("#member-results")
    expect(results.get_by_role("link", name="Nguyễn Văn Hùng")).to_be_visible()
    expect(results.get_by_role("link", name="Trần Thị Lan")).to_have_count(0)
    assert "q=nguyen%20van%20hung" in page.url

    results.get_by_role("link", name="Nguyễn Văn Hùng").click()
    expect(page.get_by_role("heading", name="Nguyễn Văn Hùng")).to_be_visible()

    page.get_by_role("link", name="Sửa hồ sơ").click()
    page.get_by_label("Nơi ở hiện nay").fill("Tổ 3, phường Yên Ninh")
    page.get_by_label("Ngày nhập ngũ").fill("3/1968")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu hồ sơ.")).to_be_visible()
    expect(page.get_by_text("Tổ 3, phường Yên Ninh").first).to_be_visible()

    page.get_by_role("link", name="Chuyển sinh hoạt").click()
    page.get_by_label("Chuyển đến đơn vị").select_option(value=str(tree["branch_a"].pk))
    page.get_by_label("Ngày chuyển").fill("2024-05-15")
    page.get_by_role("button", name="Chuyển sinh hoạt").click()
    expect(page.get_by_text("Đã chuyển sinh hoạt.")).to_be_visible()

    history = page.locator("#history")
    expect(history).to_contain_text("Chuyển sinh hoạt")
    expect(history).to_contain_text("Hội CCB Sở Tài chính → Chi hội 1 Sở Tài chính")
    expect(history).to_contain_text("Nơi ở hiện nay: (trống) → Tổ 3, phường Yên Ninh")
    expect(history).to_contain_text("15/05/2024")

    hung = Member.objects.get(pk=hung.pk)
    assert hung.unit == tree["branch_a"]
    assert set(hung.events.values_list("action", flat=True)) == {
        EventKind.ADMITTED,
        EventKind.UPDATED,
        EventKind.TRANSFERRED,
    }


def test_edit_with_bad_date_shows_message_and_keeps_input(page, live_server, cast, tree):
    hung = admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn Hùng")
    log_in(page, live_server, "coso1")
    page.goto(f"{live_server.url}/hoi-vien/{hung.pk}/sua/")
    page.get_by_label("Nơi ở hiện nay").fill("Địa chỉ mới")
    page.get_by_label("Ngày sinh").fill("31/02/1950")
    page.get_by_role("button", name="Lưu").click()
    # The summary on top names the field; the cursor waits in it.
    expect(page.locator("#form-errors")).to_contain_text("Ngày sinh: Ngày không tồn tại")
    expect(page.get_by_label("Ngày sinh")).to_be_focused()
    expect(page.get_by_label("Nơi ở hiện nay")).to_have_value("Địa chỉ mới")
    assert Member.objects.get(pk=hung.pk).residence == ""


def test_chair_sees_only_own_unit_on_a_phone(browser, live_server, cast, tree):
    admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn Hùng")
    admit(cast["khoi"], tree["unit_b"], "Trần Thị Lan", gender="nu")
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        log_in(page, live_server, "coso1")
        page.goto(f"{live_server.url}/don-vi/")
        expect(page.get_by_role("link", name="Hội CCB Sở Tài chính")).to_be_visible()
        expect(page.get_by_text("Hội CCB Sở Y tế")).to_have_count(0)
        page.goto(f"{live_server.url}/hoi-vien/?q=lan")
        expect(page.get_by_text("Không có hội viên nào phù hợp")).to_be_visible()
        # The page fits the phone: no sideways scrolling of the whole page.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        context.close()
