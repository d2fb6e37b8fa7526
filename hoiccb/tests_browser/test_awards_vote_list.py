"""The council votes a list in one form, on a 390 px phone: the members present once, then
each nomination's counts; the threshold is applied to each row and the results come back."""

import pytest
from playwright.sync_api import expect

from hoiccb.awards.models import Nomination, NominationState
from hoiccb.awards.rounds import services
from hoiccb.awards.tests.conftest import forms, movement, people, rated, round_  # noqa: F401 (fixtures)
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = NominationState


def test_council_votes_a_list_on_a_phone(browser, live_server, cast, tree, people, round_, forms):  # noqa: F811
    for key, chair, unit in (("an", "coso1", "unit_a"), ("binh", "coso1", "unit_a"), ("hai", "coso2", "unit_b")):
        n = services.nominate(
            actor=cast[chair],
            round=round_,
            form=forms["giay-khen-khoi"],
            unit=tree[unit],
            member=people[key],
            summary="Sáu năm liền CCB gương mẫu.",
        )
        services.transition(actor=cast[chair], nomination=n, to=S.SUBMITTED)
        services.transition(actor=cast["khoi"], nomination=n, to=S.REVIEW)
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, "khoi")
        page.goto(f"{live_server.url}/thi-dua/dot/{round_.pk}/")
        page.get_by_role("link", name="Hội đồng biểu quyết").click()
        page.wait_for_load_state()
        expect(page.locator(".vote-row")).to_have_count(3)
        page.get_by_label("Số thành viên hội đồng có mặt").fill("9")
        page.get_by_label("Đồng ý – Lê Thị Ân", exact=True).fill("8")
        page.get_by_label("Không đồng ý – Lê Thị Ân").fill("1")
        page.get_by_label("Đồng ý – Phạm Văn Bình", exact=True).fill("3")
        page.get_by_label("Không đồng ý – Phạm Văn Bình").fill("6")
        page.get_by_label("Đồng ý – Trần Văn Hải", exact=True).fill("5")
        page.get_by_label("Không biểu quyết – Trần Văn Hải").fill("4")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the list scrolls sideways on a phone ({width}px)"
        page.get_by_role("button", name="Ghi kết quả biểu quyết").click()
        page.wait_for_load_state()
        # 9 present, more than half: 8 and 5 pass, 3 does not.
        expect(page.get_by_text("Đã ghi biểu quyết 3 đề nghị: 2 được duyệt, 1 không được duyệt.")).to_be_visible()
        expect(page.get_by_text("Không có đề nghị nào đang chờ hội đồng xét")).to_be_visible()
        states = {n.nominee_name: n.state for n in Nomination.objects.select_related("member")}
        assert states == {"Lê Thị Ân": S.APPROVED, "Phạm Văn Bình": S.REJECTED, "Trần Văn Hải": S.APPROVED}
    finally:
        context.close()
