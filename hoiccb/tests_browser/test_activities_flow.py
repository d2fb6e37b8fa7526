"""Activities in a real browser: a chair records a Tết gift round, the bloc sees the
duplicate; the bloc plans an inspection, records findings and a recommendation, and
follows it up with the inspected chair until it is closed."""

import datetime

import pytest
from playwright.sync_api import expect

from hoiccb.activities.models import Gift, Recommendation
from hoiccb.activities.tests.conftest import give, make_round
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def act_kinds(kinds):
    from hoiccb.activities.models import ActivityKind
    from hoiccb.conftest import ensure_reference_data

    if not ActivityKind.objects.exists():
        ensure_reference_data()
    return {k.code: k for k in ActivityKind.objects.all()}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_gift_round_and_duplicate_warning(page, live_server, cast, tree, act_kinds):
    # Unit B already gave to Mrs Mai at Tết 2024.
    b_round = make_round(cast["coso2"], tree["unit_b"], act_kinds, start=datetime.date(2024, 2, 1))
    give(cast["coso2"], b_round, "Nguyễn Thị Mai", "Thôn 3, xã Âu Lâu", 700_000)

    log_in(page, live_server, "coso1")
    page.get_by_role("link", name="Hoạt động").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Ghi hoạt động").click()
    page.get_by_label("Đơn vị tổ chức").select_option(value=str(tree["unit_a"].pk))
    page.get_by_label("Loại hoạt động").select_option(label="An sinh xã hội: thăm, tặng quà")
    page.get_by_label("Tên hoạt động").fill("Thăm, tặng quà gia đình chính sách dịp Tết Giáp Thìn")
    page.get_by_label("Từ ngày").fill("2024-02-02")
    page.get_by_label("Dịp", exact=True).select_option(label="Tết Nguyên đán")
    page.get_by_label("Nguồn kinh phí").select_option(label="Quỹ Hội")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã ghi hoạt động.")).to_be_visible()

    page.get_by_role("link", name="Ghi quà tặng").first.click()
    for name, address, value in (
        ("Nguyễn Thị Mai", "thôn 3 xã Âu Lâu", "500000"),
        ("Lò Văn Páo", "Bản Tà Xi Láng", "500000"),
    ):
        page.get_by_label("Người, hộ được tặng").fill(name)
        page.get_by_label("Địa chỉ").fill(address)
        page.get_by_label("Hoàn cảnh").select_option(label="Gia đình chính sách")
        page.get_by_label("Giá trị (đồng)").fill(value)
        page.get_by_role("button", name="Lưu và ghi suất tiếp").click()
        expect(page.get_by_text("Đã ghi quà tặng.")).to_be_visible()
        expect(page.get_by_label("Người, hộ được tặng")).to_have_value("")
    page.get_by_role("link", name="Xong").click()
    gifts = page.locator("#gifts")
    expect(gifts).to_contain_text("2 suất, 1.000.000 đ")
    # The chair sees no other unit's gift, so no warning of theirs either.
    expect(gifts).not_to_contain_text("Trùng")
    assert Gift.objects.filter(unit=tree["unit_a"]).count() == 2
    log_out(page)

    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/hoat-dong/qua/?occasion=tet&year=2024")
    warning = page.locator("#duplicates")
    expect(warning).to_contain_text("Tặng trùng: 1 người, hộ")
    expect(warning).to_contain_text("Nguyễn Thị Mai")
    expect(warning).to_contain_text("Hội CCB Sở Tài chính")
    expect(warning).to_contain_text("Hội CCB Sở Y tế")
    expect(page.get_by_text("1.700.000 đ").first).to_be_visible()


def test_inspection_with_follow_up_until_closed(page, live_server, cast, tree, act_kinds):
    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/hoat-dong/kiem-tra/")
    page.get_by_role("link", name="Lập kế hoạch kiểm tra").click()
    page.get_by_label("Đơn vị kiểm tra").select_option(value=str(tree["bloc"].pk))
    page.get_by_label("Năm").fill("2024")
    page.get_by_label("Tên kế hoạch").fill("Kiểm tra việc thực hiện Điều lệ Hội năm 2024")
    page.get_by_label("Nội dung kiểm tra, giám sát").fill("Xây dựng tổ chức Hội, quản lý hội viên, quỹ Hội")
    page.get_by_label("Từ ngày").fill("2024-09-03")
    page.get_by_label("Đến ngày").fill("2024-09-27")
    # Units are picked by typing (no accents needed) and ticking the matches.
    page.get_by_label("Các đơn vị được kiểm tra").fill("hoi ccb so")
    page.get_by_role("checkbox", name="Hội CCB Sở Tài chính").check()
    page.get_by_label("Các đơn vị được kiểm tra").fill("y te")
    page.get_by_role("checkbox", name="Hội CCB Sở Y tế").check()
    page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.get_by_text("Đã lập kế hoạch kiểm tra.")).to_be_visible()

    page.get_by_label("Hoặc khách mời (họ tên, nơi công tác)").fill("Đ/c Phó Bí thư Đảng ủy Khối")
    page.get_by_label("Nhiệm vụ trong đoàn").fill("Giám sát")
    page.get_by_role("button", name="Thêm vào đoàn").click()
    expect(page.locator("#delegation")).to_contain_text("Đ/c Phó Bí thư Đảng ủy Khối")

    page.locator("#records").get_by_role("link", name="Hội CCB Sở Tài chính").click()
    page.get_by_role("link", name="Ghi kết quả kiểm tra").click()
    page.get_by_label("Ngày kiểm tra").fill("2024-09-10")
    page.get_by_label("Ưu điểm").fill("Sổ sách hội viên đầy đủ.")
    page.get_by_label("Tồn tại, hạn chế").fill("Chưa lập sổ theo dõi quỹ Hội.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu kết quả kiểm tra.")).to_be_visible()
    page.get_by_label("Nội dung kiến nghị").fill("Lập sổ theo dõi quỹ Hội")
    page.get_by_label("Người chịu trách nhiệm").fill("Chủ tịch Hội")
    page.get_by_label("Hạn hoàn thành").fill("2024-10-31")
    page.get_by_role("button", name="Thêm kiến nghị").click()
    expect(page.locator("#recommendations")).to_contain_text("Quá hạn")

    page.goto(f"{live_server.url}/hoat-dong/kiem-tra/")
    expect(page.locator("#overdue")).to_contain_text("Lập sổ theo dõi quỹ Hội")
    log_out(page)

    # The inspected chair reports progress.
    log_in(page, live_server, "coso1")
    page.goto(f"{live_server.url}/hoat-dong/kiem-tra/")
    page.get_by_role("link", name="Kiểm tra việc thực hiện Điều lệ Hội năm 2024").click()
    page.get_by_role("link", name="Theo dõi").click()
    expect(page.get_by_label("Chuyển sang").locator("option[value=closed]")).to_have_count(0)
    page.get_by_label("Chuyển sang").select_option(label="Đang thực hiện")
    page.get_by_label("Kết quả, minh chứng").fill("Đã mua sổ, đang ghi lại từ đầu năm")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.get_by_text("Đã ghi kết quả theo dõi.")).to_be_visible()
    log_out(page)

    # The bloc closes it with evidence; the overdue list empties.
    log_in(page, live_server, "khoi")
    rec = Recommendation.objects.get()
    page.goto(f"{live_server.url}/hoat-dong/kiem-tra/kien-nghi/{rec.pk}/")
    page.get_by_label("Chuyển sang").select_option(label="Đã hoàn thành")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.locator("#form-errors")).to_contain_text("Ghi kết quả, minh chứng trước khi đóng kiến nghị.")
    page.get_by_label("Kết quả, minh chứng").fill("Sổ quỹ lập ngày 01/10/2024, đã kiểm tra")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.locator("#recommendations")).to_contain_text("Đã hoàn thành")
    page.goto(f"{live_server.url}/hoat-dong/kiem-tra/")
    expect(page.locator("#overdue")).to_have_count(0)
    rec.refresh_from_db()
    assert rec.status == "closed" and list(rec.follow_ups.values_list("status", flat=True)) == ["in_progress", "closed"]
