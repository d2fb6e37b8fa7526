"""The congress's counting in a real browser: a counter enters a batch of ballots on a 390 px phone
(the second counter's entry is already in), the batch counts, the team signs, the chair confirms,
and the unit's page shows the new committee."""

import pytest
from playwright.sync_api import expect

from hoiccb.meetings.elections import selectors, services, voting_services
from hoiccb.meetings.elections.tests.conftest import BALLOT_ORDER, enter, hold_congress
from hoiccb.org.models import OfficerPosition
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = BALLOT_ORDER[:4]
# Serial → names crossed out. Lê Văn An 3, Nguyễn Văn An 4, Phạm Thị Bình 3, Hoàng Văn Chiến 1 of 4 valid;
# ballot 5 keeps all four names for three seats: invalid.
BALLOTS = {
    1: ["Hoàng Văn Chiến"],
    2: ["Phạm Thị Bình"],
    3: ["Hoàng Văn Chiến"],
    4: ["Lê Văn An", "Hoàng Văn Chiến"],
    5: [],
}


def test_a_counter_on_a_phone_and_the_chair_confirming(page, live_server, cast, tree):
    chair = cast["coso1"]
    meeting, people = hold_congress(chair, tree["unit_a"], tree["branch_a"], delegates=6, candidate_names=NAMES)
    election = services.election_create(actor=chair, meeting=meeting, body="bch", seats=3)
    for name in NAMES:
        services.candidate_add(actor=chair, election=election, member=people[name])
    voting = services.list_approve(actor=chair, election=election)
    voting_services.voting_close(actor=chair, round=voting)
    batch = voting_services.batch_open(actor=chair, round=voting)
    by_name = {c.full_name: c for c in selectors.ballot_order(voting)}
    for serial, crossed in BALLOTS.items():
        enter(cast["khoi"], batch, 2, serial, crossed=[by_name[n] for n in crossed])

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "coso1")
    page.goto(f"{live_server.url}/hoi-nghi/lan-bau/{voting.pk}/kiem-phieu/")
    page.get_by_role("link", name="Nhập (người thứ nhất)").click()
    for serial, crossed in BALLOTS.items():
        expect(page.get_by_label("Số phiếu")).to_have_value(str(serial))
        for name in crossed:
            page.locator("label.btn", has_text=name).click()
        page.get_by_role("button", name="Lưu phiếu").click()
        expect(page.get_by_text(f"Đã lưu phiếu số {serial}.")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the ballot entry scrolls sideways on a phone ({width}px)"

    page.get_by_role("link", name="Kiểm phiếu lần 1").click()
    expect(page.get_by_text("phiếu khác nhau")).to_have_count(0)
    page.get_by_role("button", name="Tính tập này").click()
    expect(page.get_by_text("Đã tính tập 1 vào kết quả.")).to_be_visible()
    expect(page.locator("tr", has_text="Nguyễn Văn An")).to_contain_text("Trúng cử")
    page.get_by_role("button", name="Tổ kiểm phiếu ký biên bản").click()
    expect(page.get_by_role("alert")).to_contain_text("kết quả lần bầu này đã khóa")

    page.get_by_role("button", name="Xác nhận kết quả vào tổ chức").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã xác nhận kết quả")
    assert OfficerPosition.objects.filter(unit=tree["unit_a"], role="uv_bch").count() == 3
    page.get_by_role("link", name="Xem Ban Chấp hành của đơn vị").click()
    committee = page.locator("li", has_text="Ủy viên Ban Chấp hành")
    expect(committee).to_have_count(3)
    for name in ("Lê Văn An", "Nguyễn Văn An", "Phạm Thị Bình"):
        expect(committee.filter(has_text=name)).to_contain_text("Nhiệm kỳ 2022–2027, từ 15/08/2022")
    expect(committee.filter(has_text="Hoàng Văn Chiến")).to_have_count(0)
