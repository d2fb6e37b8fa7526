"""The import wizard in a real browser: upload a TCVN3 list with a Unicode row added later, map, watch the
progress bar, fix, commit (every name exact), undo."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from hoiccb.members.models import ImportState, Member, MemberImport
from hoiccb.members.tests.spreadsheets import to_tcvn3, xls_bytes
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker():
    """Run the queued jobs as `manage.py db_worker` does, then return."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_clerk_imports_a_legacy_list_and_undoes_it(page, live_server, cast, tree, tmp_path):
    rows = [["Hä vµ tªn", "N¨m sinh", "Chi héi"]] + [
        [to_tcvn3(name), year, to_tcvn3("Chi hội 1 Sở Tài chính")]
        for name, year in [("Nguyễn Văn Hùng", 1950), ("Trần Thị Lan", 1952), ("Lê Văn Ba", "19500")]
    ]
    rows.append(["Lê Hùng", 1953, "Chi hội 1 Sở Tài chính"])  # added later, in Unicode: read as "Lờ Hựng" in TCVN3
    path = tmp_path / "danh-sach-tcvn3.xls"
    path.write_bytes(xls_bytes(rows))
    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/hoi-vien/")
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.get_by_label("Tệp danh sách").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và đọc tệp").click()

    # The columns step shows the legacy encoding converted.
    expect(page.get_by_role("heading", name="Ghép cột: danh-sach-tcvn3.xls")).to_be_visible()
    expect(page.get_by_text("Nguyễn Văn Hùng")).to_be_visible()
    expect(page.get_by_text("TCVN3 → Unicode").first).to_be_visible()
    expect(page.get_by_text("TCVN3, 3 ô; Unicode, 1 ô").first).to_be_visible()
    page.get_by_role("button", name="Đọc và đối chiếu các dòng").click()

    # The job waits for the worker: the progress bar shows, then the page moves on by itself.
    expect(page.get_by_role("progressbar")).to_be_visible()
    run_worker()
    expect(page.get_by_role("link", name="Lỗi 1")).to_be_visible(timeout=15_000)
    page.get_by_role("link", name="Lỗi 1").click()
    expect(page.get_by_text("Dòng 4, cột B “Năm sinh”")).to_be_visible()
    page.get_by_role("link", name="Sửa dòng này").click()
    page.get_by_label("Năm sinh").fill("1950")
    page.get_by_role("button", name="Đọc lại dòng này").click()
    expect(page.get_by_text("Đã sửa dòng 4")).to_be_visible()

    page.get_by_role("link", name="Tất cả").click()
    page.get_by_role("button", name="Xác nhận nhập 4 dòng").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    run_worker()
    expect(page.get_by_text("Đã nhập: thêm mới 4 hội viên")).to_be_visible(timeout=15_000)
    names = {m.full_name for m in Member.objects.filter(unit=tree["branch_a"])}
    assert names == {"Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Văn Ba", "Lê Hùng"}

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hoàn tác lần nhập").click()
    run_worker()
    expect(page.get_by_text("Lần nhập đã được hoàn tác")).to_be_visible(timeout=15_000)
    assert Member.objects.filter(unit=tree["branch_a"]).count() == 0
    assert MemberImport.objects.get().state == ImportState.UNDONE
