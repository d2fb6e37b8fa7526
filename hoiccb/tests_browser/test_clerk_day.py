"""A clerk's day in a real browser, at 1,280 px and on a 390 px phone: the inbox and its links,
picking one of two namesakes by typing, and recording then correcting a death."""

import datetime

import pytest
from playwright.sync_api import expect

from hoiccb.activities.models import Gift
from hoiccb.activities.tests.conftest import make_round
from hoiccb.awards.tests.conftest import forms, movement, people, rated, round_  # noqa: F401 (fixtures)
from hoiccb.awards.tests.test_share_table import grouped_round  # noqa: F401 (a fixture)
from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members.models import Member, MemberStatus
from hoiccb.reports import services as report_services
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


@pytest.fixture
def act_kinds(kinds):
    from hoiccb.activities.models import ActivityKind
    from hoiccb.conftest import ensure_reference_data

    if not ActivityKind.objects.exists():
        ensure_reference_data()
    return {k.code: k for k in ActivityKind.objects.all()}


@pytest.fixture
def late_period(cast, kinds):
    today = datetime.date.today()
    return report_services.period_create(
        actor=cast["khoi"],
        kind="other",
        name="Kỳ đang chạy",
        start=today - datetime.timedelta(days=60),
        end=today - datetime.timedelta(days=10),
        title="Báo cáo kỳ đang chạy",
        deadline=today + datetime.timedelta(days=10),
        level_deadlines={kinds["co-so"]: today - datetime.timedelta(days=1)},
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_inbox_of_khoi_and_coso1_with_their_links(page, live_server, cast, late_period, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "coso1")
    inbox = page.locator("#viec-can-lam")
    expect(inbox.get_by_role("link", name="Báo cáo Kỳ đang chạy của đơn vị cần nộp")).to_be_visible()
    inbox.get_by_role("link", name="Báo cáo Kỳ đang chạy của đơn vị cần nộp").click()
    expect(page).to_have_url(f"{live_server.url}/bao-cao/ky/{late_period.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.context.clear_cookies()
    log_in(page, live_server, "khoi")
    inbox = page.locator("#viec-can-lam")
    expect(inbox.get_by_role("link", name="Đơn vị quá hạn chưa nộp báo cáo Kỳ đang chạy")).to_be_visible()
    expect(inbox.get_by_role("link", name="Văn bản đã gửi còn nơi nhận chưa xác nhận")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.once("dialog", lambda dialog: dialog.accept())
    inbox.get_by_role("button", name="Nhắc tất cả").click()
    expect(page.get_by_text("Đã gửi nhắc nộp báo cáo tới 2 đơn vị.")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_picking_one_of_two_namesakes_by_typing(page, live_server, cast, tree, act_kinds, width):

    admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn Trung", birth_date=PartialDate(1950), card_number="YB100")
    second = admit(cast["khoi"], tree["branch_a"], "Nguyễn Văn Trung", birth_date=PartialDate(1956))
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "coso1")
    # The transfer form has no member field; the picker's own page and the gift form do. Use
    # the plain search page first (works without JavaScript), then the htmx picker.
    page.goto(f"{live_server.url}/hoi-vien/chon/?q=nguyen+van+trung")
    expect(page.get_by_text("sinh 1950 · thẻ YB100")).to_be_visible()
    expect(page.get_by_text("sinh 1956")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="Nguyễn Văn Trung").filter(has_text="1956").click()
    expect(page).to_have_url(f"{live_server.url}/hoi-vien/{second.pk}/")

    # The gift form's picker, answered by htmx as the clerk types without tone marks.
    gift_round = make_round(cast["coso1"], tree["unit_a"], act_kinds)
    page.goto(f"{live_server.url}/hoat-dong/{gift_round.pk}/tang-qua/")
    page.wait_for_load_state()
    page.get_by_label("Hội viên được tặng (nếu là hội viên)").fill("nguyen van trung")
    results = page.locator(".picker-results")
    expect(results.get_by_text("sinh 1950 · thẻ YB100")).to_be_visible()
    expect(results.get_by_text("Chi hội 1 Sở Tài chính · sinh 1956")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results.locator("label").filter(has_text="sinh 1956").locator("input").check()
    expect(page.locator(".picker-chosen")).to_contain_text("sinh 1956")
    page.get_by_label("Địa chỉ").fill("Tổ 2, phường Minh Tân")
    page.get_by_label("Giá trị (đồng)").fill("500000")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã ghi quà tặng.")).to_be_visible()
    assert Gift.objects.get().member_id == second.pk


@pytest.mark.parametrize("width", WIDTHS)
def test_recording_a_death_asks_then_it_is_corrected(page, live_server, cast, tree, width):
    member = admit(cast["khoi"], tree["unit_a"], "Lê Văn Tám")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "coso1")
    page.goto(f"{live_server.url}/hoi-vien/{member.pk}/tu-tran/")
    page.get_by_label("Ngày từ trần").fill("03/2024")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text("Ghi nhận hội viên Lê Văn Tám đã từ trần?")).to_be_visible()
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE
    page.get_by_role("button", name="Đồng ý, ghi nhận").click()
    expect(page.get_by_text("Đã ghi nhận hội viên từ trần.")).to_be_visible()
    page.get_by_role("link", name="Đính chính: ghi nhầm từ trần").click()
    page.get_by_label("Lý do đính chính").fill("Ghi nhầm người cùng tên")
    page.get_by_role("button", name="Đính chính").click()
    expect(page.get_by_text("chưa từ trần và sinh hoạt trở lại?")).to_be_visible()
    page.get_by_role("button", name="Đồng ý, đính chính").click()
    expect(page.get_by_text("Đã đính chính: hội viên sinh hoạt trở lại")).to_be_visible()
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_round_page_on_a_phone_shows_the_chairs_seats_without_sideways_scrolling(
    page,
    live_server,
    cast,
    grouped_round,  # noqa: F811
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "coso1")
    page.goto(f"{live_server.url}/thi-dua/dot/{grouped_round.pk}/")
    own = page.locator("#phan-bo tbody tr").filter(has_text="Hội CCB Sở Tài chính").first
    seats = own.locator("td[data-label='Số suất']")
    expect(seats).to_be_visible()
    box = seats.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    if width < 768:  # a card: the seats come first, left of (or above) the unit's name
        name = own.locator(".share-unit").bounding_box()
        assert name is not None and (box["x"] < name["x"] or box["y"] < name["y"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The bloc's whole share-out: a folded khối opens with a tap and still fits.
    page.context.clear_cookies()
    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/thi-dua/dot/{grouped_round.pk}/")
    folded = page.locator("details.share-group").filter(has_text="Khối quản lý nhà nước").first
    expect(folded).not_to_have_attribute("open", "")
    folded.locator("summary").click()
    expect(folded.get_by_text("Hội CCB Sở số 05")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Filtering by a unit typed without tone marks, then printing: every khối opens for the paper.
    page.get_by_label("Đơn vị", exact=True).fill("so so 1")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#phan-bo tbody tr").filter(has_text="Hội CCB Sở số 10")).to_have_count(2)
    expect(page.locator("#phan-bo tbody tr").filter(has_text="Hội CCB Sở số 05")).to_have_count(0)


def test_completeness_table_fits_a_phone_with_unit_names_on_their_own_line(page, live_server, cast, late_period):
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/bao-cao/ky/{late_period.pk}/")
    row = page.locator("#completeness tbody tr").filter(has_text="Hội CCB Sở Tài chính")
    name = row.locator("td.card-title").bounding_box()
    deadline = row.locator("td[data-label='Hạn nộp']").bounding_box()
    assert name is not None and deadline is not None
    # The name takes the card's whole width (no narrow column wrapping it onto 4–5 lines);
    # the deadline and the state sit under it.
    assert name["width"] >= 390 * 0.75 and deadline["y"] >= name["y"] + name["height"] - 1
    label = row.locator("td[data-label='Hạn nộp']").evaluate("td => getComputedStyle(td, '::before').content")
    assert "Hạn nộp" in label
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
