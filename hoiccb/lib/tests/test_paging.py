"""Every list says where you are: "Trang 3" and the total, or "hơn 1.000" where counting all costs too much."""

import datetime
import re

from django.urls import reverse

from hoiccb.conftest import admit
from hoiccb.lib.paging import Position, capped_count
from hoiccb.members.models import Member

NAMES = ["Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Hoàng Văn Em"]


def _position(html: str) -> str:
    found = re.search(r"data-pager-position>([^<]*)<", html)
    assert found, "the list does not say which page it shows"
    return found.group(1).strip()


def _link(html: str, text: str) -> str:
    """Return the query string of the link named text, "" when the page has none."""
    found = re.search(r'href="(\?[^"]*)">[^<]*' + re.escape(text), html)
    return found.group(1).replace("&amp;", "&") if found else ""


def _follow(html: str, text: str) -> str:
    link = _link(html, text)
    assert link, f"no “{text}” link"
    return link


def test_the_member_list_shows_the_page_number_and_the_total(client, cast, tree, settings):
    settings.MEMBER_PAGE_SIZE = 2
    for name in NAMES:
        admit(cast["khoi"], tree["unit_a"], name)
    client.force_login(cast["khoi"])
    url = reverse("members:list")
    html = client.get(url).content.decode()
    assert _position(html) == "Trang 1 · 5 hội viên"
    html = client.get(url + _follow(html, "Trang sau")).content.decode()
    assert _position(html) == "Trang 2 · 5 hội viên"
    html = client.get(url + _follow(html, "Trang sau")).content.decode()
    assert _position(html) == "Trang 3 · 5 hội viên"
    assert _link(html, "Trang sau") == ""
    html = client.get(url + _follow(html, "Trang trước")).content.decode()
    assert _position(html) == "Trang 2 · 5 hội viên"
    html = client.get(url + _follow(html, "Trang trước")).content.decode()
    assert _position(html) == "Trang 1 · 5 hội viên"


def test_a_page_number_typed_by_hand_never_breaks_the_list(client, cast, tree):
    admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn An")
    client.force_login(cast["khoi"])
    for bad in ("abc", "-3", "0", "9" * 40, "\uff12"):
        response = client.get(reverse("members:list"), {"trang": bad})
        assert response.status_code == 200
        assert _position(response.content.decode()) == "Trang 1 · 1 hội viên"


def test_a_count_past_the_cap_says_more_than(cast, tree):
    for name in NAMES:
        admit(cast["khoi"], tree["unit_a"], name)
    total, exact = capped_count(Member.objects.all(), cap=3)
    assert (total, exact) == (3, False)
    assert Position(number=4, total=total, exact=exact).label == "Trang 4 · hơn 3 kết quả"
    assert Position(number=1, total=1000, exact=False, noun="hội viên").label == "Trang 1 · hơn 1.000 hội viên"
    assert capped_count(Member.objects.all(), cap=5) == (5, True)


def test_offset_pages_say_where_they_are_and_link_their_neighbours(rf, tree):
    from hoiccb.lib.paging import offset_page
    from hoiccb.org.models import Unit

    units = Unit.objects.order_by("path")  # five units in the shared tree
    first = offset_page(rf.get("/", {"q": "x"}), units, noun="đơn vị", per_page=2)
    assert first.position.label == "Trang 1 · 5 đơn vị" and len(first) == 2
    assert first.prev_query == "" and first.next_query == "?q=x&trang=2"
    second = offset_page(rf.get("/", {"q": "x", "trang": "2"}), units, noun="đơn vị", per_page=2)
    assert [u.pk for u in second] == [u.pk for u in units[2:4]]
    assert second.prev_query == "?q=x" and second.next_query == "?q=x&trang=3"
    last = offset_page(rf.get("/", {"trang": "3"}), units, noun="đơn vị", per_page=2)
    assert len(last) == 1 and last.next_query == "" and last.prev_query == "?trang=2"


def test_directive_and_meeting_lists_show_the_page(cast, login, monkeypatch):
    from hoiccb.lib import paging
    from hoiccb.meetings import services as meeting_services

    monkeypatch.setattr(paging, "PER_PAGE", 1)
    for day in (1, 2):
        meeting_services.meeting_create(
            actor=cast["khoi"],
            unit=cast["khoi"].unit,
            kind="tong_ket",
            title=f"Hội nghị số {day}",
            starts_at=datetime.datetime(2024, 12, day, 8, tzinfo=datetime.UTC),
            venue="Hội trường",
        )
    client = login(cast["khoi"])
    page = client.get(reverse("meetings:list")).content.decode()
    assert _position(page) == "Trang 1 · 2 hội nghị" and "Hội nghị số 2" in page and "Hội nghị số 1" not in page
    page = client.get(reverse("meetings:list") + _follow(page, "Trang sau")).content.decode()
    assert _position(page) == "Trang 2 · 2 hội nghị" and "Hội nghị số 1" in page
    directives = client.get(reverse("directives:list")).content.decode()
    assert "Chưa gửi văn bản nào." in directives and "data-pager-position" not in directives


def test_account_and_inspection_lists_say_where_they_are(cast, login):
    page = login(cast["admin"]).get(reverse("accounts:list")).content.decode()
    # The accounts strictly below the administrator: khoi, uyvien, coso1, coso2.
    assert _position(page) == "Trang 1 · 4 tài khoản" and "coso2" in page
    plans = login(cast["khoi"]).get(reverse("activities:inspections")).content.decode()
    assert "Chưa có kế hoạch kiểm tra nào." in plans and "data-pager-position" not in plans
